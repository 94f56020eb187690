package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/server"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// newSite serves the demo data from a fresh database.
func newSite(t *testing.T, st *store.Store) *httptest.Server {
	t.Helper()
	if _, err := demo.Load(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	h, err := server.Handler(st, server.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		srv := newSite(t, st)
		for _, tc := range []struct {
			path   string
			status int
			want   []string
		}{
			{"/fr/", 200, []string{`<html lang="fr"`, "Prochaine édition", "9<sup>e</sup> Rencontres franco-japonaises", "Record de participation"}},
			{"/ja/", 200, []string{`<html lang="ja"`, "次回の開催", "第9回日仏自治体交流会議", "カンヌ（<span lang=\"fr\">Cannes</span>） · 2026年"}},
			{"/fr/series/rencontres-franco-japonaises", 200, []string{
				"7<sup>e</sup> Rencontres franco-japonaises", "du 3 au 6 octobre 2022",
				"Prévues du 17 au 19 novembre 2020, reportées du 18 au 21 octobre 2021",
				"Prévues du 18 au 21 octobre 2021, reportées du 3 au 6 octobre 2022",
				"1<sup>res</sup> Rencontres franco-japonaises", "«\u00a0Gouvernance locale et développement durable\u00a0»",
				`badge-record`, `Kumamoto (<span lang="ja">熊本市</span>)`}},
			{"/ja/series/rencontres-franco-japonaises", 200, []string{"第7回日仏自治体交流会議", "2022年10月3日〜6日",
				"2020年11月17日〜19日の予定から2021年10月18日〜21日に延期", "熊本市（<span lang=\"fr\">Kumamoto</span>）"}},
			{"/en/series/rencontres-franco-japonaises", 200, []string{"7th Franco-Japanese Meetings", "3–6 October 2022",
				"Planned for 17–19 November 2020, postponed to 18–21 October 2021"}},
			{"/fr/series/rencontres-franco-japonaises/7", 200, []string{
				"le mardi 22 septembre 2020, de 16h00 à 17h30", "Atelier économie", "Vers quel modèle économique durable\u00a0?",
				"Présidence\u00a0: ", "heure de Paris", `href="/ja/series/rencontres-franco-japonaises/7"`,
				`href="/en/series/rencontres-franco-japonaises/7"`, `rel="prev"`, `rel="next"`, "Interprètes"}},
			{"/ja/series/rencontres-franco-japonaises/7", 200, []string{"2020年9月22日（火） 16:00〜17:30（パリ時間）", "経済分科会", "委員長：<span lang=\"fr\">",
				"開催元のイベント：", "フランス都市連合（CUF）"}},
			{"/fr/series/raict/13", 200, []string{"annulée", "800 inscrits"}},
			{"/fr/series/rencontres-franco-japonaises/9", 200, []string{"dates à fixer", "Cannes"}},
			{"/fr/organisations?q=%E3%81%8F%E3%81%BE%E3%82%82%E3%81%A8", 200, []string{`/fr/organisations/jp-431001`, "résultats"}},
			{"/fr/organisations?q=Kumamoto", 200, []string{`/fr/organisations/jp-431001`, `/fr/organisations/jp-430005`}},
			{"/ja/organisations?q=%E7%86%8A%E6%9C%AC", 200, []string{`/ja/organisations/jp-431001`}},
			{"/fr/organisations/jp-431001", 200, []string{"Aix-en-Provence", "ville d’échange", "depuis 2013",
				"6<sup>e</sup> Rencontres franco-japonaises", "くまもとし", "Kumamoto (<span lang=\"ja\">熊本県</span>)"}},
			{"/en/organisations/fr-75056", 200, []string{"Kyoto", "friendship pact", "since 1958", "RAICT"}},
			{"/fr/organisations?q=" + strings.Repeat("a", 101), 400, []string{"La recherche est trop longue"}},
			{"/fr/series/nope", 404, []string{"Cette page n’existe pas."}},
			{"/ja/series/rencontres-franco-japonaises/99", 404, []string{"このページは存在しません。"}},
			{"/en/series/rencontres-franco-japonaises/x", 404, []string{"This page does not exist."}},
			{"/fr/organisations/nope", 404, nil},
			{"/de/", 404, nil},
		} {
			resp, body := get(t, srv.URL+tc.path)
			if resp.StatusCode != tc.status {
				t.Errorf("GET %s: status %d, want %d", tc.path, resp.StatusCode, tc.status)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s: body lacks %q", tc.path, w)
				}
			}
			if strings.Contains(body, "0x") || strings.Contains(body, "<no value>") || strings.Contains(body, "%!") {
				t.Errorf("GET %s: body shows a formatting defect", tc.path)
			}
		}
	})
}

func TestLanguageRedirect(t *testing.T) {
	srv := newSite(t, storetest.SQLite(t))
	for accept, want := range map[string]string{
		"ja,en;q=0.5":    "/ja/",
		"en-GB,en;q=0.9": "/en/",
		"fr-FR":          "/fr/",
		"de-DE":          "/fr/",
		"":               "/fr/",
	} {
		resp, _ := get(t, srv.URL+"/", "Accept-Language", accept)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("Accept-Language %q: %d %s, want 303 %s", accept, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
}

func TestTextSize(t *testing.T) {
	srv := newSite(t, storetest.SQLite(t))
	for _, tc := range []struct {
		query, cookie, location, value string
	}{
		{"step=up&back=/fr/organisations", "", "/fr/organisations", "1"},
		{"step=up&back=/fr/", "textsize=4", "/fr/", "4"},
		{"step=down&back=/fr/", "textsize=-2", "/fr/", "-2"},
		{"step=reset&back=/fr/", "textsize=3", "/fr/", "0"},
		{"step=up&back=//evil.example.org/", "", "/fr/", "1"},
		{"step=up&back=https://evil.example.org/", "", "/fr/", "1"},
		{"step=up&back=/%5Cevil.example.org", "", "/fr/", "1"},
	} {
		resp, _ := get(t, srv.URL+"/fr/text-size?"+tc.query, "Cookie", tc.cookie)
		if got := resp.Header.Get("Location"); got != tc.location {
			t.Errorf("%s: Location %q, want %q", tc.query, got, tc.location)
		}
		if got := resp.Header.Get("Set-Cookie"); !strings.HasPrefix(got, "textsize="+tc.value+";") {
			t.Errorf("%s: Set-Cookie %q, want textsize=%s", tc.query, got, tc.value)
		}
	}
	_, body := get(t, srv.URL+"/fr/", "Cookie", "textsize=2")
	if !strings.Contains(body, `class="ts2"`) {
		t.Error("a page does not apply the text size of the cookie")
	}
	_, body = get(t, srv.URL+"/fr/", "Cookie", "textsize=99")
	if !strings.Contains(body, `class="ts0"`) {
		t.Error("an out-of-range text size cookie is not ignored")
	}
}

func TestSecurityHeaders(t *testing.T) {
	srv := newSite(t, storetest.SQLite(t))
	for _, path := range []string{"/fr/", "/api/v1/series", "/static/site.css"} {
		resp, _ := get(t, srv.URL+path)
		for h, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "strict-origin-when-cross-origin",
		} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("%s: %s = %q, want %q", path, h, got, want)
			}
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
	}
	// No page carries inline script or style, which the policy would block.
	_, body := get(t, srv.URL+"/fr/series/rencontres-franco-japonaises/7")
	if strings.Contains(body, "<script>") || strings.Contains(body, " style=") || strings.Contains(body, "<style") {
		t.Error("a page has inline script or style")
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	srv := newSite(t, storetest.SQLite(t))
	req, _ := http.NewRequest("POST", srv.URL+"/fr/text-size", strings.NewReader("step=up"))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example.org")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: status %d, want 403", resp.StatusCode)
	}
}

func TestHealth(t *testing.T) {
	st, err := store.Open(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := newSite(t, st)
	if resp, _ := get(t, srv.URL+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("healthz with the database up: %d, want 200", resp.StatusCode)
	}
	st.Close()
	if resp, _ := get(t, srv.URL+"/healthz"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("healthz with the database closed: %d, want 503", resp.StatusCode)
	}
}

func getJSON(t *testing.T, url string, v any, header ...string) int {
	t.Helper()
	resp, body := get(t, url, header...)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET %s: Content-Type %q", url, ct)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v in %s", url, err, body)
	}
	return resp.StatusCode
}

func TestAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		srv := newSite(t, st)
		var series struct {
			Series []struct {
				Slug     string `json:"slug"`
				Editions int    `json:"editions"`
			} `json:"series"`
		}
		getJSON(t, srv.URL+"/api/v1/series", &series)
		if len(series.Series) != 2 || series.Series[0].Slug != "rencontres-franco-japonaises" || series.Series[0].Editions != 9 {
			t.Errorf("series = %+v", series)
		}
		var eds struct {
			Editions []struct {
				Number      int               `json:"number"`
				Host        string            `json:"host"`
				Start       *string           `json:"start"`
				End         *string           `json:"end"`
				TimeZone    string            `json:"time_zone"`
				Status      string            `json:"status"`
				Theme       map[string]string `json:"theme"`
				Title       map[string]string `json:"title"`
				Authorities *int              `json:"authorities"`
				DateChanges []struct {
					FromStart string `json:"from_start"`
					ToStart   string `json:"to_start"`
				} `json:"date_changes"`
				Figures struct {
					AuthoritiesFR *int `json:"authorities_fr"`
					Record        bool `json:"record"`
				} `json:"figures"`
			} `json:"editions"`
		}
		getJSON(t, srv.URL+"/api/v1/editions?series=rencontres-franco-japonaises", &eds)
		if len(eds.Editions) != 9 {
			t.Fatalf("editions = %d, want 9", len(eds.Editions))
		}
		e7 := eds.Editions[6]
		if e7.Number != 7 || e7.Host != "fr-13001" || *e7.Start != "2022-10-03" || e7.TimeZone != "Europe/Paris" ||
			e7.Status != "held" || len(e7.DateChanges) != 2 || e7.DateChanges[0].FromStart != "2020-11-17" ||
			e7.Title["ja"] != "第7回日仏自治体交流会議" || e7.Title["fr"] != "7e Rencontres franco-japonaises" ||
			!strings.HasPrefix(e7.Theme["ja"], "ポストコロナ") || *e7.Figures.AuthoritiesFR != 22 {
			t.Errorf("7th edition = %+v", e7)
		}
		if e8 := eds.Editions[7]; e8.Authorities == nil || *e8.Authorities != 54 || !e8.Figures.Record {
			t.Errorf("8th edition authorities = %v, record %v; want 54, true", e8.Authorities, e8.Figures.Record)
		}
		if e9 := eds.Editions[8]; e9.Start != nil || e9.Status != "planned" {
			t.Errorf("9th edition start = %v status %s; want null and planned", e9.Start, e9.Status)
		}
		var orgs struct {
			Total         int `json:"total"`
			Organisations []struct {
				Key  string            `json:"key"`
				Name map[string]string `json:"name"`
				Kana string            `json:"kana"`
			} `json:"organisations"`
		}
		getJSON(t, srv.URL+"/api/v1/organisations?q=%E7%86%8A%E6%9C%AC", &orgs)
		if orgs.Total < 2 || orgs.Organisations[0].Key != "jp-431001" || orgs.Organisations[0].Kana != "くまもとし" {
			t.Errorf("search 熊本 = %+v", orgs)
		}
		var one struct {
			Key          string   `json:"key"`
			Hosted       []string `json:"hosted"`
			Partnerships []struct {
				B    string `json:"b"`
				Year int    `json:"year"`
			} `json:"partnerships"`
		}
		getJSON(t, srv.URL+"/api/v1/organisations/jp-431001", &one)
		if len(one.Hosted) != 1 || one.Hosted[0] != "rencontres-franco-japonaises/6" || len(one.Partnerships) != 1 || one.Partnerships[0].B != "fr-13001" {
			t.Errorf("Kumamoto = %+v", one)
		}
	})
}

func TestAPIErrors(t *testing.T) {
	srv := newSite(t, storetest.SQLite(t))
	type errBody struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Field   string `json:"field"`
		} `json:"error"`
	}
	for _, tc := range []struct {
		path, accept string
		status       int
		code, field  string
		message      string
	}{
		{"/api/v1/organisations?limit=0", "", 400, "invalid", "limit", "The parameter “limit” must be a whole number from 1 to 500."},
		{"/api/v1/organisations?limit=abc&lang=fr", "", 400, "invalid", "limit", "Le paramètre «\u00a0limit\u00a0» doit être un nombre entier de 1 à 500."},
		{"/api/v1/organisations?offset=-1", "ja", 400, "invalid", "offset", "パラメータ「offset」には0から1000000までの整数を指定してください。"},
		{"/api/v1/organisations?contry=JP", "", 400, "invalid", "contry", "The parameter “contry” is unknown; check its spelling in the API documentation."},
		{"/api/v1/organisations?country=jp", "", 400, "invalid", "country", ""},
		{"/api/v1/organisations?kind=village", "fr", 400, "invalid", "kind", ""},
		{"/api/v1/organisations?q=" + strings.Repeat("x", 101), "", 400, "invalid", "q", ""},
		{"/api/v1/editions?series=nope", "", 400, "invalid", "series", "The series “nope” does not exist."},
		{"/api/v1/editions/rencontres-franco-japonaises/99", "", 404, "not_found", "", ""},
		{"/api/v1/editions/rencontres-franco-japonaises/x", "", 400, "invalid", "number", ""},
		{"/api/v1/organisations/nope", "", 404, "not_found", "", ""},
		{"/api/v1/nothing", "", 404, "not_found", "", ""},
	} {
		var b errBody
		status := getJSON(t, srv.URL+tc.path, &b, "Accept-Language", tc.accept)
		if status != tc.status || b.Error.Code != tc.code || b.Error.Field != tc.field || b.Error.Message == "" {
			t.Errorf("GET %s: %d %+v, want %d %s field %q", tc.path, status, b.Error, tc.status, tc.code, tc.field)
		}
		if tc.message != "" && b.Error.Message != tc.message {
			t.Errorf("GET %s: message %q, want %q", tc.path, b.Error.Message, tc.message)
		}
	}
}
