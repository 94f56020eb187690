package server

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
	"github.com/xuri/excelize/v2"
)

var svgRE = regexp.MustCompile(`(?s)<svg .*?</svg>`)

// svgBars reads the bars of every chart of a page back with encoding/xml:
// chart title → the bars' values, in order.
func svgBars(t *testing.T, page string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, s := range svgRE.FindAllString(page, -1) {
		dec := xml.NewDecoder(strings.NewReader(s))
		var title string
		var inTitle bool
		var bars []string
		for {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			switch el := tok.(type) {
			case xml.StartElement:
				inTitle = el.Name.Local == "title"
				if el.Name.Local == "rect" {
					for _, a := range el.Attr {
						if a.Name.Local == "data-value" {
							bars = append(bars, a.Value)
						}
					}
				}
			case xml.CharData:
				if inTitle {
					title += string(el)
				}
			case xml.EndElement:
				inTitle = false
			}
		}
		if title == "" {
			t.Errorf("a chart without a title: %.200s", s)
		}
		out[title] = bars
	}
	return out
}

// The public statistics page: one chart per measure and series, each
// with its table; the figures of the demo's past editions, the source of
// each, the records; no planned edition.
func TestStatisticsPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		code, body, _ := f.call(t, rencontres.Public, "GET", "/fr/statistics", nil)
		page := string(body)
		if code != 200 {
			t.Fatalf("statistics: %d\n%s", code, page)
		}
		charts := svgBars(t, page)
		// Authorities by country across the Rencontres' eight held
		// editions: France then Japan for each; the 7th from its
		// registrations.
		got := charts["Collectivités par pays — Rencontres franco-japonaises de la coopération décentralisée"]
		want := "17 12 18 26 27 15 17 28 22 19 17 35 6 7 19 35"
		if strings.Join(got, " ") != want {
			t.Errorf("authorities by country: %v, want %s (charts: %v)", got, want, keys(charts))
		}
		for _, want := range []string{
			`role="img" aria-labelledby="chart-rencontres-franco-japonaises-people-title chart-rencontres-franco-japonaises-people-desc"`,
			"6e (2018) — record (relevé et calculé)",
			"<td class=\"num\">170</td>", "chiffres relevés", "inscriptions enregistrées",
			"7e (2022)\u00a0: les chiffres relevés par le secrétariat diffèrent des inscriptions enregistrées (France 22, Japon 14).",
			"Aucune édition de cette série n’a de chiffre pour cette mesure", // the RAICT has no registrations
			`<th scope="col" class="num">Régions françaises</th>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if strings.Contains(page, "9e (2026)") || strings.Contains(page, "13e (2022)") {
			t.Error("the public page shows the planned or cancelled editions")
		}
		// The secretariat sees them.
		_, body, _ = f.call(t, rencontres.Secretariat, "GET", "/fr/statistics?series=rencontres-franco-japonaises", nil)
		if !strings.Contains(string(body), "9e (2026)") {
			t.Error("the secretariat does not see the planned edition")
		}
		// The export links keep the page's query.
		if !strings.Contains(string(body), `href="/fr/statistics?format=xlsx&amp;series=rencontres-franco-japonaises"`) {
			t.Error("the export link loses the page's series")
		}

		// One edition beside the previous one, in Japanese.
		code, body, _ = f.call(t, rencontres.Public, "GET", "/ja/series/rencontres-franco-japonaises/7/statistics", nil)
		page = string(body)
		if code != 200 {
			t.Fatalf("edition statistics: %d\n%s", code, page)
		}
		charts = svgBars(t, page)
		if got := charts["国別の自治体数：第7回日仏自治体交流会議"]; strings.Join(got, " ") != "6 17 7 35" {
			t.Errorf("7th beside the 6th: %v (charts %v)", got, keys(charts))
		}
		if got := charts["首長・議員と職員：第7回日仏自治体交流会議"]; strings.Join(got, " ") != "6 12" {
			t.Errorf("elected and officers: %v", got)
		}
		for _, want := range []string{"第6回（2018年）", "出典：参加登録の記録", "第7回（2022年）：事務局が記録した数値は、参加登録の記録と異なります（フランス 22、日本 14）"} {
			if !strings.Contains(page, want) {
				t.Errorf("the edition page lacks %q", want)
			}
		}
		// An edition without registrations says so in words.
		_, body, _ = f.call(t, rencontres.Public, "GET", "/en/series/rencontres-franco-japonaises/6/statistics", nil)
		if !strings.Contains(string(body), "No figure for this measure at this edition") {
			t.Error("the 6th's measures without figures are not said")
		}

		// Bad input: a clear message in the reader's language, never a
		// blank chart.
		for path, want := range map[string]string{
			"/fr/statistics?measure=nope":                                    "La mesure «\u00a0nope\u00a0» n’existe pas\u00a0; les mesures sont\u00a0: people, countries",
			"/ja/statistics?from=2020&to=2010":                               "期間の終わり（2010年）が始まり（2020年）より前です。",
			"/en/statistics?colour=red":                                      "There is no filter “colour”",
			"/en/statistics?from=abc":                                        "“abc” is not a year from 1900 to 2100.",
			"/en/series/rencontres-franco-japonaises/6/statistics?from=2010": "There is no filter “from”",
			"/fr/series/rencontres-franco-japonaises/9/statistics":           "",
			"/fr/series/rencontres-franco-japonaises/99/statistics":          "",
			"/fr/series/nope/1/statistics":                                   "",
		} {
			code, body, _ := f.call(t, rencontres.Public, "GET", path, nil)
			wantCode := 400
			if want == "" {
				wantCode = 404
			}
			if code != wantCode || !strings.Contains(string(body), want) {
				t.Errorf("%s: %d, want %d with %q", path, code, wantCode, want)
			}
		}
		if code, _, _ := f.call(t, rencontres.Secretariat, "GET", "/fr/series/rencontres-franco-japonaises/9/statistics", nil); code != 200 {
			t.Errorf("the secretariat's planned edition: %d", code)
		}
	})
}

func keys(m map[string][]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// The exports: CSV with a byte-order mark and a workbook, read back; the
// API's JSON and CSV with stable keys; its errors.
func TestStatisticsExportsAndAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		code, body, h := f.call(t, rencontres.Public, "GET", "/fr/statistics?series=rencontres-franco-japonaises&measure=countries&format=csv", nil)
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(body, []byte("\ufeff")) {
			t.Fatalf("CSV: %d %s %.40q", code, h.Get("Content-Type"), body)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(rows[0], "|"); got != "Série|Édition|Année|État|Mesure|Code|Libellé|Nombre|Source|Chiffre relevé" {
			t.Errorf("CSV header %s", got)
		}
		// Eight editions, France and Japan each.
		if len(rows) != 17 || strings.Join(rows[12], "|") != "Rencontres franco-japonaises de la coopération décentralisée|6|2018|tenue|Collectivités par pays|JP|Japon|35|chiffres relevés|" {
			t.Errorf("CSV: %d rows; row 11 %v", len(rows), rows[min(12, len(rows)-1)])
		}

		code, body, _ = f.call(t, rencontres.Public, "GET", "/ja/series/rencontres-franco-japonaises/7/statistics?format=xlsx", nil)
		if code != 200 {
			t.Fatalf("xlsx: %d", code)
		}
		wb, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		xrows, err := wb.GetRows(wb.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range xrows {
			if len(r) >= 8 && r[5] == "elected" && r[6] == "首長・議員" && r[7] == "6" {
				found = true
			}
		}
		if !found {
			t.Errorf("the workbook lacks the 7th's elected officials: %v", xrows)
		}

		var got struct {
			Series []*rencontres.SeriesStats `json:"series"`
		}
		code, body, _ = f.call(t, rencontres.Public, "GET", "/api/v1/statistics?series=rencontres-franco-japonaises&number=6", nil)
		if code != 200 || json.Unmarshal(body, &got) != nil || len(got.Series) != 1 || len(got.Series[0].Editions) != 1 {
			t.Fatalf("API: %d %s", code, body)
		}
		e := got.Series[0].Editions[0]
		if e.Authorities == nil || *e.Authorities != 52 || e.AuthoritiesSource != rencontres.FromRecorded || !e.RecordRecorded || !e.RecordComputed {
			t.Errorf("the 6th: %+v", e)
		}
		code, body, h = f.call(t, rencontres.Public, "GET", "/api/v1/statistics?series=raict&measure=people", nil, "Accept", "text/csv")
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(string(body), "raict,15,2024,held,people,people,,500,recorded,") {
			t.Errorf("API CSV: %d %s\n%s", code, h.Get("Content-Type"), body)
		}
		for path, want := range map[string]struct {
			code  int
			field string
		}{
			"/api/v1/statistics?measure=people,colour":  {400, "measure"},
			"/api/v1/statistics?from=2020&to=2010":      {400, "to"},
			"/api/v1/statistics?region=x":               {400, "region"},
			"/api/v1/statistics?series=nope":            {404, ""},
			"/api/v1/statistics?series=raict&number=99": {404, ""},
			"/api/v1/statistics?series=raict&number=13": {404, ""},
			"/api/v1/statistics?number=3":               {400, "number"},
			"/api/v1/statistics?format=pdf":             {400, "format"},
		} {
			code, body, _ := f.call(t, rencontres.Public, "GET", path+"&lang=en", nil)
			if code != want.code || !strings.Contains(string(body), `"field":"`+want.field+`"`) && want.field != "" {
				t.Errorf("%s: %d %s, want %d on %q", path, code, body, want.code, want.field)
			}
			if code == 400 && strings.Contains(path, "colour") && !strings.Contains(string(body), "people, countries, kinds, areas, functions, returning, sessions") {
				t.Errorf("%s does not list the valid measures: %s", path, body)
			}
		}
		if code, _, _ := f.call(t, rencontres.Secretariat, "GET", "/api/v1/statistics?series=raict&number=13", nil); code != 200 {
			t.Errorf("the secretariat's cancelled edition: %d", code)
		}
	})
}
