package twinmap

import (
	"html"
	"math"
	"strings"

	"github.com/rencontres/rencontres/internal/geo"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Labels are the words and links the drawing needs, in the reader's
// language.
type Labels struct {
	// ID prefixes the ids of the drawing's elements, unique on its page.
	ID    string
	Title string
	// Country names a panel: France, Japon.
	Country func(c rencontres.Country) string
	// Name is an organisation's name; Href its page.
	Name func(o *rencontres.Organisation) string
	Href func(o *rencontres.Organisation) string
	// AreaHref is the map narrowed to a region or prefecture, where an
	// aggregated point leads.
	AreaHref func(area *rencontres.Organisation) string
	// Point is a point's accessible name: its name and what it counts.
	Point func(pt *Point, name string) string
}

// SVG draws the map: the outlines, a line for each partnership coloured
// by kind (drawn under the points and hidden from screen readers, which
// read the table beside the map), and each authority as a link to its page
// that the keyboard reaches, named by the authority and its count.
func (m *Map) SVG(lb Labels) string {
	var b strings.Builder
	b.Grow(4096 + 110*len(m.Points) + 80*len(m.Lines))
	b.WriteString(`<svg class="twinmap" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `)
	b.WriteString(geo.Num(m.Width))
	b.WriteByte(' ')
	b.WriteString(geo.Num(m.Height + 24))
	b.WriteString(`" id="` + lb.ID + `" role="group" aria-label="`)
	b.WriteString(html.EscapeString(lb.Title))
	b.WriteString(`"><g class="land" aria-hidden="true">`)
	for _, p := range m.Panels {
		b.WriteString(`<path d="`)
		b.WriteString(p.Path)
		b.WriteString(`"/><text x="`)
		b.WriteString(geo.Num(p.X + p.Width/2))
		b.WriteString(`" y="`)
		b.WriteString(geo.Num(m.Height + 18))
		b.WriteString(`" text-anchor="middle">`)
		b.WriteString(html.EscapeString(lb.Country(rencontres.Country(p.Code))))
		b.WriteString(`</text>`)
	}
	b.WriteString(`</g>`)
	if len(m.Lines) > 0 {
		b.WriteString(`<g class="links" aria-hidden="true">`)
		for _, l := range m.Lines {
			b.WriteString(`<line class="k-`)
			b.WriteString(string(l.Kind))
			b.WriteString(`" x1="`)
			b.WriteString(geo.Num(l.X1))
			b.WriteString(`" y1="`)
			b.WriteString(geo.Num(l.Y1))
			b.WriteString(`" x2="`)
			b.WriteString(geo.Num(l.X2))
			b.WriteString(`" y2="`)
			b.WriteString(geo.Num(l.Y2))
			if l.Count > 1 {
				b.WriteString(`" stroke-width="`)
				b.WriteString(geo.Num(1.5 + math.Log2(float64(l.Count))))
			}
			b.WriteString(`"/>`)
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`<g class="points">`)
	for _, pt := range m.Points {
		var name, href string
		if pt.Area != nil {
			name, href = lb.Name(pt.Area), lb.AreaHref(pt.Area)
		} else {
			name, href = lb.Name(pt.Org), lb.Href(pt.Org)
		}
		b.WriteString(`<a href="`)
		b.WriteString(html.EscapeString(href))
		b.WriteString(`" aria-label="`)
		b.WriteString(html.EscapeString(lb.Point(pt, name)))
		b.WriteString(`" data-key="`)
		if pt.Area != nil {
			b.WriteString(html.EscapeString(pt.Area.Key))
		} else {
			b.WriteString(html.EscapeString(pt.Org.Key))
		}
		b.WriteString(`"><circle cx="`)
		b.WriteString(geo.Num(pt.X))
		b.WriteString(`" cy="`)
		b.WriteString(geo.Num(pt.Y))
		b.WriteString(`" r="`)
		r := 4.0
		if pt.Orgs > 1 {
			r = 3 + 1.5*math.Sqrt(float64(pt.Orgs))
		}
		b.WriteString(geo.Num(r))
		b.WriteString(`"/></a>`)
	}
	b.WriteString(`</g></svg>`)
	return b.String()
}
