// Package tablesheet prints an A4 sheet of one table: a header naming
// the document's kind, the event's title, its day and place on every
// page, a table whose heading row repeats on every page, and « Page 1 sur
// 3 » at the foot. Text is set in the letters' fonts (package letter),
// embedded as subsets and measured and broken into lines by its engine,
// so that names in both scripts print and can be copied out of the file.
// The sign-in sheet (package signinsheet) and the meetings' table plan
// (package tableplan) are two such sheets.
package tablesheet

import (
	"fmt"
	"io"
	"strings"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/signintech/gopdf"
)

// Sheet is what a sheet prints, already in the reader's language.
type Sheet struct {
	Kind  string // « Feuille d'émargement », « Plan des tables »
	Title string // the event's title
	When  string // its day and hours
	Place string // its venue and address, may be empty
	// Columns are the table's headings, Widths their widths in
	// millimetres, which fill the 180 mm between the margins.
	Columns []string
	Widths  []float64
	// RowMin is the least height of a row in millimetres (room to sign).
	RowMin float64
	Rows   [][]Cell
	// Nobody is printed in place of rows when there are none.
	Nobody string
	// Page is the foot of page n of total.
	Page func(n, total int) string
}

// Cell is a cell's texts, each broken into lines on its own: a name in
// bold, then the name in Japanese script below it.
type Cell []Part

// Part is a text of a cell.
type Part struct {
	Text string
	Bold bool
}

// Text is a cell of one text.
func Text(s string, bold bool) Cell { return Cell{{Text: s, Bold: bold}} }

// The page, in millimetres: A4 with 15 mm margins.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 15.0
	footH        = 10.0
	pad          = 1.6
	mmPerPt      = 25.4 / 72
)

// Sizes in points.
const (
	kindSize  = 9.0
	titleSize = 14.0
	factSize  = 9.5
	headSize  = 8.5
	cellSize  = 9.5
	footSize  = 8.0
)

// lineH is the height in millimetres of a line set at size points.
func lineH(size float64) float64 { return size * 0.45 }

// cell is a table cell's lines, each set bold or not.
type cell struct {
	lines []string
	bold  []bool
}

// layout is what is measured before anything is drawn: the header's
// lines, each row's cells and height, and which rows go on which page,
// so that the foot can say how many pages there are.
type layout struct {
	title, facts []string
	head         []cell
	headH        float64
	rows         [][]cell
	heights      []float64
	pages        [][]int
	top          float64 // where the table starts on every page
}

func (s *Sheet) measure(f *letter.Fonts) *layout {
	lo := &layout{}
	inner := (pageW - 2*margin) / mmPerPt
	lo.title = wrap(f, s.Title, true, titleSize, inner)
	for _, fact := range []string{s.When, s.Place} {
		lo.facts = append(lo.facts, wrap(f, fact, false, factSize, inner)...)
	}
	lo.top = margin + lineH(kindSize) + 1 + float64(len(lo.title))*lineH(titleSize) + 1 + float64(len(lo.facts))*lineH(factSize) + 4
	cellWidth := func(i int) float64 { return (s.Widths[i] - 2*pad) / mmPerPt }
	measure := func(c Cell, i int, size float64) cell {
		var out cell
		for _, p := range c {
			l := wrap(f, p.Text, p.Bold, size, cellWidth(i))
			out.lines = append(out.lines, l...)
			out.bold = append(out.bold, repeat(p.Bold, len(l))...)
		}
		return out
	}
	for i, c := range s.Columns {
		lo.head = append(lo.head, measure(Text(c, true), i, headSize))
		lo.headH = max(lo.headH, float64(len(lo.head[i].lines))*lineH(headSize)+2*pad)
	}
	for _, r := range s.Rows {
		cs := make([]cell, len(s.Columns))
		h := s.RowMin
		for i := range cs {
			if i < len(r) {
				cs[i] = measure(r[i], i, cellSize)
			}
			h = max(h, float64(len(cs[i].lines))*lineH(cellSize)+2*pad)
		}
		lo.rows, lo.heights = append(lo.rows, cs), append(lo.heights, h)
	}
	// Rows go on a page while they fit above the foot; a row never
	// splits, and every page holds one row at least.
	bottom := pageH - margin - footH
	var page []int
	y := lo.top + lo.headH
	for i, h := range lo.heights {
		if len(page) > 0 && y+h > bottom {
			lo.pages, page, y = append(lo.pages, page), nil, lo.top+lo.headH
		}
		page, y = append(page, i), y+h
	}
	lo.pages = append(lo.pages, page)
	return lo
}

// Write prints the sheet.
func Write(w io.Writer, f *letter.Fonts, s Sheet) error {
	if len(s.Widths) != len(s.Columns) {
		return fmt.Errorf("tablesheet: %d columns and %d widths", len(s.Columns), len(s.Widths))
	}
	lo := s.measure(f)
	total := len(lo.pages)
	feet := make([]string, total)
	var regular, bold strings.Builder
	regular.WriteString(s.Kind + s.Nobody + strings.Join(lo.facts, ""))
	bold.WriteString(strings.Join(lo.title, "") + strings.Join(s.Columns, ""))
	for i := range feet {
		if s.Page != nil {
			feet[i] = s.Page(i+1, total)
		}
		regular.WriteString(feet[i])
	}
	for _, r := range lo.rows {
		for _, c := range r {
			for i, l := range c.lines {
				if c.bold[i] {
					bold.WriteString(l)
				} else {
					regular.WriteString(l)
				}
			}
		}
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{Unit: gopdf.UnitMM, PageSize: gopdf.Rect{W: pageW, H: pageH}})
	names, err := f.AddTo(pdf, regular.String(), bold.String())
	if err != nil {
		return fmt.Errorf("tablesheet: %w", err)
	}
	d := &drawer{pdf: pdf, f: f, names: names, widths: s.Widths}
	for p, rows := range lo.pages {
		pdf.AddPage()
		d.header(&s, lo)
		y := lo.top
		d.row(lo.head, y, lo.headH, headSize, true)
		y += lo.headH
		if len(s.Rows) == 0 {
			d.text(s.Nobody, false, cellSize, margin+pad, y+pad)
		}
		for _, i := range rows {
			d.row(lo.rows[i], y, lo.heights[i], cellSize, false)
			y += lo.heights[i]
		}
		if feet[p] != "" {
			pdf.SetTextColor(90, 90, 90)
			d.text(feet[p], false, footSize, pageW-margin-f.Width(feet[p], false, footSize)*mmPerPt, pageH-margin-lineH(footSize))
			pdf.SetTextColor(0, 0, 0)
		}
		if d.err != nil {
			return d.err
		}
	}
	_, err = pdf.WriteTo(w)
	return err
}

// drawer draws on the PDF and keeps the first error, so that drawing
// reads as a list of what is drawn.
type drawer struct {
	pdf    *gopdf.GoPdf
	f      *letter.Fonts
	names  [2]string
	widths []float64
	err    error
}

// text sets one line whose top is at y, as badges do: at its baseline.
func (d *drawer) text(s string, bold bool, size, x, y float64) {
	if d.err != nil || s == "" {
		return
	}
	family := d.names[0]
	if bold {
		family = d.names[1]
	}
	if d.err = d.pdf.SetFont(family, "", size); d.err != nil {
		return
	}
	em := size * mmPerPt
	d.pdf.SetXY(x, y+(lineH(size)-em)/2+0.88*em)
	d.err = d.pdf.Text(s)
}

// header prints the kind of document, the event's title, day and place.
func (d *drawer) header(s *Sheet, lo *layout) {
	y := margin
	d.pdf.SetTextColor(90, 90, 90)
	d.text(s.Kind, false, kindSize, margin, y)
	d.pdf.SetTextColor(0, 0, 0)
	y += lineH(kindSize) + 1
	for _, l := range lo.title {
		d.text(l, true, titleSize, margin, y)
		y += lineH(titleSize)
	}
	y++
	for _, l := range lo.facts {
		d.text(l, false, factSize, margin, y)
		y += lineH(factSize)
	}
}

// row prints a row of cells, boxed, the heading row shaded.
func (d *drawer) row(cells []cell, y, h, size float64, heading bool) {
	x := margin
	d.pdf.SetLineWidth(0.2)
	d.pdf.SetStrokeColor(120, 120, 120)
	if heading {
		d.pdf.SetFillColor(230, 230, 230)
		d.pdf.RectFromUpperLeftWithStyle(margin, y, pageW-2*margin, h, "FD")
	}
	for i, c := range cells {
		d.pdf.RectFromUpperLeftWithStyle(x, y, d.widths[i], h, "D")
		ly := y + pad
		for j, l := range c.lines {
			d.text(l, c.bold[j], size, x+pad, ly)
			ly += lineH(size)
		}
		x += d.widths[i]
	}
}

// wrap breaks a text into lines of width points; no text, no line.
func wrap(f *letter.Fonts, s string, bold bool, size, width float64) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return f.Wrap(s, bold, size, width)
}

func repeat(b bool, n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = b
	}
	return out
}
