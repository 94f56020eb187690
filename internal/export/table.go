// Package export writes the product's lists as files people open: CSV
// and Excel workbooks. A Table holds typed values (numbers, instants,
// calendar days, booleans, text), so that a workbook stores numbers as
// numbers and dates as dates, and a CSV writes them the same way every
// time: the same data gives the same bytes. The tables of the
// registrations, the attendance lists and the campaigns' recipients are
// built here too, once for the pages (headers and words in the reader's
// language) and the API (stable keys and values).
package export

import (
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Content types of the two formats.
const (
	CSVType  = "text/csv; charset=utf-8"
	XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// Column is one column of a table: its stable key, and its title in the
// reader's language (the key when there is none).
type Column struct {
	Key   string
	Title string
}

// Table is a list to export. A row's values are string, int, int64,
// float64, bool, time.Time (an instant, written at the wall clock of its
// location), rencontres.Date (a calendar day) or nil (an empty cell).
type Table struct {
	// Sheet names the workbook's sheet; "Sheet1" when empty.
	Sheet   string
	Columns []Column
	Rows    [][]any
	// Yes and No are the words booleans are written as for a reader.
	// Without them the table is the API's: booleans are true and false
	// (a workbook's own booleans) and a CSV writes instants in RFC 3339.
	Yes, No string
	// Modified is the date the workbook's properties give, taken from the
	// data rather than the clock so that the same data gives the same
	// bytes.
	Modified time.Time
}

// Excel's formats for the typed cells: ISO dates read the same in every
// language the product speaks.
const (
	dateFormat     = "yyyy-mm-dd"
	dateTimeFormat = "yyyy-mm-dd hh:mm:ss"
)

// stable reports whether the table is the API's.
func (t *Table) stable() bool { return t.Yes == "" && t.No == "" }

// headers are the titles of the columns, or their keys for the API.
func (t *Table) headers() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Key
		if c.Title != "" && !t.stable() {
			out[i] = c.Title
		}
	}
	return out
}

// text is how a value reads in a CSV cell.
func (t *Table) text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		switch {
		case t.stable():
			return strconv.FormatBool(v)
		case v:
			return t.Yes
		}
		return t.No
	case time.Time:
		if t.stable() {
			return v.Format(time.RFC3339)
		}
		return v.Format("2006-01-02 15:04:05")
	case rencontres.Date:
		return v.String()
	}
	return fmt.Sprint(v)
}

// WriteCSV writes the table as CSV in UTF-8 with a byte-order mark, which
// Excel needs to read Japanese names intact.
func (t *Table) WriteCSV(w io.Writer) error { return t.Write(w, "csv") }

// WriteXLSX writes the table as an Excel workbook of one sheet: numbers
// are numbers, instants and days are dates with a date format, the header
// is bold and stays in view as the list scrolls.
func (t *Table) WriteXLSX(w io.Writer) error { return t.Write(w, "xlsx") }

// widthsOf sizes each column to its longest value in rows, in characters
// (a Japanese one counts two), between 6 and 60: a date in a narrow column
// shows as ####.
func (t *Table) widthsOf(rows [][]any) []float64 {
	out := make([]float64, len(t.Columns))
	measure := func(i int, s string) {
		n := 0
		for _, r := range s {
			n++
			if utf8.RuneLen(r) > 2 {
				n++
			}
		}
		out[i] = min(max(out[i], float64(n)+2), 60)
	}
	for i, h := range t.headers() {
		out[i] = 6
		measure(i, h)
	}
	for _, row := range rows {
		for i, v := range row {
			if i < len(out) {
				measure(i, t.text(v))
			}
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// ContentType is the media type of a format ("csv" or "xlsx"), "" for
// another.
func ContentType(format string) string {
	switch format {
	case "csv":
		return CSVType
	case "xlsx":
		return XLSXType
	}
	return ""
}

// Write writes the table in a format, "csv" or "xlsx" (any other is CSV).
func (t *Table) Write(w io.Writer, format string) error {
	if format != "xlsx" {
		format = "csv"
	}
	return NewWriter(w, format, t).Close()
}
