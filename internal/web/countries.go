package web

import (
	"slices"
	"sync"

	"github.com/rencontres/rencontres/internal/rencontres"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// CountryOption is a country offered by a select: its code and its name
// in the reader's language.
type CountryOption struct {
	Code rencontres.Country
	Name string
}

// countryOptions holds, per language, every country: France and Japan
// first, then the others in the order of the language's collation (Åland
// after Afghanistan in French, by reading in Japanese). Built once.
var countryOptions = sync.OnceValue(func() map[rencontres.Lang][]CountryOption {
	out := map[rencontres.Lang][]CountryOption{}
	for _, l := range rencontres.Langs {
		var rest []CountryOption
		for _, c := range rencontres.Countries()[2:] {
			rest = append(rest, CountryOption{Code: c, Name: rencontres.CountryName(c, l)})
		}
		col := collate.New(language.Make(string(l)))
		slices.SortStableFunc(rest, func(a, b CountryOption) int { return col.CompareString(a.Name, b.Name) })
		out[l] = rest
	}
	return out
})

// CountryOptions lists every country for a select, France and Japan first
// and named as the catalogues name them.
func (p *Page) CountryOptions() []CountryOption {
	return append([]CountryOption{{rencontres.France, p.CountryName(rencontres.France)}, {rencontres.Japan, p.CountryName(rencontres.Japan)}},
		countryOptions()[p.Lang]...)
}
