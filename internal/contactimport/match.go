// Package contactimport turns a contact list read by package sheet into a
// preview of what importing it would do: each row matched to an
// organisation of the directory by key, official code or name in any
// script, compared with the contacts already known, and said created,
// updated, unchanged, ambiguous or refused, with the line and column of
// every fault. It does no I/O: the caller loads the directory and the
// known contacts, and writes what the preview says.
package contactimport

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Index finds organisations by key, code and name, in memory: built once
// per import from the whole directory.
type Index struct {
	byKey  map[string]*rencontres.Organisation
	byCode map[string][]*rencontres.Organisation
	exact  map[string][]*rencontres.Organisation
	loose  map[string][]*rencontres.Organisation
}

// NewIndex indexes every name form of orgs.
func NewIndex(orgs []*rencontres.Organisation) *Index {
	x := &Index{
		byKey:  make(map[string]*rencontres.Organisation, len(orgs)),
		byCode: make(map[string][]*rencontres.Organisation, len(orgs)),
		exact:  make(map[string][]*rencontres.Organisation, 3*len(orgs)),
		loose:  make(map[string][]*rencontres.Organisation, 2*len(orgs)),
	}
	for _, o := range orgs {
		x.byKey[o.Key] = o
		if o.Code != "" {
			x.byCode[o.Code] = appendOnce(x.byCode[o.Code], o)
			if o.Country == rencontres.Japan && len(o.Code) == 6 {
				// The five-digit form, without the check digit.
				x.byCode[o.Code[:5]] = appendOnce(x.byCode[o.Code[:5]], o)
			}
		}
		for _, n := range nameForms(o) {
			if n == "" {
				continue
			}
			x.exact[n] = appendOnce(x.exact[n], o)
			core, _ := Strip(n)
			x.loose[core] = appendOnce(x.loose[core], o)
		}
	}
	return x
}

func appendOnce(list []*rencontres.Organisation, o *rencontres.Organisation) []*rencontres.Organisation {
	for _, p := range list {
		if p == o {
			return list
		}
	}
	return append(list, o)
}

// romajiSuffix gives, for the last character of a Japanese authority's
// name, the suffix a romaji name takes: 熊本市 is Kumamoto-shi.
var romajiSuffix = map[rune][]string{
	'市': {"shi", "city"}, '県': {"ken", "prefecture"}, '町': {"machi", "cho", "town"}, '村': {"mura", "son", "village"},
	'区': {"ku", "ward"}, '都': {"to"}, '府': {"fu", "prefecture"},
}

// nameForms returns the folded names of o: each language's, the kana, and
// for a Japanese authority its romaji with the suffix its kanji name ends
// in.
func nameForms(o *rencontres.Organisation) []string {
	var out []string
	for _, l := range rencontres.Langs {
		out = append(out, FoldName(o.Name[l]))
	}
	out = append(out, FoldName(o.Kana))
	if ja, fr := o.Name[rencontres.Japanese], FoldName(o.Name[rencontres.French]); o.Country == rencontres.Japan && ja != "" && fr != "" {
		last, _ := utf8.DecodeLastRuneInString(ja)
		for _, suf := range romajiSuffix[last] {
			out = append(out, fr+" "+suf)
		}
	}
	return out
}

// FoldName folds a name for matching: the directory search's fold
// (compatibility forms, case, accents, katakana to hiragana) and every mark
// that is neither letter nor digit made a single space.
func FoldName(s string) string {
	s = rencontres.FoldSearch(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == 'ー' {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

// Kind hints that a name's prefix or suffix gives.
var (
	frPrefixes = []struct {
		words string
		kind  rencontres.OrgKind
	}{
		{"conseil departemental", rencontres.Departement}, {"departement", rencontres.Departement},
		{"conseil general", rencontres.Departement},
		{"conseil regional", rencontres.Region}, {"region", rencontres.Region},
		{"ville", rencontres.Commune}, {"commune", rencontres.Commune}, {"mairie", rencontres.Commune},
		{"metropole", rencontres.EPCI}, {"communaute d agglomeration", rencontres.EPCI},
		{"communaute de communes", rencontres.EPCI}, {"communaute urbaine", rencontres.EPCI},
		{"city of", ""}, {"town of", ""}, {"prefecture of", rencontres.Prefecture},
	}
	articles = []string{"de la ", "de l ", "des ", "du ", "de ", "d ", "le ", "la ", "les ", "l "}
	suffixes = []struct {
		s    string
		kind rencontres.OrgKind
	}{
		{"市", rencontres.Municipality}, {"県", rencontres.Prefecture}, {"府", rencontres.Prefecture}, {"都", rencontres.Prefecture},
		{"町", rencontres.Municipality}, {"村", rencontres.Municipality}, {"区", rencontres.SpecialWard},
		{" shi", rencontres.Municipality}, {" city", rencontres.Municipality}, {" ken", rencontres.Prefecture},
		{" prefecture", rencontres.Prefecture}, {" fu", rencontres.Prefecture}, {" to", rencontres.Prefecture},
		{" machi", rencontres.Municipality}, {" cho", rencontres.Municipality}, {" mura", rencontres.Municipality},
		{" son", rencontres.Municipality}, {" ku", rencontres.SpecialWard}, {" town", rencontres.Municipality},
		{" village", rencontres.Municipality},
		{"けん", rencontres.Prefecture}, {"し", rencontres.Municipality}, {"ちょう", rencontres.Municipality},
		{"まち", rencontres.Municipality}, {"むら", rencontres.Municipality}, {"そん", rencontres.Municipality},
		{"ふ", rencontres.Prefecture}, {"と", rencontres.Prefecture}, {"く", rencontres.SpecialWard},
	}
)

// Strip takes off a folded name what says its kind rather than which one it
// is: « ville de », « conseil départemental du », « région », a leading
// article, and one suffix (市, 県, -shi, -ken, けん…) when at least two
// characters remain. It returns the core and the kind the words hint at.
func Strip(folded string) (core string, kind rencontres.OrgKind) {
	s := folded
	for _, p := range frPrefixes {
		if rest, ok := strings.CutPrefix(s, p.words+" "); ok {
			s, kind = rest, p.kind
			break
		}
	}
	for _, a := range articles {
		if rest, ok := strings.CutPrefix(s, a); ok && rest != "" {
			s = rest
			break
		}
	}
	for _, suf := range suffixes {
		if rest, ok := strings.CutSuffix(s, suf.s); ok && utf8.RuneCountInString(rest) >= 2 {
			s = rest
			if kind == "" {
				kind = suf.kind
			}
			break
		}
	}
	return s, kind
}

// ByKey returns the organisation of a key.
func (x *Index) ByKey(key string) *rencontres.Organisation { return x.byKey[strings.TrimSpace(key)] }

// ByCode returns the organisations an official code names: a French INSEE
// or SIREN code, a Japanese local-government code of six digits (with its
// check digit) or five (without). Full-width digits and spaces are read.
func (x *Index) ByCode(code string) []*rencontres.Organisation {
	c := strings.ToUpper(strings.Join(strings.Fields(norm.NFKC.String(code)), ""))
	if list := x.byCode[c]; len(list) > 0 {
		return list
	}
	// A French code that lost its leading zero in a spreadsheet (06029 read
	// as the number 6029).
	if len(c) == 4 && strings.Trim(c, "0123456789") == "" {
		return x.byCode["0"+c]
	}
	return nil
}

// ByName returns the organisations a name in any script may be: the exact
// name first, then the name without what says its kind. When several
// remain and the name hints at a kind (« Ville de », 県), those of that kind
// are kept.
func (x *Index) ByName(name string) []*rencontres.Organisation {
	q := FoldName(name)
	if q == "" {
		return nil
	}
	core, kind := Strip(q)
	var list []*rencontres.Organisation
	for i, try := range []struct {
		m map[string][]*rencontres.Organisation
		k string
	}{{x.exact, q}, {x.loose, q}, {x.exact, core}, {x.loose, core}} {
		if list = try.m[try.k]; len(list) > 0 {
			if i < 2 {
				// The whole name matched: what it ends in is part of it.
				kind = ""
			}
			break
		}
	}
	if len(list) > 1 && kind != "" {
		var same []*rencontres.Organisation
		for _, o := range list {
			if o.Kind == kind || (kind == rencontres.Municipality && o.Kind == rencontres.Commune) ||
				(kind == rencontres.Commune && o.Kind == rencontres.Municipality) {
				same = append(same, o)
			}
		}
		if len(same) > 0 {
			list = same
		}
	}
	return list
}
