package letter

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// NBSP is the no-break space French typography puts before « : ; ? ! »,
// inside « », between a number and its unit or month. We use U+00A0
// rather than the narrow U+202F because the letters' fonts (Noto Serif JP
// and Noto Sans JP) have no U+202F glyph, so a PDF would substitute
// another space and copy back something else than what was rendered; it
// is also what internal/i18n writes inside « » and in numbers, so field
// values and template text agree. See docs/decisions.md.
const NBSP = '\u00a0'

// char is one character of a line with its run's attributes, so that the
// typography can look across runs (a field's value next to the template's
// text) and keep each character's style.
type char struct {
	r       rune
	style   Style
	href    string
	missing bool
	// keep protects URLs, e-mail addresses and links from typography.
	keep bool
}

// typeset applies a language's typography to a line: links for URLs and
// e-mail addresses in every language, and the French rules in French.
func typeset(l Line, lang rencontres.Lang) Line {
	cs := explode(l)
	cs = linkify(cs)
	if lang == rencontres.French {
		cs = frenchElision(cs)
		cs = frenchSpaces(cs)
		cs = frenchOrdinals(cs)
		cs = frenchNumbers(cs)
	}
	return implode(trimSpaces(cs))
}

func explode(l Line) []char {
	n := 0
	for _, run := range l {
		n += len(run.Text)
	}
	cs := make([]char, 0, n)
	for _, run := range l {
		for _, r := range run.Text {
			cs = append(cs, char{r: r, style: run.Style, href: run.Href, missing: run.Missing, keep: run.Href != "" || run.Missing})
		}
	}
	return cs
}

func implode(cs []char) Line {
	var l Line
	var b strings.Builder
	b.Grow(len(cs))
	for i, c := range cs {
		b.WriteRune(c.r)
		if i == len(cs)-1 || cs[i+1].style != c.style || cs[i+1].href != c.href || cs[i+1].missing != c.missing {
			l = append(l, Run{Text: b.String(), Style: c.style, Href: c.href, Missing: c.missing})
			b.Reset()
		}
	}
	return l
}

func trimSpaces(cs []char) []char {
	for len(cs) > 0 && unicode.IsSpace(cs[0].r) && cs[0].r != NBSP {
		cs = cs[1:]
	}
	for len(cs) > 0 && unicode.IsSpace(cs[len(cs)-1].r) && cs[len(cs)-1].r != NBSP {
		cs = cs[:len(cs)-1]
	}
	return cs
}

// linkRE finds web addresses and e-mail addresses written in the text.
var linkRE = regexp.MustCompile(`https?://[^\s<>«»"]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`)

// linkify makes URLs and e-mail addresses links and protects them from
// the typography (no no-break space in « https://… », no superscript in
// « …/JAPON-7e-Rencontres… »). Punctuation ending a sentence is not part
// of the address.
func linkify(cs []char) []char {
	if !hasLinkMark(cs) {
		return cs // most lines: spare the regular expression
	}
	s, offsets := flatten(cs)
	for _, m := range linkRE.FindAllStringIndex(s, -1) {
		start, end := m[0], m[1]
		for end > start && strings.ContainsRune(".,;:!?)]’'", rune(s[end-1])) {
			end--
		}
		href := s[start:end]
		if strings.Contains(href, "…") {
			continue // an elided address is a shape, not an address
		}
		if !strings.HasPrefix(href, "http") {
			href = "mailto:" + href
		}
		for i := offsets[start]; i < offsets[end]; i++ {
			if cs[i].href == "" && !cs[i].missing {
				cs[i].href = href
			}
			cs[i].keep = true
		}
	}
	return cs
}

func hasLinkMark(cs []char) bool {
	for i, c := range cs {
		if c.r == '@' || (c.r == ':' && i+2 < len(cs) && cs[i+1].r == '/' && cs[i+2].r == '/') {
			return true
		}
	}
	return false
}

// flatten returns the line's text and, for each byte offset of it (and
// its end), the index of the character there.
func flatten(cs []char) (string, []int) {
	var b strings.Builder
	offsets := make([]int, 0, len(cs)+1)
	for i, c := range cs {
		for range utf8.RuneLen(c.r) {
			offsets = append(offsets, i)
		}
		b.WriteRune(c.r)
	}
	offsets = append(offsets, len(cs))
	return b.String(), offsets
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' }

// elidable are the capitals that make « de » elide before a name: « la
// Ville d’Aix-en-Provence », « la Ville d’Orléans ». Not Y (de Yokohama)
// nor H, which may be aspirated (de Hambourg).
const elidable = "AEIOUÉÈÊÀÂÎÔÛ"

// frenchElision writes « d’ » for « de » before a name that starts with a
// vowel: a template reads « la Ville de {{event.city}} », and the city may
// be Aix-en-Provence. Only before a capital, that is a name: a template's
// own words are the secretariat's to write.
func frenchElision(in []char) []char {
	out := make([]char, 0, len(in))
	for i := 0; i < len(in); i++ {
		c := in[i]
		if !c.keep && (c.r == 'd' || c.r == 'D') && i+3 < len(in) && in[i+1].r == 'e' && in[i+2].r == ' ' &&
			strings.ContainsRune(elidable, in[i+3].r) && (i == 0 || !unicode.IsLetter(in[i-1].r)) {
			apostrophe := in[i+1]
			apostrophe.r = '’'
			out = append(out, c, apostrophe)
			i += 2 // the space goes with the e
			continue
		}
		out = append(out, c)
	}
	return out
}

// frenchSpaces sets the spaces of French punctuation: one no-break space
// before « : ; ? ! » (replacing a space typed there, or added when the
// mark ends a word: « Objet: » becomes « Objet : », « 16:30 » stays),
// after « and before », for "straight quotes" turned into guillemets; it
// also collapses runs of spaces, curls the apostrophe (l’Industrie), and
// writes « … » and the spaced en dash.
func frenchSpaces(in []char) []char {
	out := make([]char, 0, len(in)+8)
	last := func() rune {
		if len(out) == 0 {
			return 0
		}
		return out[len(out)-1].r
	}
	next := func(i int) rune {
		if i+1 < len(in) {
			return in[i+1].r
		}
		return 0
	}
	nb := func(c char) char { c.r = NBSP; c.keep = false; return c }
	// openSpace ends the output with exactly one no-break space.
	openSpace := func(c char) {
		if n := len(out); n > 0 && (isSpace(out[n-1].r) || out[n-1].r == NBSP) {
			out[n-1].r = NBSP
			return
		}
		out = append(out, nb(c))
	}
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c.keep {
			out = append(out, c)
			continue
		}
		switch r := c.r; {
		case isSpace(r):
			if l := last(); l != 0 && !isSpace(l) && l != NBSP {
				c.r = ' '
				out = append(out, c)
			}
		case r == '\'' && unicode.IsLetter(last()):
			c.r = '’'
			out = append(out, c)
		case r == '.' && next(i) == '.' && i+2 < len(in) && in[i+2].r == '.':
			c.r = '…'
			out = append(out, c)
			i += 2
		case r == '-' && isSpace(last()) && isSpace(next(i)):
			c.r = '–'
			out = append(out, c)
		case r == ':' || r == ';' || r == '?' || r == '!':
			n := next(i)
			endsWord := n == 0 || isSpace(n) || n == NBSP || n == '»' || n == ')' || n == '?' || n == '!'
			l := last()
			switch {
			case isSpace(l) || l == NBSP:
				openSpace(c)
			case l != 0 && l != '?' && l != '!' && endsWord:
				out = append(out, nb(c))
			}
			out = append(out, c)
		case r == '"':
			// A straight quote opens at the start of a word, closes at
			// its end.
			if l := last(); l == 0 || isSpace(l) || l == NBSP || l == '(' || l == '[' || l == '’' {
				c.r = '«'
				out = append(out, c)
				out = append(out, nb(c))
				for i+1 < len(in) && isSpace(in[i+1].r) && !in[i+1].keep {
					i++
				}
			} else {
				openSpace(c)
				c.r = '»'
				out = append(out, c)
			}
		case r == '«':
			out = append(out, c)
			for i+1 < len(in) && (isSpace(in[i+1].r) || in[i+1].r == NBSP) && !in[i+1].keep {
				i++
			}
			out = append(out, nb(c))
		case r == '»':
			openSpace(c)
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out
}

// ordinalSuffixes maps the endings of French ordinals, as typed, to the
// abbreviation the Imprimerie nationale prescribes: 1er, 1re, 2e, 2d…
var ordinalSuffixes = map[string]string{
	"e": "e", "es": "es", "er": "er", "ers": "ers", "re": "re", "res": "res",
	"nd": "nd", "nds": "nds", "nde": "nde", "ndes": "ndes",
	"ème": "e", "èmes": "es", "ième": "e", "ièmes": "es", "eme": "e", "emes": "es",
	"ère": "re", "ères": "res",
}

// frenchOrdinals raises the ending of an ordinal written after a number
// (« 8e », « 1re », « 1er », also « 8ème » and the « 8^e » of old files)
// and corrects it to its abbreviation. A number inside a word or a code
// (« A8e », « 8e9 ») is left alone.
func frenchOrdinals(cs []char) []char {
	out := make([]char, 0, len(cs))
	for i := 0; i < len(cs); {
		c := cs[i]
		if c.keep || !isDigit(c.r) || (i > 0 && (unicode.IsLetter(cs[i-1].r) || isDigit(cs[i-1].r))) {
			out = append(out, c)
			i++
			continue
		}
		j := i
		for j < len(cs) && isDigit(cs[j].r) && !cs[j].keep {
			j++
		}
		k := j
		if k < len(cs) && cs[k].r == '^' {
			k++
		}
		m := k
		for m < len(cs) && unicode.IsLetter(cs[m].r) && !cs[m].keep {
			m++
		}
		abbr, ok := ordinalSuffixes[runes(cs[k:m])]
		if !ok || (m < len(cs) && isDigit(cs[m].r)) {
			out = append(out, cs[i:j]...)
			i = j
			continue
		}
		out = append(out, cs[i:j]...)
		for _, r := range abbr {
			s := cs[k]
			s.r, s.style = r, s.style|Sup
			out = append(out, s)
		}
		i = m
	}
	return out
}

// unitsAfterNumbers are the words a number must not be separated from at
// the end of a line: months (« 18 septembre ») and units (« 20 % »).
var unitsAfterNumbers = map[string]bool{
	"janvier": true, "février": true, "mars": true, "avril": true, "mai": true, "juin": true, "juillet": true,
	"août": true, "septembre": true, "octobre": true, "novembre": true, "décembre": true,
	"%": true, "€": true, "$": true, "¥": true, "km": true, "m": true, "cm": true, "mm": true, "kg": true,
	"g": true, "t": true, "ha": true, "h": true, "min": true, "s": true, "°C": true,
}

// frenchNumbers ties a number to its unit or month, and the groups of a
// large number (« 1 500 »), with a no-break space.
func frenchNumbers(cs []char) []char {
	for i := 1; i+1 < len(cs); i++ {
		if cs[i].r != ' ' || cs[i].keep || !isDigit(cs[i-1].r) {
			continue
		}
		j := i + 1
		for j < len(cs) && !isSpace(cs[j].r) && cs[j].r != NBSP && (unicode.IsLetter(cs[j].r) || isDigit(cs[j].r) || strings.ContainsRune("%€$¥°", cs[j].r)) {
			j++
		}
		word := runes(cs[i+1 : j])
		group := len(word) == 3 && isDigit(cs[i+1].r) && isDigit(cs[i+2].r) && isDigit(cs[i+3].r)
		if unitsAfterNumbers[word] || group {
			cs[i].r = NBSP
		}
	}
	return cs
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func runes(cs []char) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteRune(c.r)
	}
	return b.String()
}
