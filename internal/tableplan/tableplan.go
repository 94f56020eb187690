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
	"strings"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/signintech/gopdf"
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

// The page, in millimetres: A4 with 15 mm margins, and the widths of the
// five columns, which fill the 180 mm between them.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 15.0
	footH        = 10.0
	pad          = 1.6
	rowMin       = 8.0
	mmPerPt      = 25.4 / 72
)

var widths = [5]float64{30, 20, 56, 56, 18}

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
	head         [5]cell
	headH        float64
	rows         [][5]cell
	heights      []float64
	pages        [][]int
	top          float64 // where the table starts on every page
}

func (s *Plan) measure(f *letter.Fonts) *layout {
	lo := &layout{}
	inner := (pageW - 2*margin) / mmPerPt
	lo.title = wrap(f, s.Title, true, titleSize, inner)
	for _, fact := range []string{s.When, s.Place} {
		lo.facts = append(lo.facts, wrap(f, fact, false, factSize, inner)...)
	}
	lo.top = margin + lineH(kindSize) + 1 + float64(len(lo.title))*lineH(titleSize) + 1 + float64(len(lo.facts))*lineH(factSize) + 4
	cellWidth := func(i int) float64 { return (widths[i] - 2*pad) / mmPerPt }
	for i, c := range s.Columns {
		lo.head[i] = cell{lines: wrap(f, c, true, headSize, cellWidth(i))}
		lo.head[i].bold = repeat(true, len(lo.head[i].lines))
		lo.headH = max(lo.headH, float64(len(lo.head[i].lines))*lineH(headSize)+2*pad)
	}
	for _, r := range s.Rows {
		var cs [5]cell
		for i, v := range []string{r.When, r.Table, r.A, r.B, r.Interpreter} {
			l := wrap(f, v, i == 1, cellSize, cellWidth(i))
			cs[i] = cell{lines: l, bold: repeat(i == 1, len(l))}
		}
		h := rowMin
		for _, c := range cs {
			h = max(h, float64(len(c.lines))*lineH(cellSize)+2*pad)
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

// Write prints the plan.
func Write(w io.Writer, f *letter.Fonts, s Plan) error {
	lo := s.measure(f)
	total := len(lo.pages)
	feet := make([]string, total)
	var regular, bold strings.Builder
	regular.WriteString(s.Kind + s.Nobody + strings.Join(lo.facts, ""))
	bold.WriteString(strings.Join(lo.title, "") + strings.Join(s.Columns[:], ""))
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
		return fmt.Errorf("tableplan: %w", err)
	}
	d := &drawer{pdf: pdf, f: f, names: names}
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
	pdf   *gopdf.GoPdf
	f     *letter.Fonts
	names [2]string
	err   error
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
func (d *drawer) header(s *Plan, lo *layout) {
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
func (d *drawer) row(cells [5]cell, y, h, size float64, heading bool) {
	x := margin
	d.pdf.SetLineWidth(0.2)
	d.pdf.SetStrokeColor(120, 120, 120)
	if heading {
		d.pdf.SetFillColor(230, 230, 230)
		d.pdf.RectFromUpperLeftWithStyle(margin, y, pageW-2*margin, h, "FD")
	}
	for i, c := range cells {
		d.pdf.RectFromUpperLeftWithStyle(x, y, widths[i], h, "D")
		ly := y + pad
		for j, l := range c.lines {
			d.text(l, c.bold[j], size, x+pad, ly)
			ly += lineH(size)
		}
		x += widths[i]
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
