package letter

import (
	"strings"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/signintech/gopdf"
)

// The letters' measures and line breaking, for the other documents the
// product prints (badges): the same fonts, the same widths and the same
// rules, so that a line never breaks inside a word nor against kinsoku,
// whatever prints it.

// styleOfWeight is the style of a text set in bold or not.
func styleOfWeight(bold bool) Style {
	if bold {
		return Bold
	}
	return 0
}

// Width is the width in points of a text set at size points, as a PDF
// given the fonts by AddTo draws it (kerning included).
func (f *Fonts) Width(text string, bold bool, size float64) float64 {
	return newLayouter(f, rencontres.French).measure(text, styleOfWeight(bold), size)
}

// pieces cuts a text into the units of line breaking, with the spaces
// that French typography does not break at (before : ; ? ! », after «)
// made no-break ones.
func (f *Fonts) pieces(text string, bold bool, size float64) (*layouter, []piece) {
	var b strings.Builder
	rs := []rune(text)
	for i, r := range rs {
		if r == ' ' && (i+1 < len(rs) && strings.ContainsRune(":;?!»", rs[i+1]) || i > 0 && rs[i-1] == '«') {
			r = '\u00a0'
		}
		b.WriteRune(r)
	}
	lo := newLayouter(f, rencontres.French)
	return lo, lo.pieces(Line{{Text: b.String(), Style: styleOfWeight(bold)}}, size)
}

// Wrap breaks a text into lines no wider than width points at size, as
// letters break theirs: at spaces and after the hyphen of a compound in
// Latin script, between characters in Japanese as kinsoku allows. It cuts
// a word only when the word is wider than a line, which Fits tells
// beforehand.
func (f *Fonts) Wrap(text string, bold bool, size, width float64) []string {
	lo, ps := f.pieces(text, bold, size)
	var out []string
	for _, l := range lo.wrap(ps, width, width) {
		var b strings.Builder
		for _, p := range l {
			b.WriteString(p.text)
		}
		out = append(out, strings.ReplaceAll(b.String(), "\u00a0", " "))
	}
	return out
}

// Fits reports whether a text breaks into lines no wider than width
// points at size without cutting a word: whether its widest part that no
// line may break fits in a line.
func (f *Fonts) Fits(text string, bold bool, size, width float64) bool {
	_, ps := f.pieces(text, bold, size)
	run := 0.0
	for i := range ps {
		if ps[i].space {
			run = 0
			continue
		}
		run += ps[i].w
		if run > width {
			return false
		}
		if i+1 < len(ps) && mayBreak(&ps[i], &ps[i+1]) {
			run = 0
		}
	}
	return true
}

// AddTo gives a PDF the regular and bold fonts, each cut to the
// characters of the text it will set and kerned as Width measures, and
// returns the names the PDF knows them by (the subset's tag and the
// PostScript name), to pass to SetFont.
func (f *Fonts) AddTo(pdf *gopdf.GoPdf, regular, bold string) (names [2]string, err error) {
	for i, text := range []string{regular, bold} {
		seen := map[rune]bool{' ': true, '\u00a0': true} // a missing character is set as a space
		runes := []rune{' ', '\u00a0'}
		for _, r := range text {
			if !seen[r] {
				seen[r] = true
				runes = append(runes, r)
			}
		}
		if names[i], err = f.faces[i].addTo(pdf, runes); err != nil {
			return names, err
		}
	}
	return names, nil
}
