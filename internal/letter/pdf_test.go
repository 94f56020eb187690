package letter_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/pdftext"
	"github.com/rencontres/rencontres/internal/rencontres"
)

var fonts = sync.OnceValues(letter.FindFonts)

func writePDF(t *testing.T, letters ...*letter.Letter) []byte {
	t.Helper()
	f, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := letter.WritePDF(&buf, f, letters...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func render(t *testing.T, tpl letter.Template, d letter.Data) *letter.Letter {
	t.Helper()
	l, err := letter.Render(&tpl, &d)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// short is a one-page letter: the seed's meeting block and reply.
func short(lang rencontres.Lang) letter.Template {
	t := invitation8(lang)
	switch lang {
	case rencontres.Japanese:
		t.Body = "下記のとおり{{meeting.title}}を開催いたします。\n\n記\n\n- 日時：{{meeting.day}}　{{meeting.times}}\n- 会場：{{meeting.venue}}\n\n以上"
	default:
		t.Body = "J'ai le plaisir de vous inviter à la {{meeting.title}} des {{event.ordinal}} Rencontres, qui se tiendra :\n\n**{{meeting.day}}, {{meeting.times}},\nà la {{meeting.venue}} à {{meeting.city}}.**\n\nMerci de répondre avant le {{deadline}} : {{link}}"
	}
	return t
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

// Every line of a letter, Japanese included, is in the PDF's text as a
// reader copies it, and a short letter is one page.
func TestPDFExtracts(t *testing.T) {
	mori := letter.Recipient{Civility: "m", GivenName: "Kenji", FamilyName: "Mori", NameJa: "森 健二",
		Function: rencontres.Text{"fr": "Maire de Kumamoto", "ja": "市長"}, Authority: rencontres.Text{"fr": "Ville de Kumamoto", "ja": "熊本市"}}
	for _, lang := range rencontres.Langs {
		tpl, d := short(lang), seed001()
		tpl.Era = true
		d.Recipient = mori
		l := render(t, tpl, d)
		pages := pdftext.Pages(t, writePDF(t, l))
		if len(pages) != 1 {
			t.Errorf("%s: %d pages, want 1", lang, len(pages))
			continue
		}
		got := squash(pages[0])
		for _, b := range l.Blocks {
			for _, line := range b.Lines {
				if want := squash(line.String()); !strings.Contains(got, want) {
					t.Errorf("%s: the PDF's text lacks %q:\n%s", lang, line.String(), pages[0])
				}
			}
			for _, s := range b.Signatures {
				if !strings.Contains(got, squash(s.Name)) {
					t.Errorf("%s: the PDF's text lacks the signatory %q", lang, s.Name)
				}
			}
		}
		for _, want := range map[rencontres.Lang][]string{
			rencontres.French:   {"Paris,le11juillet2023", "Objet:premièreréuniond", "des8esRencontres", "lelundi18septembre2023,de16h30à18h00,", "MonsieurleMaire,", "PJ:"},
			rencontres.Japanese: {"令和5年7月11日", "熊本市", "市長森健二様", "拝啓", "敬具", "記", "以上", "第8回日仏自治体交流会議"},
			rencontres.English:  {"Paris,11July2023", "Subject:", "DearMrMori,"},
		}[lang] {
			if !strings.Contains(got, want) {
				t.Errorf("%s: the PDF's text lacks %q:\n%s", lang, want, pages[0])
			}
		}
	}
}

// Letters written together each start on a new page: three one-page
// letters make three pages, in order.
func TestPDFCombined(t *testing.T) {
	var letters []*letter.Letter
	for _, lang := range rencontres.Langs {
		letters = append(letters, render(t, short(lang), seed001()))
	}
	pages := pdftext.Pages(t, writePDF(t, letters...))
	if len(pages) != 3 {
		t.Fatalf("%d pages, want 3", len(pages))
	}
	for i, want := range []string{"Paris,le11juillet2023", "2023年7月11日", "Paris,11July2023"} {
		if !strings.Contains(squash(pages[i]), want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
}

// A long letter wraps onto a second page, numbered 1/2 and 2/2, with its
// end (the signature; 以上 in Japanese) on the last page.
func TestPDFLongLetter(t *testing.T) {
	for _, lang := range []rencontres.Lang{rencontres.French, rencontres.Japanese} {
		tpl := invitation8(lang)
		tpl.Body = strings.Repeat(tpl.Body[:strings.Index(tpl.Body, "\n\n")]+"\n\n", 10) + tpl.Body
		l := render(t, tpl, seed001())
		pages := pdftext.Pages(t, writePDF(t, l))
		if len(pages) != 2 {
			t.Errorf("%s: %d pages, want 2", lang, len(pages))
			continue
		}
		for i, want := range []string{"1/2", "2/2"} {
			if !strings.Contains(pages[i], want) {
				t.Errorf("%s: page %d lacks its number %s", lang, i+1, want)
			}
		}
		end := map[rencontres.Lang]string{rencontres.French: tpl.Signatories[0].Name, rencontres.Japanese: "以上"}[lang]
		if !strings.Contains(squash(pages[1]), squash(end)) || strings.Contains(squash(pages[0]), squash(end)) {
			t.Errorf("%s: %q is not on the last page only", lang, end)
		}
	}
	if pages := pdftext.Pages(t, writePDF(t, render(t, short(rencontres.French), seed001()))); strings.Contains(pages[0], "1/1") {
		t.Errorf("a one-page letter is numbered")
	}
}

// Fonts are shared by PDFs written at the same time.
func TestPDFConcurrent(t *testing.T) {
	l := render(t, short(rencontres.Japanese), seed001())
	want := pdftext.Pages(t, writePDF(t, l))
	var wg sync.WaitGroup
	got := make([][]byte, 4)
	for i := range got {
		wg.Go(func() { got[i] = writePDF(t, l) })
	}
	wg.Wait()
	for i := range got {
		if p := pdftext.Pages(t, got[i]); len(p) != 1 || p[0] != want[0] {
			t.Errorf("PDF %d written concurrently differs", i)
		}
	}
}

// More letters than a part holds (a PDF is set a hundred letters at a
// time and the parts joined as they are written): 205 one-page letters
// make 205 pages, each the letter of its place.
func TestPDFInParts(t *testing.T) {
	var letters []*letter.Letter
	var want []string
	dates := map[rencontres.Lang]string{rencontres.French: "Paris,le11juillet2023", rencontres.Japanese: "2023年7月11日", rencontres.English: "Paris,11July2023"}
	for i := range 205 {
		lang := rencontres.Langs[i%len(rencontres.Langs)]
		letters = append(letters, render(t, short(lang), seed001()))
		want = append(want, dates[lang])
	}
	pages := pdftext.Pages(t, writePDF(t, letters...))
	if len(pages) != len(letters) {
		t.Fatalf("%d pages, want %d", len(pages), len(letters))
	}
	for i, w := range want {
		if !strings.Contains(squash(pages[i]), w) {
			t.Fatalf("page %d lacks %q", i+1, w)
		}
	}
}
