package server

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// The campaign API writes to an event's registered people: a filter that
// names nothing is refused, every fault on its field; a good one reaches
// them, each letter linking to their own page in their language.
func TestCampaignAPIToRegisteredPeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec := rencontres.Secretariat
		create := func(filter map[string]any) (int, []byte) {
			letters := campaignLetters("Madame, Monsieur,\n\nVoici les informations pratiques : {{link}}")
			ja := letter.Default(rencontres.Japanese)
			ja.Body = "実務情報は個人ページをご覧ください：{{link}}"
			letters["ja"] = ja
			c := map[string]any{"event_id": f.edition, "name": "Informations pratiques", "letters": letters, "filter": filter}
			code, b, _ := f.call(t, sec, "POST", "/api/v1/campaigns", c)
			return code, b
		}
		code, b := create(map[string]any{"registrants": map[string]any{"sessions": []int64{987654}, "statuses": []string{"maybe"}, "countries": []string{"QQ"}}})
		if code != 400 {
			t.Fatalf("a filter naming nothing: %d %s", code, b)
		}
		var refusal struct {
			Error struct {
				Code   string `json:"code"`
				Errors []struct{ Field, Message string }
			} `json:"error"`
		}
		json.Unmarshal(b, &refusal)
		var fields []string
		for _, e := range refusal.Error.Errors {
			fields = append(fields, e.Field)
		}
		if got := strings.Join(fields, " "); got != "filter.registrants.sessions[0] filter.registrants.statuses[0] filter.registrants.countries[0]" {
			t.Errorf("faults on %q: %s", got, b)
		}
		if code, b := create(map[string]any{"countries": []string{"FR"}, "registrants": map[string]any{"all": true}}); code != 400 || !strings.Contains(string(b), "filter.registrants") {
			t.Errorf("mixed with the directory's criteria: %d %s", code, b)
		}
		if code, b := create(map[string]any{"registrants": map[string]any{}}); code != 400 {
			t.Errorf("choosing nobody: %d %s", code, b)
		}
		if code, list, _ := f.call(t, sec, "GET", "/api/v1/campaigns", nil); code != 200 || strings.Contains(string(list), "Informations pratiques") {
			t.Errorf("a refused campaign was saved: %d", code)
		}

		// Those who need interpretation at the 7th edition.
		code, b = create(map[string]any{"registrants": map[string]any{"interpretation": true}})
		if code != 201 {
			t.Fatalf("create: %d %s", code, b)
		}
		id := decodeAs[rencontres.Campaign](t, b).ID
		code, b, _ = f.call(t, sec, "GET", fmt.Sprintf("/api/v1/campaigns/%d/recipients", id), nil)
		if code != 200 || !strings.Contains(string(b), "k.mori@example.org") || strings.Contains(string(b), "n.bensaid@example.org") {
			t.Fatalf("recipients: %d %s", code, b)
		}
		if code, b, _ := f.call(t, sec, "POST", fmt.Sprintf("/api/v1/campaigns/%d/send", id), map[string]any{"confirm_past": true}); code != 202 {
			t.Fatalf("send: %d %s", code, b)
		}
		msgs, err := f.sent(t)
		if err != nil {
			t.Fatal(err)
		}
		langs := map[string]bool{}
		for _, m := range msgs {
			if m.Header.Get("X-Rencontres-Kind") != store.CampaignLetterKind {
				continue
			}
			l := "fr"
			if m.To[0].Email == "k.mori@example.org" {
				l = "ja"
			} else if m.To[0].Email != "c.duval@example.org" {
				continue
			}
			if want := fmt.Sprintf("/%s/me/events/%d", l, f.edition); !strings.Contains(m.Text, want) {
				t.Errorf("the letter to %s lacks %s:\n%s", m.To[0].Email, want, m.Text)
			}
			langs[l] = true
		}
		if !langs["fr"] || !langs["ja"] {
			t.Errorf("letters in %v, want French and Japanese", langs)
		}
		code, b, _ = f.call(t, sec, "GET", fmt.Sprintf("/api/v1/campaigns/%d/recipients", id), nil)
		if code != 200 || !strings.Contains(string(b), `"registration_id"`) || strings.Contains(string(b), `"state":"registered"`) {
			t.Errorf("recipients after sending: %d %s", code, b)
		}
	})
}
