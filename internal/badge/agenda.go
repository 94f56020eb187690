package badge

import (
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/signintech/gopdf"
)

// drawBacks prints the backs of a sheet's badges on the next page: each
// badge's agenda in the cell behind it, the columns swapped so that a
// sheet printed on both sides (long edge) puts every agenda behind its
// badge.
func drawBacks(pdf *gopdf.GoPdf, f *letter.Fonts, names [2]string, layout Layout, sheet []Badge, cellW, cellH float64) error {
	pdf.AddPage()
	for k, b := range sheet {
		if len(b.Agenda) == 0 {
			continue
		}
		x, y := float64(1-k%2)*cellW, float64(k/2)*cellH
		if layout == A6 {
			x, y = 0, 0
		}
		if err := drawAgenda(pdf, f, names, b, x, y, cellW, cellH); err != nil {
			return err
		}
	}
	return nil
}

// drawAgenda prints one badge's agenda in its cell: the title, then a
// line per meeting, broken between words when long, smaller on the A4
// sheet's half-height cells; what does not fit is left out rather than
// printed over the edge.
func drawAgenda(pdf *gopdf.GoPdf, f *letter.Fonts, names [2]string, b Badge, x, y, w, h float64) error {
	pdf.SetLineWidth(0.2)
	pdf.SetStrokeColor(180, 180, 180)
	pdf.RectFromUpperLeftWithStyle(x, y, w, h, "D")
	m := 6.0
	scale := max(h/148, 0.6)
	top := y + m
	write := func(s string, bold bool, size float64) (bool, error) {
		family := names[0]
		if bold {
			family = names[1]
		}
		if err := pdf.SetFont(family, "", size); err != nil {
			return false, err
		}
		lh := size * 0.45
		for _, l := range f.Wrap(s, bold, size, (w-2*m)/mmPerPt) {
			if top+lh > y+h-m {
				return false, nil
			}
			pdf.SetXY(x+m, top+0.88*size*mmPerPt)
			if err := pdf.Text(l); err != nil {
				return false, err
			}
			top += lh
		}
		return true, nil
	}
	pdf.SetTextColor(0, 0, 0)
	if ok, err := write(b.AgendaTitle, true, 12*scale); err != nil || !ok {
		return err
	}
	top += 2 * scale
	for _, line := range b.Agenda {
		ok, err := write(line, false, 10*scale)
		if err != nil || !ok {
			return err
		}
		top += 1 * scale
	}
	return nil
}
