package refdata

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// No Go module on the proxy converts kana to romaji without pulling in a
// morphological analyser (github.com/gojp/kana and the like are not
// available), and readings of place names need only the plain syllabary, so
// the conversion is a table.

// syllables maps each hiragana syllable, digraphs included, to its modern
// Hepburn spelling. Digraphs are looked up before single kana.
var syllables = map[string]string{
	"あ": "a", "い": "i", "う": "u", "え": "e", "お": "o",
	"か": "ka", "き": "ki", "く": "ku", "け": "ke", "こ": "ko",
	"が": "ga", "ぎ": "gi", "ぐ": "gu", "げ": "ge", "ご": "go",
	"さ": "sa", "し": "shi", "す": "su", "せ": "se", "そ": "so",
	"ざ": "za", "じ": "ji", "ず": "zu", "ぜ": "ze", "ぞ": "zo",
	"た": "ta", "ち": "chi", "つ": "tsu", "て": "te", "と": "to",
	"だ": "da", "ぢ": "ji", "づ": "zu", "で": "de", "ど": "do",
	"な": "na", "に": "ni", "ぬ": "nu", "ね": "ne", "の": "no",
	"は": "ha", "ひ": "hi", "ふ": "fu", "へ": "he", "ほ": "ho",
	"ば": "ba", "び": "bi", "ぶ": "bu", "べ": "be", "ぼ": "bo",
	"ぱ": "pa", "ぴ": "pi", "ぷ": "pu", "ぺ": "pe", "ぽ": "po",
	"ま": "ma", "み": "mi", "む": "mu", "め": "me", "も": "mo",
	"や": "ya", "ゆ": "yu", "よ": "yo",
	"ら": "ra", "り": "ri", "る": "ru", "れ": "re", "ろ": "ro",
	"わ": "wa", "ゐ": "i", "ゑ": "e", "を": "o", "ん": "n", "ゔ": "vu",
	// Small kana standing alone, as in a few modern readings.
	"ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o",
	"ゃ": "ya", "ゅ": "yu", "ょ": "yo", "ゎ": "wa", "ゕ": "ka", "ゖ": "ke",

	"きゃ": "kya", "きゅ": "kyu", "きょ": "kyo",
	"ぎゃ": "gya", "ぎゅ": "gyu", "ぎょ": "gyo",
	"しゃ": "sha", "しゅ": "shu", "しょ": "sho", "しぇ": "she",
	"じゃ": "ja", "じゅ": "ju", "じょ": "jo", "じぇ": "je",
	"ぢゃ": "ja", "ぢゅ": "ju", "ぢょ": "jo",
	"ちゃ": "cha", "ちゅ": "chu", "ちょ": "cho", "ちぇ": "che",
	"にゃ": "nya", "にゅ": "nyu", "にょ": "nyo",
	"ひゃ": "hya", "ひゅ": "hyu", "ひょ": "hyo",
	"びゃ": "bya", "びゅ": "byu", "びょ": "byo",
	"ぴゃ": "pya", "ぴゅ": "pyu", "ぴょ": "pyo",
	"みゃ": "mya", "みゅ": "myu", "みょ": "myo",
	"りゃ": "rya", "りゅ": "ryu", "りょ": "ryo",
	"ふぁ": "fa", "ふぃ": "fi", "ふぇ": "fe", "ふぉ": "fo",
	"てぃ": "ti", "でぃ": "di", "とぅ": "tu", "どぅ": "du",
	"うぃ": "wi", "うぇ": "we", "うぉ": "wo",
	"ゔぁ": "va", "ゔぃ": "vi", "ゔぇ": "ve", "ゔぉ": "vo",
}

// Romaji spells a hiragana reading in Hepburn romanisation, in plain ASCII
// lower case as place names are usually written in Latin script: long
// vowels are not marked and written once (とうきょう → tokyo, おおさか →
// osaka, ちゅうおう → chuo, but えい stays ei), っ doubles the next consonant
// (ろっかしょ → rokkasho, っち → tchi), and ん is always n, as in modern
// Hepburn (しんばし → shinbashi). The choice between a long vowel and two
// syllables cannot be made from kana alone: たきのうえ gives takinoe, not
// the official Takinoue. Characters that are not hiragana are kept as they
// are.
func Romaji(kana string) string {
	var b strings.Builder
	var vowel byte  // last vowel written, for long vowels; 0 after one
	double := false // a pending っ
	for len(kana) > 0 {
		syl, n := nextSyllable(kana)
		kana = kana[n:]
		r, ok := syllables[syl]
		switch {
		case syl == "っ":
			double = true
			continue
		case syl == "ー":
			// The katakana long-vowel mark sometimes appears in hiragana
			// readings: it lengthens the vowel, which is not written.
			vowel = 0
			continue
		case !ok:
			b.WriteString(syl)
			vowel, double = 0, false
			continue
		case (syl == "う" && (vowel == 'o' || vowel == 'u')) || (syl == "お" && vowel == 'o'):
			// A long vowel: おう, おお, うう are written once. Resetting
			// vowel keeps すおうおおしま from losing its second o.
			vowel, double = 0, false
			continue
		}
		if double {
			switch {
			case strings.HasPrefix(r, "ch"):
				b.WriteByte('t')
			case r[0] != 'a' && r[0] != 'i' && r[0] != 'u' && r[0] != 'e' && r[0] != 'o' && r != "n":
				b.WriteByte(r[0])
			}
			double = false
		}
		b.WriteString(r)
		vowel = r[len(r)-1]
		if syl == "ん" {
			vowel = 0
		}
	}
	return b.String()
}

// nextSyllable returns the syllable at the start of s, a kana followed by a
// small ゃゅょぁぃぅぇぉ when the pair is a known digraph, and its length in
// bytes.
func nextSyllable(s string) (string, int) {
	_, n := utf8.DecodeRuneInString(s)
	if len(s) > n {
		_, m := utf8.DecodeRuneInString(s[n:])
		if _, ok := syllables[s[:n+m]]; ok {
			return s[:n+m], n + m
		}
	}
	return s[:n], n
}

// adminSuffixes lists, for each kanji that ends the name of a Japanese
// authority, the readings that kanji takes at the end of a name. They are
// removed from the romaji because the kind of authority is shown apart and
// common usage leaves them out: Kumamoto, not Kumamotoshi. 道 is not among
// them: usage keeps it in Hokkaido.
var adminSuffixes = map[string][]string{
	"市": {"し"},
	"町": {"ちょう", "まち"},
	"村": {"むら", "そん"},
	"区": {"く"},
	"県": {"けん"},
	"都": {"と"},
	"府": {"ふ"},
}

// stripSuffix returns the reading of name without the reading of its
// administrative suffix (熊本市 くまもとし → くまもと). The kanji decides:
// a name ending in 町 may be read ちょう or まち, never し. When the reading
// does not end as expected it is returned whole.
func stripSuffix(name, kana string) string {
	for k, readings := range adminSuffixes {
		if !strings.HasSuffix(name, k) {
			continue
		}
		for _, r := range readings {
			if rest, ok := strings.CutSuffix(kana, r); ok && rest != "" {
				return rest
			}
		}
	}
	return kana
}

// PlaceRomaji returns the romaji name of a Japanese authority from its
// kanji name and hiragana reading: the reading without its administrative
// suffix, in Hepburn, capitalised. 熊本市 くまもとし gives Kumamoto, and
// 中央区 ちゅうおうく gives Chuo.
func PlaceRomaji(name, kana string) string {
	return capitalise(Romaji(stripSuffix(name, kana)))
}

// capitalise upper-cases the first letter of s.
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// isHiragana reports whether s is a non-empty reading made only of
// hiragana and the long-vowel mark, which is all Romaji spells.
func isHiragana(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'ぁ' && r <= 'ゖ') && r != 'ー' {
			return false
		}
	}
	return true
}
