package letter

import (
	"html"
	"html/template"
	"strings"
)

// HTML writes a letter for the editor's live preview, every text escaped.
// It uses classes only (the site's Content-Security-Policy forbids inline
// styles); Stylesheet gives them a letter's look. A field with no value
// is a <mark class="letter-missing">.
func HTML(l *Letter) template.HTML {
	var b strings.Builder
	b.WriteString(`<article class="letter" lang="` + html.EscapeString(string(l.Lang)) + `">`)
	if len(l.Letterhead) > 0 {
		b.WriteString(`<header class="letter-head">`)
		for _, o := range l.Letterhead {
			b.WriteString(`<p><strong>` + html.EscapeString(o.Name) + `</strong>`)
			for _, line := range o.Lines {
				b.WriteString(`<br>` + html.EscapeString(line))
			}
			b.WriteString(`</p>`)
		}
		b.WriteString(`</header>`)
	}
	for i, blk := range l.Blocks {
		switch blk.Kind {
		case KindItem:
			if i == 0 || l.Blocks[i-1].Kind != KindItem {
				b.WriteString(`<ul class="letter-list">`)
			}
			b.WriteString(`<li>`)
			writeLines(&b, blk.Lines)
			b.WriteString(`</li>`)
			if i == len(l.Blocks)-1 || l.Blocks[i+1].Kind != KindItem {
				b.WriteString(`</ul>`)
			}
		case KindSignatures:
			b.WriteString(`<div class="letter-signatures">`)
			for _, s := range blk.Signatures {
				b.WriteString(`<p class="letter-signature"><strong>` + html.EscapeString(s.Name) + `</strong>`)
				for _, f := range s.Function {
					b.WriteString(`<br>` + html.EscapeString(f))
				}
				b.WriteString(`</p>`)
			}
			b.WriteString(`</div>`)
		case KindAttachments:
			b.WriteString(`<div class="letter-attachments"><p>`)
			writeLines(&b, blk.Lines[:1])
			b.WriteString(`</p><ul>`)
			for _, line := range blk.Lines[1:] {
				b.WriteString(`<li>`)
				writeLines(&b, []Line{line})
				b.WriteString(`</li>`)
			}
			b.WriteString(`</ul></div>`)
		default:
			b.WriteString(`<p class="letter-` + string(blk.Kind) + `">`)
			writeLines(&b, blk.Lines)
			b.WriteString(`</p>`)
		}
	}
	b.WriteString(`</article>`)
	return template.HTML(b.String())
}

func writeLines(b *strings.Builder, lines []Line) {
	for i, line := range lines {
		if i > 0 {
			b.WriteString(`<br>`)
		}
		for _, r := range line {
			writeRun(b, r)
		}
	}
}

func writeRun(b *strings.Builder, r Run) {
	s := html.EscapeString(r.Text)
	if r.Style&Sup != 0 {
		s = `<sup>` + s + `</sup>`
	}
	if r.Style&Bold != 0 {
		s = `<strong>` + s + `</strong>`
	}
	if r.Missing {
		s = `<mark class="letter-missing">` + s + `</mark>`
	}
	if safeHref(r.Href) {
		s = `<a href="` + html.EscapeString(r.Href) + `">` + s + `</a>`
	}
	b.WriteString(s)
}

// safeHref admits the links a letter may carry: web and e-mail addresses.
func safeHref(h string) bool {
	return strings.HasPrefix(h, "https://") || strings.HasPrefix(h, "http://") || strings.HasPrefix(h, "mailto:")
}

// Stylesheet lays out HTML's classes as a letter: the letterhead's
// organisers and the signature blocks side by side, the date flush right,
// a Japanese subject centred. The site serves it from its own stylesheet.
const Stylesheet = `.letter{max-width:42rem;padding:2rem;background:#fff;color:#000;font-family:"Noto Serif JP",serif;line-height:1.5}
.letter p{margin:0 0 .8em}
.letter-head{display:flex;justify-content:space-between;gap:2rem;border-bottom:1px solid #888;margin-bottom:1.5rem;font-size:.85em}
.letter-address{margin-left:50%}
.letter-date,.letter-sender,.letter-right{text-align:right}
.letter-centre,.letter[lang=ja] .letter-subject{text-align:center}
.letter-paragraph,.letter-closing{text-align:justify}
.letter-signatures{display:flex;justify-content:flex-end;gap:2rem;margin-top:3rem}
.letter-signature{flex:0 1 50%}
.letter-missing{background:#fde68a}
.letter[lang=fr] ul{list-style:"– "}
.letter[lang=ja] ul{list-style:"・"}
.letter[lang=ja] .letter-address{margin-left:0}`
