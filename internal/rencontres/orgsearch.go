package rencontres

import (
	"strings"
)

// The directory is searched by the forms of a name people type: the name in
// each script, its reading in kana, the official code, and the variants
// people write for the same authority (« Havre » for « Le Havre »,
// « Kumamoto-shi » or « kumamotoshi » for 熊本市). Every form is folded with
// FoldSearch, and so is the query, by FoldQuery.

// SearchForms returns the folded forms of o's name a query may match, the
// official code first, without duplicates.
func SearchForms(o *Organisation) []string {
	var forms []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			forms = append(forms, s)
		}
	}
	add(FoldSearch(o.Code))
	for _, l := range Langs {
		n := FoldSearch(o.Name[l])
		add(n)
		add(withoutArticle(n))
	}
	kana := FoldSearch(o.Kana)
	add(kana)
	// A Japanese authority is also written with its suffix in romaji,
	// apart or joined: « Shizuoka-ken », « shizuoka shi », « kumamotoshi ».
	if suffix := romajiSuffix(o.Name[Japanese], kana); suffix != "" {
		for _, l := range []Lang{French, English} {
			if r := FoldSearch(o.Name[l]); r != "" && !strings.ContainsFunc(r, IsCJK) {
				add(r + " " + suffix)
				add(r + suffix)
			}
		}
	}
	return forms
}

// FoldQuery folds a query as SearchForms folds names, and drops the words
// around a name that are not part of it: « Ville de », « Mairie de »,
// « Commune de », « City of », « … City ».
func FoldQuery(q string) string {
	q = FoldSearch(q)
	for _, p := range queryPrefixes {
		if rest, ok := strings.CutPrefix(q, p); ok && rest != "" {
			q = rest
			break
		}
	}
	for _, s := range []string{" city", " prefecture"} {
		if rest, ok := strings.CutSuffix(q, s); ok && rest != "" {
			q = rest
			break
		}
	}
	return q
}

// queryPrefixes are what French and English writers put before a name,
// folded; the longer of two that start alike comes first.
var queryPrefixes = []string{
	"ville de la ", "ville de l ", "ville de ", "ville d ", "ville du ", "ville des ",
	"mairie de la ", "mairie de l ", "mairie de ", "mairie d ", "mairie du ", "mairie des ",
	"commune de la ", "commune de l ", "commune de ", "commune d ", "commune du ", "commune des ",
	"city of ",
}

// withoutArticle returns a folded French name without its leading article
// (« le havre » → « havre »), or "" when it has none.
func withoutArticle(n string) string {
	for _, a := range []string{"le ", "la ", "les ", "l "} {
		if rest, ok := strings.CutPrefix(n, a); ok && rest != "" {
			return rest
		}
	}
	return ""
}

// romajiSuffix returns the romaji of the suffix ending a Japanese
// authority's name (県 ken, 市 shi, 町 machi or chō…), read from its kana
// where the kanji has two readings; "" when there is none.
func romajiSuffix(ja, kana string) string {
	switch {
	case strings.HasSuffix(ja, "県"):
		return "ken"
	case strings.HasSuffix(ja, "府"):
		return "fu"
	case strings.HasSuffix(ja, "都"):
		return "to"
	case strings.HasSuffix(ja, "市"):
		return "shi"
	case strings.HasSuffix(ja, "区"):
		return "ku"
	case strings.HasSuffix(ja, "町") && strings.HasSuffix(kana, "ちょう"):
		return "cho"
	case strings.HasSuffix(ja, "町"):
		return "machi"
	case strings.HasSuffix(ja, "村") && strings.HasSuffix(kana, "そん"):
		return "son"
	case strings.HasSuffix(ja, "村"):
		return "mura"
	}
	return ""
}

// IsCJK reports whether r is a kanji or kana, which are searched by any
// part of a word, there being no spaces between words in Japanese.
func IsCJK(r rune) bool {
	return r >= 0x3040 && r <= 0x30FF || r >= 0x3400 && r <= 0x9FFF || r >= 0xF900 && r <= 0xFAFF
}
