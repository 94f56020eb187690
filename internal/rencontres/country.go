package rencontres

import (
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Valid reports whether c is the ISO 3166-1 alpha-2 code of a country, in
// upper case: the secretariat records organisations of any country (a
// German town twinned with a French commune), while the reference data
// holds France and Japan only.
func (c Country) Valid() bool {
	r, err := language.ParseRegion(string(c))
	return err == nil && r.IsCountry() && r.String() == string(c) && r.Canonicalize() == r && !notAssigned[c]
}

// notAssigned are the codes the language tables take for countries but
// ISO 3166-1 does not assign to one: exceptionally reserved (AC, CP, CQ,
// DG, EA, EZ, IC, TA, UN), withdrawn and transitionally reserved (AN, CS, FQ,
// NT, PC, SU, YU) and user-assigned (XK). Deprecated codes (UK, FX, ZR…)
// are refused by Canonicalize.
var notAssigned = map[Country]bool{"AC": true, "CP": true, "CQ": true, "DG": true, "EA": true, "EZ": true, "IC": true,
	"TA": true, "UN": true, "AN": true, "FQ": true, "CS": true, "NT": true, "PC": true, "SU": true, "YU": true, "XK": true}

// Countries lists every ISO 3166-1 alpha-2 country code that the
// language tables know, France and Japan first, then the others in code
// order; pages sort them by name in the reader's language.
func Countries() []Country {
	out := []Country{France, Japan}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			c := Country(string([]rune{a, b}))
			if c != France && c != Japan && c.Valid() {
				out = append(out, c)
			}
		}
	}
	return out
}

// FitsCountry reports whether an organisation of kind k may be in country
// c: the kinds of French and Japanese local authority belong to their
// country; a town or a province of any other country takes City or
// Province; institutions are of any country.
func (k OrgKind) FitsCountry(c Country) bool {
	switch k {
	case Commune, EPCI, Departement, Region:
		return c == France
	case Prefecture, Municipality, SpecialWard, Ward:
		return c == Japan
	case City, Province:
		return c != France && c != Japan
	}
	return true
}

// CountryName names c in language l as the Unicode CLDR does (« Allemagne »,
// ドイツ, Germany); the code itself when the tables know no name.
func CountryName(c Country, l Lang) string {
	r, err := language.ParseRegion(string(c))
	if err != nil {
		return string(c)
	}
	if n := display.Regions(language.Make(string(l))).Name(r); n != "" {
		return n
	}
	return string(c)
}
