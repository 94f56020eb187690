package letter_test

import (
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The preview escapes template text and field values alike, raises
// ordinals, bolds, links the personal link and marks missing fields.
func TestHTML(t *testing.T) {
	tpl, d := invitation8(rencontres.French), seed001()
	tpl.Body = "Bonjour <script>alert(1)</script> & **{{recipient.authority}}**,\n\nvotre lien : {{link}}, réponse avant le {{deadline}}.\n\n- un\n- deux"
	d.Recipient.Authority = rencontres.Text{"fr": `Ville "d'Essai" & <Co>`}
	d.Link = ""
	got := string(letter.HTML(render(t, tpl, d)))
	for _, want := range []string{
		`<article class="letter" lang="fr">`,
		`<header class="letter-head"><p><strong>Cités Unies France</strong>`,
		`Bonjour &lt;script&gt;alert(1)&lt;/script&gt; &amp; <strong>Ville «`,
		`&lt;Co&gt;</strong>`,
		`<li>8<sup>es</sup> Rencontres`,
		`<mark class="letter-missing">[link]</mark>`,
		`<ul class="letter-list"><li>un</li><li>deux</li></ul>`,
		`<p class="letter-date">Paris, le 11` + "\u00a0" + `juillet 2023</p>`,
		`<div class="letter-signatures"><p class="letter-signature"><strong>Claire DUVAL</strong><br>`,
		`<div class="letter-attachments"><p>PJ` + "\u00a0" + `:</p><ul><li>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the preview lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "<script>") {
		t.Errorf("the preview is not escaped:\n%s", got)
	}
	d.Link = "https://rencontres.example.org/fr/r/A1B2?x=1&y=2"
	got = string(letter.HTML(render(t, tpl, d)))
	if want := `<a href="https://rencontres.example.org/fr/r/A1B2?x=1&amp;y=2">https://rencontres.example.org/fr/r/A1B2?x=1&amp;y=2</a>`; !strings.Contains(got, want) {
		t.Errorf("the preview lacks the link %q:\n%s", want, got)
	}
	// A sample link, shown before anyone has a real one, is printed but
	// leads nowhere, so it is not a link.
	d.Link = "https://rencontres.example.org/fr/invitation/…"
	got = string(letter.HTML(render(t, tpl, d)))
	if !strings.Contains(got, "https://rencontres.example.org/fr/invitation/…") || strings.Contains(got, `<a href="https://rencontres.example.org/fr/invitation/`) {
		t.Errorf("the sample link is not shown as plain text:\n%s", got)
	}
}
