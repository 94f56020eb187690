package declpdf_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/declpdf"
	"github.com/rencontres/rencontres/internal/pdftext"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Each column lists the authorities in its language's order: French
// collation in French (accents aside: « Évry » among the E, not after
// the Z), kana readings in Japanese (岡山 before 熊本, whatever the
// kanji's code points), a name missing in Japanese given in French (Latin
// script sorts before kana, as in a Japanese index).
func TestSortedNames(t *testing.T) {
	as := []*rencontres.Adoption{
		org("orleans", rencontres.France, rencontres.Endorse, "Orléans", "オルレアン市"),
		org("evry", rencontres.France, rencontres.VoteFor, "Évry", ""),
		org("angers", rencontres.France, rencontres.Endorse, "Angers", "アンジェ市"),
		org("idf", rencontres.France, rencontres.Endorse, "Île-de-France", "イル＝ド＝フランス地域圏"),
		org("kumamoto", rencontres.Japan, rencontres.Endorse, "Kumamoto", "熊本市"),
		org("okayama", rencontres.Japan, rencontres.Endorse, "Okayama", "岡山県"),
		org("yokohama", rencontres.Japan, rencontres.VoteFor, "Yokohama", "横浜市"),
	}
	readings := map[string]string{"kumamoto": "くまもとし", "okayama": "おかやまけん", "yokohama": "よこはまし"}
	if got, want := declpdf.SortedNames(as, rencontres.French, readings), []string{"Angers", "Évry", "Île-de-France", "Kumamoto", "Okayama", "Orléans", "Yokohama"}; !slices.Equal(got, want) {
		t.Errorf("French: %q, want %q", got, want)
	}
	if got, want := declpdf.SortedNames(as, rencontres.Japanese, readings), []string{"Évry", "アンジェ市", "イル＝ド＝フランス地域圏", "岡山県", "オルレアン市", "熊本市", "横浜市"}; !slices.Equal(got, want) {
		t.Errorf("Japanese: %q, want the kana order %q", got, want)
	}
}

// Only votes for and endorsements are listed, each authority once.
func TestAdopters(t *testing.T) {
	as := []*rencontres.Adoption{
		org("a", rencontres.France, rencontres.VoteFor, "A", "A"),
		org("b", rencontres.France, rencontres.VoteAgainst, "B", "B"),
		org("c", rencontres.Japan, rencontres.VoteAbstain, "C", "C"),
		org("a", rencontres.France, rencontres.VoteFor, "A", "A"),
		nil,
		org("d", rencontres.Japan, rencontres.Endorse, "D", "D"),
	}
	var keys []string
	for _, a := range declpdf.Adopters(as) {
		keys = append(keys, a.OrgKey)
	}
	if !slices.Equal(keys, []string{"a", "d"}) {
		t.Errorf("adopters %q, want a and d", keys)
	}
}

// A short declaration adopted by vote is one page numbered « 1 / 1 »,
// its Japanese date in the era when asked, the voters listed under the
// vote's heading, then its corrections, oldest first, dated in the
// edition's zone (Tokyo: 2 December 23:30 UTC is the 3rd); its font is
// cut to the characters it sets.
func TestShortDeclarationByVote(t *testing.T) {
	d := &rencontres.Declaration{Mode: rencontres.AdoptionVote, TimeZone: "Asia/Tokyo",
		Title: rencontres.Text{rencontres.French: "Déclaration de Kumamoto", rencontres.Japanese: "熊本宣言"},
		Segments: []*rencontres.Segment{
			seg(rencontres.SegmentArticle, "Nous coopérons.", "協力する。"),
			seg(rencontres.SegmentArticle, "Nous échangeons.", "交流する。"),
		}}
	f, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	b, err := declpdf.Render(d, []*rencontres.Adoption{org("kumamoto", rencontres.Japan, rencontres.VoteFor, "Ville de Kumamoto", "熊本市")},
		declpdf.Options{Adopted: rencontres.Date{Year: 2024, Month: 11, Day: 1}, Era: true, Fonts: f, Corrections: []*rencontres.DeclarationCorrection{
			{At: time.Date(2024, 12, 2, 23, 30, 0, 0, time.UTC), Reason: rencontres.Text{rencontres.French: "Nom de Kumamoto rectifié.", rencontres.Japanese: "熊本市の名称を訂正"}},
			{At: time.Date(2024, 11, 20, 9, 0, 0, 0, time.UTC)},
		}})
	if err != nil {
		t.Fatal(err)
	}
	cols, furniture, pages := columns(t, b)
	if pages != 1 || len(furniture) != 1 || furniture[0].Text != "1 / 1" {
		t.Errorf("%d pages, furniture %v: want one page numbered 1 / 1", pages, furniture)
	}
	fr, ja := cols[0].text(), cols[1].text()
	for _, want := range []string{"DéclarationdeKumamoto", "Article1Nouscoopérons.Article2Nouséchangeons.", "Adoptéele1er", "novembre2024", "Collectivitésayantvotépoursonadoption:VilledeKumamotoCorrigéele20novembre2024Corrigéele3décembre2024:NomdeKumamotorectifié."} {
		if !strings.Contains(fr, want) {
			t.Errorf("French lacks %q: %s", want, fr)
		}
	}
	for _, want := range []string{"熊本宣言", "第1条協力する。第2条交流する。", "令和6年11月1日採択", "採択に賛成した自治体熊本市令和6年11月20日訂正令和6年12月3日訂正：熊本市の名称を訂正"} {
		if !strings.Contains(ja, want) {
			t.Errorf("Japanese lacks %q: %s", want, ja)
		}
	}
	// The whole of Noto Serif JP is some 7 MB; cut to these few
	// characters, the file is a few dozen kilobytes.
	if len(b) > 100_000 {
		t.Errorf("a one-page declaration is %d bytes: the font is not cut", len(b))
	}
}

// A declaration with no segment yet, and no adoption, still makes a
// page with its title; a segment taller than a page runs over pages with
// nothing lost; no declaration is an error.
func TestEdgeCases(t *testing.T) {
	empty := &rencontres.Declaration{Title: rencontres.Text{rencontres.French: "Déclaration", rencontres.Japanese: "宣言"}}
	if text := pdftext.Text(t, render(t, empty, nil)); !strings.Contains(text, "Déclaration") || !strings.Contains(text, "宣言") {
		t.Errorf("an empty declaration's PDF lacks its title: %q", text)
	}
	huge := &rencontres.Declaration{Segments: []*rencontres.Segment{
		seg(rencontres.SegmentParagraph, strings.Repeat("Une phrase assez longue pour remplir une ligne entière. ", 200),
			strings.Repeat("行をすべて埋めるほどの長い文。", 300)),
	}}
	cols, _, pages := columns(t, render(t, huge, nil))
	if pages < 4 {
		t.Errorf("a huge segment makes %d pages", pages)
	}
	if got := strings.Count(cols[0].text(), "Unephraseassezlongue"); got != 200 {
		t.Errorf("the French column has %d sentences of 200", got)
	}
	if got := strings.Count(cols[1].text(), "行をすべて埋めるほどの長い文。"); got != 300 {
		t.Errorf("the Japanese column has %d sentences of 300", got)
	}
	// Without fonts given, Render finds the letters' own.
	if b, err := declpdf.Render(empty, nil, declpdf.Options{}); err != nil || !strings.Contains(pdftext.Text(t, b), "宣言") {
		t.Errorf("without fonts given: %v", err)
	}
	if _, err := declpdf.Render(nil, nil, declpdf.Options{}); err == nil {
		t.Error("no declaration renders")
	}
}

func BenchmarkDeclarationPDF(b *testing.B) {
	f, err := fonts()
	if err != nil {
		b.Fatal(err)
	}
	d, as := fixture(), adoptions()
	opts := declpdf.Options{Edition: rencontres.Text{rencontres.French: "7es Rencontres", rencontres.Japanese: "第7回日仏自治体交流会議"}, Kana: kana, Fonts: f}
	var size int
	for b.Loop() {
		out, err := declpdf.Render(d, as, opts)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}
