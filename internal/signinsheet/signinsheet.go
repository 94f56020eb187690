// Package signinsheet prints an event's sign-in sheet (« feuille
// d'émargement », 署名簿) as an A4 PDF: a header naming the meeting, its
// day and place on every page, a table of one row per person (number,
// name in Latin script with the name in Japanese script and kana below
// it, authority, function, an empty box to sign) whose header row repeats
// on every page, and « Page 1 sur 3 » at the foot. Text is set in Noto
// Sans JP, embedded as a subset and measured and broken into lines by the
// letters' engine (package letter), as badges are, so that names in both
// scripts print and can be copied out of the file. The sheet's layout is
// package tablesheet's.
package signinsheet

import (
	"fmt"
	"io"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/tablesheet"
)

// Sheet is what a sign-in sheet prints, already in the reader's language.
type Sheet struct {
	Kind  string // « Feuille d'émargement »
	Title string // the event's title
	When  string // its day and hours
	Place string // its venue and address, may be empty
	// Columns are the table's headings: number, person, authority,
	// function, signature.
	Columns [5]string
	Rows    []Row
	// Nobody is printed in place of rows when there are none.
	Nobody string
	// Page is the foot of page n of total.
	Page func(n, total int) string
}

// Row is one person.
type Row struct {
	Name      string // in Latin script: DUVAL Claire
	OtherName string // in Japanese script with its kana: 森 健二（もり けんじ）
	Authority string
	Function  string
}

// widths are the five columns' in millimetres; rowMin leaves room for a
// signature however short the names.
var widths = []float64{8, 54, 40, 42, 36}

const rowMin = 13.0

// Write prints the sheet.
func Write(w io.Writer, f *letter.Fonts, s Sheet) error {
	t := tablesheet.Sheet{Kind: s.Kind, Title: s.Title, When: s.When, Place: s.Place, Columns: s.Columns[:], Widths: widths, RowMin: rowMin,
		Nobody: s.Nobody, Page: s.Page}
	for n, r := range s.Rows {
		t.Rows = append(t.Rows, []tablesheet.Cell{
			tablesheet.Text(fmt.Sprint(n+1), false),
			{{Text: r.Name, Bold: true}, {Text: r.OtherName}},
			tablesheet.Text(r.Authority, false),
			tablesheet.Text(r.Function, false),
		})
	}
	if err := tablesheet.Write(w, f, t); err != nil {
		return fmt.Errorf("signinsheet: %w", err)
	}
	return nil
}
