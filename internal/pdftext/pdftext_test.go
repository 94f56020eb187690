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
