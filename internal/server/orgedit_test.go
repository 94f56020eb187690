package server

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// The organisation form: every fault at once next to its field, named by
// its label, the form kept and nothing saved; then an institution
// created, shown on its page, and a reference authority's Japanese name
// corrected: the page shows the reference value beside it and a way back.
func TestOrganisationForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		_, before, _ := st.Organisations(ctx, rencontres.OrgFilter{})
		bad := url.Values{"kind": {"agency"}, "country": {"FR"}, "population": {"beaucoup"}, "lat": {"48,87"}, "lng": {"est"},
			"website": {"www.clair.or.jp"}, "languages": {"fr, japonais"}, "kana": {"Clair"}, "parent": {"Nowhere-sur-Mer"}}
		code, body, _ := f.post(t, "/fr/manage/organisations", bad)
		if code != 400 {
			t.Errorf("bad organisation: %d, want 400", code)
		}
		for _, want := range []string{
			`id="name-error">`, `id="population-error">Le champ «` + "\u00a0Population\u00a0» attend un nombre",
			`id="coordinates-error">`, `id="website-error">L’adresse du site doit commencer par https://`,
			`id="languages-error">«` + "\u00a0japonais\u00a0» n’est pas un code de langue", `id="kana-error">`,
			`id="parent-error">Aucune organisation de l’annuaire`, `value="www.clair.or.jp"`, `value="beaucoup"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the refused form does not show %q", want)
			}
		}
		if _, after, _ := st.Organisations(ctx, rencontres.OrgFilter{}); after != before {
			t.Errorf("a refused organisation was saved: %d organisations, want %d", after, before)
		}
		if _, body, _ := f.post(t, "/ja/manage/organisations", bad); !strings.Contains(body, "「japonais」は言語コードではありません") {
			t.Errorf("the Japanese form does not explain the language code")
		}

		good := url.Values{"name_fr": {"Préfecture de Kumamoto, association internationale"}, "name_ja": {"熊本県国際協会"},
			"kana": {"くまもとけんこくさいきょうかい"}, "kind": {"intl_association"}, "country": {"JP"}, "parent": {"Kumamoto (jp-431001)"},
			"address": {"熊本市中央区水道町5-21"}, "website": {"https://www.kumamoto-if.or.jp"}, "languages": {"ja, en, fr"},
			"cuf_japan_group": {"1"}, "notes": {"Appeler le matin."}}
		code, _, h := f.post(t, "/fr/manage/organisations", good)
		key := "inst-prefecture-de-kumamoto-association-internationale"
		if code != 303 || h.Get("Location") != "/fr/organisations/"+key+"?done=created" {
			t.Fatalf("create: %d %s", code, h.Get("Location"))
		}
		o, err := st.Organisation(ctx, key)
		if err != nil || o.Source != rencontres.Local || o.ParentKey != "jp-431001" || len(o.Languages) != 3 || !o.CUFJapanGroup {
			t.Fatalf("stored %+v, %v", o, err)
		}
		page := f.page(t, rencontres.Secretariat, "/fr/organisations/"+key)
		for _, want := range []string{"熊本県国際協会", "japonais, anglais, français", "Appeler le matin.", "Créée par le secrétariat"} {
			if !strings.Contains(page, want) {
				t.Errorf("the secretariat's page of the new organisation does not show %q", want)
			}
		}
		if public := f.page(t, rencontres.Public, "/fr/organisations/"+key); strings.Contains(public, "Appeler le matin.") {
			t.Error("the public page shows the secretariat's notes")
		}

		// A reference authority: its code is not in the form, its
		// Japanese name corrected.
		code, b, _ := f.call(t, rencontres.Secretariat, "GET", "/fr/manage/organisations/jp-431001/edit", nil)
		if code != 200 || strings.Contains(string(b), `name="code"`) || !strings.Contains(string(b), `value="熊本市"`) {
			t.Fatalf("edit form of a reference record: %d", code)
		}
		edit := url.Values{"name_fr": {"Kumamoto"}, "name_en": {"Kumamoto"}, "name_ja": {"熊本市役所"}, "kana": {"くまもとし"},
			"parent": {"jp-430005"}, "population": {"738 865"}, "lat": {"32.8031"}, "lng": {"130,7079"}}
		if o, _ := st.Organisation(ctx, "jp-431001"); o.ParentKey == "" {
			edit.Del("parent")
		}
		code, body, _ = f.post(t, "/fr/manage/organisations/jp-431001", edit)
		if code != 303 {
			t.Fatalf("edit: %d %s", code, body)
		}
		if o, _ := st.Organisation(ctx, "jp-431001"); len(o.Reference) != 2 || o.Population != 738865 {
			t.Errorf("edits recorded: %v, want the Japanese name and the population only", o.Reference)
		}
		page = f.page(t, rencontres.Secretariat, "/fr/organisations/jp-431001")
		if !strings.Contains(page, "熊本市役所") || !strings.Contains(page, "Valeur du référentiel\u00a0: 熊本市") ||
			!strings.Contains(page, `name="field" value="name.ja"`) {
			t.Errorf("the page does not show the edited name with its reference value and a way back")
		}
		if public := f.page(t, rencontres.Public, "/fr/organisations/jp-431001"); !strings.Contains(public, "Valeur du référentiel\u00a0: 熊本市") ||
			strings.Contains(public, `name="field"`) {
			t.Errorf("the public page should show the reference value, without the button")
		}
		code, _, _ = f.post(t, "/fr/manage/organisations/jp-431001/revert", url.Values{"field": {"name.ja"}})
		if o, _ := st.Organisation(ctx, "jp-431001"); code != 303 || o.Name["ja"] != "熊本市" || len(o.Reference) != 1 {
			t.Errorf("back to the reference value: %d, %+v", code, o)
		}
	})
}

// Merging in the browser: a record with itself is refused on its field;
// the preview names the kept record's empty fields the other will fill;
// then the removed key redirects for good to the kept one, public and
// private pages and the API alike, through a chain of merges; the kept
// page tells the merge and shows what it took.
func TestMergePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		dup := &rencontres.Organisation{Kind: rencontres.Municipality, Country: rencontres.Japan,
			Name:    rencontres.Text{"fr": "Ville de Kumamoto (doublon)", "ja": "熊本市（重複）"},
			Address: "熊本市中央区手取本町1-1", CUFJapanGroup: true, Notes: "Doublon saisi à la main."}
		if err := st.CreateOrganisation(ctx, dup); err != nil {
			t.Fatal(err)
		}
		code, body, _ := f.post(t, "/fr/manage/organisations/jp-431001/merge", url.Values{"from": {"jp-431001"}, "step": {"preview"}})
		if code != 400 || !strings.Contains(body, `id="from-error" role="alert">Une fiche ne peut pas être fusionnée avec elle-même`) {
			t.Errorf("merge with itself: %d", code)
		}
		code, body, _ = f.post(t, "/fr/manage/organisations/jp-431001/merge", url.Values{"from": {"Ville de Kumamoto (doublon)"}, "step": {"preview"}})
		if code != 200 || !strings.Contains(body, "Ces champs de Kumamoto, vides, seront repris de Ville de Kumamoto (doublon)") ||
			!strings.Contains(body, "<li>Adresse postale</li>") || !strings.Contains(body, "<li>Notes du secrétariat</li>") ||
			!strings.Contains(body, "<li>Membre du groupe-pays Japon de Cités Unies France</li>") ||
			strings.Contains(body, "<li>Population</li>") || !strings.Contains(body, `name="from" value="`+dup.Key+`"`) {
			t.Errorf("preview: %d %s", code, body)
		}
		if _, err := st.Organisation(ctx, dup.Key); err != nil {
			t.Fatalf("the preview merged: %v", err)
		}
		code, _, h := f.post(t, "/fr/manage/organisations/jp-431001/merge", url.Values{"from": {dup.Key}})
		if code != 303 || h.Get("Location") != "/fr/organisations/jp-431001?done=merged" {
			t.Fatalf("merge: %d %s", code, h.Get("Location"))
		}
		if o, _ := st.Organisation(ctx, "jp-431001"); o.Address != dup.Address || !o.CUFJapanGroup || o.Notes != dup.Notes {
			t.Errorf("the kept record did not take the empty fields: %+v", o)
		}
		page := f.page(t, rencontres.Secretariat, "/fr/organisations/jp-431001")
		if !strings.Contains(page, "Fusionnée avec Ville de Kumamoto (doublon) ("+dup.Key+") le") ||
			!strings.Contains(page, " par "+f.users[rencontres.Secretariat].Email) {
			t.Errorf("the kept organisation's page does not tell the merge")
		}

		// A chain: the kept one merged in turn into a third record.
		third := &rencontres.Organisation{Kind: rencontres.Municipality, Country: rencontres.Japan, Name: rencontres.Text{"fr": "Kumamoto-shi"}}
		if err := st.CreateOrganisation(ctx, third); err != nil {
			t.Fatal(err)
		}
		if _, err := st.MergeOrganisations(ctx, third.Key, "jp-431001", true, nil); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			role       rencontres.Role
			path, want string
		}{
			{rencontres.Public, "/fr/organisations/" + dup.Key, "/fr/organisations/" + third.Key},
			{rencontres.Public, "/ja/organisations/jp-431001?tab=x", "/ja/organisations/" + third.Key + "?tab=x"},
			{rencontres.Secretariat, "/en/manage/organisations/" + dup.Key, "/en/manage/organisations/" + third.Key},
			{rencontres.Secretariat, "/fr/manage/organisations/jp-431001/edit", "/fr/manage/organisations/" + third.Key + "/edit"},
			{rencontres.Secretariat, "/fr/manage/organisations/" + dup.Key + "/merge", "/fr/manage/organisations/" + third.Key + "/merge"},
			{rencontres.Secretariat, "/fr/manage/organisations/jp-431001/partnerships", "/fr/manage/organisations/" + third.Key + "/partnerships"},
			{rencontres.Public, "/api/v1/organisations/" + dup.Key, "/api/v1/organisations/" + third.Key},
		} {
			code, _, h := f.call(t, c.role, "GET", c.path, nil)
			if code != 301 || h.Get("Location") != c.want {
				t.Errorf("GET %s: %d %s, want 301 to %s", c.path, code, h.Get("Location"), c.want)
			}
		}
		if code, _, _ := f.call(t, rencontres.Public, "GET", "/fr/organisations/inst-nowhere", nil); code != 404 {
			t.Errorf("an unknown key: %d, want 404", code)
		}
	})
}

// The API: POST and PATCH list every fault at once; a reference record's
// code does not change; only the secretariat writes; merge refuses itself
// and needs a confirmation for two different official codes.
func TestOrganisationAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec := rencontres.Secretariat
		code, b, _ := f.call(t, sec, "POST", "/api/v1/organisations", map[string]any{"kind": "club", "country": "France",
			"website": "ftp://x", "languages": []string{"xx-!!"}})
		var e struct {
			Error struct {
				Code   string
				Errors []struct{ Field, Message string }
			}
		}
		json.Unmarshal(b, &e)
		fields := map[string]bool{}
		for _, x := range e.Error.Errors {
			fields[x.Field] = true
		}
		if code != 400 || len(fields) != 5 || !fields["name"] || !fields["kind"] || !fields["country"] || !fields["website"] || !fields["languages"] {
			t.Errorf("POST with five faults: %d %s", code, b)
		}
		for _, role := range []rencontres.Role{rencontres.AuthorityContact, rencontres.Participant, rencontres.CommitteeMember} {
			if code, _, _ := f.call(t, role, "PATCH", "/api/v1/organisations/jp-431001", map[string]any{"website": "https://example.org"}); code != 403 {
				t.Errorf("PATCH as %s: %d, want 403", role, code)
			}
		}
		code, b, _ = f.call(t, sec, "POST", "/api/v1/organisations", map[string]any{"kind": "chamber_of_commerce", "country": "FR",
			"name": map[string]string{"fr": "CCI Nice Côte d’Azur", "ja": "ニース・コートダジュール商工会議所"}, "languages": []string{"fr", "en"}})
		var created rencontres.Organisation
		json.Unmarshal(b, &created)
		if code != 201 || created.Key != "inst-cci-nice-cote-d-azur" || created.Source != rencontres.Local {
			t.Fatalf("POST: %d %s", code, b)
		}
		code, b, _ = f.call(t, sec, "PATCH", "/api/v1/organisations/jp-431001", map[string]any{"name": map[string]string{"ja": "熊本市役所"}})
		var patched rencontres.Organisation
		json.Unmarshal(b, &patched)
		if code != 200 || patched.Name["ja"] != "熊本市役所" || patched.Name["fr"] == "" || patched.Reference["name.ja"] != "熊本市" {
			t.Errorf("PATCH: %d %s", code, b)
		}
		if code, b, _ := f.call(t, sec, "PATCH", "/api/v1/organisations/jp-431001", map[string]any{"code": "999999"}); code != 400 || !strings.Contains(string(b), `"field":"code"`) {
			t.Errorf("PATCH of the code: %d %s", code, b)
		}
		if code, b, _ := f.call(t, sec, "POST", "/api/v1/organisations/jp-431001/merge", map[string]any{"from": "jp-431001"}); code != 400 || !strings.Contains(string(b), `"field":"from"`) {
			t.Errorf("merge with itself: %d %s", code, b)
		}
		if code, b, _ := f.call(t, sec, "POST", "/api/v1/organisations/jp-431001/merge", map[string]any{"from": "fr-13001"}); code != 409 || !strings.Contains(string(b), `"field":"confirm"`) {
			t.Errorf("merge of different codes: %d %s", code, b)
		}
		if code, _, _ := f.call(t, rencontres.AuthorityContact, "POST", "/api/v1/organisations/jp-431001/merge", map[string]any{"from": created.Key}); code != 403 {
			t.Errorf("merge as a contact: %d, want 403", code)
		}
		code, b, _ = f.call(t, sec, "POST", "/api/v1/organisations/jp-431001/merge", map[string]any{"from": created.Key})
		if code != 200 || !strings.Contains(string(b), `"removed":"`+created.Key+`"`) {
			t.Errorf("merge: %d %s", code, b)
		}
		if code, _, h := f.call(t, rencontres.Public, "GET", "/api/v1/organisations/"+created.Key+"?lang=fr", nil); code != 301 ||
			h.Get("Location") != "/api/v1/organisations/jp-431001?lang=fr" {
			t.Errorf("GET of the removed key: %d %s, want 301 to the kept one", code, h.Get("Location"))
		}
	})
}
