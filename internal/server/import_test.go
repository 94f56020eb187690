package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

func multipartFile(t *testing.T, name string, data []byte, fields ...string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	for i := 0; i+1 < len(fields); i += 2 {
		w.WriteField(fields[i], fields[i+1])
	}
	w.Close()
	return &b, w.FormDataContentType()
}

func encodeAs(t *testing.T, s string, sjis bool) []byte {
	t.Helper()
	enc := charmap.Windows1252.NewEncoder()
	if sjis {
		enc = japanese.ShiftJIS.NewEncoder()
	}
	b, err := enc.Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The secretariat uploads a Shift_JIS list, corrects a column the headers
// did not name, resolves the ambiguous row, and confirms; nothing is
// written before, and the same file again changes nothing.
func TestImportPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		cookie := f.session(t, rencontres.Secretariat)
		do := func(req *http.Request) (*http.Response, string) {
			t.Helper()
			req.AddCookie(cookie)
			resp, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return resp, string(b)
		}
		upload := func(name string, data []byte) (*http.Response, string) {
			body, ct := multipartFile(t, name, data)
			req, _ := http.NewRequest("POST", f.srv.URL+"/fr/manage/import", body)
			req.Header.Set("Content-Type", ct)
			return do(req)
		}
		post := func(path string, form url.Values) (*http.Response, string) {
			req, _ := http.NewRequest("POST", f.srv.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return do(req)
		}

		// Not a spreadsheet: said on the form, nothing kept.
		resp, body := upload("logo.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
		if resp.StatusCode != 422 || !strings.Contains(body, "Ligne 3, colonne A\u00a0: Ce fichier n’est ni un CSV ni un classeur Excel") {
			t.Fatalf("a PNG: %d %s", resp.StatusCode, body)
		}

		file := encodeAs(t, "自治体名,氏名,連絡先,役職\r\n熊本市,熊本 花子,hanako@example.org,国際交流課長\r\n熊本,熊本 太郎,taro@example.org,主査\r\n", true)
		resp, _ = upload("担当者.csv", file)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d", resp.StatusCode)
		}
		page := resp.Header.Get("Location")
		req, _ := http.NewRequest("GET", f.srv.URL+page, nil)
		resp, body = do(req)
		if resp.StatusCode != 200 || !strings.Contains(body, "Shift_JIS") || !strings.Contains(body, "Il manque une colonne «\u00a0Courriel\u00a0»") &&
			!strings.Contains(body, "il manque une colonne «\u00a0Courriel\u00a0»") {
			t.Fatalf("preview without an email column: %d %s", resp.StatusCode, body)
		}
		// The third column is the email: corrected, the preview has an
		// ambiguous row, and confirming is refused until it is resolved.
		form := url.Values{"map.0": {"organisation"}, "map.1": {"name_ja"}, "map.2": {"email"}, "map.3": {"function"}, "action": {"confirm"}}
		resp, body = post(page, form)
		if resp.StatusCode != 422 || !strings.Contains(body, `id="choice-3"`) || !strings.Contains(body, "Rien ne sera écrit") {
			t.Fatalf("confirm with an ambiguous row: %d %s", resp.StatusCode, body)
		}
		if _, err := st.UserByEmail(context.Background(), "hanako@example.org"); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Fatalf("written before confirmation: %v", err)
		}
		form.Set("choice.3", "jp-430005")
		resp, _ = post(page, form)
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "created=2") {
			t.Fatalf("confirm: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		taro, err := st.UserByEmail(context.Background(), "taro@example.org")
		if err != nil || taro.NameJa != "熊本 太郎" || taro.Function != "主査" || len(taro.OrgKeys) != 1 || taro.OrgKeys[0] != "jp-430005" {
			t.Fatalf("imported contact %+v, %v", taro, err)
		}
		// The file is gone once imported.
		req, _ = http.NewRequest("GET", f.srv.URL+page, nil)
		if resp, _ = do(req); resp.StatusCode != 404 {
			t.Errorf("the imported file is still there: %d", resp.StatusCode)
		}
		// The same file again: all unchanged, the ambiguous row settled by
		// the contact's authority.
		resp, _ = upload("担当者.csv", file)
		page = resp.Header.Get("Location")
		delete(form, "choice.3")
		resp, body = post(page, form)
		if resp.StatusCode != 200 || !strings.Contains(body, `id="count-unchanged">2<`) || !strings.Contains(body, "Rien à écrire") {
			t.Fatalf("the same file again: %d %s", resp.StatusCode, body)
		}
		// Another member of the secretariat cannot read someone's upload.
		other := &rencontres.User{Email: "autre@example.org", Name: "Autre", Lang: "fr", Role: rencontres.Secretariat}
		if err := st.CreateUser(context.Background(), other, ""); err != nil {
			t.Fatal(err)
		}
		f.users[rencontres.Secretariat] = other
		cookie = f.session(t, rencontres.Secretariat)
		req, _ = http.NewRequest("GET", f.srv.URL+page, nil)
		if resp, _ = do(req); resp.StatusCode != 404 {
			t.Errorf("another person's upload: %d", resp.StatusCode)
		}
	})
}

// The API's dry run returns the preview as documented; a write with an
// ambiguous row is refused with every problem; the confirmation with the
// choice writes.
func TestImportAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := newSchemaClient(t, f)
		file := encodeAs(t, "Collectivité;Civilité;Nom;Courriel;Fonction\r\n"+
			"Ville d’Aix-en-Provence;Mme;Hélène FÉVRIER;helene@example.org;Chargée de mission\r\n"+
			"Kumamoto;M.;Kenji MORI;kenji@example.org;\r\n", false)
		send := func(status int, fields ...string) map[string]any {
			body, ct := multipartFile(t, "contacts.csv", file, fields...)
			req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/imports?lang=fr", body)
			req.Header.Set("Content-Type", ct)
			return c.do(req, status)
		}
		pv := send(200, "dry_run", "true")
		if pv["encoding"] != "Windows-1252" || pv["separator"] != ";" || pv["ready"] != false {
			t.Fatalf("dry run %v", pv)
		}
		id, _ := pv["id"].(string)
		refused := send(400)
		errs, _ := refused["error"].(map[string]any)["errors"].([]any)
		msg := ""
		if len(errs) == 1 {
			msg, _ = errs[0].(map[string]any)["message"].(string)
		} else if e, ok := refused["error"].(map[string]any); ok {
			msg, _ = e["message"].(string)
		}
		if !strings.Contains(msg, "Ligne 3") || !strings.Contains(msg, "plusieurs collectivités") {
			t.Errorf("a write with an ambiguous row: %v", refused)
		}
		if _, err := st.UserByEmail(context.Background(), "helene@example.org"); err == nil {
			t.Fatal("a refused import wrote a contact")
		}
		res := c.check("POST", "/api/v1/imports/"+id+"/confirm", map[string]any{"choices": map[string]string{"3": "jp-431001"}}, 200)
		if res["created"] != float64(2) {
			t.Fatalf("confirm: %v", res)
		}
		helene, err := st.UserByEmail(context.Background(), "helene@example.org")
		if err != nil || helene.Civility != "mme" || helene.Name != "Hélène FÉVRIER" || helene.OrgKeys[0] != "fr-13001" {
			t.Fatalf("imported %+v %v", helene, err)
		}
		c.check("POST", "/api/v1/imports/"+id+"/confirm", map[string]any{}, 404)
		var again map[string]any
		b, _ := json.Marshal(send(200, "dry_run", "true"))
		json.Unmarshal(b, &again)
		if counts := again["counts"].(map[string]any); counts["unchanged"] != float64(2) {
			t.Errorf("the same file again: %v", counts)
		}
	})
}

// The directory exported with its contacts, by the API (stable keys) and
// by the page (headings in the reader's language, .xlsx), imports again
// with nothing to change.
func TestDirectoryExportImportsUnchanged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		// A contact with every field, two authorities, one the main one.
		u := &rencontres.User{Email: "m.dupont@example.org", Civility: "mme", Name: "Marie DUPONT", NameJa: "マリー・デュポン", Kana: "まりー でゅぽん",
			Function: "Chargée de mission", Service: "Relations internationales", AddressForm: "Madame la Chargée de mission",
			PostalAddress: "Hôtel de ville\n13100 Aix-en-Provence", Phone: "+33 4 42 00 00 00", Lang: "fr", Role: rencontres.AuthorityContact}
		if err := st.InviteUser(ctx, u, "fr-13001"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.ImportContacts(ctx, nil, "t", []rencontres.ContactImport{{Contact: *u, OrgKey: "jp-431001", MainContact: true}}); err != nil {
			t.Fatal(err)
		}
		c := newSchemaClient(t, f)
		for _, tc := range []struct{ path, format string }{{"/api/v1/organisations?format=csv", "csv"}, {"/fr/organisations?format=xlsx", "xlsx"}, {"/ja/organisations?format=csv&country=JP", "csv"}} {
			req, _ := http.NewRequest("GET", f.srv.URL+tc.path, nil)
			if strings.HasPrefix(tc.path, "/api/") {
				req.Header.Set("Authorization", "Bearer "+c.token)
			} else {
				req.AddCookie(f.session(t, rencontres.Secretariat))
			}
			resp, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			file, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !bytes.Contains(file, []byte("PK")) && !bytes.Contains(file, []byte("m.dupont@example.org")) {
				t.Fatalf("%s: %d %.300s", tc.path, resp.StatusCode, file)
			}
			if tc.format == "csv" && !bytes.HasPrefix(file, []byte("\xEF\xBB\xBF")) {
				t.Errorf("%s: no byte-order mark", tc.path)
			}
			body, ct := multipartFile(t, "directory."+tc.format, file, "dry_run", "true")
			req, _ = http.NewRequest("POST", f.srv.URL+"/api/v1/imports", body)
			req.Header.Set("Content-Type", ct)
			pv := c.do(req, 200)
			counts, _ := pv["counts"].(map[string]any)
			if counts["created"] != nil || counts["updated"] != nil || counts["refused"] != nil || counts["ambiguous"] != nil || counts["unchanged"] == nil {
				t.Errorf("%s imported again: %v %v", tc.path, counts, pv["messages"])
			}
		}
		// The public's export has no contacts.
		resp, err := noFollow.Get(f.srv.URL + "/fr/organisations?format=csv")
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body := string(raw)
		if resp.StatusCode != 200 || strings.Contains(body, "@example.org") || !strings.Contains(body, "Identifiant,Code officiel,Collectivité") {
			t.Errorf("public export: %d %.300s", resp.StatusCode, body)
		}
	})
}
