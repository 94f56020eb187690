package letter

import (
	"strings"
	"unicode"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// address is how the letter addresses the recipient, without the final
// comma: « Madame, Monsieur » when the civility is unknown, « Madame »,
// « Monsieur le Maire »; « Ms Bensaïd », « Sir or Madam »; 森様 (or
// ご担当者様).
func (r *renderer) address() string {
	rc := &r.d.Recipient
	if f := r.addressForm(); f != "" {
		return f
	}
	switch r.lang {
	case rencontres.Japanese:
		if family := r.familyName(); family != "" {
			return family + "様"
		}
		return "ご担当者様"
	case rencontres.English:
		return rc.englishAddress()
	}
	if rc.Civility != "mme" && rc.Civility != "m" {
		return "Madame, Monsieur"
	}
	// « Madame la Maire », « Monsieur le Président », else « Madame »:
	// the form a contact's page suggests too.
	return rencontres.SuggestAddressForm(rc.Civility, rc.Function.In(rencontres.French))
}

// addressForm is the recipient's own form of address when it suits the
// letter: a Japanese one (市長 大西 一史 様) in a Japanese letter, a
// Latin-script one (« Monsieur le Maire ») in a French letter. An English
// letter keeps « Dear Mr Mori »: the forms kept are French or Japanese.
func (r *renderer) addressForm() string {
	f := strings.TrimRight(strings.TrimSpace(r.d.Recipient.AddressForm), ",、")
	if f == "" {
		return ""
	}
	japanese := strings.IndexFunc(f, func(c rune) bool {
		return unicode.In(c, unicode.Han, unicode.Hiragana, unicode.Katakana)
	}) >= 0
	switch {
	case r.lang == rencontres.Japanese && japanese, r.lang == rencontres.French && !japanese:
		return f
	}
	return ""
}

// salutation is the line that opens the letter: the template's, or the
// address with its comma (« Dear Ms Bensaïd, » in English).
func (r *renderer) salutation() string {
	if r.lang == rencontres.English {
		return "Dear " + r.address() + ","
	}
	return r.address() + ","
}

// englishAddress is how an English letter names the recipient after
// « Dear »: the civility and the family name (« Ms Bensaïd », « Mr
// Mori »), the whole name without a civility, « Madam » or « Sir »
// without a name, « Sir or Madam » knowing neither.
func (rc *Recipient) englishAddress() string {
	family := titleCase(strings.TrimSpace(rc.FamilyName))
	civility := map[string]string{"mme": "Ms", "m": "Mr"}[rc.Civility]
	switch {
	case civility != "" && family != "":
		return civility + " " + family
	case civility != "":
		return map[string]string{"mme": "Madam", "m": "Sir"}[rc.Civility]
	case family != "":
		return strings.TrimSpace(strings.TrimSpace(rc.GivenName) + " " + family)
	}
	return "Sir or Madam"
}

// titleCase writes a family name stored in capitals (BENSAÏD, LE
// GOFF-MARTIN) as a sentence names a person: Bensaïd, Le Goff-Martin.
// A name already in mixed case (de La Fontaine) is left as it is.
func titleCase(s string) string {
	if s != strings.ToUpper(s) {
		return s
	}
	rs := []rune(strings.ToLower(s))
	for i := range rs {
		if i == 0 || strings.ContainsRune(" -'’", rs[i-1]) {
			rs[i] = unicode.ToUpper(rs[i])
		}
	}
	return string(rs)
}

// Greeting is the line that opens an email to a person, in a language:
// the same form of address as a letter's (« Madame la Maire, », « Dear Ms
// Bensaïd, »), or in Japanese the name with 様 (森 健二 様); for a person
// without a name, « Madame, Monsieur, », « Dear Sir or Madam, »,
// ご担当者様.
func Greeting(lang rencontres.Lang, rc Recipient) string {
	r := &renderer{d: &Data{Recipient: rc}, lang: lang}
	if lang == rencontres.Japanese {
		if f := r.addressForm(); f != "" {
			return f
		}
		if n := r.name(); n != "" {
			return n
		}
		return r.address()
	}
	return r.salutation()
}

// Person makes a Recipient of a person as accounts, campaigns and
// registrations hold them: a civility, a name written « Given FAMILY », a
// name in Japanese script and a function in one language (used for all).
func Person(civility, name, nameJa, function string) Recipient {
	given, family := SplitName(name)
	rc := Recipient{Civility: civility, GivenName: given, FamilyName: family, NameJa: strings.TrimSpace(nameJa)}
	if f := strings.TrimSpace(function); f != "" {
		rc.Function = rencontres.Text{rencontres.French: f, rencontres.Japanese: f, rencontres.English: f}
	}
	return rc
}

// PersonOf makes a Recipient of an account, with the form of address the
// secretariat keeps for it.
func PersonOf(u *rencontres.User) Recipient {
	rc := Person(u.Civility, u.Name, u.NameJa, u.Function)
	rc.AddressForm = u.AddressForm
	return rc
}

// SplitName splits a name written « Given FAMILY »: the words in capitals
// are the family name; with none, the last word is.
func SplitName(name string) (given, family string) {
	words := strings.Fields(name)
	var g, f []string
	for _, w := range words {
		if w == strings.ToUpper(w) && strings.ToUpper(w) != strings.ToLower(w) {
			f = append(f, w)
		} else {
			g = append(g, w)
		}
	}
	if len(f) == 0 && len(g) > 1 {
		return strings.Join(g[:len(g)-1], " "), g[len(g)-1]
	}
	return strings.Join(g, " "), strings.Join(f, " ")
}
