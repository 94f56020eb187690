package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/contactimport"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// The import page reads a list of partnerships when told the file holds
// them: a refused row names its line and column and nothing is written;
// the preview writes nothing; the confirmation writes the new pact, then
// the file is gone.
func TestImportPartnershipsPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		upload := func(csv string) (int, string) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("kind", "partnerships")
			fw, _ := mw.CreateFormFile("file", "partenariats.csv")
			fw.Write([]byte(csv))
			mw.Close()
			code, _, h := f.call(t, rencontres.Secretariat, "POST", "/fr/manage/import", buf.Bytes(), "Content-Type", mw.FormDataContentType())
			return code, h.Get("Location")
		}
		if page := f.page(t, rencontres.Secretariat, "/fr/manage/import"); !strings.Contains(page, `name="kind" value="partnerships"`) {
			t.Error("the import page offers no choice of partnerships")
		}
		code, loc := upload("Identifiant A;Identifiant B;Type;Année de signature\njp-221007;fr-37261;traité;2024\n")
		if code != 303 || !strings.HasPrefix(loc, "/fr/manage/import/") {
			t.Fatalf("upload: %d %s", code, loc)
		}
		code, body, _ := f.post(t, loc, url.Values{"action": {"confirm"}})
		if code != 422 || !strings.Contains(body, "Ligne 2, colonne C") || !strings.Contains(body, "n’est pas un type d’accord") {
			t.Errorf("a refused row: %d", code)
		}
		code, loc = upload("Identifiant A;Identifiant B;Type;Année de signature\njp-221007;fr-37261;pacte_amitie;2024\njp-372013;fr-37261;jumelage;1988\n")
		if code != 303 {
			t.Fatalf("upload: %d", code)
		}
		code, b, _ := f.call(t, rencontres.Secretariat, "GET", loc, nil)
		if code != 200 || !strings.Contains(string(b), `id="count-created">1<`) || !strings.Contains(string(b), `id="count-unchanged">1<`) {
			t.Errorf("preview: %d %s", code, b)
		}
		if ps, _ := st.Partnerships(ctx, "jp-221007"); len(ps) != 0 {
			t.Fatalf("the preview wrote %d partnerships", len(ps))
		}
		code, _, h := f.post(t, loc, url.Values{"action": {"confirm"}})
		if code != 303 || h.Get("Location") != "/fr/manage/import?kind=partnerships&created=1&updated=0" {
			t.Fatalf("confirm: %d %s", code, h.Get("Location"))
		}
		if ps, _ := st.Partnerships(ctx, "jp-221007"); len(ps) != 1 || ps[0].Year != 2024 {
			t.Errorf("after confirming: %+v", ps)
		}
		if code, _, _ := f.call(t, rencontres.Secretariat, "GET", loc, nil); code != 404 {
			t.Errorf("the confirmed file is still there: %d", code)
		}

		// Given up: nothing written, the file gone at once.
		_, loc = upload("Identifiant A;Identifiant B;Type\njp-281000;fr-37261;jumelage\n")
		code, _, h = f.post(t, loc, url.Values{"action": {"cancel"}})
		if code != 303 || h.Get("Location") != "/fr/manage/import?cancelled=1" {
			t.Fatalf("cancel: %d %s", code, h.Get("Location"))
		}
		if code, _, _ := f.call(t, rencontres.Secretariat, "GET", loc, nil); code != 404 {
			t.Errorf("the cancelled file is still there: %d", code)
		}
		if ps, _ := st.Partnerships(ctx, "jp-281000"); len(ps) != 1 {
			t.Errorf("a cancelled import wrote: Kobe has %d partnerships", len(ps))
		}
		if page := f.page(t, rencontres.Secretariat, "/fr/manage/import?cancelled=1"); !strings.Contains(page, "Import abandonné") {
			t.Error("the import page does not say the import was given up")
		}
	})
}

// The hourly purge removes the files sent for import that waited longer
// than a day, with the expired rows, and leaves the recent ones.
func TestPurgeSweepsImportFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		up := &contactimport.Uploads{Dir: t.TempDir()}
		m := &Main{cfg: Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, Store: st, uploads: up}
		file, err := up.Save("liste.csv", 1, "contacts", []byte("a,b\n"))
		if err != nil {
			t.Fatal(err)
		}
		m.purgeOnce(context.Background(), time.Now())
		if _, err := up.Load(file.Token, 1); err != nil {
			t.Fatalf("the purge removed a file sent just now: %v", err)
		}
		m.purgeOnce(context.Background(), time.Now().Add(contactimport.DefaultTTL+time.Minute))
		if entries, _ := os.ReadDir(up.Dir); len(entries) != 0 {
			t.Errorf("%d files left a day later", len(entries))
		}
	})
}
