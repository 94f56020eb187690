package partnershipimport_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/partnershipimport"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/sheet"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// exported writes the demo's partnerships as the export does, for a
// reader of lang (the API's when api), in format.
func exported(t *testing.T, st *store.Store, cat *i18n.Catalogue, lang rencontres.Lang, api bool, format string) []byte {
	t.Helper()
	list, err := st.AllPartnerships(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.Partnerships(export.Reader{P: cat.Printer(lang), API: api}, list).Write(&buf, format); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func csvRows(t *testing.T, data []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func csvBytes(rows [][]string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(rows)
	return buf.Bytes()
}

// The export read back changes nothing, in every language and both
// formats; one state edited and one row added are one update and one
// creation; a file with faults writes nothing and names each cell.
func TestRoundTrip(t *testing.T) {
	cat := i18n.MustLoad()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		before, err := st.AllPartnerships(ctx)
		if err != nil || len(before) < 2 {
			t.Fatalf("demo partnerships: %d, %v", len(before), err)
		}
		for _, tc := range []struct {
			lang   rencontres.Lang
			api    bool
			format string
		}{{rencontres.French, false, "csv"}, {rencontres.Japanese, false, "xlsx"}, {rencontres.English, false, "csv"},
			{rencontres.French, true, "xlsx"}, {rencontres.Japanese, false, "csv"}} {
			name := fmt.Sprintf("%s api=%v %s", tc.lang, tc.api, tc.format)
			pv, err := partnershipimport.Import(ctx, st, cat, exported(t, st, cat, tc.lang, tc.api, tc.format), sheet.Options{}, false)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !pv.Ready() || pv.Count[partnershipimport.Unchanged] != len(before) || len(pv.Rows) != len(before) {
				t.Errorf("%s: %v problems %v", name, pv.Count, pv.Problems)
			}
		}

		// One state edited, one row added, in the French CSV.
		rows := csvRows(t, exported(t, st, cat, rencontres.French, false, "csv"))
		fr := cat.Printer(rencontres.French)
		first := before[0]
		newState := rencontres.StateDormant
		if first.State == newState {
			newState = rencontres.StateInProject
		}
		rows[1][13] = fr.T("partnership_state." + string(newState))
		existing := map[rencontres.PartnershipKind]bool{}
		for _, p := range before {
			if (p.A == first.A && p.B == first.B) || (p.A == first.B && p.B == first.A) {
				existing[p.Kind] = true
			}
		}
		kind := rencontres.Jumelage
		for _, k := range []rencontres.PartnershipKind{rencontres.Jumelage, rencontres.PacteAmitie, rencontres.Convention, rencontres.ExchangeCity} {
			if !existing[k] {
				kind = k
				break
			}
		}
		added := make([]string, len(rows[0]))
		added[1], added[5], added[9], added[11], added[16] = first.B, first.A, fr.T(kind.MessageKey()), "2024", "Ajoutée à la main"
		rows = append(rows, added)
		edited := csvBytes(rows)
		pv, err := partnershipimport.Import(ctx, st, cat, edited, sheet.Options{}, true)
		if err != nil || !pv.Ready() || pv.Count[partnershipimport.Updated] != 1 || pv.Count[partnershipimport.Created] != 1 {
			t.Fatalf("dry run of the edit: %v %v %v", err, pv.Count, pv.Problems)
		}
		if after, _ := st.AllPartnerships(ctx); len(after) != len(before) {
			t.Fatalf("a dry run wrote: %d partnerships, want %d", len(after), len(before))
		}
		pv, err = partnershipimport.Import(ctx, st, cat, edited, sheet.Options{}, false)
		if err != nil || pv.Count[partnershipimport.Updated] != 1 || pv.Count[partnershipimport.Created] != 1 ||
			pv.Count[partnershipimport.Unchanged] != len(before)-1 {
			t.Fatalf("the edit: %v %v %v", err, pv.Count, pv.Problems)
		}
		got, err := st.Partnership(ctx, first.ID)
		if err != nil || got.State != newState || got.Year != first.Year || got.Note.In(rencontres.French) != first.Note.In(rencontres.French) {
			t.Errorf("edited partnership: %+v, %v", got, err)
		}
		after, _ := st.AllPartnerships(ctx)
		if len(after) != len(before)+1 {
			t.Fatalf("%d partnerships after the edit, want %d", len(after), len(before)+1)
		}
		pv, err = partnershipimport.Import(ctx, st, cat, edited, sheet.Options{}, false)
		if err != nil || pv.Count[partnershipimport.Unchanged] != len(after) {
			t.Errorf("the edit imported twice: %v %v %v", err, pv.Count, pv.Problems)
		}

		// A bad file: every fault at its cell, nothing written.
		rows = csvRows(t, exported(t, st, cat, rencontres.English, false, "csv"))
		rows[1][1] = "fr-00000"      // line 2, column B: unknown key
		rows[2][11] = "19x2"         // line 3, column L: bad year
		rows[3][13] = "lost"         // line 4, column N: unknown state
		rows[4][5] = rows[4][1]      // line 5, column F: same authority twice
		rows = append(rows, rows[6]) // line N: the same pair twice
		rows[7][9] = "marriage"      // line 8, column J: unknown kind
		dup := len(rows)
		pv, err = partnershipimport.Import(ctx, st, cat, csvBytes(rows), sheet.Options{}, false)
		if err != nil || pv.Ready() {
			t.Fatalf("bad file: %v %v", err, pv)
		}
		en := cat.Printer(rencontres.English)
		var msgs []string
		for _, pr := range pv.Problems {
			msgs = append(msgs, pr.Message(en, pv.Headers))
		}
		all := strings.Join(msgs, "\n")
		for _, want := range []string{"Line 2, column B", "fr-00000", "Line 3, column L", "“19x2” is not a year",
			"Line 4, column N", "“lost” is not a state", "Line 5, column F", "cannot be its own partner",
			fmt.Sprintf("Line %d, column F", dup), "already on line 7", "Line 8, column J", "“marriage” is not a kind"} {
			if !strings.Contains(all, want) {
				t.Errorf("bad file: no %q in\n%s", want, all)
			}
		}
		if now, _ := st.AllPartnerships(ctx); len(now) != len(after) {
			t.Errorf("a refused file wrote: %d partnerships, want %d", len(now), len(after))
		}
	})
}
