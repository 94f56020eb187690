package server

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Organisations of any country: a German town created through the form
// (the country select offers France and Japan first, then Germany by its
// name), another through the API; a kind of French authority refused for
// it, a code that is no country refused; then one twinned with a French
// commune, shown on both pages, and the partnerships and the directory
// filtered by Germany.
func TestOrganisationOfAnyCountry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		form := f.page(t, rencontres.Secretariat, "/fr/manage/organisations/new")
		fr, jp, de := strings.Index(form, `<option value="FR"`), strings.Index(form, `<option value="JP"`), strings.Index(form, `<option value="DE">Allemagne</option>`)
		af := strings.Index(form, `<option value="AF">Afghanistan</option>`)
		if fr < 0 || jp < fr || af < jp || de < af {
			t.Errorf("the country select: France %d, Japan %d, Afghanistan %d, Germany %d: want France and Japan first, then by name", fr, jp, af, de)
		}
		if ja := f.page(t, rencontres.Secretariat, "/ja/manage/organisations/new"); !strings.Contains(ja, `<option value="DE">ドイツ</option>`) {
			t.Error("the Japanese form does not name Germany ドイツ")
		}

		code, body, _ := f.post(t, "/fr/manage/organisations", url.Values{"name_fr": {"Fribourg-en-Brisgau"}, "kind": {"commune"}, "country": {"DE"}})
		if code != 400 || !strings.Contains(body, `id="kind-error">Ce type ne convient pas`) {
			t.Errorf("a German commune: %d, want the kind refused on its field", code)
		}
		code, _, h := f.post(t, "/fr/manage/organisations", url.Values{"name_fr": {"Fribourg-en-Brisgau"}, "name_en": {"Freiburg im Breisgau"},
			"kind": {"city"}, "country": {"DE"}, "code": {"08311000"}})
		key := "inst-fribourg-en-brisgau"
		if code != 303 || h.Get("Location") != "/fr/organisations/"+key+"?done=created" {
			t.Fatalf("a German city through the form: %d %s", code, h.Get("Location"))
		}
		if page := f.page(t, rencontres.Public, "/fr/organisations/"+key); !strings.Contains(page, "Allemagne") ||
			!strings.Contains(page, "Ville ou commune d’un autre pays") {
			t.Error("the German city's page does not name its country and kind")
		}

		sec := rencontres.Secretariat
		if code, b, _ := f.call(t, sec, "POST", "/api/v1/organisations", map[string]any{"kind": "city", "country": "ZZ",
			"name": map[string]string{"fr": "Nulle part"}}); code != 400 || !strings.Contains(string(b), `"field":"country"`) {
			t.Errorf("country ZZ: %d %s", code, b)
		}
		code, b, _ := f.call(t, sec, "POST", "/api/v1/organisations", map[string]any{"kind": "city", "country": "DE",
			"name": map[string]string{"fr": "Karlsruhe", "ja": "カールスルーエ"}})
		if code != 201 && code != 200 {
			t.Fatalf("a German city through the API: %d %s", code, b)
		}
		code, b, _ = f.call(t, sec, "POST", "/api/v1/partnerships", map[string]any{"a": "fr-54395", "b": "inst-karlsruhe", "kind": "jumelage", "year": 1955})
		if code != 201 && code != 200 {
			t.Fatalf("twinning Nancy and Karlsruhe: %d %s", code, b)
		}
		for _, path := range []string{"/fr/organisations/inst-karlsruhe", "/fr/organisations/fr-54395"} {
			page := f.page(t, rencontres.Public, path)
			if !strings.Contains(page, "Karlsruhe") || !strings.Contains(page, "Nancy") || !strings.Contains(page, "1955") {
				t.Errorf("%s does not show the twinning of Nancy and Karlsruhe", path)
			}
		}
		all := f.page(t, rencontres.Public, "/fr/partnerships")
		if !strings.Contains(all, `country=DE">Allemagne</a> (2)`) {
			t.Error("the partnerships page offers no filter by Germany with its count (Tübingen and Karlsruhe)")
		}
		german := f.page(t, rencontres.Public, "/fr/partnerships?country=DE")
		if !strings.Contains(german, "Karlsruhe") || !strings.Contains(german, "Tübingen") || strings.Contains(german, "Kanazawa") {
			t.Error("the partnerships filtered by Germany")
		}
		dir := f.page(t, rencontres.Public, "/fr/organisations?country=DE")
		if !strings.Contains(dir, "Karlsruhe") || !strings.Contains(dir, "Fribourg-en-Brisgau") || !strings.Contains(dir, "Tübingen") || strings.Contains(dir, `href="/fr/organisations/jp-431001"`) ||
			!strings.Contains(dir, `<option value="DE" selected>Allemagne</option>`) {
			t.Errorf("the directory filtered by Germany: %v %v %v %v", strings.Contains(dir, "Karlsruhe"), strings.Contains(dir, "Fribourg-en-Brisgau"), strings.Contains(dir, `href="/fr/organisations/jp-431001"`), strings.Contains(dir, `<option value="DE" selected>Allemagne</option>`))
		}
		if _, err := st.Organisation(ctx, "inst-karlsruhe"); err != nil {
			t.Fatal(err)
		}
	})
}
