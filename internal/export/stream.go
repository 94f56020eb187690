package export

import (
	"bufio"
	"encoding/csv"
	"io"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/xuri/excelize/v2"
)

// Rows gives the rows of a streamed table one at a time to yield, in the
// list's order, as a store reads them from the database; it stops at the
// first error yield returns.
type Rows func(yield func(row []any) error) error

// streamWidth is the width of every column of a streamed workbook, whose
// rows are not known when the columns are sized: an instant fits.
const streamWidth = 22

// Stream writes the table's columns, then each row rows gives as it comes,
// in a format ("csv" or "xlsx"): the rows are never held together, so that
// memory stays flat however long the list. t.Rows is not read. Without a
// Modified date, a workbook takes the latest instant of its rows.
func (t *Table) Stream(w io.Writer, format string, rows Rows) error {
	if format == "xlsx" {
		return t.streamXLSX(w, rows)
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.Write(t.headers())
	cells := make([]string, len(t.Columns))
	err := rows(func(row []any) error {
		cells = cells[:0]
		for _, v := range row {
			cells = append(cells, t.text(v))
		}
		return cw.Write(cells)
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

// streamXLSX writes a workbook of one sheet through excelize's stream
// writer, which keeps the sheet's rows in a temporary file rather than
// in memory.
func (t *Table) streamXLSX(w io.Writer, rows Rows) error {
	x := excelize.NewFile()
	defer x.Close()
	sheet := t.Sheet
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	day, err := x.NewStyle(&excelize.Style{CustomNumFmt: ptr(dateFormat)})
	if err != nil {
		return err
	}
	instant, err := x.NewStyle(&excelize.Style{CustomNumFmt: ptr(dateTimeFormat)})
	if err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, max(len(t.Columns), 1), streamWidth); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(t.Columns))
	for i, h := range t.headers() {
		header[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	stamp, n := t.Modified, 1
	err = rows(func(row []any) error {
		cells := make([]any, len(row))
		for i, v := range row {
			switch v := v.(type) {
			case time.Time:
				if t.Modified.IsZero() && v.After(stamp) {
					stamp = v
				}
				cells[i] = excelize.Cell{StyleID: instant, Value: v}
			case rencontres.Date:
				cells[i] = excelize.Cell{StyleID: day, Value: v.Time(time.UTC)}
			case bool:
				if t.stable() {
					cells[i] = v
				} else {
					cells[i] = t.text(v)
				}
			case string:
				if v != "" {
					cells[i] = v
				}
			default:
				cells[i] = v
			}
		}
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if stamp.IsZero() {
		stamp = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	stampText := stamp.UTC().Format(time.RFC3339)
	if err := x.SetDocProps(&excelize.DocProperties{Creator: "Rencontres", Created: stampText, Modified: stampText}); err != nil {
		return err
	}
	return x.Write(w)
}
