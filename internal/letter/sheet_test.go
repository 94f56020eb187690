package letter_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/pdftext"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Another document sets text with the letters' typography and breaking:
// French spaces, lines within the column, no Japanese line starting with
// 、 or 。, and a PDF that reads back.
func TestSheet(t *testing.T) {
	f, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	if got := letter.Typeset(`Objet: les "jumelages"`, rencontres.French, 0).String(); got != "Objet\u00a0: les «\u00a0jumelages\u00a0»" {
		t.Errorf("Typeset = %q", got)
	}
	s := letter.NewSheet(f)
	s.AddPage()
	fr := s.Wrap([]letter.Line{letter.Typeset("Les collectivités signataires favorisent les échanges entre leurs entreprises: salons, missions.", rencontres.French, 0)}, 10, 150)
	ja := s.Wrap([]letter.Line{letter.Typeset("署名自治体は、見本市、経済使節団及び「経済姉妹都市」を通じて、企業間の交流を促進する。", rencontres.Japanese, 0)}, 10, 101)
	if len(fr) < 3 || len(ja) < 3 {
		t.Fatalf("not wrapped: %d and %d lines", len(fr), len(ja))
	}
	for i, sl := range append(fr, ja...) {
		width := 150.0
		if i >= len(fr) {
			width = 101
		}
		if w := s.Width(sl.Text(), false, 10); w > width+0.01 {
			t.Errorf("line %q is %.1f wide, more than %v", sl.Text(), w, width)
		}
		if strings.HasPrefix(sl.Text(), "、") || strings.HasPrefix(sl.Text(), "。") || strings.HasPrefix(sl.Text(), ":") {
			t.Errorf("line %q starts with a mark kinsoku or French forbids", sl.Text())
		}
		s.Draw(sl, 50, 50+16*float64(i), width, 16, letter.AlignJustify, letter.Black)
	}
	s.Text(0, "1 / 1", 280, 820, 8, false, letter.Grey)
	var buf bytes.Buffer
	if err := s.WritePDF(&buf, "Essai"); err != nil {
		t.Fatal(err)
	}
	text := squash(pdftext.Text(t, buf.Bytes()))
	for _, want := range []string{"entreprises:salons", "「経済姉妹都市」", "1/1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q: %s", want, text)
		}
	}
}
