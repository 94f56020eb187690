package signinsheet_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/badge"
	"github.com/rencontres/rencontres/internal/pdftext"
	"github.com/rencontres/rencontres/internal/signinsheet"
)

func sheet(rows []signinsheet.Row) signinsheet.Sheet {
	return signinsheet.Sheet{
		Kind: "Feuille d’émargement", Title: "1re réunion du comité de pilotage large français",
		When: "lundi 18 septembre 2023, de 16h30 à 18h00", Place: "Cité des Sciences et de l’Industrie, 30 avenue Corentin-Cariou, 75019 Paris",
		Columns: [5]string{"#", "Personne", "Collectivité", "Fonction", "Signature"}, Rows: rows,
		Nobody: "Personne n’a encore de place à cet événement.",
		Page:   func(n, total int) string { return fmt.Sprintf("Page %d sur %d", n, total) },
	}
}

// A sheet of seventy people fills several A4 pages, each with the
// meeting's header, the table's heading row and its number out of all;
// every person is on it once, in both scripts where they have two.
func TestSheetOnSeveralPages(t *testing.T) {
	fonts, err := badge.FindFonts()
	if err != nil {
		t.Skipf("fonts not installed: %v", err)
	}
	var rows []signinsheet.Row
	for i := 1; i <= 70; i++ {
		r := signinsheet.Row{Name: fmt.Sprintf("PERSONNE%02d Claire", i), Authority: "Aix-en-Provence", Function: "Adjointe au maire déléguée aux relations internationales"}
		if i%2 == 0 {
			r = signinsheet.Row{Name: fmt.Sprintf("MORI%02d Kenji", i), OtherName: "森 健二（もり けんじ）", Authority: "熊本市", Function: "国際課長"}
		}
		rows = append(rows, r)
	}
	var buf bytes.Buffer
	if err := signinsheet.Write(&buf, fonts, sheet(rows)); err != nil {
		t.Fatal(err)
	}
	texts := pdftext.Pages(t, buf.Bytes())
	if len(texts) < 3 {
		t.Fatalf("70 people on %d pages, want 3 or more", len(texts))
	}
	all := strings.Join(texts, "")
	for i, text := range texts {
		for _, want := range []string{"1re réunion du comité de pilotage large français", "lundi 18 septembre 2023", "Collectivité", "Signature",
			fmt.Sprintf("Page %d sur %d", i+1, len(texts))} {
			if !strings.Contains(text, want) {
				t.Errorf("page %d lacks %q:\n%s", i+1, want, text)
			}
		}
	}
	for i := 1; i <= 70; i++ {
		name := fmt.Sprintf("PERSONNE%02d Claire", i)
		if i%2 == 0 {
			name = fmt.Sprintf("MORI%02d Kenji", i)
		}
		if n := strings.Count(all, name); n != 1 {
			t.Errorf("%s is %d times on the sheet, want once", name, n)
		}
	}
	if n := strings.Count(all, "森 健二（もり けんじ）"); n != 35 {
		t.Errorf("the name in Japanese script is on the sheet %d times, want 35", n)
	}
}

// A sheet without anyone is one page that says so.
func TestEmptySheet(t *testing.T) {
	fonts, err := badge.FindFonts()
	if err != nil {
		t.Skipf("fonts not installed: %v", err)
	}
	var buf bytes.Buffer
	if err := signinsheet.Write(&buf, fonts, sheet(nil)); err != nil {
		t.Fatal(err)
	}
	texts := pdftext.Pages(t, buf.Bytes())
	if len(texts) != 1 || !strings.Contains(texts[0], "Personne n’a encore de place") || !strings.Contains(texts[0], "Page 1 sur 1") {
		t.Errorf("the empty sheet: %q", texts)
	}
}
