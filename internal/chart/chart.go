// Package chart draws the product's charts as SVG to be put inline in a
// page: horizontal bars, each labelled with its number, grouped by
// category, readable without a script, at 360 px wide and on paper. The
// caller formats the numbers and writes the labels in the reader's
// language; the package only lays them out.
//
// Every chart is an image with a title and a text alternative
// (role="img", aria-labelledby naming its <title> and <desc>); the page
// gives the same figures as a table below it.
package chart

import (
	"fmt"
	"html/template"
	"strings"
	"unicode/utf8"
)

// Value is one bar: its number, and the number as the reader's language
// writes it. A nil N is unknown: no bar is drawn, Text says so.
type Value struct {
	N    *int
	Text string
}

// Row is one category of the chart (an edition, a kind, a region), with
// one value per group.
type Row struct {
	Label  string
	Values []Value
}

// Bars is a chart of horizontal bars. With one group there is no legend;
// with several, each row has one bar per group, in the order of Groups.
type Bars struct {
	// ID makes the ids of the title and description unique in the page.
	ID     string
	Title  string
	Desc   string
	Groups []string
	Rows   []Row
}

// The layout, in the units of the viewBox. Width is narrow on purpose:
// the SVG is scaled to the width of its box, and a 400-unit-wide chart
// keeps its 14-unit text legible on a 360 px screen.
const (
	Width      = 400
	fontSize   = 14
	labelH     = 20 // a row's label line
	barH       = 18
	barGap     = 4
	rowGap     = 10
	legendH    = 24
	valueSpace = 64 // room after the longest bar for its number
	padTop     = 4
)

// Palette colours the groups: dark enough to hold white nothing and to
// stand out from the page, told apart also by the legend's order and the
// table.
var Palette = []string{"#1f5fa8", "#b4461a", "#2e7d32", "#6a3d9a", "#8a6d00", "#00696b", "#a3195b", "#4b5563"}

// Height is the height of the chart in viewBox units.
func (c *Bars) Height() int {
	_, h := c.legend()
	h += padTop
	n := max(len(c.Groups), 1)
	for range c.Rows {
		h += labelH + n*barH + (n-1)*barGap + rowGap
	}
	return h
}

// Max is the largest known value, at least 1 so that scales never divide
// by zero.
func (c *Bars) Max() int {
	m := 1
	for _, r := range c.Rows {
		for _, v := range r.Values {
			if v.N != nil && *v.N > m {
				m = *v.N
			}
		}
	}
	return m
}

// SVG draws the chart.
func (c *Bars) SVG() template.HTML {
	var b strings.Builder
	h := c.Height()
	titleID, descID := c.ID+"-title", c.ID+"-desc"
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="%s %s" font-size="%d" font-family="system-ui, -apple-system, &#34;Segoe UI&#34;, &#34;Hiragino Sans&#34;, &#34;Noto Sans CJK JP&#34;, sans-serif">`,
		Width, h, esc(titleID), esc(descID), fontSize)
	fmt.Fprintf(&b, `<title id="%s">%s</title><desc id="%s">%s</desc>`, esc(titleID), esc(c.Title), esc(descID), esc(c.Desc))
	y := padTop
	n := max(len(c.Groups), 1)
	if pos, lh := c.legend(); lh > 0 {
		b.WriteString(`<g class="legend">`)
		for i, g := range c.Groups {
			x, ly := pos[i][0], y+pos[i][1]
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d" fill="#1a1a1a">%s</text>`,
				x, ly+3, Palette[i%len(Palette)], x+16, ly+14, esc(g))
		}
		b.WriteString(`</g>`)
		y += lh
	}
	scale := float64(Width-valueSpace) / float64(c.Max())
	for _, r := range c.Rows {
		fmt.Fprintf(&b, `<g class="row"><text class="label" x="0" y="%d" fill="#1a1a1a">%s</text>`, y+fontSize+1, esc(r.Label))
		y += labelH
		for i := range n {
			var v Value
			if i < len(r.Values) {
				v = r.Values[i]
			}
			group := ""
			if i < len(c.Groups) {
				group = c.Groups[i]
			}
			w := 0
			if v.N != nil {
				w = int(float64(*v.N)*scale + 0.5)
				if *v.N > 0 && w < 2 {
					w = 2
				}
				fmt.Fprintf(&b, `<rect class="bar" x="0" y="%d" width="%d" height="%d" fill="%s" data-value="%d" data-group="%s"/>`,
					y, w, barH, Palette[i%len(Palette)], *v.N, esc(group))
			}
			fmt.Fprintf(&b, `<text class="value" x="%d" y="%d" fill="#1a1a1a">%s</text>`, w+4, y+barH-4, esc(v.Text))
			y += barH
			if i < n-1 {
				y += barGap
			}
		}
		y += rowGap
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// legend places the legend's entries on as many lines as they need: the
// position of each entry and the height of the legend (0 for one group).
func (c *Bars) legend() ([][2]int, int) {
	if len(c.Groups) < 2 {
		return nil, 0
	}
	var pos [][2]int
	x, y := 0, 0
	for _, g := range c.Groups {
		w := 16 + textWidth(g) + 16
		if x > 0 && x+w-16 > Width {
			x, y = 0, y+legendH
		}
		pos = append(pos, [2]int{x, y})
		x += w
	}
	return pos, y + legendH
}

// textWidth estimates the width of a text in viewBox units: a Latin
// letter is about 0.6 of the font size, a kanji or kana a whole one.
func textWidth(s string) int {
	w := 0.0
	for _, r := range s {
		if utf8.RuneLen(r) >= 3 {
			w += 1
		} else {
			w += 0.6
		}
	}
	return int(w * fontSize)
}

// esc escapes text for an SVG element or attribute.
func esc(s string) string { return template.HTMLEscapeString(s) }
