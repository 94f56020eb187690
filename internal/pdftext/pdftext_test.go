package pdftext_test

import (
	"strings"
	"testing"

	"github.com/signintech/gopdf"

	"github.com/rencontres/rencontres/internal/fonts"
	"github.com/rencontres/rencontres/internal/pdftext"
)

// A PDF of two pages written with the product's PDF library and font
// reads back page by page, Japanese included.
func TestPages(t *testing.T) {
	files, err := fonts.Find(fonts.SerifJP)
	if err != nil {
		t.Fatal(err)
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	if err := pdf.AddTTFFont("serif", files.Regular); err != nil {
		t.Fatal(err)
	}
	if err := pdf.SetFont("serif", "", 14); err != nil {
		t.Fatal(err)
	}
	for _, lines := range [][]string{{"Page un", "熊本市"}, {"Page deux"}} {
		pdf.AddPage()
		for i, l := range lines {
			pdf.SetXY(50, 50+float64(i)*30)
			if err := pdf.Text(l); err != nil {
				t.Fatal(err)
			}
		}
	}
	b := pdf.GetBytesPdf()
	pages := pdftext.Pages(t, b)
	if len(pages) != 2 || !strings.Contains(pages[0], "Page un") || !strings.Contains(pages[0], "熊本市") || pages[1] != "Page deux\n" {
		t.Errorf("pages = %q", pages)
	}
	if got := pdftext.Text(t, b); !strings.HasSuffix(got, "熊本市\nPage deux\n") {
		t.Errorf("text = %q", got)
	}
}

// Texts drawn side by side on one baseline read back apart, each with
// where it starts: the columns of a two-language document.
func TestTexts(t *testing.T) {
	files, err := fonts.Find(fonts.SerifJP)
	if err != nil {
		t.Fatal(err)
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: *gopdf.PageSizeA4})
	if err := pdf.AddTTFFont("serif", files.Regular); err != nil {
		t.Fatal(err)
	}
	if err := pdf.SetFont("serif", "", 10); err != nil {
		t.Fatal(err)
	}
	pdf.AddPage()
	for _, d := range []pdftext.Drawn{{X: 50, Y: 100, Text: "Article 1"}, {X: 300, Y: 100, Text: "第1条"}, {X: 50, Y: 116, Text: "Texte"}} {
		pdf.SetXY(d.X, d.Y)
		if err := pdf.Text(d.Text); err != nil {
			t.Fatal(err)
		}
	}
	got := pdftext.Texts(t, pdf.GetBytesPdf())
	if len(got) != 3 {
		t.Fatalf("texts = %+v", got)
	}
	for i, want := range []struct {
		x    float64
		text string
	}{{50, "Article 1"}, {300, "第1条"}, {50, "Texte"}} {
		if got[i].Page != 1 || got[i].Text != want.text || got[i].X < want.x-0.5 || got[i].X > want.x+0.5 || got[i].Size != 10 {
			t.Errorf("text %d = %+v, want %q at x %v", i, got[i], want.text, want.x)
		}
	}
	if got[0].Y != got[1].Y || got[2].Y >= got[0].Y {
		t.Errorf("baselines %v %v %v: the first two side by side, the third below", got[0].Y, got[1].Y, got[2].Y)
	}
}
