package web

import "testing"

// A post's text is plain text: markup typed in it is shown as text, never
// run; blank lines make paragraphs, addresses links.
func TestParagraphs(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"Un.\n\nDeux\nlignes.", "<p>Un.</p>\n<p>Deux<br>lignes.</p>\n"},
		{"<script>alert(1)</script> & <b>gras</b>", "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;gras&lt;/b&gt;</p>\n"},
		{"Voir https://www.cites-unies-france.org/JAPON?a=1&b=2.", `<p>Voir <a href="https://www.cites-unies-france.org/JAPON?a=1&amp;b=2">https://www.cites-unies-france.org/JAPON?a=1&amp;b=2</a>.</p>` + "\n"},
		{`javascript:alert(1) "https://x.org/" onclick`, `<p>javascript:alert(1) &#34;<a href="https://x.org/">https://x.org/</a>&#34; onclick</p>` + "\n"},
		{"詳しくは：https://www.example.org/ja をご覧ください。\r\n\r\n  \n次の段落。", "<p>詳しくは：<a href=\"https://www.example.org/ja\">https://www.example.org/ja</a> をご覧ください。</p>\n<p>次の段落。</p>\n"},
	} {
		if got := string(Paragraphs(c.in)); got != c.want {
			t.Errorf("Paragraphs(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	long := ""
	for range 60 {
		long += "mot long "
	}
	if got := Excerpt("Premier paragraphe.\n\nSecond."); got != "Premier paragraphe." {
		t.Errorf("excerpt %q", got)
	}
	if got := []rune(Excerpt(long)); len(got) > 281 || got[len(got)-1] != '…' {
		t.Errorf("a long paragraph is cut to %d characters: %q", len(got), string(got))
	}
}
