package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A participant's own page and feed: Nadia Bensaïd, registered for the
// 7th edition in the demo, sees her page; someone not registered gets
// 404. Her feed's address works once made, lists her sessions, and stops
// (404, nothing said) once renewed or revoked.
func TestParticipantPageAndFeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		u := &rencontres.User{Email: "n.bensaid@example.org", Name: "Nadia BENSAÏD", Lang: rencontres.French, Role: rencontres.Participant}
		if err := st.InviteUser(ctx, u, ""); err != nil {
			t.Fatal(err)
		}
		tok, hash := auth.NewSessionToken()
		if err := st.CreateSession(ctx, hash, u.ID, time.Now(), time.Now().Add(time.Hour), "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		nadia := &http.Cookie{Name: auth.CookieName, Value: tok}
		do := func(method, path string, c *http.Cookie) (int, string, http.Header) {
			t.Helper()
			req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(url.Values{}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if c != nil {
				req.AddCookie(c)
			}
			resp, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b), resp.Header
		}
		page := fmt.Sprintf("/fr/me/events/%d", f.edition)
		code, body, _ := do("GET", page, nadia)
		if code != 200 {
			t.Fatalf("her page: %d", code)
		}
		for _, want := range []string{`id="badge-qr" src="data:image/png;base64,`, "Votre place est confirmée.", "Visite", `id="venue`} {
			if !strings.Contains(body, want) {
				t.Errorf("her page lacks %q", want)
			}
		}
		if code, body, _ := do("GET", "/fr/account", nadia); code != 200 || !strings.Contains(body, `href="`+page+`"`) {
			t.Errorf("her account page does not link her page (%d)", code)
		}
		// Someone signed in but not registered: 404; another event: 404.
		if code, _, _ := do("GET", page, f.session(t, rencontres.Participant)); code != 404 {
			t.Errorf("someone not registered: %d, want 404", code)
		}
		if code, _, _ := do("GET", fmt.Sprintf("/fr/me/events/%d", f.edition+100000), nadia); code != 404 {
			t.Errorf("an unknown event: %d, want 404", code)
		}

		// The same through the API, with her session.
		if code, body, _ := do("GET", fmt.Sprintf("/api/v1/me/events/%d", f.edition), nadia); code != 200 ||
			strings.Count(body, `"kind":"session"`) != 2 || !strings.Contains(body, "/checkin?code=") {
			t.Errorf("her view through the API: %d %s", code, body)
		}
		if code, body, _ := do("GET", "/api/v1/me/events", nadia); code != 200 || !strings.Contains(body, "n.bensaid@example.org") {
			t.Errorf("her events through the API: %d %s", code, body)
		}
		if code, _, _ := do("GET", fmt.Sprintf("/api/v1/me/events/%d", f.edition), f.session(t, rencontres.Participant)); code != 404 {
			t.Errorf("someone not registered, through the API: %d, want 404", code)
		}

		feedURL := regexp.MustCompile(`<code id="feed-url">([^<]+)</code>`)
		renew := func() string {
			t.Helper()
			code, body, _ := do("POST", page+"/feed", nadia)
			m := feedURL.FindStringSubmatch(body)
			if code != 200 || m == nil {
				t.Fatalf("making the feed: %d", code)
			}
			u, err := url.Parse(m[1])
			if err != nil {
				t.Fatal(err)
			}
			return u.Path
		}
		first := renew()
		code, ics, h := do("GET", first, nil)
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/calendar") {
			t.Fatalf("the feed: %d %s", code, h.Get("Content-Type"))
		}
		// Her two sessions, and her authority's meetings in the demo's
		// provisional schedule.
		regs, err := st.Registrations(ctx, rencontres.RegistrationFilter{EventID: f.edition})
		if err != nil {
			t.Fatal(err)
		}
		var meetings []*rencontres.Meeting
		for _, r := range regs {
			if r.Email == "n.bensaid@example.org" {
				meetings, _ = st.MeetingsOf(ctx, f.edition, r.OrgKey)
			}
		}
		if !strings.Contains(ics, "BEGIN:VEVENT") || !strings.Contains(ics, "TZID=") || strings.Count(ics, "BEGIN:VEVENT") != 2+len(meetings) {
			t.Errorf("the feed does not list her two sessions and %d meetings:\n%s", len(meetings), ics)
		}
		// The page now says a feed is active, without showing it again.
		if _, body, _ := do("GET", page, nadia); !strings.Contains(body, `id="feed-state"`) || strings.Contains(body, first) {
			t.Errorf("the page after the feed was made shows it again, or not its state")
		}
		second := renew()
		if code, _, _ := do("GET", first, nil); code != 404 {
			t.Errorf("the renewed feed: %d, want 404", code)
		}
		if code, _, _ := do("GET", second, nil); code != 200 {
			t.Errorf("the new feed: %d", code)
		}
		if code, _, _ := do("POST", page+"/feed/revoke", nadia); code != 303 {
			t.Errorf("revoking: %d", code)
		}
		code, body, _ = do("GET", second, nil)
		if code != 404 || strings.Contains(body, "revoked") || strings.Contains(body, "révoqu") {
			t.Errorf("the revoked feed: %d, and it must not say why", code)
		}
		for _, bad := range []string{"/fr/feeds/not-a-token/calendar.ics", "/fr/feeds/" + strings.Repeat("A", 43) + "/calendar.ics"} {
			if code, _, _ := do("GET", bad, nil); code != 404 {
				t.Errorf("%s: %d, want 404", bad, code)
			}
		}
		// Someone else cannot make a feed of her event.
		if code, _, _ := do("POST", page+"/feed", f.session(t, rencontres.Participant)); code != 404 {
			t.Errorf("a stranger making a feed: %d, want 404", code)
		}
	})
}
