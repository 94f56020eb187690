package server

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
	"github.com/xuri/excelize/v2"
)

// sheetRows opens a downloaded workbook and returns it with the rows of
// its one sheet, the header first, checking that the sheet has the name
// given.
func sheetRows(t *testing.T, b []byte, sheet string) (*excelize.File, [][]string) {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	if got := x.GetSheetList(); len(got) != 1 || got[0] != sheet {
		t.Fatalf("sheets %q, want [%s]", got, sheet)
	}
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return x, rows
}

func indexOf(header []string, title string) int {
	for i, h := range header {
		if h == title {
			return i
		}
	}
	return -1
}

// The 7th edition's registrations exported from the secretariat's page in
// French and Japanese, and from the API: one column per extra question
// titled in the reader's language, authorities by name with their key
// beside, ids as numbers, dates as Excel dates at Paris time, yes and no
// in words; every download of the same data is the same file.
func TestRegistrationsExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		sec := rencontres.Secretariat
		form, err := st.RegistrationForm(ctx, f.edition)
		if err != nil {
			t.Fatal(err)
		}
		people, err := st.Registrations(ctx, rencontres.RegistrationFilter{EventID: f.edition})
		if err != nil || len(people) < 10 {
			t.Fatalf("the demo's registrations: %d, %v", len(people), err)
		}
		byID := map[int64]*rencontres.Registration{}
		for _, r := range people {
			byID[r.ID] = r
		}
		paris, _ := time.LoadLocation("Europe/Paris")
		orgKey := regexp.MustCompile(`^(fr|jp)-`)

		for _, tc := range []struct {
			lang                         rencontres.Lang
			sheet, id, org, key, created string
			yes, no                      string
		}{
			{rencontres.French, "Inscriptions", "N° d’inscription", "Collectivité", "Identifiant de la collectivité", "Date d’inscription", "Oui", "Non"},
			{rencontres.Japanese, "参加登録", "登録番号", "自治体", "自治体コード", "登録日時", "はい", "いいえ"},
		} {
			page := fmt.Sprintf("/%s/events/%d/registrations", tc.lang, f.edition)
			for _, format := range []string{"xlsx", "csv"} {
				var first []byte
				for i := range 5 {
					code, b, _ := f.call(t, sec, "GET", page+"?format="+format, nil)
					if code != 200 {
						t.Fatalf("%s %s: %d", page, format, code)
					}
					if i == 0 {
						first = b
					} else if !bytes.Equal(b, first) {
						t.Fatalf("%s %s: download %d differs from the first", tc.lang, format, i+1)
					}
				}
			}
			_, b, _ := f.call(t, sec, "GET", page+"?format=xlsx", nil)
			x, rows := sheetRows(t, b, tc.sheet)
			head := rows[0]
			idCol, orgCol, keyCol, createdCol := indexOf(head, tc.id), indexOf(head, tc.org), indexOf(head, tc.key), indexOf(head, tc.created)
			if idCol != 0 || orgCol < 0 || keyCol < 0 || createdCol < 0 {
				t.Fatalf("%s header: %q", tc.lang, head)
			}
			answerCols := map[string]int{}
			for _, q := range form.Questions {
				if answerCols[q.Key] = indexOf(head, q.Label.In(tc.lang)); answerCols[q.Key] < 0 {
					t.Errorf("%s: no column titled %q", tc.lang, q.Label.In(tc.lang))
				}
			}
			if len(rows) != len(people)+1 {
				t.Fatalf("%s: %d rows for %d people", tc.lang, len(rows)-1, len(people))
			}
			yesNo := map[string]string{"yes": tc.yes, "no": tc.no}
			for n, row := range rows[1:] {
				cell := func(col int) string {
					name, _ := excelize.CoordinatesToCellName(col+1, n+2)
					return name
				}
				id, _ := strconv.ParseInt(row[idCol], 10, 64)
				r := byID[id]
				if r == nil {
					t.Fatalf("%s row %d: id %q is no registration", tc.lang, n+2, row[idCol])
				}
				if typ, _ := x.GetCellType(tc.sheet, cell(idCol)); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
					t.Errorf("%s row %d: the id is of type %v, not a number", tc.lang, n+2, typ)
				}
				org, _ := st.Organisation(ctx, r.OrgKey)
				if row[orgCol] != org.Name.In(tc.lang) || orgKey.MatchString(row[orgCol]) || row[keyCol] != r.OrgKey {
					t.Errorf("%s row %d: authority %q, key %q; want %q, %q", tc.lang, n+2, row[orgCol], row[keyCol], org.Name.In(tc.lang), r.OrgKey)
				}
				raw, _ := x.GetCellValue(tc.sheet, cell(createdCol), excelize.Options{RawCellValue: true})
				if _, err := strconv.ParseFloat(raw, 64); err != nil {
					t.Errorf("%s row %d: the date of registration %q is not an Excel date", tc.lang, n+2, raw)
				}
				if got, want := row[createdCol], r.Created.In(paris).Format("2006-01-02 15:04:05"); got != want {
					t.Errorf("%s row %d: registered %q, want %q (Paris time)", tc.lang, n+2, got, want)
				}
				for _, q := range form.Questions {
					if q.Kind != rencontres.YesNoQuestion || answerCols[q.Key] < 0 {
						continue
					}
					got := ""
					if c := answerCols[q.Key]; c < len(row) {
						got = row[c]
					}
					if want := yesNo[r.Answers[q.Key]]; got != want {
						t.Errorf("%s row %d: %s = %q, want %q", tc.lang, n+2, q.Key, got, want)
					}
				}
			}
		}

		// The API keeps stable keys and its own words, in its CSV too.
		code, b, _ := f.call(t, sec, "GET", fmt.Sprintf("/api/v1/events/%d/registrations?format=xlsx", f.edition), nil)
		if code != 200 {
			t.Fatalf("API xlsx: %d %s", code, b)
		}
		_, rows := sheetRows(t, b, "Sheet1")
		if rows[0][0] != "id" || indexOf(rows[0], "organisation_name") < 0 || indexOf(rows[0], "answers.shuttle") < 0 {
			t.Errorf("API header: %q", rows[0])
		}
		code, b, _ = f.call(t, sec, "GET", fmt.Sprintf("/api/v1/events/%d/registrations?format=csv", f.edition), nil)
		if code != 200 || !bytes.HasPrefix(b, []byte("\ufeffid,status,waitlist_position,organisation_name,organisation,")) {
			t.Errorf("API CSV: %d %.80s", code, b)
		}

		// The visit's attendance list as a workbook, linked from its page:
		// the waiting people's places are numbers.
		visit := f.sessionsOf(t, f.edition)["visit Visite technique : le Grand Site Sainte-Victoire"]
		attendance := fmt.Sprintf("/fr/events/%d/sessions/%d/attendance", f.edition, visit.ID)
		if _, b, _ := f.call(t, sec, "GET", attendance, nil); !bytes.Contains(b, []byte(`href="`+attendance+`?format=xlsx"`)) {
			t.Errorf("the attendance page does not link its workbook")
		}
		code, b, _ = f.call(t, sec, "GET", attendance+"?format=xlsx", nil)
		if code != 200 {
			t.Fatalf("attendance xlsx: %d", code)
		}
		x, rows := sheetRows(t, b, "Liste de présence")
		last := len(rows)
		if rows[0][1] != "Rang en liste d’attente de la session" || rows[last-1][1] == "" {
			t.Fatalf("attendance rows: %q", rows)
		}
		if typ, _ := x.GetCellType("Liste de présence", fmt.Sprintf("B%d", last)); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("the last place is of type %v", typ)
		}
	})
}
