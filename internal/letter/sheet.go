package letter

import (
	"compress/zlib"
	"fmt"
	"io"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/signintech/gopdf"
)

// The letters' typesetting offered to documents laid out otherwise (the
// final declaration's two columns): the same typography, line breaking,
// justification, fonts and subsets, on A4 pages the caller places lines
// on.

// A4 page, in points, as letters are printed.
const (
	PageWidth  = pageWidth
	PageHeight = pageHeight
	// MM is a millimetre in points.
	MM = mm
)

// Align is how a set line is aligned in its column.
type Align uint8

// Alignments. Justified Latin widens its spaces, justified Japanese spaces
// its characters; the last line of a paragraph is never justified.
const (
	AlignLeft    = Align(left)
	AlignRight   = Align(right)
	AlignCentre  = Align(centre)
	AlignJustify = Align(justify)
)

// Colour is the colour of a text.
type Colour uint8

// Colours, as letters use them.
const (
	Black  = Colour(black)
	Grey   = Colour(grey)
	Accent = Colour(accent)
)

// Typeset applies a language's typography to a text without line breaks,
// as letters apply it to theirs: in French the no-break spaces before
// « : ; ? ! » and inside « », the curled apostrophe, raised ordinals,
// numbers kept with their units; links in every language.
func Typeset(text string, lang rencontres.Lang, style Style) Line {
	return typeset(Line{{Text: text, Style: style}}, lang)
}

// SetLine is one line of a column, broken as letters break theirs.
type SetLine struct {
	vl   vline
	size float64
}

// Text is the line's text, no-break spaces included.
func (sl SetLine) Text() string {
	var b []byte
	for _, p := range sl.vl.ps {
		b = append(b, p.text...)
	}
	return string(b)
}

// Sheet is a document of A4 pages set with the letters' fonts. Lines are
// drawn on the last page added; a sheet is used by one goroutine.
type Sheet struct {
	lo *layouter
}

// NewSheet starts a document with no page.
func NewSheet(f *Fonts) *Sheet {
	return &Sheet{lo: newLayouter(f, rencontres.French)}
}

// AddPage adds a page, on which the next lines are drawn.
func (s *Sheet) AddPage() { s.lo.pages = append(s.lo.pages, nil) }

// Pages is the number of pages.
func (s *Sheet) Pages() int { return len(s.lo.pages) }

// Wrap breaks lines (each typeset, a paragraph's hard lines) into lines no
// wider than width at size points: at spaces and after a compound's
// hyphen in Latin script, between characters in Japanese as kinsoku
// allows.
func (s *Sheet) Wrap(lines []Line, size, width float64) []SetLine {
	vls := s.lo.setLines(lines, size, width, 0, 0)
	out := make([]SetLine, len(vls))
	for i, vl := range vls {
		out[i] = SetLine{vl: vl, size: size}
	}
	return out
}

// Draw sets a line on the last page in a column at x of width, in a line
// box whose top is top and height height (its baseline as letters place
// theirs).
func (s *Sheet) Draw(sl SetLine, x, top, width, height float64, al Align, c Colour) {
	baseline := top + (height-sl.size)/2 + 0.88*sl.size
	s.lo.line(sl.vl, x+sl.vl.indent, width-sl.vl.indent, baseline, sl.size, align(al), colour(c))
}

// Text sets a text unbroken with its left end at x and its baseline at y
// on page i (from 0).
func (s *Sheet) Text(i int, text string, x, y, size float64, bold bool, c Colour) {
	s.lo.pages[i] = append(s.lo.pages[i], op{x: x, y: y, text: text, size: size, bold: bold, colour: colour(c)})
}

// Rule draws a horizontal rule on the last page.
func (s *Sheet) Rule(x, y, width float64) { s.lo.add(op{rule: true, x: x, y: y, w: width}) }

// Width is the width of a text at size points.
func (s *Sheet) Width(text string, bold bool, size float64) float64 {
	return s.lo.measure(text, styleOfWeight(bold), size)
}

// WritePDF writes the sheet as a PDF titled title, its fonts cut to the
// characters each face sets.
func (s *Sheet) WritePDF(w io.Writer, title string) error {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: pageWidth, H: pageHeight}})
	pdf.SetCompressLevel(zlib.BestSpeed)
	if title != "" {
		pdf.SetInfo(gopdf.PdfInfo{Title: title})
	}
	seen := [2]map[rune]bool{{' ': true, '\u00a0': true}, {' ': true, '\u00a0': true}}
	for _, page := range s.lo.pages {
		for _, o := range page {
			m := seen[fontIndex(styleOfWeight(o.bold))]
			for _, r := range o.text {
				m[r] = true
			}
		}
	}
	var names [2]string
	for i, fc := range s.lo.f.faces {
		runes := make([]rune, 0, len(seen[i]))
		for r := range seen[i] {
			runes = append(runes, r)
		}
		name, err := fc.addTo(pdf, runes)
		if err != nil {
			return fmt.Errorf("letter: %w", err)
		}
		names[i] = name
	}
	for _, page := range s.lo.pages {
		pdf.AddPage()
		for _, o := range page {
			if err := draw(pdf, names, o); err != nil {
				return fmt.Errorf("letter: %w", err)
			}
		}
	}
	if len(s.lo.pages) == 0 {
		pdf.AddPage()
	}
	_, err := pdf.WriteTo(w)
	return err
}
