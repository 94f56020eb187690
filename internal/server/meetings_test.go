package server

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Bad requests of one-to-one meetings through the API and the page: each
// told in the reader's language next to its field, nothing stored; a
// contact acts for its own authority only.
func TestMeetingRequestsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		base := fmt.Sprintf("/api/v1/events/%d/meetings", f.edition)
		settings := map[string]any{"ranges": []map[string]any{{"day": "2022-10-09", "from": "12:00", "to": "14:00", "minutes": 20, "interpreters": 1}},
			"tables": []string{}, "cap": 2, "deadline": nil}
		code, b, _ := f.call(t, rencontres.Secretariat, "PUT", base+"/settings?lang=fr", settings)
		var bad struct {
			Error struct {
				Code, Message, Field string
				Errors               []struct{ Field, Message string }
			}
		}
		if err := json.Unmarshal(b, &bad); err != nil || code != 400 || len(bad.Error.Errors) != 2 ||
			bad.Error.Errors[0].Field != "ranges[0].day" || !strings.Contains(bad.Error.Errors[0].Message, "n’est pas un jour de l’édition") ||
			bad.Error.Errors[1].Field != "tables" {
			t.Fatalf("settings outside the edition and without tables: %d %s", code, b)
		}
		settings["ranges"].([]map[string]any)[0]["day"] = "2022-10-05"
		settings["tables"] = []string{"A", "B"}
		if code, b, _ := f.call(t, rencontres.Secretariat, "PUT", base+"/settings", settings); code != 200 {
			t.Fatalf("settings: %d %s", code, b)
		}
		count := func() int {
			_, b, _ := f.call(t, rencontres.Secretariat, "GET", base+"/requests", nil)
			var l struct{ Requests []any }
			json.Unmarshal(b, &l)
			return len(l.Requests)
		}
		before := count()
		// The fixture's contact is Kumamoto's.
		for _, c := range []struct {
			to, field, says string
			status          int
		}{
			{"fr-75056", "to", "参加登録していません", 400},
			{"jp-431001", "to", "自分の自治体", 400},
			{"fr-13001", "to", "すでに申し込みがあります", 400},
		} {
			code, b, _ := f.call(t, rencontres.AuthorityContact, "POST", base+"/requests?lang=ja", map[string]any{"to": c.to, "message": "観光"})
			if err := json.Unmarshal(b, &bad); err != nil || code != c.status || bad.Error.Field != c.field || !strings.Contains(bad.Error.Message, c.says) {
				t.Errorf("a request to %s: %d %s", c.to, code, b)
			}
		}
		if code, b, _ := f.call(t, rencontres.AuthorityContact, "POST", base+"/requests", map[string]any{"from": "fr-37261", "to": "jp-431001"}); code != 403 {
			t.Errorf("a request for another authority: %d %s", code, b)
		}
		if got := count(); got != before {
			t.Errorf("%d requests after the refusals, want %d", got, before)
		}
		// The page's form says it next to the field, in French.
		form := url.Values{"organisation": {"jp-431001"}, "to": {"jp-431001"}, "message": {"x"}}
		req, _ := http.NewRequest("POST", f.srv.URL+fmt.Sprintf("/fr/events/%d/meetings/requests", f.edition), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(f.session(t, rencontres.AuthorityContact))
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(page), `id="to-error">Une collectivité ne se demande pas un rendez-vous à elle-même.`) {
			t.Errorf("the form's request to itself: %d", resp.StatusCode)
		}
		// A request is answered by the authority asked only.
		code, b, _ = f.call(t, rencontres.AuthorityContact, "POST", base+"/requests", map[string]any{"to": "fr-37261"})
		var q rencontres.MeetingRequest
		if err := json.Unmarshal(b, &q); err != nil || code != 201 || q.From != "jp-431001" {
			t.Fatalf("a request: %d %s", code, b)
		}
		path := fmt.Sprintf("%s/requests/%d/answer", base, q.ID)
		if code, b, _ := f.call(t, rencontres.AuthorityContact, "POST", path, map[string]any{"answer": "accept"}); code != 403 {
			t.Errorf("the requester answers its own request: %d %s", code, b)
		}
		if code, b, _ := f.call(t, rencontres.Secretariat, "POST", path, map[string]any{"answer": "maybe"}); code != 400 {
			t.Errorf("an answer neither accept nor decline: %d %s", code, b)
		}
		if code, b, _ := f.call(t, rencontres.Secretariat, "POST", path, map[string]any{"answer": "accept"}); code != 200 {
			t.Errorf("the secretariat accepts for Tours: %d %s", code, b)
		}
		if code, b, _ := f.call(t, rencontres.Secretariat, "POST", path, map[string]any{"answer": "decline"}); code != 409 {
			t.Errorf("a second answer: %d %s", code, b)
		}
	})
}
