package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A NUL character (%00, \u0000), which PostgreSQL's text cannot hold, is
// refused wherever it comes from, naming where, in the reader's language:
// a query string on a page or through the API, a form, a JSON body. On
// PostgreSQL each of these answered 500 before. An escaped backslash
// followed by u0000 is text like any other.
func TestNulRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec := rencontres.Secretariat
		for _, c := range []struct {
			method, path string
			body         any
			header       []string
			want         string
		}{
			{"GET", "/api/v1/organisations?q=ai%00x&lang=fr", nil, nil, `"field":"q"`},
			{"GET", fmt.Sprintf("/api/v1/events/%d/registrations?q=%%00&lang=fr", f.edition), nil, nil, `"field":"q"`},
			{"GET", "/fr/organisations?q=ai%00x", nil, nil, "«\u00a0q\u00a0» contient un caractère nul"},
			{"GET", fmt.Sprintf("/ja/events/%d/registrations?q=%%00", f.edition), nil, nil, "パラメータ「q」にヌル文字が含まれています"},
			{"POST", "/fr/admin/people", []byte("email=nul%40example.org&name=A%00B&role=participant&lang=fr"),
				[]string{"Content-Type", "application/x-www-form-urlencoded"}, "«\u00a0Nom\u00a0» contient un caractère nul"},
			{"POST", fmt.Sprintf("/api/v1/events/%d/registrations?lang=fr", f.edition),
				map[string]any{"organisation": "fr-54395", "given_name": "Pau\x00line", "family_name": "Renard", "email": "pauline.renard@example.org", "lang": "fr"},
				nil, "Le corps JSON contient un caractère nul"},
		} {
			code, b, _ := f.call(t, sec, c.method, c.path, c.body, c.header...)
			if code != 400 || !strings.Contains(string(b), c.want) {
				t.Errorf("%s %s: %d %.400s, want 400 saying %q", c.method, c.path, code, b, c.want)
			}
		}
		regs, err := st.Registrations(context.Background(), rencontres.RegistrationFilter{EventID: f.edition, Query: "renard"})
		if err != nil || len(regs) != 0 {
			t.Errorf("a refused body saved %d registration(s) (%v)", len(regs), err)
		}
		// The escape written as text: read, and refused only for what it is.
		code, b, _ := f.call(t, sec, "POST", fmt.Sprintf("/api/v1/events/%d/registrations?lang=fr", f.edition),
			[]byte(`{"organisation":"fr-54395","given_name":"Pau\\u0000line","family_name":"","email":"pauline.renard@example.org","lang":"fr"}`))
		if code != 400 || !strings.Contains(string(b), `"field":"family_name"`) || strings.Contains(string(b), "nul") {
			t.Errorf("an escaped backslash: %d %.400s", code, b)
		}
	})
}
