package server

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
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
		// A form with a file, read by its page or route under its own
		// limit: its text fields too.
		upload := func(title string) ([]byte, string) {
			var buf bytes.Buffer
			w := multipart.NewWriter(&buf)
			part, _ := w.CreateFormFile("file", "ordre-du-jour.pdf")
			part.Write(pdfBytes)
			w.WriteField("title_fr", title)
			w.Close()
			return buf.Bytes(), w.FormDataContentType()
		}
		var meeting int64 // a committee's meeting, whose page has the documents' form
		if err := st.DB().QueryRowContext(context.Background(), "SELECT id FROM events WHERE kind = 'committee_meeting' ORDER BY id LIMIT 1").Scan(&meeting); err != nil {
			t.Fatal(err)
		}
		docs := func() int {
			var n int
			if err := st.DB().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM documents WHERE event_id = $1", meeting).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := docs()
		for path, want := range map[string]string{
			fmt.Sprintf("/api/v1/events/%d/documents?lang=fr", meeting): `"field":"title_fr"`,
			fmt.Sprintf("/fr/events/%d/documents", meeting):             "«\u00a0Titre du document\u00a0» contient un caractère nul",
		} {
			body, kind := upload("Ordre\x00du jour")
			code, b, _ := f.call(t, sec, "POST", path, body, "Content-Type", kind)
			if code != 400 || !strings.Contains(string(b), want) {
				t.Errorf("POST %s with a NUL in a field of its multipart form: %d %.400s, want 400 saying %q", path, code, b, want)
			}
		}
		if n := docs(); n != before {
			t.Errorf("refused uploads saved %d document(s)", n-before)
		}
		body, kind := upload("Ordre du jour")
		if code, b, _ := f.call(t, sec, "POST", fmt.Sprintf("/api/v1/events/%d/documents", meeting), body, "Content-Type", kind); code != 201 {
			t.Errorf("the same upload without the NUL: %d %.400s", code, b)
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
