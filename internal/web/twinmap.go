package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/twinmap"
)

// mapPageSize is the number of partnerships the list beside the map shows
// per page.
const mapPageSize = 50

// MapPage is the data of the twinning map: the filter and its faults, the
// values each filter offers, the map drawn and one page of the
// partnerships it draws.
type MapPage struct {
	Filter twinmap.Filter
	// Errors are the faults of the filter, by field, in the reader's
	// language; the map then shows what the good values select.
	Errors map[string]string
	// Raw is the query as sent, for the years typed.
	Raw    url.Values
	Data   *twinmap.Data
	Figure *MapFigure
	Rows   []*rencontres.Partnership
	Total  int
	Page   int
	Pages  int
	// Kinds are every kind, for the form and the legend.
	Kinds []rencontres.PartnershipKind
	// Manage is set for the secretariat, who sees which authorities have
	// no position and can give them one.
	Manage bool
}

// Value is a filter's value as the form shows it: the one read, or what
// the reader typed when it was refused.
func (d *MapPage) Value(name string) string {
	if _, bad := d.Errors[name]; bad || name == "from" || name == "to" {
		return d.Raw.Get(name)
	}
	return d.Filter.Query().Get(name)
}

// Href is the map with the same filter, at page n (1: the first).
func (d *MapPage) Href(p *Page, n int) string {
	v := d.Filter.Query()
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return p.Href("/map")
	}
	return p.Href("/map?" + v.Encode())
}

// mapLabels are the words of a drawing in the page's language.
func (p *Page) mapLabels(id, title string) twinmap.Labels {
	return twinmap.Labels{
		ID: id, Title: title,
		Country: p.CountryName,
		Name:    func(o *rencontres.Organisation) string { return o.Name.In(p.Lang) },
		Href:    func(o *rencontres.Organisation) string { return p.OrgHref(o.Key) },
		AreaHref: func(a *rencontres.Organisation) string {
			return p.Href("/map?" + twinmap.Filter{Area: a.Key}.Query().Encode())
		},
		Point: func(pt *twinmap.Point, name string) string {
			switch {
			case pt.Area != nil:
				return p.P.T("map.point_area", "Name", name, "Count", pt.Orgs, "Partnerships", pt.Partnerships)
			case pt.Partnerships > 0:
				return p.P.T("map.point", "Name", name, "Count", pt.Partnerships)
			}
			return name
		},
	}
}

// twinmap is the map of the network's partnerships, France and Japan
// side by side, with the list of the same partnerships below it. A filter
// naming nothing known is told beside its field (400) and the map shows
// what the other filters select.
func (s *Site) twinmap(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	layout, err := twinmap.TheLayout()
	if err != nil {
		return "", err
	}
	data, err := s.mapCache.Load(r.Context(), s.svc)
	if err != nil {
		return "", err
	}
	d := &MapPage{Data: data, Page: 1, Kinds: rencontres.PartnershipKinds, Errors: map[string]string{},
		Manage: p.Actor.Can(rencontres.ManageDirectory, rencontres.Target{})}
	d.Raw = r.URL.Query()
	f, err := data.Parse(d.Raw)
	if err != nil {
		var e *rencontres.Error
		if !errors.As(err, &e) {
			return "", err
		}
		for _, fe := range e.All() {
			if _, ok := d.Errors[fe.Field]; !ok {
				d.Errors[fe.Field] = p.P.Error(fe)
			}
		}
		p.Status = http.StatusBadRequest
	}
	d.Filter = f
	list := data.Select(f)
	m := twinmap.Build(layout, list)
	d.Figure = &MapFigure{Map: m, SVG: template.HTML(m.SVG(p.mapLabels("twinmap", p.P.T("map.svg_title"))))}
	if n, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && n > 0 {
		d.Page = n
	}
	d.Total = len(list)
	d.Pages = (d.Total + mapPageSize - 1) / mapPageSize
	from := min((d.Page-1)*mapPageSize, d.Total)
	d.Rows = list[from:min(from+mapPageSize, d.Total)]
	p.Title, p.Nav, p.Data = p.P.T("map.title"), "map", d
	return "twinmap", nil
}

// MapFigure is a map drawn, with what it could not draw.
type MapFigure struct {
	Map *twinmap.Map
	SVG template.HTML
}

// MaxPoints is the number of authorities above which a map draws regions
// and prefectures instead.
func (*MapFigure) MaxPoints() int { return twinmap.MaxPoints }

// editionMap draws the authorities that took part in an edition: its
// host and organisations, and its delegations' authorities; nil when none
// is known.
func (s *Site) editionMap(ctx context.Context, p *Page, e *rencontres.Edition) (*MapFigure, error) {
	parts, err := s.svc.Participations(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, pa := range parts {
		if pa.EditionID == e.ID {
			keys = append(keys, pa.OrgKey)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	orgs, err := s.svc.OrganisationsByKey(ctx, keys)
	if err != nil {
		return nil, err
	}
	layout, err := twinmap.TheLayout()
	if err != nil {
		return nil, err
	}
	list := make([]*rencontres.Organisation, 0, len(keys))
	for _, k := range keys {
		if o := orgs[k]; o != nil {
			list = append(list, o)
		}
	}
	m := twinmap.BuildPoints(layout, list)
	return &MapFigure{Map: m, SVG: template.HTML(m.SVG(p.mapLabels("edition-map", p.P.T("map.edition_svg_title"))))}, nil
}
