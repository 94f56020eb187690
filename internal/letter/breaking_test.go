package letter

import (
	"math"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/signintech/gopdf"
)

var testFonts = sync.OnceValues(FindFonts)

// testLayouter measures with the letters' fonts; its PDF has them too,
// cut to Latin, kana and the unified kanji.
func testLayouter(t *testing.T, lang rencontres.Lang) (*layouter, *gopdf.GoPdf, [2]string) {
	t.Helper()
	f, err := testFonts()
	if err != nil {
		t.Fatal(err)
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: pageWidth, H: pageHeight}})
	var runes []rune
	for r := rune(0x20); r < 0x3100; r++ {
		runes = append(runes, r)
	}
	for r := rune(0x4e00); r < 0xa000; r++ { // the unified kanji
		runes = append(runes, r)
	}
	var names [2]string
	for i, fc := range f.faces {
		name, err := fc.addTo(pdf, runes)
		if err != nil {
			t.Fatal(err)
		}
		names[i] = name
	}
	return newLayouter(f, lang), pdf, names
}

func joined(ps []piece) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.text)
	}
	return b.String()
}

func width(ps []piece) float64 {
	w := 0.0
	for _, p := range ps {
		w += p.w
	}
	return w
}

// French lines break at spaces (or after the hyphen of a compound),
// never inside a word, never at a no-break space, and fit their width.
func TestWrapFrench(t *testing.T) {
	lo, _, _ := testLayouter(t, rencontres.French)
	src := typeset(Line{{Text: "Cette réunion permettra de présenter la ville-hôte et de faire le point sur le programme prévisionnel des 8e Rencontres franco-japonaises : ce sera également l'occasion de recueillir les suggestions des collectivités territoriales, le 18 septembre 2023."}}, rencontres.French)
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(src.String(), func(r rune) bool { return r == ' ' || r == '-' }) {
		words[w] = true
	}
	for _, w := range []float64{120, 200, 300} {
		lines := lo.wrap(lo.pieces(src, lo.size), w, w)
		var all []string
		for i, l := range lines {
			text := joined(l)
			if width(l) > w {
				t.Errorf("width %v: line %d %q is %.1f wide", w, i, text, width(l))
			}
			if strings.HasPrefix(text, "\u00a0") || strings.HasSuffix(text, "\u00a0") || strings.HasPrefix(text, ":") {
				t.Errorf("width %v: line %d %q breaks at a no-break space", w, i, text)
			}
			for _, word := range strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '-' }) {
				if !words[word] {
					t.Errorf("width %v: line %d cuts a word: %q", w, i, word)
				}
			}
			all = append(all, text)
		}
		if got := strings.ReplaceAll(strings.Join(all, " "), "- ", "-"); got != src.String() {
			t.Errorf("width %v: lines rejoin as %q", w, got)
		}
	}
}

// Japanese lines break between characters, but never before 。、」）ー
// and the like, never after 「（, and never inside 第8回 or 16:30〜18:00.
func TestWrapKinsoku(t *testing.T) {
	lo, _, _ := testLayouter(t, rencontres.Japanese)
	src := Line{{Text: "つきましては、下記のとおり「フランス側第1回拡大運営委員会」を開催いたしますので、ご案内申し上げます。第8回日仏自治体交流会議（静岡市）は、16:30〜18:00に開催されます。ぜひご出席ください。"}}
	for w := 80.0; w <= 200; w += 7 {
		lines := lo.wrap(lo.pieces(src, lo.size), w, w)
		var all strings.Builder
		for i, l := range lines {
			text := joined(l)
			all.WriteString(text)
			first, _ := utf8.DecodeRuneInString(text)
			last, _ := utf8.DecodeLastRuneInString(text)
			if i > 0 && strings.ContainsRune(noLineStart, first) {
				t.Errorf("width %v: line %d starts with %q: %q", w, i, first, text)
			}
			if i < len(lines)-1 && strings.ContainsRune(noLineEnd, last) {
				t.Errorf("width %v: line %d ends with %q: %q", w, i, last, text)
			}
			if width(l) > w {
				t.Errorf("width %v: line %d %q is %.1f wide", w, i, text, width(l))
			}
		}
		if all.String() != src.String() {
			t.Errorf("width %v: lines rejoin as %q", w, all.String())
		}
		for _, unit := range []string{"第8回", "16:30〜18:00"} {
			if !containsWhole(lines, unit) {
				t.Errorf("width %v: %s is cut", w, unit)
			}
		}
	}
}

func containsWhole(lines [][]piece, s string) bool {
	for _, l := range lines {
		if strings.Contains(joined(l), s) {
			return true
		}
	}
	return false
}

// Latin pairs are kerned from the font's GPOS table: « AV » is narrower
// than « A » and « V » apart.
func TestKerning(t *testing.T) {
	lo, _, _ := testLayouter(t, rencontres.French)
	pair := lo.measure("AV", 0, 20)
	apart := lo.measure("A", 0, 20) + lo.measure("V", 0, 20)
	if pair >= apart {
		t.Errorf("AV is %.2f wide, A and V apart %.2f: no kerning", pair, apart)
	}
}

// Text is measured without the PDF, and exactly as the PDF sets it, so
// that justified lines end flush.
func TestMeasureAsPDF(t *testing.T) {
	lo, pdf, names := testLayouter(t, rencontres.French)
	for _, s := range []string{"AVANT « Tokyo », l’Yonne…", "Objet\u00a0: Invitation aux 8", "拝啓　盛夏の候、貴職におかれましては", "Kenji MORI 森 健二 様"} {
		for _, style := range []Style{0, Bold, Sup} {
			size := 10.5
			if err := pdf.SetFont(names[fontIndex(style)], "", size*map[bool]float64{true: supScale, false: 1}[style&Sup != 0]); err != nil {
				t.Fatal(err)
			}
			want, err := pdf.MeasureTextWidth(s)
			if err != nil {
				t.Fatal(err)
			}
			if got := lo.measure(s, style, size); math.Abs(got-want) > 1e-9 {
				t.Errorf("%q style %d: measured %.4f, the PDF sets %.4f", s, style, got, want)
			}
		}
	}
}
