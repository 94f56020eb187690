package server

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// The review on the site, without JavaScript: the committee member finds
// the proposal assigned to them from their account, is told a missing
// score next to its field in Japanese with the form kept, reviews; a blind
// call hides who proposed; the secretariat spreads, decides, writes the
// letters and releases, and the author's letter leaves.
func TestReviewPages(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	call, kumamoto, nancy := f.openReviewCall(t)
	member := rencontres.CommitteeMember
	form := func(role rencontres.Role, path string, v url.Values) (int, string, string) {
		code, b, h := f.call(t, role, "POST", path, []byte(v.Encode()), "Content-Type", "application/x-www-form-urlencoded")
		return code, string(b), h.Get("Location")
	}

	code, _, _ := form(rencontres.Secretariat, fmt.Sprintf("/fr/manage/proposals/%d/reviewers", kumamoto), url.Values{"reviewer": {fmt.Sprint(f.users[member].ID)}})
	if code != 303 {
		t.Fatalf("assigning by hand: %d", code)
	}
	if !strings.Contains(f.page(t, member, "/fr/account"), `href="/fr/reviews"`) {
		t.Error("the account page does not link to the proposals to review")
	}
	list := f.page(t, member, "/ja/reviews")
	if !strings.Contains(list, fmt.Sprintf(`href="/ja/reviews/%d"`, kumamoto)) || strings.Contains(list, fmt.Sprintf(`/reviews/%d"`, nancy)) {
		t.Fatalf("the reviewer's list:\n%s", list)
	}
	code, body, _ := form(member, fmt.Sprintf("/ja/reviews/%d", kumamoto), url.Values{"score_relevance": {"4"}, "comment_authors": {"明快です。"}})
	if code != 400 || !strings.Contains(body, `id="score_innovation-error">「革新性」の評点を入力してください。`) || !strings.Contains(body, "明快です。") ||
		!strings.Contains(body, `<option value="4" selected>`) {
		t.Fatalf("a missing score: %d\n%s", code, body)
	}
	code, _, loc := form(member, fmt.Sprintf("/ja/reviews/%d", kumamoto), url.Values{"score_relevance": {"4"}, "score_innovation": {"5"}, "comment_authors": {"明快です。"}})
	if code != 303 || !strings.HasSuffix(loc, "?done=saved") {
		t.Fatalf("the review: %d %s", code, loc)
	}
	if page := f.page(t, member, fmt.Sprintf("/fr/reviews/%d", kumamoto)); !strings.Contains(page, "porteuse") || !strings.Contains(page, "Kenta MIZUNO") {
		t.Error("an open call's review page does not say who proposed")
	}
	c, err := f.st.Call(context.Background(), call)
	if err != nil {
		t.Fatal(err)
	}
	c.Blind = true
	if err := f.st.SaveCall(context.Background(), c, f.users[rencontres.Secretariat].ID); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fmt.Sprintf("/fr/reviews/%d", kumamoto), "/fr/reviews"} {
		if page := f.page(t, member, path); strings.Contains(page, "Kenta MIZUNO") || strings.Contains(page, "koho.jp-431001") || strings.Contains(page, "porteuse") {
			for _, w := range []string{"Kenta MIZUNO", "koho.jp-431001", "porteuse"} {
				if i := strings.Index(page, w); i >= 0 {
					t.Errorf("%s, blind, tells who proposed: %s", path, page[max(0, i-200):i+50])
				}
			}
		}
	}
	if code, _, _ := f.call(t, member, "GET", fmt.Sprintf("/fr/reviews/%d", nancy), nil); code != 404 {
		t.Errorf("a proposal not assigned to them: %d, want 404", code)
	}

	// The secretariat spreads, decides, writes the letters and releases.
	base := fmt.Sprintf("/fr/manage/calls/%d", call)
	if code, _, _ := form(rencontres.Secretariat, base+"/assign", url.Values{"k": {"1"}}); code != 303 {
		t.Fatalf("spread: %d", code)
	}
	dash := f.page(t, rencontres.Secretariat, base+"/review")
	if !strings.Contains(dash, "Tramway de Kumamoto") || !strings.Contains(dash, "83,3") || !strings.Contains(dash, "Évaluation close le") {
		t.Errorf("the dashboard does not show Kumamoto's mean of 83,3 ((2×75 + 100) / 3):\n%s", dash)
	}
	code, body, _ = form(rencontres.Secretariat, fmt.Sprintf("/fr/manage/proposals/%d/decision", nancy), url.Values{"decision": {"accepted_other"}})
	if code != 400 || !strings.Contains(body, `id="workshop-error"`) {
		t.Fatalf("accepted for another workshop, none chosen: %d\n%s", code, body)
	}
	for _, p := range []int64{kumamoto, nancy} {
		if code, _, _ := form(rencontres.Secretariat, fmt.Sprintf("/fr/manage/proposals/%d/decision", p), url.Values{"decision": {"accepted"}, "note_fr": {"Vingt minutes."}}); code != 303 {
			t.Fatalf("decision: %d", code)
		}
	}
	code, body, _ = form(rencontres.Secretariat, base+"/release", nil)
	if code != 400 || !strings.Contains(body, "Aucune lettre n’est écrite pour cette décision.") {
		t.Fatalf("a release without letters: %d\n%s", code, body)
	}
	code, body, _ = form(rencontres.Secretariat, base+"/letters", url.Values{"letter_accepted_fr": {"Retenue\n{{titre}}"}})
	if code != 400 || !strings.Contains(body, "Le champ «\u00a0titre\u00a0» n’existe pas") {
		t.Fatalf("a letter with an unknown field: %d\n%s", code, body)
	}
	if code, _, _ := form(rencontres.Secretariat, base+"/letters", url.Values{"letter_accepted_fr": {"Votre pratique est retenue\n{{authority}} : « {{title}} », {{workshop}}.\n{{comments}}"},
		"letter_accepted_ja": {"採択のお知らせ\n{{authority}}御中\n「{{title}}」\n{{comments}}"}}); code != 303 {
		t.Fatalf("letters: %d", code)
	}
	// Each workshop's session is chosen on the release page, its own
	// session first; Léa Petit, who presents Nancy's practice, guides a
	// visit during the society workshop: the release is refused, saying
	// who and where, until Nancy's practice goes to a new session.
	paris, _ := time.LoadLocation("Europe/Paris")
	visit := &rencontres.Session{EditionID: f.edition, Kind: rencontres.Visit, Title: rencontres.Text{"fr": "Visite de la vieille ville", "ja": "旧市街の見学"},
		Start: time.Date(2022, 10, 5, 9, 0, 0, 0, paris), End: time.Date(2022, 10, 5, 12, 0, 0, 0, paris), Speakers: []rencontres.Speaker{{Person: "Léa Petit", Role: "speaker"}}}
	if err := f.st.SaveSession(context.Background(), visit); err != nil {
		t.Fatal(err)
	}
	page := f.page(t, rencontres.Secretariat, base+"/release")
	for _, want := range []string{`<select id="place_1" name="place_1">`, `<select id="place_2" name="place_2">`, `name="new_2_day"`, `name="new_2_room"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the release page lacks %s", want)
		}
	}
	_, after, _ := strings.Cut(page, `name="place_2"`)
	if sel, _, _ := strings.Cut(after, "</select>"); !regexp.MustCompile(`<option value="\d+" selected>Atelier société`).MatchString(sel) {
		t.Errorf("the society workshop's session is not chosen first:\n%s", after[:min(len(after), 3000)])
	}
	code, body, _ = form(rencontres.Secretariat, base+"/release", url.Values{"place_2": {"new"}, "new_2_day": {"2022-10-05"}, "new_2_start": {"10:00"}, "new_2_end": {"09:00"}})
	if code != 400 || !strings.Contains(body, `id="new_2_end-error">La date de fin est antérieure à la date de début.`) {
		t.Fatalf("a new session ending before it starts: %d\n%s", code, body)
	}
	code, body, _ = form(rencontres.Secretariat, base+"/release", nil)
	if code != 409 || !strings.Contains(body, fmt.Sprintf(`href="/fr/manage/proposals/%d/decision">Fête de Nancy</a>`, nancy)) ||
		!strings.Contains(body, "Léa PETIT, qui présente «\u00a0Fête de Nancy\u00a0», intervient déjà à ce moment dans «\u00a0Visite de la vieille ville\u00a0»") {
		t.Fatalf("a presenter speaking elsewhere then: %d\n%s", code, body)
	}
	if code, _, loc := form(rencontres.Secretariat, base+"/release", url.Values{"place_2": {"new"}, "new_2_day": {"2022-10-05"}, "new_2_start": {"14:00"}, "new_2_end": {"14:30"}}); code != 303 || !strings.HasSuffix(loc, "?done=released") {
		t.Fatalf("release: %d %s", code, loc)
	}
	sessions, err := f.st.Sessions(context.Background(), f.edition)
	if err != nil {
		t.Fatal(err)
	}
	placed := false
	for _, ses := range sessions {
		if ses.Title["fr"] == "Atelier société" && ses.Start.Equal(time.Date(2022, 10, 5, 14, 0, 0, 0, paris)) && len(ses.Speakers) == 1 && ses.Speakers[0].Person == "Léa PETIT" {
			placed = true
		}
	}
	if !placed {
		t.Error("Nancy's practice is not in the new society session at 14:00 with Léa PETIT speaking")
	}
	m := f.sentTo(t, "koho.fr-54395@example.org")
	if m == nil || m.Subject != "Votre pratique est retenue" || !strings.Contains(m.Text, "Nancy") || !strings.Contains(m.Text, "« Fête de Nancy », Atelier société.") ||
		!strings.Contains(m.Text, "Vingt minutes.") {
		t.Errorf("Nancy's letter: %+v", m)
	}
	if page := f.page(t, rencontres.Secretariat, base+"/release"); !strings.Contains(page, "Les décisions de cet appel sont publiées.") {
		t.Error("the release page does not say the decisions are released")
	}
}
