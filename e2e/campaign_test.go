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

// firstCopil is the demo's first steering committee of the 8th
// Rencontres (18 September 2023, within the RAICT), which the test opens
// to registration until a deadline to come.
func firstCopil(t *testing.T) *rencontres.Event {
	t.Helper()
	bg := context.Background()
	events, err := srv.Store.Events(bg, rencontres.EventFilter{Kind: rencontres.CommitteeMeeting})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Start.String() == "2023-09-18" {
			if _, err := srv.Store.SaveRegistrationForm(bg, &rencontres.RegistrationForm{EventID: e.ID, Opens: time.Now().Add(-time.Hour),
				Deadline: time.Now().Add(20 * 24 * time.Hour), Contact: "japon@example.org"}); err != nil {
				t.Fatal(err)
			}
			return e
		}
	}
	t.Fatal("no meeting on 18 September 2023 in the demo")
	return nil
}

// setSelect chooses an option as a person would, so that the page's
// script hears of it.
func setSelect(id, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(function(){var s=document.getElementById(%q); s.value=%q;
		s.dispatchEvent(new Event('change', {bubbles: true}));})()`, id, value))
}

// setText fills a text field at once, as a paste would.
func setText(id, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(function(){var e=document.getElementById(%q); e.value=%q;
		e.dispatchEvent(new Event('input', {bubbles: true}));})()`, id, text))
}

// retype empties a field of the letter and types into it, key by key.
func retype(t *testing.T, ctx context.Context, id, text string) {
	t.Helper()
	do(t, ctx, setText(id, ""), chromedp.SendKeys(chromedp.ID(id), text))
}

// caretAtEnd puts the cursor at the end of a field, where a person would
// click to go on writing.
func caretAtEnd(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(function(){var e=document.getElementById(%q); e.focus();
		e.setSelectionRange(e.value.length, e.value.length);})()`, id))
}

// The secretariat writes to the network from the meeting's page: starts a
// campaign, picks two contacts and an authority without one, types a field
// that does not exist and is told which, fixes it, watches the preview
// follow with the recipient's name, is refused sending while a recipient
// has a problem, sends to the others. The Japanese contact's email is in
// Japanese with the letter as PDF; its personal link opens their
// delegation's form; the campaign's page shows them as having opened it,
// then as registered. Every page passes axe-core and fits a phone.
func TestCampaignInBrowser(t *testing.T) {
	fresh(t)
	bg := context.Background()
	ev := firstCopil(t)
	fr := &rencontres.User{Email: "lea.rousseau@example.org", Civility: "mme", Name: "Léa ROUSSEAU", Function: "Chargée des relations internationales",
		Lang: rencontres.French, Role: rencontres.AuthorityContact}
	ja := &rencontres.User{Email: "aoi.takahashi@example.org", Civility: "mme", Name: "Aoi TAKAHASHI", NameJa: "高橋 葵", Function: "国際交流課主査",
		Lang: rencontres.Japanese, Role: rencontres.AuthorityContact}
	for u, org := range map[*rencontres.User]string{fr: "fr-28085", ja: "jp-172014"} {
		if err := srv.Store.InviteUser(bg, u, org); err != nil {
			t.Fatal(err)
		}
	}
	staff := signedIn(t, &rencontres.User{Email: "courrier@example.org", Name: "Sophie LEROY", Lang: rencontres.French, Role: rencontres.Secretariat}, "")

	// From the meeting's page to a new campaign.
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/events/%d", baseURL, ev.ID)))
	click(t, staff, fmt.Sprintf(`a[href="/fr/manage/campaigns?event=%d"]`, ev.ID))
	checkAccessibility(t, staff, "/fr/manage/campaigns")
	do(t, staff, chromedp.SendKeys(chromedp.ID("name"), "Invitation au 1er COPIL des 8e Rencontres"))
	click(t, staff, `form[action="/fr/manage/campaigns"] button`)
	page := path(t, staff)
	if !regexp.MustCompile(`^/fr/campaigns/\d+\?done=created$`).MatchString(page) {
		t.Fatalf("after starting the campaign: at %s", page)
	}
	campaignPath := page[:strings.IndexByte(page, '?')]
	checkAccessibility(t, staff, campaignPath)

	// The recipients, and a field that does not exist: the preview says
	// so as it is typed, and saving is refused next to the body.
	do(t, staff, setText("organisations", "fr-28085\njp-172014\nfr-37261"))
	retype(t, staff, "fr_body", "Madame, Monsieur,\n\nNous vous invitons {{meeting.day}}, {{meeting.times}}, {{réunion.lieu}}.\n\nRépondez avant le {{deadline}} : {{link}}")
	waitFor(t, staff, `document.getElementById('preview').textContent.includes('réunion.lieu')`, "the preview names the unknown field")
	click(t, staff, "#campaign-save")
	if got := get(t, staff, chromedp.Text(chromedp.ID("fr_body-error"))); !strings.Contains(got, "«\u00a0réunion.lieu\u00a0»") || !strings.Contains(got, "Ligne 3") {
		t.Errorf("the refusal of the unknown field: %q", got)
	}
	if got := get(t, staff, chromedp.Evaluate[string](`document.getElementById('fr_body').getAttribute('aria-describedby')`)); !strings.Contains(got, "fr_body-error") {
		t.Errorf("the body is not described by its error: %q", got)
	}
	if got := get(t, staff, chromedp.Value(chromedp.ID("organisations"))); !strings.Contains(got, "jp-172014") {
		t.Errorf("the refused form lost the recipients typed: %q", got)
	}
	checkAccessibility(t, staff, campaignPath+" (refused)")

	// Fixed, saved: two recipients, and Tours without a contact.
	retype(t, staff, "fr_body", "Madame, Monsieur,\n\nNous vous invitons {{meeting.day}}, {{meeting.times}}, à la {{meeting.venue}}.\n\nRépondez avant le {{deadline}} : {{link}}")
	click(t, staff, "#campaign-save")
	if got := get(t, staff, chromedp.Text(chromedp.CSS(".notice"))); !strings.Contains(got, "enregistré") {
		t.Fatalf("after saving: %q at %s", got, path(t, staff))
	}
	if got := get(t, staff, chromedp.Text(chromedp.ID("recipients"))); !strings.Contains(got, "Léa ROUSSEAU") || !strings.Contains(got, "高橋 葵") {
		t.Errorf("recipients: %q", got)
	}
	if got := get(t, staff, chromedp.Text(chromedp.ID("problems"))); !strings.Contains(got, "fr-37261") || !strings.Contains(got, "pas de correspondant") {
		t.Errorf("problems: %q", got)
	}

	// The editor fits a phone.
	do(t, staff, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile), chromedp.Navigate(baseURL+campaignPath))
	if over := get(t, staff, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); over > 0 {
		t.Errorf("the editor scrolls sideways by %dpx at 360px wide", over)
	}
	do(t, staff, chromedp.EmulateViewport(1200, 900), chromedp.Navigate(baseURL+campaignPath))

	// The preview follows the letter for the chosen recipient, and the
	// palette inserts a field where the cursor is.
	do(t, staff, setSelect("preview_recipient", fr.Email), caretAtEnd("fr_body"), chromedp.SendKeys(chromedp.ID("fr_body"), "\n\nVotre collectivité : "))
	do(t, staff, chromedp.Click(chromedp.CSS(`.palette-insert[data-field="recipient.authority"]`)))
	if got := get(t, staff, chromedp.Value(chromedp.ID("fr_body"))); !strings.HasSuffix(got, "Votre collectivité : {{recipient.authority}}") {
		t.Errorf("after the palette: body ends %q", got[max(0, len(got)-60):])
	}
	waitFor(t, staff, `(function(){var t=document.getElementById('preview').textContent.replace(/[\u00a0\u202f]/g, ' '); return t.includes('Léa ROUSSEAU') && t.includes('Votre collectivité : Chartres')})()`,
		"the preview shows the recipient and the field inserted")

	// The meeting is over: sending asks for a confirmation that names its
	// day. Then it is refused while Tours has no contact, then goes to
	// the others.
	if got := get(t, staff, chromedp.Text(chromedp.CSS("label:has(#confirm_past)"))); !strings.Contains(strings.ReplaceAll(got, "\u00a0", " "), "18 septembre 2023") {
		t.Errorf("the confirmation of a past meeting: %q", got)
	}
	do(t, staff, chromedp.Click(chromedp.ID("confirm_past")))
	click(t, staff, "#campaign-send")
	if got := get(t, staff, chromedp.Text(chromedp.ID("send-error"))); !strings.Contains(got, "envoyez aux autres") {
		t.Fatalf("send with a problem: %q", got)
	}
	do(t, staff, chromedp.Click(chromedp.ID("skip_problems")))
	click(t, staff, "#campaign-send")
	if got := path(t, staff); got != campaignPath+"?done=sent" {
		t.Fatalf("after sending: at %s", got)
	}
	checkAccessibility(t, staff, campaignPath+" (sent)")

	// The emails: the Japanese contact's in Japanese, with the letter as
	// PDF and a personal link.
	letterTo := func(u *rencontres.User) *mail.Received {
		return waitMail(t, func(m *mail.Received) bool {
			return m.To[0].Email == u.Email && m.Header.Get("X-Rencontres-Kind") == "campaign-letter"
		})
	}
	if letterTo(fr) == nil {
		t.Error("no letter to the French contact")
	}
	m := letterTo(ja)
	if m == nil {
		t.Fatal("no letter to the Japanese contact")
	}
	if !strings.Contains(m.Subject, "ご案内") || !strings.Contains(m.Text, "高橋") || !strings.Contains(m.Text, "様") || !strings.Contains(m.Text, "拝啓") {
		t.Errorf("the Japanese letter: %q\n%s", m.Subject, m.Text)
	}
	if len(m.Attachments) == 0 || m.Attachments[0].ContentType != "application/pdf" || !strings.HasPrefix(string(m.Attachments[0].Data), "%PDF") {
		t.Errorf("the Japanese letter's attachments: %d", len(m.Attachments))
	}
	link := regexp.MustCompile(`http://\S+/ja/invitation/[A-Za-z0-9_-]+`).FindString(m.Text)
	if link == "" {
		t.Fatalf("no personal link in %s", m.Text)
	}

	// The personal link opens the delegation's form of Kanazawa.
	contact := tab(t)
	do(t, contact, chromedp.Navigate(link))
	checkAccessibility(t, contact, "/ja/invitation/…")
	click(t, contact, "#invitation-register")
	if got, want := path(t, contact), fmt.Sprintf("/ja/events/%d/delegation?org=jp-172014", ev.ID); got != want {
		t.Fatalf("after register: at %s, want %s", got, want)
	}
	if got := get(t, contact, chromedp.Text(chromedp.CSS(".lead"))); !strings.Contains(got, "金沢市") {
		t.Errorf("the delegation form is for %q", got)
	}
	row := fmt.Sprintf(`tr[data-email=%q]`, ja.Email)
	do(t, staff, chromedp.Navigate(baseURL+campaignPath))
	if got := get(t, staff, chromedp.Text(chromedp.CSS(row+" td.answer"))); !strings.Contains(got, "Lien ouvert le") {
		t.Errorf("the campaign does not show the link opened: %q", got)
	}

	// A registration makes the recipient registered.
	do(t, contact, chromedp.SendKeys(chromedp.ID("given_name"), "Aoi"), chromedp.SendKeys(chromedp.ID("family_name"), "Takahashi"),
		chromedp.SendKeys(chromedp.ID("family_name_ja"), "高橋"), chromedp.SendKeys(chromedp.ID("given_name_ja"), "葵"),
		chromedp.SendKeys(chromedp.ID("email"), ja.Email))
	click(t, contact, `#person-form button[type="submit"]`)
	do(t, staff, chromedp.Navigate(baseURL+campaignPath))
	if got := get(t, staff, chromedp.Text(chromedp.CSS(row+" td.state"))); !strings.Contains(got, "Délégation inscrite") {
		t.Errorf("after the registration the recipient is %q", got)
	}
	click(t, staff, `.state-counts a[href$="state=registered#recipients"]`)
	if got := get(t, staff, chromedp.Text(chromedp.ID("recipients"))); !strings.Contains(got, "高橋 葵") || strings.Contains(got, "Léa ROUSSEAU") {
		t.Errorf("the registered recipients: %q", got)
	}

	// In Japanese, and at a phone's width.
	do(t, staff, chromedp.Navigate(baseURL+"/ja"+strings.TrimPrefix(campaignPath, "/fr")))
	checkAccessibility(t, staff, "/ja/campaigns/… (sent)")
	do(t, staff, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	for _, p := range []string{"/ja" + strings.TrimPrefix(campaignPath, "/fr"), "/fr/manage/campaigns"} {
		do(t, staff, chromedp.Navigate(baseURL+p))
		if over := get(t, staff, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); over > 0 {
			t.Errorf("%s scrolls sideways by %dpx at 360px wide", p, over)
		}
	}
}
