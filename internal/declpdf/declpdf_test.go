package declpdf_test

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/declpdf"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/pdftext"
	"github.com/rencontres/rencontres/internal/rencontres"
)

var fonts = sync.OnceValues(letter.FindFonts)

func render(t testing.TB, d *rencontres.Declaration, adoptions []*rencontres.Adoption) []byte {
	t.Helper()
	f, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	b, err := declpdf.Render(d, adoptions, declpdf.Options{
		Edition: rencontres.Text{rencontres.French: "7es Rencontres franco-japonaises de la coopération décentralisée", rencontres.Japanese: "第7回日仏自治体交流会議"},
		Series:  "rencontres-franco-japonaises", Number: 7, Kana: kana, Fonts: f,
	})
	if err != nil {
		t.Fatal(err)
	}
	if out := os.Getenv("DECLPDF_OUT"); out != "" {
		os.WriteFile(out, b, 0o644)
	}
	return b
}

// squash removes white space, so that text is compared whatever the
// lines it was set on.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// typeset is a text as the PDF sets it: the language's typography applied
// to each of its lines.
func typeset(text string, lang rencontres.Lang) string {
	var b strings.Builder
	for _, l := range strings.Split(text, "\n") {
		b.WriteString(letter.Typeset(l, lang, 0).String())
	}
	return b.String()
}

// line is a line of a column as drawn: the texts drawn one after the
// other on one baseline in one column.
type line struct {
	Page int
	X, Y float64
	Text string
}

// column is a column's lines, in the order drawn, page after page,
// without the running header and the page numbers.
type column []line

// columns reads a PDF's lines and parts them: French left of the middle
// of the page, Japanese right; the page numbers and headers apart.
func columns(t *testing.T, b []byte) (cols [2]column, furniture []line, pages int) {
	t.Helper()
	lastCol := -1
	for _, d := range pdftext.Texts(t, b) {
		pages = max(pages, d.Page)
		y := letter.PageHeight - d.Y // from the top, as the layout counts
		c := 0
		switch {
		case y < 18*letter.MM+1 || y > letter.PageHeight-20*letter.MM:
			furniture = append(furniture, line{d.Page, d.X, d.Y, d.Text})
			lastCol = -1
			continue
		case d.X >= letter.PageWidth/2:
			c = 1
		}
		if n := len(cols[c]); c == lastCol && n > 0 && cols[c][n-1].Page == d.Page && math.Abs(cols[c][n-1].Y-d.Y) < 0.01 {
			cols[c][n-1].Text += d.Text
		} else {
			cols[c] = append(cols[c], line{d.Page, d.X, d.Y, d.Text})
		}
		lastCol = c
	}
	return cols, furniture, pages
}

func (c column) text() string {
	var b strings.Builder
	for _, l := range c {
		b.WriteString(l.Text)
	}
	return squash(b.String())
}

// first is the line that starts text: the first whose text begins it.
func (c column) first(text string) (line, bool) {
	want := squash(text)
	for _, l := range c {
		if s := squash(l.Text); utf8.RuneCountInString(s) >= 3 && strings.HasPrefix(want, s) {
			return l, true
		}
	}
	return line{}, false
}

// The declaration reads back in both languages, each segment starting at
// the same height in both columns, French on the left; pages numbered;
// French typography and kinsoku applied.
func TestDeclarationPDF(t *testing.T) {
	d := fixture()
	b := render(t, d, adoptions())
	if got, want := pdftext.Title(t, b), "Déclaration d’Aix-en-Provence — エクス＝アン＝プロヴァンス宣言 — rencontres-franco-japonaises 7"; got != want {
		t.Errorf("the file's title is %q, want %q", got, want)
	}
	cols, furniture, pages := columns(t, b)
	if pages < 2 {
		t.Fatalf("%d page(s), want 2 or more", pages)
	}
	fr, ja := cols[0].text(), cols[1].text()
	n := 0
	for i, s := range d.Segments {
		if s.Deleted {
			if strings.Contains(fr, squash(s.Text[rencontres.French])) || strings.Contains(ja, squash(s.Text[rencontres.Japanese])) {
				t.Errorf("the deleted segment %d is printed", i)
			}
			continue
		}
		var start [2]line
		for c, lang := range []rencontres.Lang{rencontres.French, rencontres.Japanese} {
			want := squash(typeset(s.Text[lang], lang))
			if !strings.Contains([]string{fr, ja}[c], want) {
				t.Errorf("segment %d: the %s column lacks %q", i, lang, s.Text[lang])
			}
			first := s.Text[lang]
			if s.Kind == rencontres.SegmentArticle {
				first = map[rencontres.Lang]string{rencontres.French: "Article " + strconv.Itoa(n+1), rencontres.Japanese: "第" + strconv.Itoa(n+1) + "条"}[lang]
			}
			l, ok := cols[c].first(typeset(first, lang))
			if !ok {
				t.Errorf("segment %d: no %s line starts %q", i, lang, first)
			}
			start[c] = l
		}
		if s.Kind == rencontres.SegmentArticle {
			n++
		}
		if start[0].Page != start[1].Page || math.Abs(start[0].Y-start[1].Y) > 0.5 {
			t.Errorf("segment %d starts at page %d y %.1f in French, page %d y %.1f in Japanese", i, start[0].Page, start[0].Y, start[1].Page, start[1].Y)
		}
		if start[0].X >= start[1].X {
			t.Errorf("segment %d: French at x %.1f is not left of Japanese at %.1f", i, start[0].X, start[1].X)
		}
	}
	if strings.Contains(fr+ja, "English") {
		t.Error("English is printed")
	}
	// Titles, date of adoption, the authorities in each language's order.
	for _, want := range []string{"7esRencontresfranco-japonaises", "Déclarationd’Aix-en-Provence", "Adoptéele6octobre2022",
		"Collectivitésl’ayantapprouvée:Préfectured’OkayamaVilled’Aix-en-ProvenceVilled’OrléansVilledeKumamoto"} {
		if !strings.Contains(fr, want) {
			t.Errorf("the French column lacks %q", want)
		}
	}
	for _, want := range []string{"第7回日仏自治体交流会議", "エクス＝アン＝プロヴァンス宣言", "2022年10月6日採択",
		"賛同した自治体エクス＝アン＝プロヴァンス市岡山県オルレアン市熊本市"} {
		if !strings.Contains(ja, want) {
			t.Errorf("the Japanese column lacks %q", want)
		}
	}
	if strings.Contains(fr, "Évry") || strings.Contains(ja, "エヴリー") {
		t.Error("an authority that voted against is listed")
	}
	// Page numbers « 1 / 3 » at the foot of every page.
	for p := 1; p <= pages; p++ {
		want := fmt.Sprintf("%d / %d", p, pages)
		if !slices.ContainsFunc(furniture, func(l line) bool { return l.Page == p && l.Text == want }) {
			t.Errorf("page %d lacks its number %q", p, want)
		}
	}
	// French typography: a space before : ; ? ! and inside « ».
	var raw strings.Builder
	for _, l := range cols[0] {
		raw.WriteString(l.Text + "\n")
	}
	for _, want := range []string{"entreprises :", "« jumelages économiques »", "aides ;", "attendre ?", "printemps prochain !", "suivante :"} {
		if !strings.Contains(raw.String(), want) {
			t.Errorf("the French column lacks %q:\n%s", want, raw.String())
		}
	}
	// Kinsoku: no Japanese line starts with a closing mark or a small kana.
	for _, l := range cols[1] {
		if r, _ := utf8.DecodeRuneInString(l.Text); strings.ContainsRune("、。，．・：；？！ー）］｝〕〉》」』】〜…ぁぃぅぇぉっゃゅょァィゥェォッャュョ", r) {
			t.Errorf("page %d: a Japanese line starts with %q: %q", l.Page, r, l.Text)
		}
	}
	// The long article runs over a page and its lines stay in their column.
	if cols[0][len(cols[0])-1].Page != pages || cols[1][len(cols[1])-1].Page != pages {
		t.Error("the columns do not end on the last page")
	}
}
