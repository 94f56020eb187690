package export

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"io"
	"slices"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/xuri/excelize/v2"
)

// widthRows is the number of rows a Writer measures its columns' widths on
// before it writes any: a workbook's widths come before its rows, and a
// long list is not held to measure it whole.
const widthRows = 500

// Writer writes a table row by row as the rows are read, so that an
// export's memory does not grow with the list: a CSV goes straight to its
// writer; a workbook's sheet goes through excelize's stream writer (in
// memory up to 16 MB, then in a temporary file) and its zip straight to
// the writer. The first 500 rows are held to size the columns.
type Writer struct {
	t       *Table
	format  string
	w       io.Writer
	pending [][]any
	started bool
	n       int

	csv *csv.Writer
	buf *bufio.Writer

	x                  *excelize.File
	sw                 *excelize.StreamWriter
	bold, day, instant int
}

// NewWriter starts writing table t's columns and words (its Rows are
// written first, if any) in format, "csv" or "xlsx".
func NewWriter(w io.Writer, format string, t *Table) *Writer {
	return &Writer{t: t, format: format, w: w, pending: slices.Clone(t.Rows)}
}

// Row writes one row, in the order of the table's columns.
func (w *Writer) Row(row []any) error {
	if !w.started {
		w.pending = append(w.pending, row)
		if len(w.pending) < widthRows {
			return nil
		}
		return w.start()
	}
	return w.write(row)
}

// Close writes what remains; the file is whole once it returns nil.
func (w *Writer) Close() error {
	if !w.started {
		if err := w.start(); err != nil {
			return err
		}
	}
	if w.format == "xlsx" {
		defer w.x.Close()
		if err := w.sw.Flush(); err != nil {
			return err
		}
		// The zip is written to w as it is made, not gathered in a
		// buffer first (excelize's Write would): the buffer it returns
		// stays empty.
		w.x.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w.w) })
		_, err := w.x.WriteToBuffer()
		return err
	}
	w.csv.Flush()
	if err := w.csv.Error(); err != nil {
		return err
	}
	return w.buf.Flush()
}

// start writes the header, sized on the rows held, then those rows.
func (w *Writer) start() error {
	w.started = true
	widths := w.t.widthsOf(w.pending)
	var err error
	if w.format == "xlsx" {
		err = w.startXLSX(widths)
	} else {
		w.buf = bufio.NewWriterSize(w.w, 32<<10)
		w.buf.WriteString("\ufeff")
		w.csv = csv.NewWriter(w.buf)
		err = w.csv.Write(w.t.headers())
	}
	if err != nil {
		return err
	}
	for _, row := range w.pending {
		if err := w.write(row); err != nil {
			return err
		}
	}
	w.pending = nil
	return nil
}

func (w *Writer) startXLSX(widths []float64) error {
	t := w.t
	w.x = excelize.NewFile()
	sheet := t.Sheet
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := w.x.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	stamp := t.Modified
	if stamp.IsZero() {
		stamp = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	stampText := stamp.UTC().Format(time.RFC3339)
	if err := w.x.SetDocProps(&excelize.DocProperties{Creator: "Rencontres", Created: stampText, Modified: stampText}); err != nil {
		return err
	}
	var err error
	if w.bold, err = w.x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return err
	}
	if w.day, err = w.x.NewStyle(&excelize.Style{CustomNumFmt: ptr(dateFormat)}); err != nil {
		return err
	}
	if w.instant, err = w.x.NewStyle(&excelize.Style{CustomNumFmt: ptr(dateTimeFormat)}); err != nil {
		return err
	}
	if w.sw, err = w.x.NewStreamWriter(sheet); err != nil {
		return err
	}
	for i, width := range widths {
		if err := w.sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := w.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(t.Columns))
	for i, h := range t.headers() {
		header[i] = excelize.Cell{StyleID: w.bold, Value: h}
	}
	return w.sw.SetRow("A1", header)
}

// write writes a row once the header is written.
func (w *Writer) write(row []any) error {
	w.n++
	if w.format != "xlsx" {
		cells := make([]string, len(row))
		for i, v := range row {
			cells[i] = w.t.text(v)
		}
		return w.csv.Write(cells)
	}
	cells := make([]any, len(row))
	for i, v := range row {
		switch v := v.(type) {
		case time.Time:
			cells[i] = excelize.Cell{StyleID: w.instant, Value: v}
		case rencontres.Date:
			cells[i] = excelize.Cell{StyleID: w.day, Value: v.Time(time.UTC)}
		case bool:
			if w.t.stable() {
				cells[i] = v
			} else {
				cells[i] = w.t.text(v)
			}
		case string:
			if v != "" {
				cells[i] = v
			}
		default:
			cells[i] = v
		}
	}
	cell, _ := excelize.CoordinatesToCellName(1, w.n+1)
	return w.sw.SetRow(cell, cells)
}

// Rows gives the rows of a streamed table one at a time to yield, in the
// list's order, as a store reads them from the database; it stops at the
// first error yield returns.
type Rows func(yield func(row []any) error) error

// Stream writes the table's columns, then each row rows gives as it comes,
// in a format ("csv" or "xlsx"), through a Writer: memory stays flat however
// long the list.
func (t *Table) Stream(w io.Writer, format string, rows Rows) error {
	out := NewWriter(w, format, t)
	if err := rows(out.Row); err != nil {
		return err
	}
	return out.Close()
}
