package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// openReviewCall opens a call on the 7th edition whose reviewing is open
// now, with two proposals made last week: Kumamoto's to the economy
// workshop, presented by two people, and Nancy's to the society workshop.
func (f *fixture) openReviewCall(t *testing.T) (call, kumamoto, nancy int64) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	opens, closes := now.Add(-24*time.Hour), now.Add(10*24*time.Hour)
	c := &rencontres.Call{EventID: f.edition, Kind: rencontres.CallPractice, Title: rencontres.Text{"fr": "Appel à bonnes pratiques", "ja": "優良事例の募集"},
		Opens: now.Add(-20 * 24 * time.Hour), Deadline: now.Add(-2 * 24 * time.Hour), Workshops: []int{1, 2, 3},
		Categories: []rencontres.ScoreCategory{{Key: "relevance", Label: rencontres.Text{"fr": "Pertinence", "ja": "関連性"}, Min: 1, Max: 5, Weight: 2},
			{Key: "innovation", Label: rencontres.Text{"fr": "Innovation", "ja": "革新性"}, Min: 1, Max: 5, Weight: 1}},
		Visibility: rencontres.SeeAfterOwn, MinReviews: 1, ReviewOpens: &opens, ReviewCloses: &closes}
	if err := f.st.SaveCall(ctx, c, f.users[rencontres.Secretariat].ID); err != nil {
		t.Fatal(err)
	}
	propose := func(title, ja string, workshop int, lead string, presenters ...string) int64 {
		p := &rencontres.Proposal{CallID: c.ID, Title: rencontres.Text{"fr": title, "ja": ja}, Summary: rencontres.Text{"fr": "Résumé de " + title, "ja": ja + "の概要"},
			Workshop: workshop, Orgs: []rencontres.ProposalOrg{{Key: lead, Role: rencontres.LeadProposer}},
			ContactName: "Haruto KATO", ContactEmail: "koho." + lead + "@example.org"}
		for _, name := range presenters {
			p.Presenters = append(p.Presenters, rencontres.Presenter{Person: name})
		}
		if err := f.st.SaveProposal(ctx, p, f.users[rencontres.Secretariat].ID, now.Add(-7*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	return c.ID, propose("Tramway de Kumamoto", "熊本市電", 1, "jp-431001", "Kenta MIZUNO", "Yui ABE"),
		propose("Fête de Nancy", "ナンシーの祭り", 2, "fr-54395", "Léa PETIT")
}

// The review through the API, on both databases, with every answer
// checked against the OpenAPI document: the secretariat assigns by hand
// and spreads evenly; the committee member sees only what is assigned to
// them, is refused a score outside its scale with the field named in
// their language, and reviews; the secretariat decides and releases, and
// the letters leave through the outbox while the accepted practices'
// presenters become the sessions' speakers.
func TestReviewThroughTheAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := newSchemaClient(t, f)
		ctx := context.Background()
		call, kumamoto, nancy := f.openReviewCall(t)
		member := f.users[rencontres.CommitteeMember]
		sec := f.users[rencontres.Secretariat]
		callPath, kumaPath, nancyPath := fmt.Sprintf("/api/v1/calls/%d", call), fmt.Sprintf("/api/v1/proposals/%d", kumamoto), fmt.Sprintf("/api/v1/proposals/%d", nancy)

		revs := c.check("GET", callPath+"/reviewers", nil, 200)
		if !strings.Contains(fmt.Sprint(revs), member.Email) || !strings.Contains(fmt.Sprint(revs), sec.Email) {
			t.Fatalf("reviewers %v: want the committee member and the secretariat", revs)
		}
		c.check("PUT", kumaPath+"/reviewers", map[string]any{"reviewers": []int64{member.ID}}, 200)
		// The secretariat, not assigned, may not review.
		c.check("PUT", kumaPath+"/review", map[string]any{"scores": map[string]int{"relevance": 5, "innovation": 4}}, 409)
		bad := c.check("PUT", kumaPath+"/reviewers?lang=fr", map[string]any{"reviewers": []int64{f.victim.ID}}, 400)
		if e := bad["error"].(map[string]any); e["field"] != "reviewers[0]" || !strings.Contains(e["message"].(string), "comités de pilotage") {
			t.Errorf("a participant as reviewer: %v", e)
		}
		c.check("POST", callPath+"/assign", map[string]any{"k": 11}, 400)
		spread := c.check("POST", callPath+"/assign", map[string]any{"k": 2}, 200)
		// Kumamoto had one reviewer and gets a second; Nancy gets two.
		if n := len(spread["added"].([]any)); n != 3 {
			t.Errorf("the spread added %d, want 3: %v", n, spread)
		}

		// The committee member sees the proposals assigned to them, and
		// reviews: a score out of its scale is refused, named, in French.
		status, body, _ := f.call(t, rencontres.CommitteeMember, "GET", kumaPath+"/review", nil)
		if status != 200 || !strings.Contains(string(body), `"review":null`) {
			t.Errorf("their review before writing it: %d %s", status, body)
		}
		status, body, _ = f.call(t, rencontres.CommitteeMember, "PUT", kumaPath+"/review?lang=fr", map[string]any{"scores": map[string]int{"relevance": 9, "innovation": 3}})
		var e struct {
			Error struct {
				Field   string `json:"field"`
				Message string `json:"message"`
			} `json:"error"`
		}
		json.Unmarshal(body, &e)
		if status != 400 || e.Error.Field != "scores.relevance" || e.Error.Message != "La note doit aller de 1 à 5." {
			t.Errorf("a score of 9 on 1–5: %d %s", status, body)
		}
		status, body, _ = f.call(t, rencontres.CommitteeMember, "PUT", kumaPath+"/review", map[string]any{"scores": map[string]int{"relevance": 5, "innovation": 4},
			"comment_authors": "Une réussite exemplaire.", "comment_committee": "Pas pour les auteurs."})
		if status != 200 {
			t.Fatalf("their review: %d %s", status, body)
		}
		if status, _, _ := f.call(t, rencontres.CommitteeMember, "GET", fmt.Sprintf("/api/v1/proposals/%d/reviews", f.proposal), nil); status != 404 {
			t.Errorf("a proposal not assigned to them: %d, want 404", status)
		}
		list := c.check("GET", kumaPath+"/reviews", nil, 200)
		if n := len(list["reviews"].([]any)); n != 1 {
			t.Errorf("%d reviews, want 1", n)
		}
		dash := c.check("GET", callPath+"/dashboard", nil, 200)
		if rows := dash["proposals"].([]any); len(rows) != 2 || rows[0].(map[string]any)["mean"] != 91.7 {
			t.Errorf("dashboard rows %v", rows)
		}

		// Decisions, pending until the release.
		bad = c.check("PUT", nancyPath+"/decision", map[string]any{"decision": "accepted_other", "workshop": 9}, 400)
		if bad["error"].(map[string]any)["field"] != "workshop" {
			t.Errorf("an unknown workshop: %v", bad)
		}
		c.check("PUT", kumaPath+"/decision", map[string]any{"decision": "accepted", "note": map[string]string{"fr": "Vingt minutes.", "ja": "発表は20分です。"}}, 200)
		c.check("PUT", nancyPath+"/decision", map[string]any{"decision": "accepted", "session_id": f.sessionID}, 200)
		c.check("POST", callPath+"/release", nil, 400) // no letter yet
		c.check("PUT", callPath+"/letters", map[string]any{"letters": map[string]any{
			"accepted": map[string]string{"fr": "Votre pratique « {{title}} » est retenue\nElle sera présentée à l’{{workshop}}.\n\n{{comments}}",
				"ja": "「{{title}}」採択のお知らせ\n{{authority}}御中\n{{workshop}}での発表をお願いします。\n\n{{comments}}"}}}, 200)
		if m := f.sentTo(t, "koho.jp-431001@example.org"); m == nil || strings.Contains(m.Subject, "採択") {
			t.Fatalf("before the release, the last email to Kumamoto's contact: %+v; want the proposal's confirmation", m)
		}
		// Where the economy workshop's practice goes: a new session, on
		// the last afternoon; a placement naming neither a session nor a
		// new one is refused, and nothing is released.
		bad = c.check("POST", callPath+"/release", map[string]any{"placements": []map[string]any{{"workshop": 1}}}, 400)
		if bad["error"].(map[string]any)["field"] != "placements.1" {
			t.Errorf("a placement without a session: %v", bad)
		}
		bad = c.check("POST", callPath+"/release", map[string]any{"placements": []map[string]any{{"workshop": 1, "session_id": 999999}}}, 400)
		if bad["error"].(map[string]any)["field"] != "placements.1.session_id" {
			t.Errorf("a placement in an unknown session: %v", bad)
		}
		released := c.check("POST", callPath+"/release", map[string]any{"placements": []map[string]any{{"workshop": 1,
			"new_session": map[string]any{"start": "2022-10-06T14:00:00+02:00", "end": "2022-10-06T16:00:00+02:00"}}}}, 202)
		if released["letters"] != 2.0 {
			t.Errorf("release: %v", released)
		}
		c.check("POST", callPath+"/release", nil, 409)
		c.check("PUT", nancyPath+"/decision", map[string]any{"decision": "declined"}, 409)

		m := f.sentTo(t, "koho.jp-431001@example.org")
		if m == nil || m.Subject != "「熊本市電」採択のお知らせ" || !strings.Contains(m.Text, "熊本市御中") || !strings.Contains(m.Text, "経済分科会") ||
			!strings.Contains(m.Text, "発表は20分です。") || !strings.Contains(m.Text, "Une réussite exemplaire.") || strings.Contains(m.Text, "Pas pour") {
			t.Errorf("Kumamoto's letter: %+v", m)
		}
		sessions, err := st.Sessions(ctx, f.edition)
		if err != nil {
			t.Fatal(err)
		}
		speakers := map[string]string{}
		for _, s := range sessions {
			for _, sp := range s.Speakers {
				speakers[sp.Person] = s.Title["fr"]
			}
		}
		if speakers["Kenta MIZUNO"] != "Atelier économie" || speakers["Yui ABE"] != "Atelier économie" ||
			speakers["Léa PETIT"] == "" {
			t.Errorf("speakers after the release: %v", speakers)
		}
	})
}

// sentTo sends what the outbox holds and returns the last email to an
// address, nil when none.
func (f *fixture) sentTo(t *testing.T, to string) *struct{ Subject, Text string } {
	t.Helper()
	all, err := f.sent(t)
	if err != nil {
		t.Fatal(err)
	}
	var out *struct{ Subject, Text string }
	for _, m := range all {
		if len(m.To) > 0 && m.To[0].Email == to {
			out = &struct{ Subject, Text string }{m.Subject, m.Text}
		}
	}
	return out
}
