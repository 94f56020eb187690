package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The secretariat writes to the people registered for the 7th edition's
// economy workshop (three French, two Japanese), through a real SMTP
// server: each letter in its reader's language, with the link to their own
// page. Nadia Bensaïd follows it on her phone (360 px): she signs in by a
// link sent to her address, finds the edition on her account page and
// sees her seat, her badge's QR code, her sessions and the venue; axe-core
// finds nothing serious on her page, nor on Kenji Mori's in Japanese.
func TestCampaignToRegisteredPeopleAndTheirPage(t *testing.T) {
	smtp := freshMailing(t)
	bg := context.Background()
	ed := seventh(t)
	regs, err := srv.Store.Registrations(bg, rencontres.RegistrationFilter{EventID: ed.ID, Query: "bensaid"})
	if err != nil || len(regs) != 1 || len(regs[0].Choices) == 0 {
		t.Fatalf("Nadia Bensaïd's registration: %v, %v", regs, err)
	}
	eco := regs[0].Choices[0].SessionID
	staff := signedIn(t, &rencontres.User{Email: "courrier@example.org", Name: "Sophie LEROY", Lang: rencontres.French, Role: rencontres.Secretariat}, "")

	// A new campaign of the edition, to the economy workshop's people.
	do(t, staff, chromedp.Navigate(fmt.Sprintf("%s/fr/manage/campaigns?event=%d", baseURL, ed.ID)))
	do(t, staff, chromedp.SendKeys(chromedp.ID("name"), "Changement de salle de l’atelier économie"))
	click(t, staff, `form[action="/fr/manage/campaigns"] button`)
	page := path(t, staff)
	campaignPath := page[:strings.IndexByte(page+"?", '?')]
	// A session that is not the event's is refused next to the box.
	do(t, staff, chromedp.Click(chromedp.ID("registrants")), setText("reg_countries", "FR, QQ"))
	click(t, staff, "#campaign-save")
	if got := get(t, staff, chromedp.Text(chromedp.ID("registrants-error"))); !strings.Contains(got, "QQ") {
		t.Errorf("the refusal of an unknown country: %q", got)
	}
	checkAccessibility(t, staff, campaignPath+" (refused)")
	do(t, staff, setText("reg_countries", ""), chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="reg_sessions"][value="%d"]`, eco))))
	do(t, staff, setText("fr_subject", "Changement de salle"), setText("fr_body", "L’atelier économie change de salle. Votre page : {{link}}"),
		setText("ja_subject", "会場変更のお知らせ"), setText("ja_body", "経済分科会の会場が変更になりました。個人ページ：{{link}}"),
		setText("en_subject", ""), setText("en_body", ""))
	click(t, staff, "#campaign-save")
	if got := get(t, staff, chromedp.Text(chromedp.ID("recipients"))); !strings.Contains(got, "n.bensaid@example.org") || !strings.Contains(got, "k.mori@example.org") ||
		strings.Contains(got, "t.giraud@example.org") {
		t.Fatalf("the recipients: %q", got)
	}
	if !get(t, staff, chromedp.Evaluate[bool](`document.getElementById('registrants').checked`)) {
		t.Error("the box of registered people is not ticked after saving")
	}
	checkAccessibility(t, staff, campaignPath)
	do(t, staff, chromedp.Click(chromedp.ID("confirm_past")))
	click(t, staff, "#campaign-send")
	if got := path(t, staff); got != campaignPath+"?done=sent" {
		t.Fatalf("after sending: at %s", got)
	}

	// Five letters through SMTP, each in its reader's language, with the
	// link to their page.
	letters := waitSMTP(t, smtp, func(m *mail.Received) bool { return m.Header.Get("X-Rencontres-Kind") == "campaign-letter" }, 5)
	if len(letters) != 5 {
		t.Fatalf("%d letters through SMTP, want 5", len(letters))
	}
	var nadiaLink string
	for _, m := range letters {
		want := fmt.Sprintf("/fr/me/events/%d", ed.ID)
		if m.To[0].Email == "k.mori@example.org" || m.To[0].Email == "a.nakamura@example.org" {
			want = fmt.Sprintf("/ja/me/events/%d", ed.ID)
			if !strings.Contains(m.Text, "会場が変更") {
				t.Errorf("the letter to %s is not in Japanese: %s", m.To[0].Email, m.Text)
			}
		} else if !strings.Contains(m.Text, "change de salle") {
			t.Errorf("the letter to %s is not in French: %s", m.To[0].Email, m.Text)
		}
		link := regexp.MustCompile(`http://\S+/me/events/\d+`).FindString(m.Text)
		if !strings.HasSuffix(link, want) {
			t.Errorf("the letter to %s links %q, want …%s", m.To[0].Email, link, want)
		}
		if m.To[0].Email == "n.bensaid@example.org" {
			nadiaLink = link
		}
	}
	do(t, staff, chromedp.Navigate(baseURL+campaignPath))
	if got := get(t, staff, chromedp.Text(chromedp.ID("recipients"))); strings.Contains(got, "Délégation inscrite") {
		t.Errorf("a registered person's letter is counted as their delegation's answer: %q", got)
	}

	// Nadia, on her phone, follows the link: asked to sign in, she gets a
	// link by email, uses it, and finds the edition on her account page.
	phone := tab(t)
	// She is travelling: her phone keeps New York's time.
	if _, err := chromedp.Call(phone, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/New_York"}); err != nil {
		t.Fatal(err)
	}
	do(t, phone, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile), chromedp.Navigate(nadiaLink))
	if got := path(t, phone); !strings.HasPrefix(got, "/fr/login?next=") {
		t.Fatalf("the link, signed out: at %s", got)
	}
	do(t, phone, chromedp.SendKeys(chromedp.ID("link-email"), "n.bensaid@example.org"))
	click(t, phone, `form[action="/fr/login/link"] button`)
	signIn := waitSMTP(t, smtp, func(m *mail.Received) bool {
		return m.To[0].Email == "n.bensaid@example.org" && strings.Contains(m.Text, "/login/link/")
	}, 1)
	if len(signIn) == 0 {
		t.Fatal("no sign-in link for Nadia")
	}
	do(t, phone, chromedp.Navigate(regexp.MustCompile(`http://\S+/login/link/\S+`).FindString(signIn[0].Text)))
	click(t, phone, "#use-link")
	if got := path(t, phone); got != "/fr/account" {
		t.Fatalf("after signing in: at %s", got)
	}
	mine := fmt.Sprintf("/fr/me/events/%d", ed.ID)
	click(t, phone, fmt.Sprintf(`#my-events a[href=%q]`, mine))
	if got := path(t, phone); got != mine {
		t.Fatalf("from her account: at %s", got)
	}
	if got := get(t, phone, chromedp.Text(chromedp.ID("seat-status"))); !strings.Contains(got, "confirmée") {
		t.Errorf("her seat: %q", got)
	}
	if w := get(t, phone, chromedp.Evaluate[int](`document.getElementById('badge-qr').naturalWidth`)); w < 100 {
		t.Errorf("the QR code is not shown (%d px)", w)
	}
	if got := get(t, phone, chromedp.Text(chromedp.ID("choices"))); strings.Count(got, "—") != 2 {
		t.Errorf("her two sessions: %q", got)
	}
	if got := get(t, phone, chromedp.Text(chromedp.CSS(".me-programme li:first-child .device-time"))); !strings.Contains(got, "America/New_York") {
		t.Errorf("her programme on her phone's clock: %q", got)
	}
	if got := get(t, phone, chromedp.Text(chromedp.ID("venue"))); len(strings.TrimSpace(got)) < 20 {
		t.Errorf("the venue: %q", got)
	}
	if over := get(t, phone, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); over > 0 {
		t.Errorf("her page scrolls sideways by %dpx at 360px wide", over)
	}
	checkAccessibility(t, phone, mine)

	// Her calendar's address, made on the phone, shown once.
	click(t, phone, "#feed-renew")
	if got := get(t, phone, chromedp.Text(chromedp.ID("feed-url"))); !strings.Contains(got, "/feeds/") {
		t.Errorf("the feed's address: %q", got)
	}
	checkAccessibility(t, phone, mine+" (feed made)")

	// Kenji Mori's page, in Japanese, on the Tokyo clock as well.
	// The campaign gave him a participant's account.
	kenji := signedInAs(t, "k.mori@example.org")
	do(t, kenji, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile), chromedp.Navigate(fmt.Sprintf("%s/ja/me/events/%d", baseURL, ed.ID)))
	if got := get(t, kenji, chromedp.Text(chromedp.ID("programme"))); !strings.Contains(got, "日本時間") {
		t.Errorf("Kenji's programme is not also on his clock: %q", got)
	}
	checkAccessibility(t, kenji, "/ja/me/events/…")
}

// signedInAs opens a tab signed in as the account of an address.
func signedInAs(t *testing.T, email string) context.Context {
	t.Helper()
	u, err := srv.Store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	tok, hash := auth.NewSessionToken()
	if err := srv.Store.CreateSession(context.Background(), hash, u.ID, time.Now(), time.Now().Add(time.Hour), "127.0.0.1", "e2e"); err != nil {
		t.Fatal(err)
	}
	ctx := tab(t)
	host := strings.TrimPrefix(baseURL, "http://")
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: auth.CookieName, Value: tok,
		Domain: host[:strings.IndexByte(host, ':')], Path: "/"}); err != nil {
		t.Fatal(err)
	}
	return ctx
}
