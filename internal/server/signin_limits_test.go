package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// signInClient is a browser connecting from its own loopback address
// (127.0.0.0/8 is all the machine's), so that the server sees each test
// client as a different IP, as it would different people.
type signInClient struct {
	t   *testing.T
	srv string
	c   *http.Client
}

func clientFrom(t *testing.T, f *fixture, ip string) *signInClient {
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &signInClient{t: t, srv: f.srv.URL, c: &http.Client{Jar: jar, Transport: &http.Transport{DialContext: d.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *signInClient) post(path string, form url.Values) (int, string) {
	c.t.Helper()
	resp, err := c.c.PostForm(c.srv+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (c *signInClient) password(email, pw string) (int, string) {
	c.t.Helper()
	return c.post("/fr/login", url.Values{"email": {email}, "password": {pw}})
}

const rightPassword = "un mot de passe solide"

func withPassword(t *testing.T, f *fixture) string {
	t.Helper()
	hash, _ := auth.HashPassword(rightPassword)
	u := f.users[rencontres.Secretariat]
	if err := f.st.SetPassword(context.Background(), u.ID, hash); err != nil {
		t.Fatal(err)
	}
	return u.Email
}

// Five wrong passwords from one IP slow that address's password sign-in
// down, and never keep its owner, elsewhere, from signing in by link; a
// stranger asking links for the address does not either.
func TestWrongPasswordsDoNotLockTheOwnerOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		email := withPassword(t, f)
		stranger := clientFrom(t, f, "127.0.0.2")
		for i := range auth.LimitPerEmail {
			if status, _ := stranger.password(email, "pas le bon mot de passe"); status != http.StatusUnauthorized {
				t.Fatalf("wrong password %d: %d, want 401", i+1, status)
			}
		}
		if status, body := stranger.password(email, "pas le bon mot de passe"); status != http.StatusTooManyRequests ||
			!strings.Contains(body, "Trop de mots de passe erronés pour cette adresse.") {
			t.Errorf("sixth wrong password: %d, want 429 saying why", status)
		}
		for range auth.LimitLinksPerEmail {
			stranger.post("/fr/login/link", url.Values{"email": {email}})
		}
		if status, _ := stranger.post("/fr/login/link", url.Values{"email": {email}}); status != http.StatusTooManyRequests {
			t.Errorf("a sixth link for one address from one client: %d, want 429", status)
		}

		owner := clientFrom(t, f, "127.0.0.3")
		if status, body := owner.password(email, rightPassword); status != http.StatusTooManyRequests || !strings.Contains(body, "Demandez un lien de connexion") {
			t.Errorf("the owner's password while paused: %d, want 429 pointing to the link", status)
		}
		if status, body := owner.post("/fr/login/link", url.Values{"email": {email}}); status != http.StatusOK || strings.Contains(body, "Trop de") {
			t.Fatalf("the owner's link request: %d", status)
		}
		msgs, err := f.sent(t)
		if err != nil {
			t.Fatal(err)
		}
		var link string
		for _, m := range msgs {
			link = linkRE.FindString(m.Text)
		}
		if link == "" {
			t.Fatalf("no sign-in link among %d emails", len(msgs))
		}
		path := strings.TrimPrefix(link, f.srv.URL)
		if status, _ := owner.post(path, nil); status != http.StatusSeeOther {
			t.Fatalf("the owner's link: %d, want 303", status)
		}
		resp, err := owner.c.Get(f.srv.URL + "/fr/account")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), email) {
			t.Errorf("the owner's account page after the link: %d", resp.StatusCode)
		}
	})
}

// Right passwords count nowhere: the secretariat signs in as often as it
// likes, and wrong ones still pause the address after five.
func TestSuccessfulSignInsDoNotCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		email := withPassword(t, f)
		c := clientFrom(t, f, "127.0.0.4")
		for i := range 2 * auth.LimitPerEmail {
			if status, _ := c.password(email, rightPassword); status != http.StatusSeeOther {
				t.Fatalf("right password %d: %d, want 303", i+1, status)
			}
		}
		for i := range auth.LimitPerEmail {
			if status, _ := c.password(email, "encore faux encore faux"); status != http.StatusUnauthorized {
				t.Fatalf("wrong password %d after right ones: %d, want 401", i+1, status)
			}
		}
		if status, _ := c.password(email, rightPassword); status != http.StatusTooManyRequests {
			t.Errorf("password after five wrong ones: %d, want 429", status)
		}
	})
}

// The limit per client holds across addresses: thirty wrong passwords
// from one IP, each for another address, stop that IP, and only it.
func TestLimitPerClientHolds(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	email := withPassword(t, f)
	guesser := clientFrom(t, f, "127.0.0.5")
	for i := range auth.LimitPerIP {
		if status, _ := guesser.password("personne"+strings.Repeat("x", i)+"@example.org", "pas le bon mot de passe"); status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d, want 401", i+1, status)
		}
	}
	if status, body := guesser.password(email, rightPassword); status != http.StatusTooManyRequests || !strings.Contains(body, "Trop de tentatives.") {
		t.Errorf("one more attempt from the same IP: %d, want 429", status)
	}
	if status, _ := clientFrom(t, f, "127.0.0.6").password(email, rightPassword); status != http.StatusSeeOther {
		t.Errorf("the owner from another IP: %d, want 303", status)
	}
}
