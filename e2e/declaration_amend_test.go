package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/pdftext"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The declaration from an amendment to its publication, in a browser:
// Kyoto's contact proposes, in Japanese, a change of the first article of
// the 7th edition's declaration; Marseille's contact supports it; the
// secretariat supplies its French; a member of the joint committee accepts
// it; the text shows the change, the history names the amendment, whose
// page names Kyoto, and the author's email, in Japanese, reaches the SMTP
// server. The committee then freezes the text for endorsement, both
// authorities' contacts endorse it, the committee records its adoption,
// and the public page and its PDF show the amended text in both languages
// with the two authorities; both contacts are told of the freeze and of
// the adoption in their language by email. Every new page through
// axe-core.
func TestContactAmendsInJapanese(t *testing.T) {
	smtp := freshMailing(t)
	bg := context.Background()
	e7, err := srv.Store.Edition(bg, "rencontres-franco-japonaises", 7)
	if err != nil {
		t.Fatal(err)
	}
	freeSeventh(t, e7.ID)
	now := time.Now()
	d := &rencontres.Declaration{EditionID: e7.ID, Segments: []*rencontres.Segment{
		{Kind: rencontres.SegmentArticle, Text: rencontres.Text{"fr": "Les collectivités coopèrent.", "ja": "自治体は協力する。"}},
		{Kind: rencontres.SegmentArticle, Text: rencontres.Text{"fr": "Elles se revoient en 2024.", "ja": "2024年に再会する。"}},
	}}
	if err := srv.Store.StartDeclaration(bg, d, 0, now.Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	opens, closes := now.Add(-time.Hour), now.AddDate(0, 0, 14)
	if err := srv.Store.SetAmendmentPeriod(bg, d.ID, &opens, &closes, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := srv.Store.Declaration(bg, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	first := got.Segments[0]

	// Kyoto's contact proposes, in Japanese.
	kyoto := signedIn(t, &rencontres.User{Email: "kokusai.kyoto@example.org", Name: "Aoi TAKEDA", NameJa: "武田 葵", Lang: rencontres.Japanese,
		Role: rencontres.AuthorityContact}, "jp-261009")
	do(t, kyoto, chromedp.Navigate(fmt.Sprintf("%s/ja/declarations/%d", baseURL, d.ID)))
	click(t, kyoto, fmt.Sprintf(`a[href="/ja/declarations/%d/amendments/new?segment=%d"]`, d.ID, first.ID))
	checkAccessibility(t, kyoto, "/ja/declarations/{id}/amendments/new")
	do(t, kyoto, chromedp.SetValue(chromedp.ID("text"), "自治体は対等に協力する。"),
		chromedp.SetValue(chromedp.ID("justification"), "対等な関係を明記するため。"))
	click(t, kyoto, fmt.Sprintf(`form[action="/ja/declarations/%d/amendments"] button[type=submit]`, d.ID))
	if !strings.Contains(path(t, kyoto), "done=proposed") {
		t.Fatalf("the amendment was not proposed: %s %.600s", path(t, kyoto), get(t, kyoto, chromedp.Text(chromedp.CSS(`main`))))
	}
	list, err := srv.Store.Amendments(bg, d.ID)
	if err != nil || len(list) != 1 || list[0].Lang != rencontres.Japanese || list[0].OrgKey != "jp-261009" || list[0].Bilingual() {
		t.Fatalf("the amendment saved: %+v %v", list, err)
	}
	a := list[0]
	checkAccessibility(t, kyoto, "/ja/amendments/{id}")

	// Marseille's contact supports it.
	marseille := signedIn(t, &rencontres.User{Email: "ri.marseille@example.org", Name: "Julie ROUX", Lang: rencontres.French, Role: rencontres.AuthorityContact}, "fr-13055")
	do(t, marseille, chromedp.Navigate(fmt.Sprintf("%s/fr/declarations/%d/amendments", baseURL, d.ID)))
	if got := get(t, marseille, chromedp.Text(chromedp.CSS(`table`))); !strings.Contains(got, "Traduction en attente") {
		t.Errorf("the list does not say the translation is pending: %q", got)
	}
	checkAccessibility(t, marseille, "/fr/declarations/{id}/amendments")
	click(t, marseille, fmt.Sprintf(`a[href="/fr/amendments/%d"]`, a.ID))
	click(t, marseille, fmt.Sprintf(`form[action="/fr/amendments/%d/support"] button[type=submit]`, a.ID))
	if !strings.Contains(path(t, marseille), "done=supported") {
		t.Fatalf("not supported: %s %.600s", path(t, marseille), get(t, marseille, chromedp.Text(chromedp.CSS(`main`))))
	}

	// The secretariat supplies the French.
	staff := signedIn(t, &rencontres.User{Email: "traduction@example.org", Name: "Claire DUVAL", Lang: rencontres.French, Role: rencontres.Secretariat}, "")
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/amendments/%d", baseURL, a.ID)))
	checkAccessibility(t, staff, "/fr/amendments/{id} (to translate)")
	do(t, staff, chromedp.SetValue(chromedp.ID("text"), "Les collectivités coopèrent d’égal à égal."))
	click(t, staff, fmt.Sprintf(`form[action="/fr/amendments/%d/translate"] button[type=submit]`, a.ID))
	if !strings.Contains(path(t, staff), "done=translated") {
		t.Fatalf("not translated: %s", path(t, staff))
	}
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/declarations/%d/amendments/merge?segment=%d", baseURL, d.ID, first.ID)))
	checkAccessibility(t, staff, "/fr/declarations/{id}/amendments/merge")

	// A member of the joint committee accepts it.
	joint, err := srv.Store.JointCommittee(bg, e7.ID)
	if err != nil || joint == 0 {
		t.Fatalf("joint committee: %v", err)
	}
	member := &rencontres.User{Email: "copil.mixte@example.org", Name: "Takashi ISHII", Lang: rencontres.French, Role: rencontres.CommitteeMember}
	committee := signedIn(t, member, "")
	if err := srv.Store.BindCommittee(bg, member.ID, joint); err != nil {
		t.Fatal(err)
	}
	do(t, committee, chromedp.Navigate(fmt.Sprintf("%s/fr/amendments/%d", baseURL, a.ID)))
	page := get(t, committee, chromedp.Text(chromedp.CSS(`main`)))
	for _, want := range []string{"対等に", "d’égal à égal", "Marseille"} {
		if !strings.Contains(page, want) {
			t.Errorf("the amendment's page does not show %q", want)
		}
	}
	click(t, committee, fmt.Sprintf(`form[action="/fr/amendments/%d/accept"] button[type=submit]`, a.ID))
	if !strings.Contains(path(t, committee), "done=accepted") {
		t.Fatalf("not accepted: %s %.600s", path(t, committee), get(t, committee, chromedp.Text(chromedp.CSS(`main`))))
	}
	do(t, committee, chromedp.Navigate(fmt.Sprintf("%s/fr/declarations/%d", baseURL, d.ID)))
	if text := get(t, committee, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(text, "自治体は対等に協力する。") || !strings.Contains(text, "Les collectivités coopèrent d’égal à égal.") {
		t.Errorf("the text does not show the change: %.800s", text)
	}
	do(t, committee, chromedp.Navigate(fmt.Sprintf("%s/fr/declarations/%d/history", baseURL, d.ID)))
	click(t, committee, fmt.Sprintf(`.decl-changes a[href="/fr/amendments/%d"]`, a.ID))
	if text := get(t, committee, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(text, "Kyoto") || !strings.Contains(text, "Adopté") {
		t.Errorf("the history's amendment does not name Kyoto as accepted: %.600s", text)
	}

	// Its author is told, in Japanese; Marseille's contact too, in French.
	told := waitSMTP(t, smtp, func(m *mail.Received) bool {
		return m.To[0].Email == "kokusai.kyoto@example.org" && strings.Contains(m.Subject, "修正案が採択されました")
	}, 1)
	if len(told) != 1 || !strings.Contains(told[0].Text, fmt.Sprintf("/ja/amendments/%d", a.ID)) || !strings.Contains(told[0].Text, "武田 葵") {
		t.Errorf("the author's email did not reach the SMTP server: %+v", told)
	}
	if n := len(waitSMTP(t, smtp, func(m *mail.Received) bool {
		return m.To[0].Email == "ri.marseille@example.org" && strings.Contains(m.Subject, "Amendement adopté")
	}, 1)); n != 1 {
		t.Errorf("the supporter's email: %d", n)
	}

	// The committee freezes the text; the authorities endorse it.
	do(t, committee, chromedp.Navigate(fmt.Sprintf("%s/fr/declarations/%d/adoption", baseURL, d.ID)))
	checkAccessibility(t, committee, "/fr/declarations/{id}/adoption")
	zone, err := time.LoadLocation(got.TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	do(t, committee, chromedp.Click(chromedp.CSS(`input[name=mode][value=endorsement]`)),
		chromedp.SetValue(chromedp.ID("endorse_until"), now.AddDate(0, 0, 7).In(zone).Format("2006-01-02T15:04")))
	click(t, committee, fmt.Sprintf(`form[action="/fr/declarations/%d/adoption/freeze"] button[type=submit]`, d.ID))
	if frozen, err := srv.Store.Declaration(bg, d.ID); err != nil || frozen.State != rencontres.DeclarationFrozen || frozen.Mode != rencontres.AdoptionEndorsement {
		t.Fatalf("not frozen for endorsement: %+v %v %.600s", frozen, err, get(t, committee, chromedp.Text(chromedp.CSS(`main`))))
	}
	// The registered authorities' contacts are told, each in their
	// language, to sign on for their authority before the deadline.
	notice := func(to, kind string, wants ...string) {
		t.Helper()
		got := waitSMTP(t, smtp, func(m *mail.Received) bool {
			return m.To[0].Email == to && m.Header.Get("X-Rencontres-Kind") == kind
		}, 1)
		if len(got) != 1 {
			t.Fatalf("%s to %s: %d emails, want 1", kind, to, len(got))
		}
		for _, want := range wants {
			if !strings.Contains(got[0].Subject+"\n"+got[0].Text, want) {
				t.Errorf("%s to %s lacks %q: %s", kind, to, want, got[0].Text)
			}
		}
	}
	notice("kokusai.kyoto@example.org", "declaration-frozen", "本文確定", "京都市として署名してください", fmt.Sprintf("/ja/declarations/%d/adoption", d.ID))
	notice("ri.marseille@example.org", "declaration-frozen", "Texte arrêté", "Signez-le pour Marseille avant le")
	for _, c := range []struct {
		tab  context.Context
		lang string
		org  string
	}{{kyoto, "ja", "jp-261009"}, {marseille, "fr", "fr-13055"}} {
		do(t, c.tab, chromedp.Navigate(fmt.Sprintf("%s/%s/declarations/%d/adoption", baseURL, c.lang, d.ID)))
		checkAccessibility(t, c.tab, "/"+c.lang+"/declarations/{id}/adoption (to endorse)")
		click(t, c.tab, fmt.Sprintf(`form[action="/%s/declarations/%d/adoption/endorse"]:has(input[value=%q]) button[type=submit]`, c.lang, d.ID, c.org))
	}
	if ads, err := srv.Store.Adoptions(bg, d.ID); err != nil || len(ads) != 2 {
		t.Fatalf("endorsements: %+v %v", ads, err)
	}
	do(t, committee, chromedp.Navigate(fmt.Sprintf("%s/fr/declarations/%d/adoption", baseURL, d.ID)))
	click(t, committee, fmt.Sprintf(`form[action="/fr/declarations/%d/adoption/adopt"] button[type=submit]`, d.ID))
	if adopted, err := srv.Store.Declaration(bg, d.ID); err != nil || adopted.State != rencontres.DeclarationAdopted {
		t.Fatalf("not adopted: %+v %v %.600s", adopted, err, get(t, committee, chromedp.Text(chromedp.CSS(`main`))))
	}
	notice("kokusai.kyoto@example.org", "declaration-adopted", "宣言採択", "/ja/series/rencontres-franco-japonaises/7/declaration.pdf")
	notice("ri.marseille@example.org", "declaration-adopted", "Déclaration adoptée", "/fr/series/rencontres-franco-japonaises/7/declaration.pdf")

	// Published: the public reads it in both languages, and its PDF.
	public := tab(t)
	for _, lang := range []string{"fr", "ja"} {
		do(t, public, chromedp.Navigate(fmt.Sprintf("%s/%s/series/rencontres-franco-japonaises/7/declaration", baseURL, lang)))
		checkAccessibility(t, public, "/"+lang+"/series/{series}/{number}/declaration")
		text := get(t, public, chromedp.Text(chromedp.CSS(`main`)))
		for _, want := range []string{"自治体は対等に協力する。", "Les collectivités coopèrent d’égal à égal.", "Marseille", "京都"} {
			if !strings.Contains(text, want) {
				t.Errorf("the published declaration in %s does not show %q: %.800s", lang, want, text)
			}
		}
	}
	if n := get(t, public, chromedp.Evaluate[int](`document.querySelectorAll('a[href="/ja/series/rencontres-franco-japonaises/7/declaration.pdf"]').length`)); n == 0 {
		t.Error("the published declaration does not link to its PDF")
	}
	res, err := http.Get(baseURL + "/ja/series/rencontres-franco-japonaises/7/declaration.pdf")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("the PDF: %d %q %v", res.StatusCode, res.Header.Get("Content-Type"), err)
	}
	flat := strings.Join(strings.Fields(pdftext.Text(t, body)), "")
	for _, want := range []string{"自治体は対等に協力する。", "Lescollectivitéscoopèrentd’égalàégal."} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF does not hold %q: %.600s", want, flat)
		}
	}
}

// freeSeventh moves the demo's adopted declaration of the 7th edition to
// the 8th, so that a test drafts one on the 7th, whose authorities are
// registered.
func freeSeventh(t *testing.T, seventhID int64) {
	t.Helper()
	e8, err := srv.Store.Edition(context.Background(), "rencontres-franco-japonaises", 8)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Store.MoveDeclaration(context.Background(), seventhID, e8.ID); err != nil {
		t.Fatal(err)
	}
}
