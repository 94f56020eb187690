package declpdf

import (
	"strconv"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Rows over pages. A row that fits in the room left is set there. One
// that does not goes whole to the next page when it is short (at most
// moveLimit lines of body text), when it must be kept whole (a heading,
// the title, the date), or when splitting it would leave fewer than two
// lines of either column at the foot of the page; otherwise (a long
// article) it is split: both columns stop at the foot of the page and go
// on at the top of the next, so that the segment's start stays side by
// side and its continuation too. A heading is kept with the first lines
// of the segment after it.
const moveLimit = 6

type pager struct {
	s     *letter.Sheet
	y     float64 // top of the next row on the last page
	empty bool    // nothing yet on the last page
}

func (p *pager) start() { p.newPage() }

func (p *pager) newPage() {
	p.s.AddPage()
	p.y, p.empty = marginTop, true
	if p.s.Pages() > 1 {
		p.y += 6 * mm // below the running header
	}
}

func (p *pager) room() float64 { return textBottom - p.y }

// gap is the space above a row at the current position.
func (p *pager) gap(r *row) float64 {
	if p.empty {
		return 0
	}
	return r.before
}

// placeKept places a row kept with the first lines of the next one (a
// heading with its segment).
func (p *pager) placeKept(r, next *row) {
	if next != nil && !p.empty {
		h := p.gap(r) + r.height() + next.before + min(next.height(), 2*bodyLine+bodyLine)
		if h > p.room() {
			p.newPage()
		}
	}
	p.place(r, r.keep)
}

// place sets a row from the current position, turning pages as needed.
func (p *pager) place(r *row, keep bool) {
	for {
		gap, h := p.gap(r), r.height()
		if gap+h <= p.room() {
			p.draw(r, p.y+gap)
			p.y += gap + h
			p.empty = false
			if r.rule {
				p.y += 3 * mm
				p.s.Rule(marginSide, p.y, letter.PageWidth-2*marginSide)
				p.y += 6 * mm
			}
			return
		}
		if !p.empty && (keep || h <= moveLimit*bodyLine) {
			p.newPage()
			continue
		}
		var first, rest *row
		if !keep {
			first, rest = split(r, p.room()-gap)
		}
		if first == nil {
			if !p.empty {
				p.newPage()
				continue
			}
			// Taller than a whole page: cut at the foot whatever is
			// left there; a single line taller than a page is set as
			// it is rather than lost.
			if first, rest = splitAny(r, p.room()); first == nil {
				p.draw(r, p.y)
				p.y += h
				p.empty = false
				return
			}
		}
		p.draw(first, p.y+gap)
		p.newPage()
		r, keep = rest, false
	}
}

// split cuts a row into what fits in room and the rest, both columns at
// once, leaving at least two lines of each column on both sides (a
// column with fewer lines stays whole in the first part); nil when it
// cannot.
func split(r *row, room float64) (*row, *row) {
	first, rest := &row{before: r.before}, &row{}
	for c, items := range r.cols {
		n, h := 0, 0.0
		for n < len(items) && h+items[n].height <= room {
			h += items[n].height
			n++
		}
		if n < len(items) {
			if len(items)-n < 2 {
				n = len(items) - 2 // no widow at the top of the next page
			}
			if n < 2 {
				return nil, nil // no orphan at the foot of this one
			}
		}
		first.cols[c], rest.cols[c] = items[:n], items[n:]
	}
	return first, rest
}

// splitAny cuts a row at the last lines that fit in room, with no care
// for orphans: for a row taller than a whole page.
func splitAny(r *row, room float64) (*row, *row) {
	first, rest := &row{before: r.before}, &row{}
	some := false
	for c, items := range r.cols {
		n, h := 0, 0.0
		for n < len(items) && h+items[n].height <= room {
			h += items[n].height
			n++
		}
		some = some || n > 0
		first.cols[c], rest.cols[c] = items[:n], items[n:]
	}
	if !some {
		return nil, nil
	}
	return first, rest
}

// draw sets a row's columns from top.
func (p *pager) draw(r *row, top float64) {
	for c, items := range r.cols {
		y := top
		for _, it := range items {
			p.s.Draw(it.line, columnX(c), y, colWidth, it.height, it.align, it.colour)
			y += it.height
		}
	}
}

// finish numbers the pages « 1 / 3 » at their foot, centred, and heads
// every page after the first with the declaration's title in both
// languages, small and grey.
func (p *pager) finish(d *rencontres.Declaration, opts Options) {
	n := p.s.Pages()
	for i := range n {
		num := strconv.Itoa(i+1) + "\u00a0/\u00a0" + strconv.Itoa(n)
		w := p.s.Width(num, false, pageNumSize)
		p.s.Text(i, num, (letter.PageWidth-w)/2, letter.PageHeight-pageNumFloor, pageNumSize, false, letter.Grey)
		if i == 0 {
			continue
		}
		for c, lang := range columnLangs {
			head := ""
			if lines := p.s.Wrap([]letter.Line{letter.Typeset(titleIn(d, opts, lang), lang, 0)}, headerSize, colWidth-headerSize); len(lines) > 0 {
				head = lines[0].Text()
				if len(lines) > 1 {
					head += "…"
				}
			}
			x := columnX(c)
			if c == 1 {
				x += colWidth - p.s.Width(head, false, headerSize)
			}
			p.s.Text(i, head, x, marginTop, headerSize, false, letter.Grey)
		}
	}
}
