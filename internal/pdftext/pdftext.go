// Package pdftext reads back the text of the PDFs the product writes
// (letters, badges, sign-in sheets), for tests: each page's text row by
// row, as a reader copying it from a viewer gets it.
package pdftext

import (
	"bytes"

	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
)

// Pages returns the text of each page of the PDF b, one line per row of
// text; a file that is no PDF fails the test.
func Pages(t testing.TB, b []byte) []string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a PDF: %v", err)
	}
	pages := make([]string, 0, r.NumPage())
	for i := 1; i <= r.NumPage(); i++ {
		rows, err := r.Page(i).GetTextByRow()
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		var sb strings.Builder
		for _, row := range rows {
			for _, w := range row.Content {
				sb.WriteString(w.S)
			}
			sb.WriteString("\n")
		}
		pages = append(pages, sb.String())
	}
	return pages
}

// Text returns the text of every page of the PDF b, one after the other.
func Text(t testing.TB, b []byte) string {
	t.Helper()
	return strings.Join(Pages(t, b), "")
}

// Drawn is a text as the PDF draws it (one text operation): its page
// (from 1), the left end of its first character, its baseline (PDF units,
// from the page's foot), its type size and its text. For layouts in
// columns, whose rows Pages runs together: the reader does not advance
// within a text in a font of two-byte codes, so only where each text
// starts is known.
type Drawn struct {
	Page int
	X, Y float64
	Size float64
	Text string
}

// Texts returns the texts of the PDF b in the order they are drawn.
func Texts(t testing.TB, b []byte) []Drawn {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a PDF: %v", err)
	}
	var out []Drawn
	for i := 1; i <= r.NumPage(); i++ {
		open := false
		for _, c := range r.Page(i).Content().Text {
			if c.S == "\ufffd" { // the reader ends each drawn text with it
				open = false
				continue
			}
			if !open {
				out = append(out, Drawn{Page: i, X: c.X, Y: c.Y, Size: c.FontSize})
				open = true
			}
			out[len(out)-1].Text += c.S
		}
	}
	return out
}

// Title returns the title of the PDF b from its document information.
func Title(t testing.TB, b []byte) string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a PDF: %v", err)
	}
	return r.Trailer().Key("Info").Key("Title").Text()
}
