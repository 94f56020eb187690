package i18n

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// French nouns that head the titles of meetings, by the article they take.
// A title whose head is not listed keeps the quoted form, since its gender
// cannot be guessed.
var (
	feminineHeads  = []string{"réunion", "séance", "session", "assemblée", "conférence", "visite", "journée", "rencontre", "table", "commission", "cérémonie", "mission", "délégation", "soirée"}
	masculineHeads = []string{"comité", "conseil", "séminaire", "forum", "colloque", "atelier", "sommet", "déjeuner", "dîner", "bureau", "groupe", "congrès", "salon"}
	pluralHeads    = []string{"rencontres", "assises", "journées", "réunions", "états"}
)

// FrenchTo is a meeting's title after « inscription » or « délégation »,
// with the preposition à and the article its head noun takes: « à la
// 1re réunion du comité de pilotage français », « au comité de jumelage »,
// « à l’assemblée générale », « aux assises de la coopération ». An
// ordinal before the noun (1re, 3e, 8es) is kept. It reports false when
// the head noun is not one it knows, and the caller then quotes the title.
func FrenchTo(title string) (string, bool) {
	words := strings.Fields(title)
	if len(words) == 0 {
		return "", false
	}
	head, ordinal := 0, isOrdinal(words[0])
	if ordinal {
		head = 1
	}
	if head >= len(words) {
		return "", false
	}
	noun := strings.ToLower(strings.TrimRight(words[head], ",.;:"))
	// A capital that only starts the title goes: « Réunion du COPIL »
	// reads « à la réunion du COPIL » in a sentence.
	if !ordinal && startsCapitalWord(words[0]) {
		r, size := utf8.DecodeRuneInString(words[0])
		words[0] = string(unicode.ToLower(r)) + words[0][size:]
	}
	rest := strings.Join(words, " ")
	elide := !ordinal && startsWithVowel(noun)
	switch {
	case slices.Contains(pluralHeads, noun):
		return "aux " + rest, true
	case elide && (slices.Contains(feminineHeads, noun) || slices.Contains(masculineHeads, noun)):
		return "à l’" + rest, true
	case slices.Contains(feminineHeads, noun):
		return "à la " + rest, true
	case slices.Contains(masculineHeads, noun):
		return "au " + rest, true
	}
	return "", false
}

// isOrdinal reports whether w is a French ordinal written with digits:
// 1re, 1er, 2e, 3e, 8es, 2nd, 2de.
func isOrdinal(w string) bool {
	i := strings.IndexFunc(w, func(r rune) bool { return r < '0' || r > '9' })
	if i <= 0 {
		return false
	}
	switch w[i:] {
	case "e", "re", "er", "es", "res", "ers", "nd", "de", "ème", "è":
		return true
	}
	return false
}

// startsCapitalWord reports whether w is a capitalised common word
// (« Réunion »), not an acronym (« COPIL »).
func startsCapitalWord(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	next, _ := utf8.DecodeRuneInString(w[size:])
	return unicode.IsLower(next)
}

func startsWithVowel(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return strings.ContainsRune("aâàeéèêiîoôuûh", unicode.ToLower(r))
}
