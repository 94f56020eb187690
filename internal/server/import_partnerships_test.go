package server

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/url"
	"strings"
	"testing"

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
	})
}
