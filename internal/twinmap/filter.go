// Package twinmap is the twinning map: which partnerships it shows for a
// filter, where each authority lies, and the map drawn as SVG for the
// site and as GeoJSON for the API.
package twinmap

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Params are the query parameters of the map, in the order of its form.
var Params = []string{"country", "kind", "area", "from", "to", "series"}

// Filter selects the partnerships the map shows. A country, an area (the
// key of a region or prefecture) or a series attended matches either
// side; From and To bound the year signed, both included (0: open).
type Filter struct {
	Country  rencontres.Country
	Kind     rencontres.PartnershipKind
	Area     string
	From, To int
	Series   string
}

// IsZero reports whether the filter selects every partnership.
func (f Filter) IsZero() bool { return f == Filter{} }

// Query is the filter as URL parameters.
func (f Filter) Query() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"country": string(f.Country), "kind": string(f.Kind), "area": f.Area, "series": f.Series} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.From != 0 {
		v.Set("from", strconv.Itoa(f.From))
	}
	if f.To != 0 {
		v.Set("to", strconv.Itoa(f.To))
	}
	return v
}

// Data is what the map filters: every partnership, who took part in which
// series, the series, and the values each filter offers.
type Data struct {
	All []*rencontres.Partnership
	// Attended maps an authority's key to the slugs of the series it took
	// part in.
	Attended map[string]map[string]bool
	Series   []*rencontres.Series
	// Countries and Areas are those of the partnerships' sides, areas by
	// country then French name.
	Countries []rencontres.Country
	Areas     []*rencontres.Organisation
}

// Services are what Load reads.
type Services interface {
	AllSeries(ctx context.Context) ([]*rencontres.Series, error)
	rencontres.MapService
}

// Load reads the partnerships, the series and who attended them.
func Load(ctx context.Context, svc Services) (*Data, error) {
	all, err := svc.MapPartnerships(ctx)
	if err != nil {
		return nil, err
	}
	series, err := svc.AllSeries(ctx)
	if err != nil {
		return nil, err
	}
	parts, err := svc.Participations(ctx, 0)
	if err != nil {
		return nil, err
	}
	return NewData(all, series, parts), nil
}

// NewData indexes partnerships, series and participations for filtering.
func NewData(all []*rencontres.Partnership, series []*rencontres.Series, parts []rencontres.Participation) *Data {
	d := &Data{All: all, Series: series, Attended: map[string]map[string]bool{}}
	for _, p := range parts {
		if d.Attended[p.OrgKey] == nil {
			d.Attended[p.OrgKey] = map[string]bool{}
		}
		d.Attended[p.OrgKey][p.Series] = true
	}
	countries := map[rencontres.Country]bool{rencontres.France: true, rencontres.Japan: true}
	areas := map[string]*rencontres.Organisation{}
	for _, p := range all {
		for _, o := range []*rencontres.Organisation{p.OrgA, p.OrgB} {
			if o != nil {
				countries[o.Country] = true
			}
		}
		for _, a := range []*rencontres.Organisation{p.AreaA, p.AreaB} {
			if a != nil {
				areas[a.Key] = a
			}
		}
	}
	for c := range countries {
		d.Countries = append(d.Countries, c)
	}
	// France and Japan first, then the others by code.
	rank := func(c rencontres.Country) int {
		return cmp.Or(map[rencontres.Country]int{rencontres.France: 1, rencontres.Japan: 2}[c], 3)
	}
	slices.SortFunc(d.Countries, func(a, b rencontres.Country) int { return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b)) })
	for _, a := range areas {
		d.Areas = append(d.Areas, a)
	}
	slices.SortFunc(d.Areas, func(a, b *rencontres.Organisation) int {
		return cmp.Or(cmp.Compare(rank(a.Country), rank(b.Country)), cmp.Compare(a.Code, b.Code), cmp.Compare(a.Key, b.Key))
	})
	return d
}

// Years bound the year signed a filter accepts.
const (
	MinYear = 1900
	MaxYear = 2100
)

// Parse reads the map's filter from the query. Every value that names
// nothing known is an error named by its field, all of them at once; the
// filter returned keeps the values that are good, so that a page can show
// the map they select beside the errors.
func (d *Data) Parse(q url.Values) (Filter, error) {
	var f Filter
	var errs []error
	bad := func(field, key, value string) {
		errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: key, Field: field,
			Message: fmt.Sprintf("%s %q is not one the map knows", field, value), Args: map[string]any{"Value": value}})
	}
	if c := q.Get("country"); c != "" {
		if slices.Contains(d.Countries, rencontres.Country(c)) {
			f.Country = rencontres.Country(c)
		} else {
			bad("country", "map_error.country", c)
		}
	}
	if k := q.Get("kind"); k != "" {
		if rencontres.PartnershipKind(k).Valid() {
			f.Kind = rencontres.PartnershipKind(k)
		} else {
			bad("kind", "map_error.kind", k)
		}
	}
	if a := q.Get("area"); a != "" {
		if slices.ContainsFunc(d.Areas, func(o *rencontres.Organisation) bool { return o.Key == a }) {
			f.Area = a
		} else {
			bad("area", "map_error.area", a)
		}
	}
	if s := q.Get("series"); s != "" {
		if slices.ContainsFunc(d.Series, func(se *rencontres.Series) bool { return se.Slug == s }) {
			f.Series = s
		} else {
			bad("series", "map_error.series", s)
		}
	}
	for _, y := range []struct {
		field string
		to    *int
	}{{"from", &f.From}, {"to", &f.To}} {
		s := q.Get(y.field)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < MinYear || n > MaxYear {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "map_error.year", Field: y.field,
				Message: fmt.Sprintf("%s: want a year from %d to %d, got %q", y.field, MinYear, MaxYear, s),
				Args:    map[string]any{"Value": s, "Min": MinYear, "Max": MaxYear}})
			continue
		}
		*y.to = n
	}
	if f.From != 0 && f.To != 0 && f.From > f.To {
		errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "map_error.years_reversed", Field: "to",
			Message: fmt.Sprintf("the years are upside down: from %d to %d", f.From, f.To),
			Args:    map[string]any{"From": f.From, "To": f.To}})
		f.From, f.To = 0, 0
	}
	return f, rencontres.Join(errs...)
}

// Select returns the partnerships f selects, in the order of d.All.
func (d *Data) Select(f Filter) []*rencontres.Partnership {
	var out []*rencontres.Partnership
	for _, p := range d.All {
		if d.matches(p, f) {
			out = append(out, p)
		}
	}
	return out
}

func (d *Data) matches(p *rencontres.Partnership, f Filter) bool {
	either := func(a, b *rencontres.Organisation, ok func(o *rencontres.Organisation) bool) bool {
		return a != nil && ok(a) || b != nil && ok(b)
	}
	switch {
	case f.Country != "" && !either(p.OrgA, p.OrgB, func(o *rencontres.Organisation) bool { return o.Country == f.Country }):
		return false
	case f.Kind != "" && p.Kind != f.Kind:
		return false
	case f.Area != "" && !either(p.AreaA, p.AreaB, func(o *rencontres.Organisation) bool { return o.Key == f.Area }):
		return false
	case f.From != 0 && (p.Year == 0 || p.Year < f.From):
		return false
	case f.To != 0 && (p.Year == 0 || p.Year > f.To):
		return false
	case f.Series != "" && !d.Attended[p.A][f.Series] && !d.Attended[p.B][f.Series]:
		return false
	}
	return true
}
