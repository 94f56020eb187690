package letter

import (
	"strings"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// frenchTitles are the functions a French letter addresses by title,
// « Madame la Maire, », by the first word of the recipient's function.
// The civility decides the form: « Madame la Maire », « Monsieur le
// Maire ». Other functions (« Adjointe au maire… ») get « Madame, ».
var frenchTitles = map[string][2]string{
	"maire":          {"Madame la Maire", "Monsieur le Maire"},
	"président":      {"Madame la Présidente", "Monsieur le Président"},
	"vice-président": {"Madame la Vice-Présidente", "Monsieur le Vice-Président"},
	"sénateur":       {"Madame la Sénatrice", "Monsieur le Sénateur"},
	"député":         {"Madame la Députée", "Monsieur le Député"},
	"préfet":         {"Madame la Préfète", "Monsieur le Préfet"},
	"ministre":       {"Madame la Ministre", "Monsieur le Ministre"},
	"ambassadeur":    {"Madame l'Ambassadrice", "Monsieur l'Ambassadeur"},
	"directeur":      {"Madame la Directrice", "Monsieur le Directeur"},
	"gouverneur":     {"Madame la Gouverneure", "Monsieur le Gouverneur"},
}

// feminine forms of the title words, so that « Présidente du comité »
// finds « président ».
var frenchFeminine = map[string]string{
	"présidente": "président", "vice-présidente": "vice-président", "sénatrice": "sénateur",
	"députée": "député", "préfète": "préfet", "ambassadrice": "ambassadeur", "directrice": "directeur",
	"gouverneure": "gouverneur",
}

// address is how the letter addresses the recipient, without the final
// comma: « Madame, Monsieur » when the civility is unknown, « Madame »,
// « Monsieur le Maire »; « Sir or Madam », « Madam »; 森様 (or ご担当者様).
func (r *renderer) address() string {
	rc := &r.d.Recipient
	switch r.lang {
	case rencontres.Japanese:
		if family := r.familyName(); family != "" {
			return family + "様"
		}
		return "ご担当者様"
	case rencontres.English:
		switch rc.Civility {
		case "mme":
			return "Madam"
		case "m":
			return "Sir"
		}
		return "Sir or Madam"
	}
	var form int
	switch rc.Civility {
	case "mme":
		form = 0
	case "m":
		form = 1
	default:
		return "Madame, Monsieur"
	}
	first, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(rc.Function.In(rencontres.French))), " ")
	first = strings.TrimRight(first, ",")
	if m, ok := frenchFeminine[first]; ok {
		first = m
	}
	if t, ok := frenchTitles[first]; ok {
		return t[form]
	}
	return [2]string{"Madame", "Monsieur"}[form]
}

// salutation is the line that opens the letter: the template's, or the
// address with its comma (« Dear Madam, » in English).
func (r *renderer) salutation() string {
	if r.lang == rencontres.English {
		return "Dear " + r.address() + ","
	}
	return r.address() + ","
}
