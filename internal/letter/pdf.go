package letter

import (
	"compress/zlib"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/rencontres/rencontres/internal/pdfjoin"
	"github.com/signintech/gopdf"
)

// WritePDF writes letters as one A4 PDF, each letter starting on a new
// page: one letter for a recipient's file, all of them for the file the
// secretariat prints. Text is set by our own line breaking (words never
// cut, kinsoku for Japanese, French justified) in fonts embedded as
// subsets, so Japanese renders and copies back as text.
//
// The letters are set in parts of partLetters, each a PDF of its own
// joined to the others as it is written (pdfjoin): gopdf holds a part
// whole in memory. A caller rendering thousands of letters gives them to
// a PDFWriter as it renders them, and holds a part of them.
func WritePDF(w io.Writer, f *Fonts, letters ...*Letter) error {
	pw := NewPDFWriter(w, f)
	for _, l := range letters {
		if err := pw.Add(l); err != nil {
			return err
		}
	}
	return pw.Close()
}

// partLetters is how many letters a part of a PDF holds.
const partLetters = 100

// PDFWriter writes letters as they are given, a part at a time, into one
// PDF, as WritePDF does.
type PDFWriter = pdfjoin.Parts[*Letter]

// NewPDFWriter starts a PDF of letters written to w.
func NewPDFWriter(w io.Writer, f *Fonts) *PDFWriter {
	return pdfjoin.NewParts(w, partLetters, func(w io.Writer, letters []*Letter) error { return writePart(w, f, letters) })
}

// writePart writes letters as a PDF of their own.
func writePart(w io.Writer, f *Fonts, letters []*Letter) error {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: pageWidth, H: pageHeight}})
	// Pages are many small writes of repetitive text operators: the
	// fastest compression makes them twice as fast to write for a few per
	// cent more bytes.
	pdf.SetCompressLevel(zlib.BestSpeed)
	runes := usedRunes(letters)
	var names [2]string
	for i, fc := range f.faces {
		name, err := fc.addTo(pdf, runes[i])
		if err != nil {
			return fmt.Errorf("letter: %w", err)
		}
		names[i] = name
	}
	if len(letters) == 0 {
		pdf.AddPage()
	}
	for _, pages := range layoutAll(f, letters) {
		for _, page := range pages {
			pdf.AddPage()
			for _, o := range page {
				if err := draw(pdf, names, o); err != nil {
					return fmt.Errorf("letter: %w", err)
				}
			}
		}
	}
	_, err := pdf.WriteTo(w)
	return err
}

// layoutAll lays letters out on every core: layout needs no PDF, only
// the fonts' metrics; drawing then follows in order.
func layoutAll(f *Fonts, letters []*Letter) [][][]op {
	out := make([][][]op, len(letters))
	workers := min(runtime.GOMAXPROCS(0), len(letters))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(letters); i += workers {
				out[i] = newLayouter(f, letters[i].Lang).layout(letters[i])
			}
		})
	}
	wg.Wait()
	return out
}

// usedRunes lists the characters each face (regular, bold) will set:
// the letters' text in that face, and the marks and page numbers the
// layout adds in the regular one. A face embeds only its own: the bold of
// a Japanese letter sets its subject, not its body.
func usedRunes(letters []*Letter) [2][]rune {
	seen := [2]map[rune]bool{{}, {}}
	for _, r := range " \u00a0" {
		seen[0][r], seen[1][r] = true, true // a missing character is set as a space
	}
	for _, r := range "0123456789/–・•" {
		seen[0][r] = true
	}
	add := func(bold bool, s string) {
		m := seen[0]
		if bold {
			m = seen[1]
		}
		for _, r := range s {
			m[r] = true
		}
	}
	for _, l := range letters {
		for _, o := range l.Letterhead {
			add(true, o.Name)
			for _, s := range o.Lines {
				add(false, s)
			}
		}
		for _, b := range l.Blocks {
			for _, line := range b.Lines {
				for _, r := range line {
					add(r.Style&Bold != 0, r.Text)
				}
			}
			for _, s := range b.Signatures {
				add(true, s.Name)
				for _, f := range s.Function {
					add(false, f)
				}
			}
		}
	}
	var out [2][]rune
	for i, m := range seen {
		for r := range m {
			out[i] = append(out[i], r)
		}
	}
	return out
}

var colours = map[colour][3]uint8{black: {0, 0, 0}, grey: {90, 90, 90}, accent: {20, 45, 95}, red: {180, 0, 0}}

// draw sets one operation; names are the PDF's fonts, regular and bold.
func draw(pdf *gopdf.GoPdf, names [2]string, o op) error {
	switch {
	case o.linkOnly:
		pdf.AddExternalLink(o.href, o.x, o.y, o.w, o.h)
		return nil
	case o.rule:
		pdf.SetLineWidth(0.5)
		pdf.SetStrokeColor(120, 120, 120)
		pdf.Line(o.x, o.y, o.x+o.w, o.y)
		return nil
	}
	style := Style(0)
	if o.bold {
		style = Bold
	}
	if err := pdf.SetFont(names[fontIndex(style)], "", o.size); err != nil {
		return err
	}
	if err := pdf.SetCharSpacing(o.spacing); err != nil {
		return err
	}
	c := colours[o.colour]
	pdf.SetTextColor(c[0], c[1], c[2])
	pdf.SetXY(o.x, o.y)
	// The font draws U+00A0 with the glyph of U+0020, and a PDF maps a
	// glyph back to one character only: writing the no-break space as a
	// space (the layout has already kept it from breaking) makes every
	// space copy back the same.
	return pdf.Text(strings.ReplaceAll(o.text, "\u00a0", " "))
}
