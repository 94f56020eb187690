// The glossary test lives in its own package so that it may read the
// default letters: internal/letter imports internal/i18n.
package i18n_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// glossaryPath is docs/glossary.md, seen from this package's directory,
// where go test runs.
var glossaryPath = filepath.Join("..", "..", "docs", "glossary.md")

// banned is a word the glossary rules out in a language, with the words
// to write instead.
type banned struct {
	lang    rencontres.Lang
	word    string
	instead string
	concept string
}

var backquoted = regexp.MustCompile("`([^`]+)`")

// readGlossary reads the glossary's table: the header names the columns
// fr, ja, en (the words to use) and « Not in fr », « Not in ja »,
// « Not in en » (the words ruled out, between backquotes).
func readGlossary(t *testing.T) []banned {
	t.Helper()
	b, err := os.ReadFile(glossaryPath)
	if err != nil {
		t.Fatal(err)
	}
	var header []string
	var out []banned
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if header == nil {
			header = cells
			continue
		}
		if strings.HasPrefix(cells[0], "---") {
			continue
		}
		if len(cells) != len(header) {
			t.Fatalf("%s:%d: %d cells, the header has %d", glossaryPath, n+1, len(cells), len(header))
		}
		col := map[string]string{}
		for i, h := range header {
			col[h] = cells[i]
		}
		for _, l := range rencontres.Langs {
			use, ok := col[string(l)]
			notIn, ok2 := col["Not in "+string(l)]
			if !ok || !ok2 {
				t.Fatalf("%s: the table's header lacks %q or %q", glossaryPath, string(l), "Not in "+string(l))
			}
			for _, m := range backquoted.FindAllStringSubmatch(notIn, -1) {
				out = append(out, banned{lang: l, word: m[1], instead: use, concept: col["Concept"]})
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s: no ruled-out word found; is the table still there?", glossaryPath)
	}
	return out
}

// usesJapanese finds word in text by substring, except that a word in
// katakana is a word only where it does not run on into more katakana:
// キー (a key) is not in キーボード (a keyboard).
func usesJapanese(text, word string) bool {
	if !allKatakana(word) {
		return strings.Contains(text, word)
	}
	for i := 0; ; {
		j := strings.Index(text[i:], word)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(word)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if (start == 0 || !isKatakana(before)) && (end == len(text) || !isKatakana(after)) {
			return true
		}
		i = end
	}
}

func isKatakana(r rune) bool { return r >= 0x30A0 && r <= 0x30FF }

func allKatakana(s string) bool {
	for _, r := range s {
		if !isKatakana(r) {
			return false
		}
	}
	return s != ""
}

var templateAction = regexp.MustCompile(`\{\{[^}]*\}\}`)

// uses reports whether text uses word in a language: Japanese by
// substring, French and English as a whole word whatever its case. Go
// template actions are code, not text ({{.Contact}} is not « contact »).
func uses(l rencontres.Lang, text, word string) bool {
	text = templateAction.ReplaceAllString(text, " ")
	if l == rencontres.Japanese {
		return usesJapanese(text, word)
	}
	text, word = strings.ToLower(text), strings.ToLower(word)
	first, _ := utf8.DecodeRuneInString(word)
	last, _ := utf8.DecodeLastRuneInString(word)
	for i := 0; ; {
		j := strings.Index(text[i:], word)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(word)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		// A boundary matters only where the word itself ends in a letter:
		// « · » is ruled out wherever it stands.
		if (!isWordRune(first) || start == 0 || !isWordRune(before)) &&
			(!isWordRune(last) || end == len(text) || !isWordRune(after)) {
			return true
		}
		i = start + utf8.RuneLen(first)
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func TestGlossaryMatching(t *testing.T) {
	for _, c := range []struct {
		lang rencontres.Lang
		text string
		word string
		want bool
	}{
		{rencontres.French, "Annuler la campagne", "campagne", true},
		{rencontres.French, "Campagne annulée", "campagne", true},
		{rencontres.French, "Les campagnes", "campagne", false},
		{rencontres.French, "écrivez à {{.Contact}}", "contact", false},
		{rencontres.French, "les contacts d’une collectivité", "contacts", true},
		{rencontres.French, "un contact-presse", "contact", true},
		{rencontres.French, "Marquer présent·e", "·", true},
		{rencontres.French, "Adresse électronique", "mail", false},
		{rencontres.English, "This campaign was sent", "campaign", true},
		{rencontres.English, "Campaigns", "campaign", false},
		{rencontres.English, "Please log in", "log in", true},
		{rencontres.English, "a catalog in English", "log in", false},
		{rencontres.Japanese, "イベントの時間帯で入力", "時間帯", true},
		{rencontres.Japanese, "イベントのタイムゾーンで入力", "時間帯", false},
		{rencontres.Japanese, "キーボード操作", "キー", false},
		{rencontres.Japanese, "自治体のキー", "キー", true},
	} {
		if got := uses(c.lang, c.text, c.word); got != c.want {
			t.Errorf("uses(%s, %q, %q) = %v, want %v", c.lang, c.text, c.word, got, c.want)
		}
	}
}

// flatten gives a catalogue's values by message ID; a plural's forms are
// "id.one", "id.other".
func flatten(prefix string, m map[string]any, out map[string]string) {
	for k, v := range m {
		id := strings.TrimPrefix(prefix+"."+k, ".")
		switch v := v.(type) {
		case string:
			out[id] = v
		case map[string]any:
			flatten(id, v, out)
		}
	}
}

// strings of a default letter: every text it holds, by its JSON field.
func letterTexts(prefix string, v any, out map[string]string) {
	switch v := v.(type) {
	case string:
		out[prefix] = v
	case []any:
		for i, x := range v {
			letterTexts(fmt.Sprintf("%s[%d]", prefix, i), x, out)
		}
	case map[string]any:
		for k, x := range v {
			if k != "lang" {
				letterTexts(strings.TrimPrefix(prefix+"."+k, "."), x, out)
			}
		}
	}
}

// Every catalogue value, every default letter and every field label of
// the letters uses the glossary's words: a word it rules out in a language fails, named with its file,
// key and the word to write instead.
func TestCataloguesFollowTheGlossary(t *testing.T) {
	rules := readGlossary(t)
	type source struct {
		file  string
		lang  rencontres.Lang
		texts map[string]string
	}
	var sources []source
	for _, l := range rencontres.Langs {
		var m map[string]any
		file := filepath.Join("locales", string(l)+".toml")
		if _, err := toml.DecodeFile(file, &m); err != nil {
			t.Fatal(err)
		}
		texts := map[string]string{}
		flatten("", m, texts)
		sources = append(sources, source{"internal/i18n/" + filepath.ToSlash(file), l, texts})

		b, err := json.Marshal(letter.Default(l))
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		texts = map[string]string{}
		letterTexts("", v, texts)
		sources = append(sources, source{"internal/letter/defaults.go (" + string(l) + ")", l, texts})

		// The palette of fields shows their labels beside the letter.
		texts = map[string]string{}
		for _, f := range letter.Fields {
			texts[f.Name] = f.Label.In(l)
		}
		sources = append(sources, source{"internal/letter/fields.go (" + string(l) + ")", l, texts})
	}
	for _, s := range sources {
		ids := make([]string, 0, len(s.texts))
		for id := range s.texts {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			for _, r := range rules {
				if r.lang == s.lang && uses(r.lang, s.texts[id], r.word) {
					t.Errorf("%s: %s uses « %s », which docs/glossary.md rules out (%s); write « %s »",
						s.file, id, r.word, r.concept, strings.ReplaceAll(r.instead, "`", ""))
				}
			}
		}
	}
}
