// Package textdiff compares two versions of a text for people reading
// them: by words for French (and English), by characters for Japanese,
// which is written without spaces. The declaration's history and its
// amendments show what changed with it (issue 16).
//
// It runs github.com/sergi/go-diff (Myers' algorithm with its semantic
// clean-up, see docs/decisions.md). For words, each distinct word and
// each run of spaces or punctuation is mapped to one rune and the runes
// are compared, as go-diff's DiffLinesToChars does for lines, so that a
// change is never reported inside a word.
package textdiff

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Kind is what an Op does.
type Kind int

// Kinds of Op.
const (
	Equal Kind = iota
	Insert
	Delete
)

// Op is one run of the comparison: text both versions hold (Equal), text
// only the new one holds (Insert), or only the old one (Delete).
type Op struct {
	Kind Kind   `json:"kind"`
	Text string `json:"text"`
}

// MarshalText names the kind in JSON: "equal", "insert", "delete".
func (k Kind) MarshalText() ([]byte, error) {
	return []byte([...]string{"equal", "insert", "delete"}[k]), nil
}

// Changed reports whether ops hold any insertion or deletion.
func Changed(ops []Op) bool {
	for _, o := range ops {
		if o.Kind != Equal {
			return true
		}
	}
	return false
}

func convert(diffs []diffmatchpatch.Diff, back func(string) string) []Op {
	out := make([]Op, 0, len(diffs))
	for _, d := range diffs {
		k := Equal
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			k = Insert
		case diffmatchpatch.DiffDelete:
			k = Delete
		}
		t := back(d.Text)
		if t == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Kind == k {
			out[n-1].Text += t
			continue
		}
		out = append(out, Op{Kind: k, Text: t})
	}
	return out
}

// Chars compares a and b character by character.
func Chars(a, b string) []Op {
	dmp := diffmatchpatch.New()
	diffs := dmp.DiffMain(a, b, false)
	diffs = dmp.DiffCleanupSemantic(diffs)
	return convert(diffs, func(s string) string { return s })
}

// Words compares a and b word by word: a word is a run of letters and
// digits (with their apostrophes and hyphens), and every other character
// (a space, a punctuation mark) a token of its own.
func Words(a, b string) []Op {
	index := map[string]rune{}
	var tokens []string
	encode := func(s string) string {
		var sb strings.Builder
		for _, w := range split(s) {
			r, ok := index[w]
			if !ok {
				r = runeFor(len(tokens))
				index[w] = r
				tokens = append(tokens, w)
			}
			sb.WriteRune(r)
		}
		return sb.String()
	}
	ea, eb := encode(a), encode(b)
	dmp := diffmatchpatch.New()
	diffs := dmp.DiffMain(ea, eb, false)
	diffs = dmp.DiffCleanupSemantic(diffs)
	return convert(diffs, func(s string) string {
		var sb strings.Builder
		for _, r := range s {
			sb.WriteString(tokens[indexOf(r)])
		}
		return sb.String()
	})
}

// runeFor is the rune of the n-th token: from 1, skipping the surrogates,
// which are not runes a string can hold.
func runeFor(n int) rune {
	r := rune(n + 1)
	if r >= 0xD800 {
		r += 0x800
	}
	return r
}

func indexOf(r rune) int {
	if r >= 0xD800+0x800 {
		r -= 0x800
	}
	return int(r) - 1
}

// split cuts s into words and single other characters.
func split(s string) []string {
	var out []string
	word := func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '\'' || r == '’' || r == '-'
	}
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if !word(r) {
			out = append(out, s[:n])
			s = s[n:]
			continue
		}
		i := n
		for i < len(s) {
			r, m := utf8.DecodeRuneInString(s[i:])
			if !word(r) {
				break
			}
			i += m
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}
