package export_test

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/xuri/excelize/v2"
)

var cat = i18n.MustLoad()

// sample is an event in Paris with a question of every kind, and two
// people of Aix-en-Provence and Kumamoto who answered them.
func sample() *export.Registrations {
	paris, _ := time.LoadLocation("Europe/Paris")
	e := &rencontres.Event{ID: 7, TimeZone: "Europe/Paris"}
	questions := []rencontres.Question{
		{Key: "shuttle", Kind: rencontres.YesNoQuestion, Label: rencontres.Text{"fr": "Navette ?", "ja": "シャトルバス", "en": "Shuttle?"}},
		{Key: "arrival", Kind: rencontres.ChoiceQuestion, Label: rencontres.Text{"fr": "Arrivée", "ja": "到着", "en": "Arrival"},
			Options: []rencontres.Option{{Value: "train", Label: rencontres.Text{"fr": "Train", "ja": "電車", "en": "Train"}},
				{Value: "plane", Label: rencontres.Text{"fr": "Avion", "ja": "飛行機", "en": "Plane"}}}},
		{Key: "nights", Kind: rencontres.NumberQuestion, Label: rencontres.Text{"fr": "Nuits", "ja": "泊数", "en": "Nights"}},
		{Key: "day", Kind: rencontres.DateQuestion, Label: rencontres.Text{"fr": "Jour d’arrivée", "ja": "到着日", "en": "Day of arrival"}},
		{Key: "note", Kind: rencontres.TextQuestion, Label: rencontres.Text{"fr": "Remarque", "ja": "備考", "en": "Note"}},
	}
	people := []*rencontres.Registration{
		{ID: 41, Status: rencontres.Confirmed, OrgKey: "fr-13001", Country: rencontres.France, OrgKind: rencontres.Commune, Civility: "mme",
			GivenName: "Claire", FamilyName: "Duval", Function: "Adjointe au maire", Elected: true, Email: "c.duval@example.org", Lang: rencontres.French,
			Answers:  map[string]string{"note": "Végétarienne", "day": "2022-10-02", "nights": "3", "arrival": "train", "shuttle": "yes", "old": "x"},
			Choices:  []rencontres.Choice{{Rank: 1, Status: rencontres.Confirmed, Title: rencontres.Text{"fr": "Atelier économie", "ja": "経済分科会"}}},
			Code:     "7KQ2M9XW4P",
			Created:  time.Date(2022, 9, 1, 14, 3, 5, 0, paris),
			NameJa:   "",
			Position: 0},
		{ID: 42, Status: rencontres.Waitlisted, Position: 2, OrgKey: "jp-431001", Country: rencontres.Japan, OrgKind: rencontres.Municipality,
			GivenName: "Kenji", FamilyName: "Mori", NameJa: "森 健二", Kana: "もり けんじ", Email: "k.mori@example.org", Lang: rencontres.Japanese,
			Interpretation: true, Answers: map[string]string{"shuttle": "no", "arrival": "plane"},
			Created: time.Date(2022, 9, 2, 1, 0, 0, 0, time.UTC)},
	}
	orgs := map[string]*rencontres.Organisation{
		"fr-13001":  {Key: "fr-13001", Name: rencontres.Text{"fr": "Aix-en-Provence", "ja": "エクス＝アン＝プロヴァンス"}},
		"jp-431001": {Key: "jp-431001", Name: rencontres.Text{"fr": "Kumamoto", "ja": "熊本市"}},
	}
	return &export.Registrations{Event: e, Questions: questions, Orgs: orgs, People: people}
}

func xlsx(t *testing.T, tb *export.Table) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := tb.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x, buf.Bytes()
}

// column finds a header's column letter on the first row.
func column(t *testing.T, x *excelize.File, sheet, header string) string {
	t.Helper()
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range rows[0] {
		if h == header {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return name
		}
	}
	t.Fatalf("no column %q in %q", header, rows[0])
	return ""
}

// numFormat is the custom number format of a cell's style.
func numFormat(t *testing.T, x *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := x.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := x.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil {
		return ""
	}
	return *st.CustomNumFmt
}

// A page's workbook, in French and in Japanese: headers, statuses, yes and
// no in the reader's language; ids, places and numbers stored as numbers;
// the date of registration a real date at Paris time; a date answer a
// real day; one column per question, titled with it, in the form's order;
// the authority's name, its key in a column of its own.
func TestRegistrationsWorkbookForAReader(t *testing.T) {
	for _, tc := range []struct {
		lang                                    rencontres.Lang
		sheet, id, org, key, elected, yes, no   string
		shuttle, arrival, train, status, nights string
		aix                                     string
	}{
		{rencontres.French, "Inscriptions", "N° d’inscription", "Collectivité", "Identifiant de la collectivité", "Mandat électif", "Oui", "Non",
			"Navette ?", "Arrivée", "Train", "inscription confirmée", "Nuits", "Aix-en-Provence"},
		{rencontres.Japanese, "参加登録", "登録番号", "自治体", "自治体コード", "首長・議員", "はい", "いいえ",
			"シャトルバス", "到着", "電車", "登録済み", "泊数", "エクス＝アン＝プロヴァンス"},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			x, _ := xlsx(t, sample().Table(export.Reader{P: cat.Printer(tc.lang)}))
			rows, err := x.GetRows(tc.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if got := rows[0][0]; got != tc.id {
				t.Errorf("A1 = %q, want %q", got, tc.id)
			}
			// The questions follow the choices in the form's order; an
			// answer to a question the form no longer asks comes after.
			head := strings.Join(rows[0], "|")
			if want := tc.shuttle + "|" + tc.arrival + "|" + tc.nights; !strings.Contains(head, want) || !strings.Contains(head, "|old|") {
				t.Errorf("header %q lacks %q in order, or the old answer's column", head, want)
			}
			if strings.Contains(head, "answers") || strings.Contains(head, "shuttle=") {
				t.Errorf("header shows internal keys: %q", head)
			}
			cell := func(header string, row int) string { return column(t, x, tc.sheet, header) + strconv.Itoa(row) }
			value := func(header string, row int) string {
				v, err := x.GetCellValue(tc.sheet, cell(header, row))
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			for _, c := range []struct{ header, want string }{
				{tc.org, tc.aix}, {tc.key, "fr-13001"}, {tc.elected, tc.yes}, {tc.shuttle, tc.yes}, {tc.arrival, tc.train},
				{cat.Printer(tc.lang).T("export.status"), tc.status},
			} {
				if got := value(c.header, 2); got != c.want {
					t.Errorf("%s = %q, want %q", c.header, got, c.want)
				}
			}
			if got := value(tc.elected, 3); got != tc.no {
				t.Errorf("the second person's %s = %q, want %q", tc.elected, got, tc.no)
			}
			// Numbers are numbers: the id, the place on the waiting list,
			// the number of nights.
			for _, c := range []struct {
				header string
				row    int
				want   string
			}{{tc.id, 2, "41"}, {cat.Printer(tc.lang).T("export.waitlist_position"), 3, "2"}, {tc.nights, 2, "3"}} {
				typ, err := x.GetCellType(tc.sheet, cell(c.header, c.row))
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := x.GetCellValue(tc.sheet, cell(c.header, c.row), excelize.Options{RawCellValue: true})
				if (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) || raw != c.want {
					t.Errorf("%s%d: type %v, value %q; want the number %s", c.header, c.row, typ, raw, c.want)
				}
			}
			// The date of registration: a serial date, at the event's
			// wall clock, with a date-time format.
			created := cell(cat.Printer(tc.lang).T("export.created"), 2)
			raw, _ := x.GetCellValue(tc.sheet, created, excelize.Options{RawCellValue: true})
			if serial, err := strconv.ParseFloat(raw, 64); err != nil || serial < 44805 || serial > 44806 {
				t.Errorf("created = %q, want the serial of 1 September 2022", raw)
			}
			if got, want := numFormat(t, x, tc.sheet, created), "yyyy-mm-dd hh:mm:ss"; got != want {
				t.Errorf("created's format = %q, want %q", got, want)
			}
			if got := value(cat.Printer(tc.lang).T("export.created"), 2); got != "2022-09-01 14:03:05" {
				t.Errorf("created reads %q, want 2022-09-01 14:03:05 (Paris time)", got)
			}
			if got := value(cat.Printer(tc.lang).T("export.created"), 3); got != "2022-09-02 03:00:00" {
				t.Errorf("the second created reads %q, want 2022-09-02 03:00:00 (Paris time)", got)
			}
			dayCell := column(t, x, tc.sheet, map[rencontres.Lang]string{rencontres.French: "Jour d’arrivée", rencontres.Japanese: "到着日"}[tc.lang]) + "2"
			if got := numFormat(t, x, tc.sheet, dayCell); got != "yyyy-mm-dd" {
				t.Errorf("the date answer's format = %q", got)
			}
			if got, _ := x.GetCellValue(tc.sheet, dayCell); got != "2022-10-02" {
				t.Errorf("the date answer reads %q", got)
			}
		})
	}
}

// The API's workbook keeps stable keys, codes and real booleans.
func TestRegistrationsWorkbookForTheAPI(t *testing.T) {
	x, _ := xlsx(t, sample().Table(export.Reader{P: cat.Printer(rencontres.Japanese), API: true}))
	rows, err := x.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	want := "id|status|waitlist_position|organisation_name|organisation|country|organisation_kind|civility|given_name|family_name|name_ja|kana|function|elected|email|lang|dietary|accessibility|interpretation|choices|answers.shuttle|answers.arrival|answers.nights|answers.day|answers.note|answers.old|code|created"
	if got := strings.Join(rows[0], "|"); got != want {
		t.Errorf("header\n%s\nwant\n%s", got, want)
	}
	elected := column(t, x, "Sheet1", "elected") + "2"
	if typ, _ := x.GetCellType("Sheet1", elected); typ != excelize.CellTypeBool {
		t.Errorf("elected is of type %v, want a boolean", typ)
	}
	if got := rows[1][1] + " " + rows[1][3] + " " + rows[1][4]; got != "confirmed エクス＝アン＝プロヴァンス fr-13001" {
		t.Errorf("status and authority = %q", got)
	}
	if got := rows[1][column2(rows[0], "answers.arrival")]; got != "train" {
		t.Errorf("a choice's answer = %q, want its value", got)
	}
}

func column2(header []string, key string) int {
	for i, h := range header {
		if h == key {
			return i
		}
	}
	return -1
}

// The same data gives the same bytes, however Go orders the answers' map;
// the CSV has the same columns on every row.
func TestExportsAreDeterministic(t *testing.T) {
	p := cat.Printer(rencontres.French)
	for _, format := range []string{"csv", "xlsx"} {
		var first []byte
		for i := range 20 {
			var buf bytes.Buffer
			if err := sample().Table(export.Reader{P: p}).Write(&buf, format); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first = buf.Bytes()
			} else if !bytes.Equal(first, buf.Bytes()) {
				t.Fatalf("%s: download %d differs from the first", format, i+1)
			}
		}
	}
}

// The CSV: a byte-order mark for Excel, the reader's headers, one column
// per question, dates at the event's wall clock, yes and no in words.
func TestRegistrationsCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := sample().Table(export.Reader{P: cat.Printer(rencontres.French)}).WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeffN° d’inscription,")) {
		t.Errorf("CSV starts %q", buf.String()[:40])
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	i := column2(rows[0], "Navette ?")
	created := column2(rows[0], "Date d’inscription")
	if i < 0 || created < 0 || rows[1][i] != "Oui" || rows[2][i] != "Non" || rows[1][created] != "2022-09-01 14:03:05" {
		t.Errorf("CSV rows:\n%q", rows)
	}
	var api bytes.Buffer
	if err := sample().Table(export.Reader{P: cat.Printer(rencontres.French), API: true}).WriteCSV(&api); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(api.String(), ",true,") || !strings.Contains(api.String(), "2022-09-01T14:03:05+02:00") {
		t.Errorf("the API's CSV:\n%s", api.String())
	}
}

// The attendance list's workbook: the seat at the session and the place
// on its waiting list first, the place a number.
func TestAttendanceWorkbook(t *testing.T) {
	d := sample()
	a := &rencontres.Attendance{Seated: []rencontres.Attendee{{Registration: d.People[0], Seat: rencontres.Confirmed}},
		Waiting: []rencontres.Attendee{{Registration: d.People[1], Seat: rencontres.Waitlisted, Place: 1}}}
	x, _ := xlsx(t, d.AttendanceTable(export.Reader{P: cat.Printer(rencontres.Japanese)}, a))
	rows, err := x.GetRows("出席簿")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0][:3], "|"); got != "セッションの参加状況|セッションのキャンセル待ちの順番|登録番号" {
		t.Errorf("header starts %q", got)
	}
	if rows[1][0] != "登録済み" || rows[2][0] != "キャンセル待ち" {
		t.Errorf("seats %q, %q", rows[1][0], rows[2][0])
	}
	if typ, _ := x.GetCellType("出席簿", "B3"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("the place is of type %v", typ)
	}
}

// A campaign's recipients for a reader: states and languages in words,
// the authority's name beside its key, dates of sending at the event's
// wall clock, counts as numbers.
func TestRecipientsWorkbook(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	sent := time.Date(2026, 5, 1, 8, 30, 0, 0, time.UTC)
	list := []*rencontres.Recipient{{ID: 3, State: rencontres.RecipientState("sent"), OrgKey: "jp-431001", OrgName: rencontres.Text{"fr": "Kumamoto", "ja": "熊本市"},
		Country: rencontres.Japan, Name: "Kenji MORI", NameJa: "森 健二", Email: "k.mori@example.org", Lang: rencontres.Japanese, Sent: &sent, Attempts: 1}}
	x, _ := xlsx(t, export.Recipients(export.Reader{P: cat.Printer(rencontres.French)}, list, tokyo))
	rows, err := x.GetRows("Destinataires")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(rows[1][:5], "|"), "3|Envoyé|Kumamoto|jp-431001|Japon"; got != want {
		t.Errorf("row starts %q, want %q", got, want)
	}
	if got := rows[1][column2(rows[0], "Envoyé le")]; got != "2026-05-01 17:30:00" {
		t.Errorf("sent %q, want Tokyo's wall clock", got)
	}
	if got := rows[1][column2(rows[0], "Langue")]; got != "Japonais" {
		t.Errorf("language %q", got)
	}
}
