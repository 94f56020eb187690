package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// SeriesList is the body of GET /api/v1/series.
type SeriesList struct {
	Series []*rencontres.Series `json:"series"`
}

func (a *API) listSeries(w http.ResponseWriter, r *http.Request) (any, error) {
	all, err := a.svc.AllSeries(r.Context())
	if all == nil {
		all = []*rencontres.Series{}
	}
	return SeriesList{all}, err
}

func (a *API) getSeries(w http.ResponseWriter, r *http.Request) (any, error) {
	return a.svc.Series(r.Context(), r.PathValue("slug"))
}

// Edition is an edition as the API gives it: the domain's fields, with its
// title in every language and the total of authorities.
type Edition struct {
	*rencontres.Edition
	Title       rencontres.Text `json:"title"`
	Authorities *int            `json:"authorities,omitempty"`
}

// EditionList is the body of GET /api/v1/editions.
type EditionList struct {
	Editions []Edition `json:"editions"`
}

func (a *API) edition(e *rencontres.Edition, short rencontres.Text) Edition {
	title := rencontres.Text{}
	for _, l := range rencontres.Langs {
		title[l] = a.cat.Printer(l).EditionTitleText(e.Number, short)
	}
	return Edition{Edition: e, Title: title, Authorities: e.Figures.Authorities()}
}

func (a *API) shortNames(r *http.Request) (map[string]rencontres.Text, error) {
	all, err := a.svc.AllSeries(r.Context())
	if err != nil {
		return nil, err
	}
	m := map[string]rencontres.Text{}
	for _, s := range all {
		m[s.Slug] = s.Short
	}
	return m, nil
}

func (a *API) listEditions(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	f := rencontres.EditionFilter{Series: q.Get("series"), HostKey: q.Get("host")}
	if err := checkParams(q, "series", "host", "lang"); err != nil {
		return nil, err
	}
	names, err := a.shortNames(r)
	if err != nil {
		return nil, err
	}
	if _, ok := names[f.Series]; f.Series != "" && !ok {
		return nil, badParam("series", "error.param_series", "Value", f.Series)
	}
	eds, err := a.svc.Editions(r.Context(), f)
	if err != nil {
		return nil, err
	}
	out := EditionList{Editions: make([]Edition, 0, len(eds))}
	for _, e := range eds {
		out.Editions = append(out.Editions, a.edition(e, names[e.SeriesSlug]))
	}
	return out, nil
}

func (a *API) getEdition(w http.ResponseWriter, r *http.Request) (any, error) {
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil || n < 1 {
		return nil, badParam("number", "error.param_range", "Min", 1, "Max", 1000)
	}
	se, err := a.svc.Series(r.Context(), r.PathValue("series"))
	if err != nil {
		return nil, err
	}
	e, err := a.svc.Edition(r.Context(), se.Slug, n)
	if err != nil {
		return nil, err
	}
	return a.edition(e, se.Short), nil
}

// OrganisationList is the body of GET /api/v1/organisations.
type OrganisationList struct {
	Total int `json:"total"`
	// TotalIsLowerBound: a search by name found more than Total
	// (rencontres.SearchCountBound) organisations and stopped counting.
	TotalIsLowerBound bool `json:"total_is_lower_bound"`
	Limit             int  `json:"limit"`
	Offset            int  `json:"offset"`
	// Next and Prev are the cursors of the pages after and before this
	// one, to give as after and before; a page read by offset has none.
	Next          string                     `json:"next,omitempty"`
	Prev          string                     `json:"prev,omitempty"`
	Organisations []*rencontres.Organisation `json:"organisations"`
}

func (a *API) listOrganisations(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	if err := checkParams(q, "q", "country", "kind", "limit", "offset", "after", "before", "lang", "format"); err != nil {
		return nil, err
	}
	f := rencontres.OrgFilter{Query: q.Get("q"), Country: rencontres.Country(q.Get("country")),
		Kind: rencontres.OrgKind(q.Get("kind")), Limit: 50}
	format := q.Get("format")
	if format != "" && export.ContentType(format) == "" {
		return nil, badParam("format", "error.bad_parameter")
	}
	if err := rencontres.CheckSearch(f.Query); err != nil {
		return nil, err
	}
	if f.Country != "" && (len(f.Country) != 2 || string(f.Country) != strings.ToUpper(string(f.Country))) {
		return nil, badParam("country", "error.param_country", "Value", string(f.Country))
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, badParam("kind", "error.param_kind", "Value", string(f.Kind))
	}
	var err error
	if f.Limit, err = intParam(q.Get("limit"), "limit", 50, 1, 500); err != nil {
		return nil, err
	}
	if f.Offset, err = intParam(q.Get("offset"), "offset", 0, 0, 1_000_000); err != nil {
		return nil, err
	}
	if format != "" {
		return nil, a.exportDirectory(w, r, f, format)
	}
	req, err := cursor.Parse(q, 50, 500)
	if err != nil {
		return nil, err
	}
	if req.Cursor() != "" && f.Offset > 0 {
		return nil, badParam("offset", "error.cursor_offset")
	}
	var orgs []*rencontres.Organisation
	var head cursor.Head
	if f.Offset > 0 {
		// Pages by offset, as before cursors: kept for the clients that
		// count them; a page deep in the directory costs more.
		orgs, head.Total, err = a.svc.Organisations(r.Context(), f)
	} else {
		orgs, head, err = a.lists.OrganisationsPage(r.Context(), f, req)
	}
	if err != nil {
		return nil, err
	}
	if orgs == nil {
		orgs = []*rencontres.Organisation{}
	}
	hideNotes(r, orgs...)
	list := OrganisationList{Limit: f.Limit, Offset: f.Offset, Next: head.Next, Prev: head.Prev, Organisations: orgs}
	list.Total, list.TotalIsLowerBound = f.Total(head.Total)
	return list, nil
}

// OrganisationDetail is the body of GET /api/v1/organisations/{key}.
type OrganisationDetail struct {
	*rencontres.Organisation
	Partnerships []*rencontres.Partnership `json:"partnerships"`
	Hosted       []string                  `json:"hosted"`
}

func (a *API) getOrganisation(w http.ResponseWriter, r *http.Request) (any, error) {
	o, err := a.svc.Organisation(r.Context(), r.PathValue("key"))
	if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
		// A key merged into another organisation leads to it for good.
		if kept, merr := a.svc.MergedInto(r.Context(), r.PathValue("key")); merr == nil {
			target := "/api/v1/organisations/" + url.PathEscape(kept)
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return nil, nil
		}
	}
	if err != nil {
		return nil, err
	}
	hideNotes(r, o)
	d := OrganisationDetail{Organisation: o, Partnerships: []*rencontres.Partnership{}, Hosted: []string{}}
	ps, err := a.svc.Partnerships(r.Context(), o.Key)
	if err != nil {
		return nil, err
	}
	d.Partnerships = append(d.Partnerships, ps...)
	eds, err := a.svc.Editions(r.Context(), rencontres.EditionFilter{HostKey: o.Key})
	if err != nil {
		return nil, err
	}
	for _, e := range eds {
		d.Hosted = append(d.Hosted, fmt.Sprintf("%s/%d", e.SeriesSlug, e.Number))
	}
	return d, nil
}

// badParam is the error for a query parameter at fault; key names the
// message in the catalogues, args fill it.
func badParam(field, key string, args ...any) error {
	m := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		m[args[i].(string)] = args[i+1]
	}
	return &rencontres.Error{Code: rencontres.EINVALID, Key: key, Field: field,
		Message: fmt.Sprintf("parameter %q is not valid (%s %v)", field, key, args), Args: m}
}

// checkParams refuses parameters the endpoint does not know, so that a typo
// ("contry=JP") is reported rather than silently ignored.
func checkParams(q map[string][]string, known ...string) error {
	for name := range q {
		ok := false
		for _, k := range known {
			ok = ok || k == name
		}
		if !ok {
			return badParam(name, "error.param_unknown")
		}
	}
	return nil
}

func intParam(s, name string, def, lo, hi int) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badParam(name, "error.param_range", "Min", lo, "Max", hi)
	}
	return n, nil
}
