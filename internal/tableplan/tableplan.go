// Package tableplan prints the table plan of an edition's one-to-one
// meetings (issue 17) as an A4 PDF: a header naming the edition and its
// days, then one row per meeting (time, table, the two authorities,
// whether an interpreter serves it), in time and table order, whose
// header row repeats on every page, and « Page 1 sur 2 » at the foot.
// Text is set in the letters' fonts (package letter) as the sign-in sheet
// is, so that names in both scripts print and can be copied out.
package tableplan

import (
	"fmt"
	"io"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/tablesheet"
)

// Plan is what a table plan prints, already in the reader's language.
type Plan struct {
	Kind  string // « Plan des tables »
	Title string // the edition's title
	When  string // its days
	Place string // its venue, may be empty
	// Columns are the table's headings: time, table, the two
	// authorities, interpreter.
	Columns [5]string
	Rows    []Row
	// Nobody is printed in place of rows when there are none.
	Nobody string
	// Page is the foot of page n of total.
	Page func(n, total int) string
}

// Row is one meeting.
type Row struct {
	When, Table string
	A, B        string
	Interpreter string
}

// widths are the five columns' in millimetres.
var widths = []float64{30, 20, 56, 56, 18}

const rowMin = 8.0

// Write prints the plan; its layout is package tablesheet's.
func Write(w io.Writer, f *letter.Fonts, s Plan) error {
	t := tablesheet.Sheet{Kind: s.Kind, Title: s.Title, When: s.When, Place: s.Place, Columns: s.Columns[:], Widths: widths, RowMin: rowMin,
		Nobody: s.Nobody, Page: s.Page}
	for _, r := range s.Rows {
		t.Rows = append(t.Rows, []tablesheet.Cell{tablesheet.Text(r.When, false), tablesheet.Text(r.Table, true),
			tablesheet.Text(r.A, false), tablesheet.Text(r.B, false), tablesheet.Text(r.Interpreter, false)})
	}
	if err := tablesheet.Write(w, f, t); err != nil {
		return fmt.Errorf("tableplan: %w", err)
	}
	return nil
}
