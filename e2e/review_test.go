package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The review in a browser: the secretariat assigns a committee member to a
// proposal; the member, in Japanese, finds it from their account, scores
// it; the secretariat decides, writes the letters and releases; the
// author's letter arrives and the presenters are in the 7th edition's
// programme. Every page of the review through axe-core.
func TestReviewDecideAndRelease(t *testing.T) {
	fresh(t)
	ctx := context.Background()
	st := srv.Store
	ed := seventh(t)
	now := time.Now()
	opens, closes := now.Add(-24*time.Hour), now.Add(10*24*time.Hour)
	call := &rencontres.Call{EventID: ed.ID, Kind: rencontres.CallPractice, Title: rencontres.Text{"fr": "Appel à bonnes pratiques", "ja": "優良事例の募集"},
		Opens: now.Add(-20 * 24 * time.Hour), Deadline: now.Add(-2 * 24 * time.Hour), Workshops: []int{1, 2, 3},
		Categories: []rencontres.ScoreCategory{{Key: "relevance", Label: rencontres.Text{"fr": "Pertinence", "ja": "テーマとの関連性"}, Min: 1, Max: 5, Weight: 2},
			{Key: "innovation", Label: rencontres.Text{"fr": "Innovation", "ja": "革新性"}, Min: 1, Max: 5, Weight: 1}},
		Visibility: rencontres.SeeAfterOwn, MinReviews: 1, ReviewOpens: &opens, ReviewCloses: &closes}
	if err := st.SaveCall(ctx, call, 0); err != nil {
		t.Fatal(err)
	}
	prop := &rencontres.Proposal{CallID: call.ID, Title: rencontres.Text{"fr": "Le tramway de Kumamoto", "ja": "熊本市電の取り組み"},
		Summary: rencontres.Text{"fr": "Un tramway pour tous.", "ja": "誰もが使える路面電車。"}, Workshop: 1,
		Orgs: []rencontres.ProposalOrg{{Key: "jp-431001", Role: rencontres.LeadProposer}}, Presenters: []rencontres.Presenter{{Person: "Kenta MIZUNO"}},
		ContactName: "Haruto KATO", ContactEmail: "koho.review@example.org"}
	if err := st.SaveProposal(ctx, prop, 0, now.Add(-7*24*time.Hour)); err != nil {
		t.Fatal(err)
	}

	staff := signedIn(t, &rencontres.User{Email: "revue@example.org", Name: "Sophie MARCHAND", Lang: rencontres.French, Role: rencontres.Secretariat}, "")
	memberUser := &rencontres.User{Email: "reviewer@example.org", Name: "Aiko TANAKA", Lang: rencontres.Japanese, Role: rencontres.CommitteeMember}
	member := signedIn(t, memberUser, "")
	if err := st.BindCommittee(ctx, memberUser.ID, ed.Committees[0].ID); err != nil {
		t.Fatal(err)
	}

	// The secretariat reaches the dashboard from the event's calls and
	// assigns the member by hand.
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/events/%d/calls", baseURL, ed.ID)))
	click(t, staff, fmt.Sprintf(`a[href="/fr/manage/calls/%d/review"]`, call.ID))
	checkAccessibility(t, staff, "/fr/manage/calls/{id}/review")
	assign := fmt.Sprintf(`form[action="/fr/manage/proposals/%d/reviewers"]`, prop.ID)
	do(t, staff, chromedp.Click(chromedp.CSS(fmt.Sprintf(`%s input[value="%d"]`, assign, memberUser.ID))))
	click(t, staff, assign+` button[type=submit]`)
	if !strings.Contains(path(t, staff), "done=assigned") {
		t.Fatalf("not assigned: %s", path(t, staff))
	}

	// The member, in Japanese.
	do(t, member, chromedp.Navigate(baseURL+"/ja/account"))
	click(t, member, `a[href="/ja/reviews"]`)
	checkAccessibility(t, member, "/ja/reviews")
	click(t, member, fmt.Sprintf(`a[href="/ja/reviews/%d"]`, prop.ID))
	checkAccessibility(t, member, "/ja/reviews/{id}")
	do(t, member, chromedp.SetValue(chromedp.ID("score_relevance"), "5"),
		chromedp.SetValue(chromedp.ID("comment_authors"), "地域の実情に即した、分かりやすい事例です。"))
	click(t, member, fmt.Sprintf(`form[action="/ja/reviews/%d"] button[type=submit]`, prop.ID))
	if msg := get(t, member, chromedp.Text(chromedp.ID("score_innovation-error"))); msg != "「革新性」の評点を入力してください。" {
		t.Errorf("the missing score is told as %q", msg)
	}
	checkAccessibility(t, member, "/ja/reviews/{id} (refused)")
	do(t, member, chromedp.SetValue(chromedp.ID("score_innovation"), "4"))
	click(t, member, fmt.Sprintf(`form[action="/ja/reviews/%d"] button[type=submit]`, prop.ID))
	if !strings.Contains(path(t, member), "done=saved") {
		t.Fatalf("the review was not saved: %s %.300s", path(t, member), get(t, member, chromedp.Text(chromedp.CSS(`main`))))
	}

	// The secretariat decides, writes the letters, releases.
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/manage/calls/%d/review", baseURL, call.ID)))
	click(t, staff, fmt.Sprintf(`a[href="/fr/manage/proposals/%d/decision"]`, prop.ID))
	checkAccessibility(t, staff, "/fr/manage/proposals/{id}/decision")
	do(t, staff, chromedp.Click(chromedp.CSS(`input[name=decision][value=accepted]`)),
		chromedp.SetValue(chromedp.ID("note_ja"), "発表時間は20分です。"))
	click(t, staff, fmt.Sprintf(`form[action="/fr/manage/proposals/%d/decision"] button[type=submit]`, prop.ID))
	if !strings.Contains(path(t, staff), "done=saved") {
		t.Fatalf("the decision was not saved: %s", path(t, staff))
	}
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/manage/calls/%d/review", baseURL, call.ID)))
	click(t, staff, fmt.Sprintf(`a[href="/fr/manage/calls/%d/release"]`, call.ID))
	checkAccessibility(t, staff, "/fr/manage/calls/{id}/release")
	do(t, staff, chromedp.SetValue(chromedp.ID("letter_accepted_fr"), "Votre pratique est retenue\n{{authority}} : « {{title}} », {{workshop}}.\n\n{{comments}}"),
		chromedp.SetValue(chromedp.ID("letter_accepted_ja"), "「{{title}}」採択のお知らせ\n{{authority}}御中\n\n{{workshop}}での発表をお願いいたします。\n\n{{comments}}"))
	click(t, staff, fmt.Sprintf(`form[action="/fr/manage/calls/%d/letters"] button[type=submit]`, call.ID))
	if !strings.Contains(path(t, staff), "done=letters") {
		t.Fatalf("the letters were not saved: %s %.300s", path(t, staff), get(t, staff, chromedp.Text(chromedp.CSS(`main`))))
	}
	click(t, staff, fmt.Sprintf(`form[action="/fr/manage/calls/%d/release"] button[type=submit]`, call.ID))
	if !strings.Contains(path(t, staff), "done=released") {
		t.Fatalf("not released: %s %.300s", path(t, staff), get(t, staff, chromedp.Text(chromedp.CSS(`main`))))
	}
	checkAccessibility(t, staff, "/fr/manage/calls/{id}/release (released)")

	// The author's letter, in Japanese (Kumamoto is Japanese and its
	// contact has no account), with the reviewer's comment to the authors.
	m := waitMail(t, func(m *mail.Received) bool {
		return m.To[0].Email == "koho.review@example.org" && strings.Contains(m.Subject, "採択")
	})
	if m == nil {
		t.Fatal("the decision letter never arrived")
	}
	for _, want := range []string{"熊本市御中", "経済分科会での発表", "発表時間は20分です。", "地域の実情に即した"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the letter lacks %q:\n%s", want, m.Text)
		}
	}
	// The presenter speaks in the economy workshop of the public programme.
	public := tab(t)
	do(t, public, chromedp.Navigate(fmt.Sprintf("%s/fr/events/%d/programme", baseURL, ed.ID)))
	if text := get(t, public, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(text, "Kenta MIZUNO") {
		t.Errorf("the programme does not name the presenter:\n%.500s", text)
	}
	// The practice is in the public library, found in French by a word of
	// its title and read in Japanese, both texts side by side.
	do(t, public, chromedp.Navigate(baseURL+"/fr/practices?q=tramway"))
	click(t, public, fmt.Sprintf(`a[href="/fr/practices/%d"]`, prop.ID))
	if text := get(t, public, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(text, "Le tramway de Kumamoto") || !strings.Contains(text, "熊本市電の取り組み") {
		t.Errorf("the library's page lacks a language:\n%.500s", text)
	}
	do(t, public, chromedp.Navigate(fmt.Sprintf("%s/ja/practices?q=%s", baseURL, "熊本市電")))
	if text := get(t, public, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(text, "熊本市電の取り組み") {
		t.Errorf("the Japanese library does not find the practice:\n%.500s", text)
	}
}
