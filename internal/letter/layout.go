package letter

import (
	"strconv"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The page, in points: A4 with the margins of a French business letter
// (25 mm on the binding side, 20 mm on the other), the addressee where a
// window envelope (DL, window on the right) shows it.
const (
	mm           = 72 / 25.4
	pageWidth    = 595.28
	pageHeight   = 841.89
	marginLeft   = 25 * mm
	marginRight  = 20 * mm
	marginTop    = 15 * mm
	marginBottom = 22 * mm
	textWidth    = pageWidth - marginLeft - marginRight
	addressLeft  = 100 * mm
	addressTop   = 42 * mm
	// A superscript is set smaller and raised.
	supScale = 0.65
	supRise  = 0.36
	// signingSpace is left above the signatories' names for the
	// handwritten signatures.
	signingSpace = 15 * mm
	// signatureWidth is the width of a signature block: half the text.
	signatureWidth = textWidth/2 - 4*mm
)

// colour of a text op.
type colour uint8

const (
	black colour = iota
	grey
	accent
	red
)

// op is one thing drawn on a page: a text at its baseline, a rule, or a
// link area.
type op struct {
	rule     bool
	x, y     float64
	w, h     float64
	text     string
	bold     bool
	size     float64
	spacing  float64 // extra space after each character (justified Japanese)
	colour   colour
	href     string
	linkOnly bool
}

type align uint8

const (
	left align = iota
	right
	centre
	justify
)

// blockStyle is how a kind of block is set.
type blockStyle struct {
	before float64 // space before, in lines
	scale  float64 // type size, relative to the body's
	align  align
	keep   bool // never split over two pages
}

func styleOf(k Kind, lang rencontres.Lang) blockStyle {
	ja := lang == rencontres.Japanese
	s := blockStyle{before: 0.5, scale: 1, align: justify}
	if ja {
		s.before = 0.15
	}
	switch k {
	case KindAddress:
		s = blockStyle{before: 0, scale: 1, align: left, keep: true}
		if ja {
			s.scale, s.before = 1.1, 0.8
		}
	case KindDate:
		s = blockStyle{before: 1.2, scale: 1, align: right, keep: true}
		if ja {
			s.before = 0.5
		}
	case KindSender:
		s = blockStyle{before: 0.8, scale: 1, align: right, keep: true}
	case KindSubject:
		s = blockStyle{before: 1.6, scale: 1, align: left, keep: true}
		if ja {
			s.scale, s.align, s.before = 1.15, centre, 1.6
		}
	case KindSalutation:
		s = blockStyle{before: 1.5, scale: 1, align: left}
	case KindItem:
		s.before, s.align = 0.25, left
	case KindCentre:
		s = blockStyle{before: 0.9, scale: 1, align: centre}
	case KindRight:
		s = blockStyle{before: 0.3, scale: 1, align: right}
	case KindAttachments:
		s = blockStyle{before: 2, scale: 0.9, align: left}
		if ja {
			s.before = 1.2
		}
	}
	return s
}

// layouter sets one letter on pages. It measures text from the fonts
// alone, so letters are laid out at once on every core.
type layouter struct {
	f       *Fonts
	lang    rencontres.Lang
	size    float64 // body type size, in points
	leading float64 // line height, relative to the type size
	pages   [][]op
	y       float64 // top of the next line on the last page
}

func newLayouter(f *Fonts, lang rencontres.Lang) *layouter {
	lo := &layouter{f: f, lang: lang, size: 10.5, leading: 1.4}
	if lang == rencontres.Japanese {
		lo.size, lo.leading = 10.5, 1.75
	}
	return lo
}

// measure is the width of a text in points, as the PDF will draw it.
func (lo *layouter) measure(text string, style Style, size float64) float64 {
	if style&Sup != 0 {
		size *= supScale
	}
	return float64(lo.face(style).width(text)) * size / 1000
}

func (lo *layouter) face(style Style) *face {
	if style&Bold != 0 {
		return lo.f.faces[1]
	}
	return lo.f.faces[0]
}

// fontIndex is the face a style is set in: 0 regular, 1 bold.
func fontIndex(style Style) int {
	if style&Bold != 0 {
		return 1
	}
	return 0
}

// pieces cuts a line into words, spaces and Japanese characters.
func (lo *layouter) pieces(l Line, size float64) []piece {
	var ps []piece
	for _, run := range l {
		word := 0 // start of the word being read, in run.Text
		add := func(s string, space, cjk bool) {
			if s == "" {
				return
			}
			ps = append(ps, piece{text: s, style: run.Style, href: run.Href, missing: run.Missing, size: size,
				w: lo.measure(s, run.Style, size), space: space, cjk: cjk})
		}
		for i, r := range run.Text {
			switch {
			case r == ' ':
				add(run.Text[word:i], false, false)
				add(" ", true, false)
				word = i + 1
			case isCJK(r):
				add(run.Text[word:i], false, false)
				add(string(r), false, true)
				word = i + utf8.RuneLen(r)
			case (r == '-' || r == '/') && i > word:
				add(run.Text[word:i+1], false, false)
				word = i + 1
			}
		}
		add(run.Text[word:], false, false)
	}
	return ps
}

func (lo *layouter) newPage() {
	lo.pages = append(lo.pages, nil)
	lo.y = marginTop + 5*mm
}

func (lo *layouter) add(o op) {
	lo.pages[len(lo.pages)-1] = append(lo.pages[len(lo.pages)-1], o)
}

func (lo *layouter) room(h float64) bool { return lo.y+h <= pageHeight-marginBottom }

// vline is a line as set: its pieces, its indent, and whether it ends a
// line of the source (which is never justified).
type vline struct {
	ps     []piece
	indent float64
	last   bool
}

// setLines wraps the lines of a block within a column.
func (lo *layouter) setLines(lines []Line, size, width, firstIndent, restIndent float64) []vline {
	var out []vline
	for _, l := range lines {
		wrapped := lo.wrap(lo.pieces(l, size), width-firstIndent, width-restIndent)
		for i, ps := range wrapped {
			indent := restIndent
			if i == 0 {
				indent = firstIndent
			}
			out = append(out, vline{ps: ps, indent: indent, last: i == len(wrapped)-1})
		}
		if len(wrapped) == 0 {
			out = append(out, vline{last: true})
		}
	}
	return out
}

// place draws wrapped lines from the current position, turning the page
// when the next line does not fit; a block of several lines never leaves
// its first line alone at the foot of a page.
func (lo *layouter) place(vls []vline, x, width, size float64, al align, keep bool, c colour) {
	lh := size * lo.leading
	if len(vls) > 1 && (keep && !lo.room(lh*float64(len(vls))) || !lo.room(2*lh)) {
		lo.newPage()
	}
	for _, vl := range vls {
		if !lo.room(lh) {
			lo.newPage()
		}
		baseline := lo.y + (lh-size)/2 + 0.88*size
		lo.line(vl, x+vl.indent, width-vl.indent, baseline, size, al, c)
		lo.y += lh
	}
}

// line draws one line: its pieces merged into as few texts as the
// alignment allows. A justified Latin line widens its spaces (up to a
// limit, past which it stays ragged); a justified Japanese line spaces all
// its characters evenly, as Japanese is set.
func (lo *layouter) line(vl vline, x, width, baseline, size float64, al align, c colour) {
	natural, chars, spaces, cjk := 0.0, 0, 0, false
	for _, p := range vl.ps {
		natural += p.w
		chars += utf8.RuneCountInString(p.text)
		if p.space {
			spaces++
		}
		cjk = cjk || p.cjk
	}
	var perSpace, perChar float64
	switch {
	case al == right:
		x += width - natural
	case al == centre:
		x += (width - natural) / 2
	case al == justify && !vl.last && cjk && chars > 1:
		if g := (width - natural) / float64(chars-1); g > 0 && g < size/4 {
			perChar = g
		}
	case al == justify && !vl.last && spaces > 0:
		if g := (width - natural) / float64(spaces); g > 0 && g < size*0.8 {
			perSpace = g
		}
	}
	var seg *op
	var segStyle Style
	flush := func() {
		if seg == nil {
			return
		}
		lo.add(*seg)
		if seg.href != "" {
			lo.add(op{linkOnly: true, href: seg.href, x: seg.x, y: baseline - size*0.9, w: seg.w, h: size * 1.2})
		}
		seg = nil
	}
	cursor := x
	for _, p := range vl.ps {
		adv := p.w + perChar*float64(utf8.RuneCountInString(p.text))
		if p.space && perSpace > 0 {
			if seg != nil {
				seg.text += " "
			}
			flush()
			cursor += adv + perSpace
			continue
		}
		if seg == nil || p.style != segStyle || p.href != seg.href {
			flush()
			col := c
			if p.missing {
				col = red
			}
			y, sz := baseline, size
			if p.style&Sup != 0 {
				y, sz = baseline-size*supRise, size*supScale
			}
			seg = &op{x: cursor, y: y, size: sz, bold: p.style&Bold != 0, spacing: perChar, colour: col, href: p.href}
			segStyle = p.style
		}
		seg.text += p.text
		seg.w += adv
		cursor += adv
	}
	flush()
}

// block sets one block of a letter.
func (lo *layouter) block(b Block) {
	st := styleOf(b.Kind, lo.lang)
	size := lo.size * st.scale
	if len(lo.pages[len(lo.pages)-1]) > 0 {
		lo.y += st.before * lo.size * lo.leading
	}
	x, width := marginLeft, textWidth
	switch b.Kind {
	case KindSignatures:
		lo.signatures(b.Signatures)
		return
	case KindAddress:
		if lo.lang != rencontres.Japanese {
			x, width = addressLeft, pageWidth-marginRight-addressLeft
			lo.y = max(lo.y, addressTop)
		}
	case KindItem:
		lo.items([]Line{b.Lines[0]}, size)
		if len(b.Lines) > 1 {
			mark := lo.measure(bullet(lo.lang), 0, size)
			lo.place(lo.setLines(b.Lines[1:], size, width, mark, mark), x, width, size, left, false, black)
		}
		return
	case KindAttachments:
		lo.place(lo.setLines(b.Lines[:1], size, width, 0, 0), x, width, size, left, false, black)
		lo.items(b.Lines[1:], size)
		return
	}
	first, rest := 0.0, 0.0
	if b.Kind == KindSubject && lo.lang != rencontres.Japanese && len(b.Lines) > 0 && len(b.Lines[0]) > 1 {
		// « Objet : » hangs: the subject's next lines start under its text.
		rest = lo.measure(b.Lines[0][0].Text+" ", Bold, size)
	}
	lo.place(lo.setLines(b.Lines, size, width, first, rest), x, width, size, st.align, st.keep, black)
}

// items sets lines as the items of a list: the mark, then the text, whose
// next lines hang under it.
func (lo *layouter) items(lines []Line, size float64) {
	mark := bullet(lo.lang)
	hang := lo.measure(mark, 0, size)
	for _, l := range lines {
		vls := lo.setLines([]Line{l}, size, textWidth, hang, hang)
		if len(vls) > 0 {
			vls[0].ps = append([]piece{{text: mark, size: size, w: hang}}, vls[0].ps...)
			vls[0].indent = 0
		}
		lo.place(vls, marginLeft, textWidth, size, left, false, black)
	}
}

// signatureColumns wraps the signature blocks in their columns and
// returns them with the height of the tallest.
func (lo *layouter) signatureColumns(sigs []Signature) ([][]vline, float64) {
	size := lo.size * 0.95
	cols := make([][]vline, len(sigs))
	height := 0.0
	for i, s := range sigs {
		cols[i] = lo.setLines([]Line{{{Text: s.Name, Style: Bold}}}, size, signatureWidth, 0, 0)
		var fn []Line
		for _, f := range s.Function {
			fn = append(fn, Line{{Text: f}})
		}
		cols[i] = append(cols[i], lo.setLines(fn, size, signatureWidth, 0, 0)...)
		height = max(height, float64(len(cols[i]))*size*lo.leading)
	}
	return cols, lo.size*lo.leading + signingSpace + height
}

// signatures sets one or two signature blocks side by side, in the right
// half when there is one, after room for the handwritten signatures; the
// whole stays on one page.
func (lo *layouter) signatures(sigs []Signature) {
	if len(sigs) == 0 {
		return
	}
	cols, height := lo.signatureColumns(sigs)
	if !lo.room(height) {
		lo.newPage()
	}
	start, end := lo.y+lo.size*lo.leading+signingSpace, lo.y+height
	for i, col := range cols {
		x := marginLeft + float64(i)*textWidth/2
		if len(sigs) == 1 {
			x = marginLeft + textWidth/2
		}
		lo.y = start
		lo.place(col, x, signatureWidth, lo.size*0.95, left, false, black)
	}
	lo.y = end
}

// keepWithSignatures turns the page before the closing formula when it
// and the signatures would not fit together: signatures never stand
// alone on a page.
func (lo *layouter) keepWithSignatures(closing Block, sigs []Signature) {
	if len(sigs) == 0 {
		return
	}
	st := styleOf(KindClosing, lo.lang)
	lh := lo.size * lo.leading
	_, sig := lo.signatureColumns(sigs)
	lines := lo.setLines(closing.Lines, lo.size, textWidth, 0, 0)
	if !lo.room(st.before*lh + float64(len(lines))*lh + sig) {
		lo.newPage()
	}
}

// letterhead sets the organisers side by side at the top of the first
// page, the first flush left, the last flush right, over a rule.
func (lo *layouter) letterhead(orgs []Organiser) {
	if len(orgs) == 0 {
		lo.y = marginTop
		return
	}
	colWidth := textWidth / float64(len(orgs))
	bottom := marginTop
	for i, o := range orgs {
		al := centre
		switch {
		case i == 0:
			al = left
		case i == len(orgs)-1:
			al = right
		}
		x := marginLeft + float64(i)*colWidth
		lo.y = marginTop
		lo.place(lo.setLines([]Line{{{Text: o.Name, Style: Bold}}}, 12, colWidth, 0, 0), x, colWidth, 12, al, false, accent)
		var lines []Line
		for _, s := range o.Lines {
			lines = append(lines, Line{{Text: s}})
		}
		lo.place(lo.setLines(lines, 8, colWidth, 0, 0), x, colWidth, 8, al, false, grey)
		bottom = max(bottom, lo.y)
	}
	lo.y = bottom + 2*mm
	lo.add(op{rule: true, x: marginLeft, y: lo.y, w: textWidth})
	lo.y += 6 * mm
}

// layout sets a letter on its pages, numbered when more than one.
func (lo *layouter) layout(l *Letter) [][]op {
	lo.pages = [][]op{nil}
	lo.letterhead(l.Letterhead)
	for i, b := range l.Blocks {
		if b.Kind == KindClosing && i+1 < len(l.Blocks) && l.Blocks[i+1].Kind == KindSignatures {
			lo.keepWithSignatures(b, l.Blocks[i+1].Signatures)
		}
		lo.block(b)
	}
	if n := len(lo.pages); n > 1 {
		for i := range lo.pages {
			text := strconv.Itoa(i+1) + "/" + strconv.Itoa(n)
			w := lo.measure(text, 0, 8)
			lo.pages[i] = append(lo.pages[i], op{x: (pageWidth - w) / 2, y: pageHeight - 12*mm, text: text, size: 8, colour: grey})
		}
	}
	return lo.pages
}
