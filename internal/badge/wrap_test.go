package badge_test

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"unicode"

	"github.com/ledongthuc/pdf"
	"github.com/rencontres/rencontres/internal/badge"
)

// line is one line of a badge as a reader copies it, with its type size.
type line struct {
	text string
	size float64
}

// pdfLines reads the lines of a PDF in the order they are drawn: the
// characters drawn one after another on the same baseline.
func pdfLines(t *testing.T, b []byte) []line {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out []line
	for i := 1; i <= r.NumPage(); i++ {
		y := math.NaN()
		for _, c := range r.Page(i).Content().Text {
			if c.Y != y || len(out) == 0 {
				out = append(out, line{size: c.FontSize})
				y = c.Y
			}
			out[len(out)-1].text += c.S
		}
	}
	// The reader ends each drawn text with a character of its own.
	for i := range out {
		out[i].text = strings.TrimRight(out[i].text, "\ufffd\n ")
	}
	return out
}

// linesOf finds the lines a text was broken into: the run of lines that
// joined (with spaces where the text has them) make it.
func linesOf(lines []line, text string) []line {
	flat := strings.ReplaceAll(text, " ", "")
	for i := range lines {
		joined := ""
		for j := i; j < len(lines); j++ {
			joined += strings.ReplaceAll(lines[j].text, " ", "")
			if joined == flat {
				return lines[i : j+1]
			}
			if !strings.HasPrefix(flat, joined) {
				break
			}
		}
	}
	return nil
}

const (
	longFunction = "Conseillère municipale déléguée aux relations internationales et à la coopération décentralisée"
	japanese     = "熊本市経済観光局国際部国際課長兼東アジア戦略室長（日仏自治体交流担当）、第8回日仏自治体交流会議実行委員会事務局次長"
)

func write(t *testing.T, layout badge.Layout, bs ...badge.Badge) []line {
	t.Helper()
	f, err := badge.FindFonts()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := badge.Write(&buf, f, layout, bs); err != nil {
		t.Fatal(err)
	}
	return pdfLines(t, buf.Bytes())
}

// A French function too long for a line is first set smaller, then
// broken between words, never inside one; one that fits once smaller
// stays on one line.
func TestBadgeFunctionBreaksBetweenWords(t *testing.T) {
	words := map[string]bool{}
	for _, w := range strings.Fields(longFunction) {
		words[w] = true
	}
	// A medium function is one that fits on a line once set smaller: the
	// A4 sheet's badges are set smaller to start with.
	for layout, mediumFunction := range map[badge.Layout]string{
		badge.A6:   "Chargée de mission aux relations internationales",
		badge.A4x8: "Conseillère municipale déléguée aux relations internationales et à la coopération",
	} {
		lines := write(t, layout,
			badge.Badge{Name: "Claire DUVAL", Function: longFunction, Authority: "Aix-en-Provence", Event: "9e Rencontres franco-japonaises", Code: "A1B2C3D4E5"},
			badge.Badge{Name: "Marie DUPONT", Function: mediumFunction, Authority: "Tours", Event: "9e Rencontres franco-japonaises", Code: "B1B2C3D4E5"},
			badge.Badge{Name: "Jean MARTIN", Function: "Maire", Authority: "Tours", Event: "9e Rencontres franco-japonaises", Code: "C1B2C3D4E5"})
		long := linesOf(lines, longFunction)
		if len(long) < 2 {
			t.Fatalf("%s: the long function is not broken into lines: %v", layout, lines)
		}
		for _, l := range long {
			for _, w := range strings.Fields(l.text) {
				if !words[w] {
					t.Errorf("%s: line %q cuts a word: %q", layout, l.text, w)
				}
			}
		}
		short, medium := linesOf(lines, "Maire"), linesOf(lines, mediumFunction)
		if len(short) != 1 || len(medium) != 1 {
			t.Fatalf("%s: the medium function takes %d lines, want 1 (set smaller): %v", layout, len(medium), lines)
		}
		// Smaller before broken: the medium function is set smaller than
		// a short one, the long one smaller still.
		if !(medium[0].size < short[0].size && long[0].size <= medium[0].size && long[0].size >= max(0.75*short[0].size, 6)-0.01) {
			t.Errorf("%s: sizes short %.2f, medium %.2f, long %.2f: want medium smaller, long at the minimum", layout, short[0].size, medium[0].size, long[0].size)
		}
	}
}

// A Japanese function breaks between characters as kinsoku allows: no
// line starts with closing punctuation or a small kana, none ends with an
// opening bracket, and numbers stay with their counters (第8回).
func TestBadgeJapaneseFunctionKinsoku(t *testing.T) {
	for _, layout := range []badge.Layout{badge.A6, badge.A4x8} {
		// The same function after 0 to 24 more characters, so that every
		// character of it comes at the end of a line in one of them.
		var bs []badge.Badge
		for k := range 25 {
			bs = append(bs, badge.Badge{Name: "森 健二", Latin: "Kenji MORI", Function: strings.Repeat("市", k) + japanese, Authority: "熊本市", Event: "第9回日仏自治体交流会議", Code: "7KQ2M9XW4P"})
		}
		lines := write(t, layout, bs...)
		for _, b := range bs {
			checkKinsoku(t, layout, lines, b.Function)
		}
	}
}

// checkKinsoku checks the lines a Japanese function was broken into.
func checkKinsoku(t *testing.T, layout badge.Layout, lines []line, function string) {
	t.Helper()
	fn := linesOf(lines, function)
	if len(fn) < 2 {
		t.Fatalf("%s: the function is not broken: %v", layout, lines)
	}
	for i, l := range fn {
		rs := []rune(l.text)
		first, last := rs[0], rs[len(rs)-1]
		if strings.ContainsRune("、。）」』ー", first) || strings.ContainsRune("（「『", last) {
			t.Errorf("%s: line %d %q breaks against kinsoku", layout, i+1, l.text)
		}
		if i+1 < len(fn) {
			next := []rune(fn[i+1].text)[0]
			if unicode.IsDigit(last) && unicode.Is(unicode.Han, next) || unicode.Is(unicode.Han, last) && unicode.IsDigit(next) {
				t.Errorf("%s: lines %d–%d part a number from its counter: %q | %q", layout, i+1, i+2, l.text, fn[i+1].text)
			}
		}
	}
}
