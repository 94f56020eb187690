package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// A good practice's whole way in one browser, the outbox sending to a
// real SMTP server: Kumamoto's contact signs in by the link emailed to
// them and proposes in French and Japanese, with a presenter; the
// secretariat assigns a committee member, who signs in and scores it in
// Japanese (told first a missing score); the secretariat accepts it,
// writes the letters, places the economy workshop's practices in a new
// session of the programme and releases; the author's letter arrives at
// the SMTP server in Japanese, naming the practice, with the comment to
// the authors and not the one for the committee; the practice is a
// contribution of that session in the public programme, its presenter a
// speaker, and in the library at /fr/practices/{id} and
// /ja/practices/{id}, both texts side by side, found by a search in
// either language. The review's pages through axe-core.
func TestPracticeFromProposalToLibrary(t *testing.T) {
	smtp := freshMailing(t)
	bg := context.Background()
	st := srv.Store
	ed := seventh(t)
	now := time.Now()
	opens, closes := now.Add(-24*time.Hour), now.Add(10*24*time.Hour)
	call := &rencontres.Call{EventID: ed.ID, Kind: rencontres.CallPractice, Title: rencontres.Text{"fr": "Appel à bonnes pratiques", "ja": "優良事例の募集"},
		Opens: now.Add(-20 * 24 * time.Hour), Deadline: now.Add(5 * 24 * time.Hour), Workshops: []int{1, 2, 3},
		Categories: []rencontres.ScoreCategory{{Key: "relevance", Label: rencontres.Text{"fr": "Pertinence", "ja": "テーマとの関連性"}, Min: 1, Max: 5, Weight: 2},
			{Key: "innovation", Label: rencontres.Text{"fr": "Innovation", "ja": "革新性"}, Min: 1, Max: 5, Weight: 1}},
		Visibility: rencontres.SeeAfterOwn, MinReviews: 1, ReviewOpens: &opens, ReviewCloses: &closes}
	if err := st.SaveCall(bg, call, 0); err != nil {
		t.Fatal(err)
	}

	// Kumamoto's contact signs in by the link emailed to them.
	author := &rencontres.User{Email: "koho.flow@example.org", Name: "Haruto KATO", NameJa: "加藤 陽翔", Lang: rencontres.Japanese, Role: rencontres.AuthorityContact}
	if err := st.InviteUser(bg, author, "jp-431001"); err != nil {
		t.Fatal(err)
	}
	contact := tab(t)
	do(t, contact, chromedp.Navigate(baseURL+"/ja/login"), chromedp.SendKeys(chromedp.ID("link-email"), author.Email))
	click(t, contact, `form[action="/ja/login/link"] button`)
	links := waitSMTP(t, smtp, func(m *mail.Received) bool { return m.To[0].Email == author.Email }, 1)
	if len(links) != 1 {
		t.Fatal("no sign-in link reached the SMTP server")
	}
	link := regexp.MustCompile(`http://\S+/login/link/\S+`).FindString(links[0].Text)
	do(t, contact, chromedp.Navigate(link))
	click(t, contact, "#use-link")
	if got := path(t, contact); got != "/ja/account" {
		t.Fatalf("after the sign-in link: at %s", got)
	}

	// It proposes, from the call's page.
	do(t, contact, chromedp.Navigate(fmt.Sprintf("%s/ja/calls/%d", baseURL, call.ID)))
	click(t, contact, fmt.Sprintf(`a[href="/ja/calls/%d/propose"]`, call.ID))
	do(t, contact, chromedp.SetValue(chromedp.ID("title_fr"), "Le tramway de Kumamoto pour tous"),
		chromedp.SetValue(chromedp.ID("title_ja"), "誰もが乗れる熊本市電"),
		chromedp.SetValue(chromedp.ID("summary_fr"), "Des rames à plancher bas et des annonces en quatre langues."),
		chromedp.SetValue(chromedp.ID("summary_ja"), "低床車両と4か国語の車内案内を導入しました。"),
		chromedp.Click(`input[name=sdg][value="11"]`),
		chromedp.SetValue(chromedp.ID("workshop"), "1"),
		chromedp.SetValue(chromedp.ID("pr0_person"), "Kenta MIZUNO"), chromedp.SetValue(chromedp.ID("pr0_function"), "交通政策課長"))
	click(t, contact, fmt.Sprintf(`form[action="/ja/calls/%d/proposals"] button[type=submit]`, call.ID))
	if !strings.Contains(path(t, contact), "done=saved") {
		t.Fatalf("the proposal was not saved: %s %.500s", path(t, contact), get(t, contact, chromedp.Text(chromedp.CSS(`main`))))
	}
	list, err := st.Proposals(bg, rencontres.ProposalFilter{CallID: call.ID})
	if err != nil || len(list) != 1 || list[0].Lead() != "jp-431001" || len(list[0].Presenters) != 1 {
		t.Fatalf("the proposal saved: %+v %v", list, err)
	}
	prop := list[0]
	if confirmed := waitSMTP(t, smtp, func(m *mail.Received) bool {
		return m.To[0].Email == author.Email && strings.Contains(m.Subject, "誰もが乗れる熊本市電")
	}, 1); len(confirmed) != 1 {
		t.Error("the proposal's confirmation did not reach the SMTP server")
	}

	// The secretariat assigns a committee member by hand.
	staff := signedIn(t, &rencontres.User{Email: "revue@example.org", Name: "Sophie MARCHAND", Lang: rencontres.French, Role: rencontres.Secretariat}, "")
	memberUser := &rencontres.User{Email: "reviewer@example.org", Name: "Aiko TANAKA", Lang: rencontres.Japanese, Role: rencontres.CommitteeMember}
	member := signedIn(t, memberUser, "")
	if err := st.BindCommittee(bg, memberUser.ID, ed.Committees[0].ID); err != nil {
		t.Fatal(err)
	}
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/events/%d/calls", baseURL, ed.ID)))
	click(t, staff, fmt.Sprintf(`a[href="/fr/manage/calls/%d/review"]`, call.ID))
	checkAccessibility(t, staff, "/fr/manage/calls/{id}/review")
	assign := fmt.Sprintf(`form[action="/fr/manage/proposals/%d/reviewers"]`, prop.ID)
	do(t, staff, chromedp.Click(chromedp.CSS(fmt.Sprintf(`%s input[value="%d"]`, assign, memberUser.ID))))
	click(t, staff, assign+` button[type=submit]`)
	if !strings.Contains(path(t, staff), "done=assigned") {
		t.Fatalf("not assigned: %s", path(t, staff))
	}

	// The member scores it in Japanese; a missing score is told first.
	do(t, member, chromedp.Navigate(baseURL+"/ja/account"))
	click(t, member, `a[href="/ja/reviews"]`)
	checkAccessibility(t, member, "/ja/reviews")
	click(t, member, fmt.Sprintf(`a[href="/ja/reviews/%d"]`, prop.ID))
	checkAccessibility(t, member, "/ja/reviews/{id}")
	do(t, member, chromedp.SetValue(chromedp.ID("score_relevance"), "5"),
		chromedp.SetValue(chromedp.ID("comment_authors"), "地域の実情に即した、分かりやすい事例です。"),
		chromedp.SetValue(chromedp.ID("comment_committee"), "委員会限りの所見：費用の記載が不足。"))
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

	// The secretariat accepts it, writes the letters, places the economy
	// workshop's practices in a new session on the last afternoon, in
	// the Granet room, and releases.
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
	// The economy workshop's own session is offered first.
	if got := get(t, staff, chromedp.Evaluate[string](`document.querySelector('#place_1').selectedOptions[0].textContent`)); !strings.HasPrefix(got, "Atelier économie") {
		t.Errorf("the economy workshop's session offered first: %q", got)
	}
	var rooms []*rencontres.Room
	if rooms, err = st.Rooms(bg, ed.ID); err != nil {
		t.Fatal(err)
	}
	var granet int64
	for _, r := range rooms {
		if r.Name["fr"] == "Salle Granet" {
			granet = r.ID
		}
	}
	do(t, staff, chromedp.SetValue(chromedp.ID("place_1"), "new"),
		chromedp.SetValue(chromedp.ID("new_1_day"), "2022-10-06"),
		chromedp.SetValue(chromedp.ID("new_1_start"), "14:00"), chromedp.SetValue(chromedp.ID("new_1_end"), "15:30"),
		chromedp.SetValue(chromedp.ID("new_1_room"), fmt.Sprint(granet)))
	click(t, staff, fmt.Sprintf(`form[action="/fr/manage/calls/%d/release"] button[type=submit]`, call.ID))
	if !strings.Contains(path(t, staff), "done=released") {
		t.Fatalf("not released: %s %.600s", path(t, staff), get(t, staff, chromedp.Text(chromedp.CSS(`main`))))
	}
	checkAccessibility(t, staff, "/fr/manage/calls/{id}/release (released)")

	// The author's letter reaches the SMTP server in their language,
	// naming the practice, with the comment to the authors only.
	letters := waitSMTP(t, smtp, func(m *mail.Received) bool {
		return m.To[0].Email == author.Email && strings.Contains(m.Subject, "採択")
	}, 1)
	if len(letters) != 1 {
		t.Fatal("the decision letter never reached the SMTP server")
	}
	m := letters[0]
	if m.Subject != "「誰もが乗れる熊本市電」採択のお知らせ" {
		t.Errorf("the letter's subject: %q", m.Subject)
	}
	for _, want := range []string{"熊本市御中", "経済分科会での発表", "発表時間は20分です。", "地域の実情に即した"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the letter lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.Text, "委員会限り") {
		t.Errorf("the letter tells the comment meant for the committee:\n%s", m.Text)
	}

	// The practice is a contribution of the new session, its presenter a
	// speaker, in the public programme.
	released, err := st.ReviewProposal(bg, prop.ID)
	if err != nil || released.SessionID == 0 {
		t.Fatalf("the released proposal's session: %+v %v", released, err)
	}
	sessions, err := st.Sessions(bg, ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	var placed *rencontres.Session
	for _, s := range sessions {
		if s.ID == released.SessionID {
			placed = s
		}
	}
	if placed == nil || placed.Title["fr"] != "Atelier économie" || !placed.Start.Equal(time.Date(2022, 10, 6, 14, 0, 0, 0, paris)) ||
		placed.RoomID != granet || len(placed.Speakers) != 1 || placed.Speakers[0].Person != "Kenta MIZUNO" {
		t.Fatalf("the session receiving the practice: %+v", placed)
	}
	public := tab(t)
	do(t, public, chromedp.Navigate(fmt.Sprintf("%s/fr/events/%d/programme", baseURL, ed.ID)))
	if text := get(t, public, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(text, "Kenta MIZUNO") {
		t.Errorf("the programme does not name the presenter:\n%.500s", text)
	}

	// In the library, in French and in Japanese, both texts side by side
	// and the session where it is presented.
	for _, l := range []string{"fr", "ja"} {
		do(t, public, chromedp.Navigate(fmt.Sprintf("%s/%s/practices/%d", baseURL, l, prop.ID)))
		if h := get(t, public, chromedp.Text(chromedp.CSS("h1"))); h != prop.Title.In(rencontres.Lang(l)) {
			t.Errorf("/%s/practices/%d is titled %q", l, prop.ID, h)
		}
		fr := get(t, public, chromedp.Text(chromedp.CSS(`#text-fr + div[lang=fr]`)))
		ja := get(t, public, chromedp.Text(chromedp.CSS(`#text-ja + div[lang=ja]`)))
		if !strings.Contains(fr, "quatre langues") || !strings.Contains(ja, "4か国語") {
			t.Errorf("/%s/practices/%d, the texts side by side: %q | %q", l, prop.ID, fr, ja)
		}
		if get(t, public, chromedp.Evaluate[bool](`(() => { const s = document.querySelectorAll('.practice-texts > section'); return s[0].getBoundingClientRect().top === s[1].getBoundingClientRect().top })()`)) != true {
			t.Errorf("/%s/practices/%d: the texts are not side by side", l, prop.ID)
		}
		if got := get(t, public, chromedp.Text(chromedp.CSS(`main dl`))); !strings.Contains(got, map[string]string{"fr": "Atelier économie", "ja": "経済分科会"}[l]) ||
			!strings.Contains(got, "Kenta MIZUNO") {
			t.Errorf("/%s/practices/%d does not say where and by whom it is presented: %q", l, prop.ID, got)
		}
		checkAccessibility(t, public, "/"+l+"/practices/{id} (released)")
	}
	do(t, public, chromedp.Navigate(baseURL+"/fr/practices?q=tramway"))
	click(t, public, fmt.Sprintf(`a[href="/fr/practices/%d"]`, prop.ID))
	do(t, public, chromedp.Navigate(fmt.Sprintf("%s/ja/practices?q=%s", baseURL, "熊本市電")))
	if text := get(t, public, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(text, "誰もが乗れる熊本市電") {
		t.Errorf("the Japanese library does not find the practice:\n%.500s", text)
	}
}
