package server

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Kumamoto's contact keeps its cooperation profile through the API: an
// unknown value is a 400 naming each field in the reader's language, and
// nothing is saved; another authority's profile and suggestions are
// refused; its own suggestions come with their words in Japanese.
func TestCooperationThroughTheAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		contact := rencontres.AuthorityContact
		code, b, _ := f.call(t, contact, "PUT", "/api/v1/organisations/jp-431001/cooperation?lang=fr",
			map[string]any{"seeks": []string{"culture", "piracy"}, "offers": []string{"sport"}, "kinds": []string{"war"}, "languages": []string{"ja"}})
		var e struct {
			Error struct {
				Code   string
				Errors []struct{ Field, Message string }
			}
		}
		json.Unmarshal(b, &e)
		got := map[string]string{}
		for _, x := range e.Error.Errors {
			got[x.Field] = x.Message
		}
		if code != 400 || got["seeks"] != "«\u00a0piracy\u00a0» n’est pas un thème de la liste." ||
			got["kinds"] != "«\u00a0war\u00a0» n’est pas une forme de coopération de la liste." || len(got) != 2 {
			t.Errorf("a bad profile: %d %s", code, b)
		}
		p, err := st.CooperationProfile(t.Context(), "jp-431001")
		if err != nil || slices.Contains(p.Offers, "sport") {
			t.Errorf("a refused profile saved its offers: %+v, %v", p, err)
		}
		for _, path := range []string{"/api/v1/organisations/fr-13001/cooperation", "/api/v1/organisations/fr-13001/suggestions"} {
			if code, b, _ := f.call(t, contact, "GET", path, nil); code != 403 {
				t.Errorf("GET %s by Kumamoto's contact: %d %s, want 403", path, code, b)
			}
		}
		code, b, _ = f.call(t, contact, "GET", "/api/v1/organisations/jp-431001/suggestions?lang=ja", nil)
		var list struct {
			Suggestions []rencontres.Suggestion
		}
		if err := json.Unmarshal(b, &list); err != nil || code != 200 || len(list.Suggestions) == 0 {
			t.Fatalf("Kumamoto's suggestions: %d %.300s", code, b)
		}
		first := list.Suggestions[0]
		var texts []string
		for _, r := range first.Reasons {
			texts = append(texts, r.Text)
		}
		if first.Org.Key != "fr-13055" || !slices.Contains(texts, "熊本市の提携先エクス＝アン＝プロヴァンスから26kmの距離にあります") {
			t.Errorf("first suggestion %s: %s", first.Org.Key, strings.Join(texts, " / "))
		}
	})
}
