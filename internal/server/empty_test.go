package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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

// emptyProduct starts a server on a database with nothing in it, as a new
// customer's first run without --demo, and returns it with a secretariat
// session cookie.
func emptyProduct(t *testing.T, st *store.Store) (*httptest.Server, *http.Cookie) {
	t.Helper()
	ctx := context.Background()
	p, err := build(st, Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p.handler)
	t.Cleanup(srv.Close)
	u := &rencontres.User{Email: "secretariat@example.org", Name: "Claire DUVAL", Lang: rencontres.French, Role: rencontres.Secretariat}
	if err := st.InviteUser(ctx, u, ""); err != nil {
		t.Fatal(err)
	}
	tok, hash := auth.NewSessionToken()
	if err := st.CreateSession(ctx, hash, u.ID, time.Now(), time.Now().Add(time.Hour), "127.0.0.1", "test"); err != nil {
		t.Fatal(err)
	}
	return srv, &http.Cookie{Name: auth.CookieName, Value: tok}
}

// fetch GETs path as the reader of cookie (nil: the public), without
// following redirects.
func fetch(t *testing.T, srv *httptest.Server, cookie *http.Cookie, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var hrefRE = regexp.MustCompile(`href="(/[^"]*)"`)

// links are the site's own links of a page, unescaped.
func links(body string) []string {
	var out []string
	for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
		out = append(out, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	return out
}

// The product with no data: the home page says what to do first, to the
// public and to the secretariat, in every language; the menu links to no
// series that does not exist; and no link of the home page leads to a 404
// or an error. Once a series is created, the menu lists it.
func TestEmptyProduct(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		srv, sec := emptyProduct(t, st)
		for _, reader := range []struct {
			name   string
			cookie *http.Cookie
			want   []string
		}{
			{"public", nil, []string{"Rien n’est encore publié", "Connectez-vous pour commencer"}},
			{"secretariat", sec, []string{"Pour commencer", "rencontres import", `href="/fr/manage/series/new"`, "Créez ensuite sa première édition"}},
		} {
			code, body := fetch(t, srv, reader.cookie, "/fr/")
			if code != 200 {
				t.Fatalf("%s: home page %d", reader.name, code)
			}
			for _, w := range reader.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: the empty home page does not say %q", reader.name, w)
				}
			}
			if strings.Contains(body, `href="/fr/series/`) {
				t.Errorf("%s: the menu links to a series that does not exist", reader.name)
			}
			for _, l := range links(body) {
				if code, _ := fetch(t, srv, reader.cookie, l); code == 404 || code >= 500 {
					t.Errorf("%s: link %s on the empty home page answers %d", reader.name, l, code)
				}
			}
			for _, lang := range []string{"ja", "en"} {
				if code, _ := fetch(t, srv, reader.cookie, "/"+lang+"/"); code != 200 {
					t.Errorf("%s: /%s/ answers %d", reader.name, lang, code)
				}
			}
		}
		// The secretariat's pages reached from there work on an empty
		// product too.
		for _, path := range []string{"/fr/manage/series", "/fr/manage/series/new", "/fr/manage/events/new", "/ja/manage/series/new"} {
			if code, _ := fetch(t, srv, sec, path); code != 200 {
				t.Errorf("%s on an empty product: %d", path, code)
			}
		}

		// The first series, created in the browser, appears in the menu.
		form := url.Values{"name_fr": {"Rencontres de l'action internationale des collectivités territoriales"}, "short_fr": {"RAICT"},
			"slug": {"raict"}, "rhythm": {"annual"}}
		req, _ := http.NewRequest("POST", srv.URL+"/fr/manage/series", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(sec)
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 303 {
			t.Fatalf("create the first series: %d", resp.StatusCode)
		}
		// (Signed in: the public's home page is kept a couple of seconds by
		// the micro-cache.)
		code, body := fetch(t, srv, sec, "/fr/")
		if code != 200 || !strings.Contains(body, `href="/fr/series/raict"`) || strings.Contains(body, "Rien n’est encore publié") {
			t.Errorf("after the first series, the home page (%d) does not link to it", code)
		}
		if code, _ := fetch(t, srv, nil, "/fr/series/raict"); code != 200 {
			t.Errorf("the new series' page: %d", code)
		}
	})
}
