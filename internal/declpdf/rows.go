package declpdf

import (
	"slices"
	"strings"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The page: A4 with 18 mm margins on both sides, two columns of equal
// width 10 mm apart, French on the left.
const (
	mm           = letter.MM
	marginSide   = 18 * mm
	marginTop    = 18 * mm
	marginBottom = 20 * mm
	gutter       = 10 * mm
	colWidth     = (letter.PageWidth - 2*marginSide - gutter) / 2
	textBottom   = letter.PageHeight - marginBottom
	// Body text: French at 10 points, Japanese at 9.5 (a Mincho reads
	// larger than a Latin serif of the same size), on the same 16-point
	// line so that lines of both columns stand side by side.
	bodySize     = 10.0
	bodySizeJa   = 9.5
	bodyLine     = 16.0
	headingSize  = 11.5
	headingLine  = 19.0
	rowGap       = 7.0 // between two segments
	headingGap   = 12.0
	titleSize    = 14.0
	titleLine    = 20.0
	editionSize  = 9.0
	editionLine  = 13.0
	headerSize   = 7.5
	pageNumSize  = 8.0
	pageNumFloor = 10 * mm // from the page's foot to the numbers' baseline
)

// columns: 0 French, 1 Japanese.
var columnLangs = [2]rencontres.Lang{rencontres.French, rencontres.Japanese}

func columnX(c int) float64 { return marginSide + float64(c)*(colWidth+gutter) }

// item is one line of a column as set, in its line box.
type item struct {
	line   letter.SetLine
	height float64
	align  letter.Align
	colour letter.Colour
}

// row is what starts at the same height in both columns: a segment, the
// title, the date of adoption, the list of authorities.
type row struct {
	cols   [2][]item
	before float64 // space above it, unless it starts a page
	keep   bool    // never split over two pages
	// rule draws a rule across both columns under the row.
	rule bool
}

func (r *row) height() float64 { return max(colHeight(r.cols[0]), colHeight(r.cols[1])) }

func colHeight(items []item) float64 {
	h := 0.0
	for _, it := range items {
		h += it.height
	}
	return h
}

// rows builds the rows of a declaration.
type rows struct {
	s *letter.Sheet
}

// para sets a text of a column, its paragraphs' lines typeset in the
// column's language.
func (r *rows) para(c int, text string, style letter.Style, size, line float64, al letter.Align, col letter.Colour) []item {
	lang := columnLangs[c]
	var lines []letter.Line
	for _, l := range strings.Split(strings.ReplaceAll(strings.TrimSpace(text), "\r\n", "\n"), "\n") {
		lines = append(lines, letter.Typeset(l, lang, style))
	}
	var out []item
	for _, sl := range r.s.Wrap(lines, size, colWidth) {
		out = append(out, item{line: sl, height: line, align: al, colour: col})
	}
	return out
}

func sizeOf(c int) float64 {
	if c == 1 {
		return bodySizeJa
	}
	return bodySize
}

// segment is a segment's row: a heading centred in bold, an article with
// its number on a line of its own, the preamble and paragraphs justified.
func (r *rows) segment(seg *rencontres.Segment) *row {
	rw := &row{before: rowGap}
	for c, lang := range columnLangs {
		text := seg.Text[lang]
		switch seg.Kind {
		case rencontres.SegmentHeading:
			rw.before, rw.keep = headingGap, true
			rw.cols[c] = r.para(c, text, letter.Bold, headingSize, headingLine, letter.AlignCentre, letter.Accent)
		case rencontres.SegmentArticle:
			label := catalogue().Printer(lang).T("declaration.pdf.article", "Number", seg.Number)
			rw.cols[c] = append(r.para(c, label, letter.Bold, sizeOf(c), bodyLine, letter.AlignLeft, letter.Black),
				r.para(c, text, 0, sizeOf(c), bodyLine, letter.AlignJustify, letter.Black)...)
		default:
			rw.cols[c] = r.para(c, text, 0, sizeOf(c), bodyLine, letter.AlignJustify, letter.Black)
		}
	}
	return rw
}

// title is the first page's head: the edition's title over the
// declaration's, in both languages, over a rule.
func (r *rows) title(d *rencontres.Declaration, opts Options) *row {
	rw := &row{keep: true, rule: true}
	for c, lang := range columnLangs {
		edition, title := strings.TrimSpace(opts.Edition[lang]), titleIn(d, opts, lang)
		if edition != "" && edition != title {
			rw.cols[c] = r.para(c, edition, 0, editionSize, editionLine, letter.AlignCentre, letter.Grey)
		}
		rw.cols[c] = append(rw.cols[c], r.para(c, title, letter.Bold, titleSize, titleLine, letter.AlignCentre, letter.Accent)...)
	}
	return rw
}

// adoption is what follows the text: the date of adoption, then who
// adopted or endorsed it, one authority a line, each column sorted in its
// language's order.
func (r *rows) adoption(d *rencontres.Declaration, adoptions []*rencontres.Adoption, opts Options) []*row {
	var out []*row
	date := &row{before: 2 * bodyLine, keep: true}
	for c, lang := range columnLangs {
		if on := adoptedOn(d, opts, lang); on != "" {
			text := catalogue().Printer(lang).T("declaration.pdf.adopted_on", "Date", on)
			date.cols[c] = r.para(c, text, 0, sizeOf(c), bodyLine, letter.AlignLeft, letter.Black)
		}
	}
	if date.height() > 0 {
		out = append(out, date)
	}
	out = append(out, r.adopters(d, Adopters(adoptions), opts)...)
	return append(out, r.corrections(d, opts)...)
}

// adopters lists the authorities that adopted or endorsed the text under
// a heading.
func (r *rows) adopters(d *rencontres.Declaration, adopters []*rencontres.Adoption, opts Options) []*row {
	if len(adopters) == 0 {
		return nil
	}
	key := "declaration.pdf.voted_by"
	if d.Mode == rencontres.AdoptionEndorsement {
		key = "declaration.pdf.endorsed_by"
	}
	// The heading and the list are kept together for the first lines.
	list := &row{before: bodyLine / 2}
	for c, lang := range columnLangs {
		list.cols[c] = r.para(c, catalogue().Printer(lang).T(key), letter.Bold, sizeOf(c), bodyLine, letter.AlignLeft, letter.Black)
		for _, name := range SortedNames(adopters, lang, opts.Kana) {
			list.cols[c] = append(list.cols[c], r.para(c, name, 0, sizeOf(c), bodyLine, letter.AlignLeft, letter.Black)...)
		}
	}
	return []*row{list}
}

// corrections lists the corrections of the adopted text, oldest first,
// each with its date and reason: « Corrigée le 2 novembre 2022 : … ».
func (r *rows) corrections(d *rencontres.Declaration, opts Options) []*row {
	cs := slices.Clone(opts.Corrections)
	slices.SortStableFunc(cs, func(a, b *rencontres.DeclarationCorrection) int { return a.At.Compare(b.At) })
	var out []*row
	for i, c := range cs {
		if c == nil {
			continue
		}
		rw := &row{before: bodyLine / 2}
		if i == 0 {
			rw.before = 1.5 * bodyLine
		}
		for col, lang := range columnLangs {
			p := catalogue().Printer(lang)
			text := p.T("declaration.pdf.corrected_on", "Date", formatDay(dayOf(d, c.At), lang, opts.Era))
			if reason := strings.TrimSpace(c.Reason.In(lang)); reason != "" {
				text = p.T("edition.labelled", "Label", text) + reason
			}
			rw.cols[col] = r.para(col, text, 0, sizeOf(col), bodyLine, letter.AlignLeft, letter.Grey)
		}
		out = append(out, rw)
	}
	return out
}
