package tableplan_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/badge"
	"github.com/rencontres/rencontres/internal/pdftext"
	"github.com/rencontres/rencontres/internal/tableplan"
)

// A plan of sixty meetings fills several A4 pages, each with the edition's
// header, the heading row and its number; every meeting is on it once,
// Japanese names included.
func TestPlanOnSeveralPages(t *testing.T) {
	fonts, err := badge.FindFonts()
	if err != nil {
		t.Skipf("fonts not installed: %v", err)
	}
	var rows []tableplan.Row
	for i := 1; i <= 60; i++ {
		rows = append(rows, tableplan.Row{When: fmt.Sprintf("5 oct. %02d:00", i%24), Table: fmt.Sprintf("T%02d", i),
			A: "Aix-en-Provence", B: "熊本市", Interpreter: "oui"})
	}
	plan := tableplan.Plan{Kind: "Plan des tables", Title: "7es Rencontres franco-japonaises", When: "du 3 au 6 octobre 2022",
		Columns: [5]string{"Heure", "Table", "Collectivité", "Collectivité", "Interprète"}, Rows: rows, Nobody: "Aucune rencontre placée.",
		Page: func(n, total int) string { return fmt.Sprintf("Page %d sur %d", n, total) }}
	var buf bytes.Buffer
	if err := tableplan.Write(&buf, fonts, plan); err != nil {
		t.Fatal(err)
	}
	texts := pdftext.Pages(t, buf.Bytes())
	if len(texts) < 2 {
		t.Fatalf("60 meetings on %d pages, want 2 or more", len(texts))
	}
	all := strings.Join(texts, "")
	for i, text := range texts {
		for _, want := range []string{"7es Rencontres franco-japonaises", "Interprète", fmt.Sprintf("Page %d sur %d", i+1, len(texts))} {
			if !strings.Contains(text, want) {
				t.Errorf("page %d lacks %q", i+1, want)
			}
		}
	}
	for i := 1; i <= 60; i++ {
		if n := strings.Count(all, fmt.Sprintf("T%02d", i)); n != 1 {
			t.Errorf("table T%02d is %d times on the plan, want once", i, n)
		}
	}
	if n := strings.Count(all, "熊本市"); n != 60 {
		t.Errorf("熊本市 is %d times on the plan, want 60", n)
	}
}
