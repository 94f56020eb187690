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
