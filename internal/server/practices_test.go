package server_test

import (
	"encoding/xml"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// The library over HTTP on the demo: only accepted practices whose
// decisions were released, in the API as in the pages and the feed; each
// fault of a filter a 400 naming its parameter in the reader's language,
// never a 500.
func TestLibraryOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		srv := newSite(t, st)
		type practice struct {
			ID    int64             `json:"id"`
			Title map[string]string `json:"title"`
			Orgs  []struct {
				Key  string `json:"key"`
				Role string `json:"role"`
			} `json:"organisations"`
			Pages map[string]string `json:"pages"`
		}
		var list struct {
			Total     int        `json:"total"`
			Pages     int        `json:"pages"`
			Practices []practice `json:"practices"`
		}
		if code := getJSON(t, srv.URL+"/api/v1/practices", &list); code != 200 || list.Total != 7 || len(list.Practices) != 7 || list.Pages != 1 {
			t.Fatalf("the demo's library: %d, %d practices of %d", code, len(list.Practices), list.Total)
		}
		for _, p := range list.Practices {
			if strings.Contains(p.Title["fr"], "hébergements écologiques") {
				t.Errorf("a practice on the waiting list is public: %+v", p)
			}
		}
		// The waiting-listed proposal is the id no practice has between
		// the demo's.
		ids := map[int64]bool{}
		var maxID int64
		for _, p := range list.Practices {
			ids[p.ID], maxID = true, max(maxID, p.ID)
		}
		var hidden int64
		for id := int64(1); id <= maxID+1; id++ {
			if !ids[id] {
				hidden = id
				break
			}
		}
		var e struct {
			Error struct {
				Code, Message, Field string
			} `json:"error"`
		}
		if code := getJSON(t, srv.URL+"/api/v1/practices/"+strconv.FormatInt(hidden, 10), &e); code != 404 {
			t.Errorf("the waiting-listed proposal %d in the API: %d", hidden, code)
		}
		if resp, _ := get(t, srv.URL+"/fr/practices/"+strconv.FormatInt(hidden, 10)); resp.StatusCode != 404 {
			t.Errorf("the waiting-listed proposal %d's page: %d", hidden, resp.StatusCode)
		}

		// Search in any script, through the API.
		for _, q := range []string{"熊本", "くまもと", "kumamoto", "KUMAMOTO", "énergie", "energie", "エネルギー", "えねるぎー"} {
			list.Practices = nil
			if code := getJSON(t, srv.URL+"/api/v1/practices?q="+url.QueryEscape(q), &list); code != 200 || len(list.Practices) == 0 {
				t.Errorf("search %q: %d, %d practices", q, code, len(list.Practices))
			}
		}
		var one practice
		if code := getJSON(t, srv.URL+"/api/v1/practices/"+strconv.FormatInt(list.Practices[0].ID, 10), &one); code != 200 || one.Pages["ja"] == "" || len(one.Orgs) == 0 {
			t.Errorf("one practice: %d %+v", code, one)
		}

		// Every fault of a filter names its parameter, in the reader's
		// language.
		for _, c := range []struct{ query, field, ja string }{
			{"sdg=18", "sdg", "SDGsの目標ではありません"},
			{"sdg=abc", "sdg", "SDGsの目標ではありません"},
			{"country=fr", "country", ""},
			{"kind=town", "kind", ""},
			{"edition=rencontres-franco-japonaises/99", "edition", "開催回「rencontres-franco-japonaises/99」はありません"},
			{"edition=seventh", "edition", ""},
			{"workshop=2", "workshop", "先に開催回を選んでください"},
			{"edition=rencontres-franco-japonaises/7&workshop=9", "workshop", "第9分科会はありません"},
			{"from=2023&to=2020", "to", "年の範囲が逆です"},
			{"page=99", "page", "99ページ目はありません"},
			{"page=0", "page", ""},
			{"organisation=fr-99999", "organisation", ""},
			{"colour=red", "colour", ""},
		} {
			e.Error.Field, e.Error.Message = "", ""
			code := getJSON(t, srv.URL+"/api/v1/practices?lang=ja&"+c.query, &e)
			if code != 400 || e.Error.Code != "invalid" || e.Error.Field != c.field || !strings.Contains(e.Error.Message, c.ja) {
				t.Errorf("?%s: %d %+v, want 400 on %s saying %q", c.query, code, e.Error, c.field, c.ja)
			}
			resp, body := get(t, srv.URL+"/fr/practices?"+c.query)
			if c.field == "colour" {
				continue // the pages ignore what they do not know
			}
			if resp.StatusCode != 400 || !strings.Contains(body, `class="error"`) {
				t.Errorf("/fr/practices?%s: %d, want 400 with the fault shown", c.query, resp.StatusCode)
			}
		}

		// The pages and the feed show the same library.
		resp, body := get(t, srv.URL+"/ja/practices?q="+url.QueryEscape("静岡"))
		if resp.StatusCode != 200 || !strings.Contains(body, "高齢者の孤立を防ぐ多世代交流カフェ") || strings.Contains(body, "熊本地震") {
			t.Errorf("/ja/practices?q=静岡: %d", resp.StatusCode)
		}
		resp, body = get(t, srv.URL+"/fr/practices.atom")
		var feed struct {
			Entries []struct {
				Title string `xml:"title"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal([]byte(body), &feed); err != nil || resp.StatusCode != 200 || len(feed.Entries) != 7 {
			t.Errorf("the feed: %d, %d entries, %v", resp.StatusCode, len(feed.Entries), err)
		}
		for _, en := range feed.Entries {
			if strings.Contains(en.Title, "hébergements écologiques") {
				t.Error("the feed has a practice on the waiting list")
			}
		}
		// An authority's page lists its practices.
		if _, body := get(t, srv.URL+"/fr/organisations/jp-431001"); !strings.Contains(body, "Relancer le commerce du centre-ville") {
			t.Error("Kumamoto's page does not list its practice")
		}
	})
}
