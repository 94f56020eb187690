package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// partnershipOf finds the demo's partnership of an authority with another.
func partnershipOf(t *testing.T, st *store.Store, key, other string) *rencontres.Partnership {
	t.Helper()
	list, err := st.Partnerships(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.B == other {
			return p
		}
	}
	t.Fatalf("no partnership of %s with %s", key, other)
	return nil
}

func count(t *testing.T, st *store.Store) int {
	t.Helper()
	all, err := st.AllPartnerships(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(all)
}

// The secretariat's partnership form: every fault at once beside its
// field, the same pair and kind in the other order refused naming the one
// that exists, nothing saved by halves; then one created, shown on both
// authorities' public pages and in the public list, ended, and its signed
// agreement stored and served.
func TestPartnershipForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		before := count(t, st)
		code, body, _ := f.post(t, "/fr/manage/partnerships", url.Values{"a": {"Aix-en-Provence"}, "b": {"fr-13001"}, "kind": {"other"},
			"year": {"2010"}, "year_ended": {"2001"}, "state": {"active"}})
		if code != 400 {
			t.Errorf("bad partnership: %d, want 400", code)
		}
		for _, want := range []string{
			`id="b-error">Une collectivité ne peut pas être partenaire d’elle-même.`,
			"Donnez l’intitulé de l’accord dans «\u00a0Intitulé de l’accord\u00a0»",
			"«\u00a0Année de fin\u00a0»\u00a0: le partenariat ne peut pas finir en 2001, avant sa signature en 2010.",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the refused form does not show %q", want)
			}
		}
		code, body, _ = f.post(t, "/fr/manage/partnerships", url.Values{"a": {"jp-372013"}, "b": {"Tours (fr-37261)"}, "kind": {"jumelage"}, "year": {"2020"}})
		if code != 409 || !strings.Contains(body, "Takamatsu (<span lang=\"ja\">") && !strings.Contains(body, "Takamatsu et Tours sont déjà jumelées depuis 1988.") {
			t.Errorf("duplicate in the other order: %d, the message is not shown", code)
		}
		if _, body, _ := f.post(t, "/ja/manage/partnerships", url.Values{"a": {"jp-372013"}, "b": {"fr-37261"}, "kind": {"jumelage"}}); !strings.Contains(body, "高松市とトゥールは1988年から既に姉妹都市です。") {
			t.Error("the Japanese form does not name the existing twinning")
		}
		if n := count(t, st); n != before {
			t.Fatalf("refused partnerships were saved: %d, want %d", n, before)
		}

		code, _, h := f.post(t, "/fr/manage/partnerships", url.Values{"a": {"Aix-en-Provence (fr-13001)"}, "b": {"jp-221007"},
			"kind": {"pacte_amitie"}, "year": {"2024"}, "state": {"in_project"}, "note_fr": {"Signé lors des 8es Rencontres."}})
		if code != 303 || !strings.Contains(h.Get("Location"), "/edit?done=create") {
			t.Fatalf("create: %d %s", code, h.Get("Location"))
		}
		id := strings.Split(strings.TrimPrefix(h.Get("Location"), "/fr/manage/partnerships/"), "/")[0]
		for path, want := range map[string]string{
			"/fr/organisations/fr-13001":        `href="/fr/organisations/jp-221007">Shizuoka`,
			"/fr/organisations/jp-221007":       `href="/fr/organisations/fr-13001">Aix-en-Provence`,
			"/fr/partnerships?state=in_project": "pacte d’amitié",
		} {
			if code, b, _ := f.call(t, rencontres.Public, "GET", path, nil); code != 200 || !strings.Contains(string(b), want) {
				t.Errorf("GET %s: %d, lacks %q", path, code, want)
			}
		}
		if code, _, _ := f.post(t, "/fr/manage/partnerships/"+id+"/end", url.Values{"year_ended": {"2020"}}); code != 400 {
			t.Errorf("ended before signed: %d, want 400", code)
		}
		if code, _, _ := f.post(t, "/fr/manage/partnerships/"+id+"/end", url.Values{"year_ended": {"2026"}}); code != 303 {
			t.Errorf("end: %d", code)
		}
		n, _ := strconv.ParseInt(id, 10, 64)
		if p, err := st.Partnership(context.Background(), n); err != nil || p.State != rencontres.StateEnded || p.YearEnded != 2026 {
			t.Errorf("after the end: %+v, %v", p, err)
		}
		// The signed agreement: a file whose content is not what its name
		// says is refused; a PDF is stored and served as one.
		pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
		if code, _ := f.postFile(t, "/fr/manage/partnerships/"+id+"/agreement", "pacte.docx", pdf); code != 400 {
			t.Errorf("a PDF named .docx: %d, want 400", code)
		}
		if code, _ := f.postFile(t, "/fr/manage/partnerships/"+id+"/agreement", "pacte.pdf", pdf); code != 303 {
			t.Errorf("agreement upload: %d", code)
		}
		code, b, h := f.call(t, rencontres.Public, "GET", "/fr/partnerships/"+id+"/agreement", nil)
		if code != 200 || h.Get("Content-Type") != "application/pdf" || !bytes.Equal(b, pdf) {
			t.Errorf("agreement: %d %s", code, h.Get("Content-Type"))
		}
	})
}

// postFile sends a file in a multipart form, as the secretariat.
func (f *fixture) postFile(t *testing.T, path, name string, data []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	code, b, _ := f.call(t, rencontres.Secretariat, "POST", path, buf.Bytes(), "Content-Type", mw.FormDataContentType())
	return code, string(b)
}

// The état des lieux: a contact answers for their own authority's
// partnerships only, the page and the API alike; the secretariat sees who
// answered and reviews it; others are refused.
func TestPartnershipSurvey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		contact := rencontres.AuthorityContact
		own := partnershipOf(t, st, "jp-431001", "fr-13001")
		kyoto := partnershipOf(t, st, "jp-261009", "fr-75056")
		if code, b, _ := f.call(t, contact, "GET", "/fr/manage/organisations/jp-431001/partnerships", nil); code != 200 ||
			!strings.Contains(string(b), "Aix-en-Provence") {
			t.Errorf("the contact's own état des lieux: %d", code)
		}
		form := url.Values{"state": {"dormant"}, "last_exchanges": {"Visite à Aix en 2023."}, "current_projects": {"Échanges universitaires."}}
		for path, want := range map[string]int{
			"/fr/manage/organisations/fr-13001/partnerships":                                            403,
			"/fr/manage/partnerships/survey":                                                            403,
			"/fr/manage/partnerships/new":                                                               403,
			fmt.Sprintf("/fr/manage/organisations/fr-13001/partnerships/%d/report", own.ID):             403,
			fmt.Sprintf("/fr/manage/organisations/jp-431001/partnerships/%d/report", kyoto.ID):          404,
			fmt.Sprintf("/fr/manage/organisations/jp-431001/partnerships/%d/report", own.ID) + "?x=bad": 400,
		} {
			method, body := "GET", []byte(nil)
			if strings.Contains(path, "/report") {
				method, body = "POST", []byte(form.Encode())
				if strings.HasSuffix(path, "?x=bad") {
					body = []byte(url.Values{"state": {"asleep"}}.Encode())
				}
			}
			if code, _, _ := f.call(t, contact, method, path, body, "Content-Type", "application/x-www-form-urlencoded"); code != want {
				t.Errorf("%s %s as a contact: %d, want %d", method, path, code, want)
			}
		}
		code, _, h := f.call(t, contact, "POST", fmt.Sprintf("/fr/manage/organisations/jp-431001/partnerships/%d/report", own.ID),
			[]byte(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
		if code != 303 || !strings.Contains(h.Get("Location"), "done=1") {
			t.Fatalf("the contact's answer: %d", code)
		}
		if p, _ := st.Partnership(context.Background(), own.ID); p.State != rencontres.StateDormant || p.CurrentProjects != "Échanges universitaires." {
			t.Errorf("the partnership after the answer: %+v", p)
		}
		// The API: their own authority, not another.
		in := map[string]string{"state": "active", "current_projects": "Jumelage scolaire."}
		if code, _, _ := f.call(t, contact, "POST", fmt.Sprintf("/api/v1/organisations/fr-13001/partnerships/%d/reports", own.ID), in); code != 403 {
			t.Errorf("an API answer for another authority: %d, want 403", code)
		}
		if code, b, _ := f.call(t, contact, "POST", fmt.Sprintf("/api/v1/organisations/jp-431001/partnerships/%d/reports", own.ID), in); code != 201 {
			t.Errorf("an API answer for its own authority: %d %s", code, b)
		}
		for _, role := range []rencontres.Role{contact, rencontres.Participant} {
			if code, _, _ := f.call(t, role, "POST", "/api/v1/partnerships", map[string]any{"a": "fr-13001", "b": "jp-221007", "kind": "jumelage"}); code != 403 {
				t.Errorf("POST /api/v1/partnerships as %s: %d, want 403", role, code)
			}
		}
		// The secretariat sees who answered, and reviews.
		code, b, _ := f.call(t, rencontres.Secretariat, "GET", "/fr/manage/partnerships/survey?country=JP&status=to_review", nil)
		if code != 200 || !strings.Contains(string(b), "/fr/manage/organisations/jp-431001/partnerships") || strings.Contains(string(b), "jp-261009/partnerships") {
			t.Errorf("the survey, Japanese authorities to review: %d", code)
		}
		if _, b, _ := f.call(t, rencontres.Secretariat, "GET", "/fr/manage/partnerships/survey?country=FR&status=not_answered", nil); !strings.Contains(string(b), "fr-13001/partnerships") ||
			strings.Contains(string(b), "fr-13055/partnerships") {
			t.Error("the survey's French authorities without an answer: Aix missing, or Marseille (which answered) listed")
		}
		reports, err := st.PartnershipReports(context.Background(), own.ID)
		if err != nil || len(reports) != 2 {
			t.Fatalf("answers: %d, %v", len(reports), err)
		}
		for _, r := range reports {
			if code, _, _ := f.post(t, fmt.Sprintf("/fr/manage/partnerships/reports/%d/review", r.ID), url.Values{}); code != 303 {
				t.Errorf("review: %d", code)
			}
		}
		if _, b, _ := f.call(t, rencontres.Secretariat, "GET", "/fr/manage/partnerships/survey?country=JP&status=reviewed", nil); !strings.Contains(string(b), "jp-431001/partnerships") {
			t.Error("the reviewed answers are not counted as reviewed")
		}
	})
}

// The API: filters with their counts, the duplicate in either order
// refused naming the existing one, every fault of a body at once, a
// partnership created and ended by PATCH.
func TestPartnershipAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec := rencontres.Secretariat
		code, b, _ := f.call(t, rencontres.Public, "GET", "/api/v1/partnerships?country=FR&kind=jumelage", nil)
		var list struct {
			Total        int
			Counts       map[string]map[string]int
			Partnerships []map[string]any
		}
		if err := json.Unmarshal(b, &list); code != 200 || err != nil {
			t.Fatalf("list: %d %v", code, err)
		}
		if list.Total != len(list.Partnerships) || list.Total == 0 || list.Counts["kind"]["jumelage"] != list.Total || list.Counts["kind"]["pacte_amitie"] == 0 {
			t.Errorf("list: total %d, counts %v", list.Total, list.Counts)
		}
		if code, b, _ := f.call(t, sec, "POST", "/api/v1/partnerships?lang=fr", map[string]any{"a": "fr-37261", "b": "jp-372013", "kind": "jumelage"}); code != 409 ||
			!strings.Contains(string(b), "Tours et Takamatsu sont déjà jumelées depuis 1988.") {
			t.Errorf("duplicate: %d %s", code, b)
		}
		code, b, _ = f.call(t, sec, "POST", "/api/v1/partnerships", map[string]any{"a": "fr-13001", "b": "fr-13001", "kind": "treaty", "year": 2010, "year_ended": 2001})
		var e struct {
			Error struct {
				Errors []struct{ Field string }
			}
		}
		json.Unmarshal(b, &e)
		fields := map[string]bool{}
		for _, x := range e.Error.Errors {
			fields[x.Field] = true
		}
		if code != 400 || !fields["b"] || !fields["kind"] || !fields["year_ended"] {
			t.Errorf("bad body: %d, faults on %v", code, fields)
		}
		code, b, _ = f.call(t, sec, "POST", "/api/v1/partnerships", map[string]any{"a": "fr-33063", "b": "jp-221007", "kind": "other",
			"kind_label": map[string]string{"fr": "Accord de coopération viticole"}, "year": 2021})
		var p struct {
			ID    int64  `json:"id"`
			State string `json:"state"`
		}
		if err := json.Unmarshal(b, &p); code != 201 || err != nil || p.State != "active" {
			t.Fatalf("create: %d %s", code, b)
		}
		path := "/api/v1/partnerships/" + strconv.FormatInt(p.ID, 10)
		if code, _, _ := f.call(t, sec, "PATCH", path, map[string]any{"year_ended": 2019}); code != 400 {
			t.Errorf("ended before signed: %d, want 400", code)
		}
		if code, b, _ := f.call(t, sec, "PATCH", path, map[string]any{"year_ended": 2025, "state": "ended"}); code != 200 || !strings.Contains(string(b), `"state":"ended"`) {
			t.Errorf("end: %d %s", code, b)
		}
		if code, _, _ := f.call(t, rencontres.Public, "PATCH", path, map[string]any{"state": "active"}); code != 401 {
			t.Errorf("PATCH as public: %d, want 401", code)
		}
	})
}

// The public list's export, filtered: CSV in UTF-8 with a byte-order mark,
// and a workbook read back, headers in the reader's language.
func TestPartnershipExport(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	code, b, h := f.call(t, rencontres.Public, "GET", "/fr/partnerships?country=JP&kind=jumelage&format=csv", nil)
	if code != 200 || h.Get("Content-Type") != "text/csv; charset=utf-8" || !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatalf("csv: %d %s %q", code, h.Get("Content-Type"), b[:min(len(b), 10)])
	}
	lines := strings.Split(strings.TrimSpace(string(b[3:])), "\n")
	if !strings.HasPrefix(lines[0], "Numéro,Identifiant A,Collectivité A") || !strings.Contains(string(b), "jumelage") || strings.Contains(string(b), "pacte d’amitié") {
		t.Errorf("csv header or filter: %s", lines[0])
	}
	code, b, _ = f.call(t, rencontres.Public, "GET", "/ja/partnerships?country=JP&kind=jumelage&format=xlsx", nil)
	if code != 200 {
		t.Fatalf("xlsx: %d", code)
	}
	_, rows := sheetRows(t, b, "提携")
	if len(rows) != len(lines) || rows[0][indexOf(rows[0], "種類")] != "種類" || !strings.Contains(fmt.Sprint(rows), "姉妹都市") {
		t.Errorf("workbook: %d rows, want %d; %v", len(rows), len(lines), rows[0])
	}
	if code, b, _ := f.call(t, rencontres.Public, "GET", "/api/v1/partnerships?format=csv&state=dormant", nil); code != 200 || !strings.Contains(string(b), "dormant") ||
		!strings.HasPrefix(string(b), "\ufeffnumber,a,a_name") {
		t.Errorf("API csv: %d %.80s", code, b)
	}
}
