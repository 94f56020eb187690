package letter_test

import (
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/pdftext"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Markup typed into signatories and letterheads is text: the preview
// escapes it and the PDF prints it as typed, in each language.
func TestHostileSignatoriesAndLetterhead(t *testing.T) {
	const (
		script = `<script>alert("x")</script>`
		img    = `<img src=x onerror=alert(1)>`
		head   = `</header><b>CUF</b> & "co"`
	)
	for _, lang := range []rencontres.Lang{rencontres.French, rencontres.Japanese, rencontres.English} {
		tpl, d := short(lang), seed001()
		tpl.Signatories = []letter.Signatory{{Name: "Claire " + script, Function: []string{img}}}
		tpl.Letterhead = []letter.Organiser{{Name: head, Lines: []string{script}}}
		tpl.Body += "\n\n{{signatories}}"
		l := render(t, tpl, d)

		html := string(letter.HTML(l))
		for _, bad := range []string{"<script", "<img", "<b>CUF", "</header><b>"} {
			if strings.Contains(html, bad) {
				t.Errorf("%s: the preview holds %q:\n%s", lang, bad, html)
			}
		}
		for _, want := range []string{"&lt;script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "&lt;/header&gt;&lt;b&gt;CUF&lt;/b&gt; &amp;"} {
			if !strings.Contains(html, want) {
				t.Errorf("%s: the preview lacks %q:\n%s", lang, want, html)
			}
		}

		pages := pdftext.Pages(t, writePDF(t, l))
		got := squash(strings.Join(pages, ""))
		for _, want := range []string{"<script>alert(", "<imgsrc=xonerror=alert(1)>", "</header><b>CUF</b>&"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: the PDF does not print %q as typed:\n%s", lang, want, strings.Join(pages, ""))
			}
		}
	}
}
