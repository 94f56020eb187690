package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/rencontres/rencontres/internal/api"
	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// partnershipsPageSize is the number of partnerships per page.
const partnershipsPageSize = 50

// PartnershipsPage is the data of the public list of partnerships: the
// filters chosen, each filter's values with their counts, and one page
// of the partnerships they select.
type PartnershipsPage struct {
	Filter  rencontres.PartnershipFilter
	Facets  rencontres.PartnershipFacets
	Results []*rencontres.Partnership
	Total   int
	// Pager links the pages, by cursor, keeping the filters.
	Pager Pager
	// Manage is set for the secretariat, who edits them.
	Manage bool
}

// query is the filter as URL parameters.
func (d *PartnershipsPage) query() url.Values {
	v := url.Values{}
	f := d.Filter
	for k, s := range map[string]string{"country": string(f.Country), "kind": string(f.Kind), "area": f.Area, "state": string(f.State)} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.Decade != 0 {
		v.Set("decade", strconv.Itoa(f.Decade))
	}
	return v
}

// FilterHref is the link to the list with one filter set to value ("" to
// drop it), from the first page.
func (d *PartnershipsPage) FilterHref(p *Page, name, value string) string {
	v := d.query()
	if value == "" {
		v.Del(name)
	} else {
		v.Set(name, value)
	}
	return p.Href("/partnerships?" + v.Encode())
}

// Chosen reports whether a filter is set to value.
func (d *PartnershipsPage) Chosen(name, value string) bool { return d.query().Get(name) == value }

// ExportHref is the link to the filtered list as a file.
func (d *PartnershipsPage) ExportHref(p *Page, format string) string {
	v := d.query()
	v.Set("format", format)
	return p.Href("/partnerships?" + v.Encode())
}

// readPartnershipFilter reads the filters of the query, ignoring values
// that are none of the known ones (a link from an older page).
func readPartnershipFilter(q url.Values) rencontres.PartnershipFilter {
	var f rencontres.PartnershipFilter
	if c := rencontres.Country(q.Get("country")); len(c) == 2 {
		f.Country = c
	}
	if k := rencontres.PartnershipKind(q.Get("kind")); k.Valid() {
		f.Kind = k
	}
	if s := rencontres.PartnershipState(q.Get("state")); s.Valid() {
		f.State = s
	}
	if n, err := strconv.Atoi(q.Get("decade")); err == nil && n >= 1900 && n <= 2100 && n%10 == 0 {
		f.Decade = n
	}
	if a := q.Get("area"); len(a) <= 40 {
		f.Area = a
	}
	return f
}

// partnerships is the public list of every partnership of the network,
// filtered, with the counts of each filter's values; ?format=csv or xlsx
// gives the filtered list as a file.
func (s *Site) partnerships(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	ctx := r.Context()
	d := &PartnershipsPage{Filter: readPartnershipFilter(r.URL.Query()),
		Manage: p.Actor.Can(rencontres.ManagePartnerships, rencontres.Target{})}
	if format := exportFormat(r); format != "" {
		modified, err := s.lists.LastAgreementUpload(ctx, d.Filter)
		if err != nil {
			return "", err
		}
		export.SetAttachment(w, "partnerships."+format, format)
		return "", export.StreamPartnerships(w, format, export.Reader{P: p.P}, modified, func(fn func([]*rencontres.Partnership) error) error {
			return s.lists.EachPartnership(ctx, d.Filter, fn)
		})
	}
	// A page is read by keyset (its cursor is the sort key of the row it
	// starts after), with the filters and the counts of their values
	// computed by the database.
	req := pageRequestOf(r.URL.Query(), partnershipsPageSize)
	page, head, err := s.lists.PartnershipPage(ctx, d.Filter, req)
	if rencontres.ErrorCode(err) == rencontres.EINVALID { // a cursor of another list: the first page
		page, head, err = s.lists.PartnershipPage(ctx, d.Filter, cursor.Request{Limit: req.Limit})
	}
	if err != nil {
		return "", err
	}
	if d.Facets, err = s.lists.PartnershipFacets(ctx, d.Filter); err != nil {
		return "", err
	}
	d.Total, d.Results = head.Total, page
	links := d.query()
	if v := r.URL.Query().Get("limit"); v != "" {
		links.Set("limit", v)
	}
	d.Pager = NewPager(p.Href("/partnerships"), links, head, len(page))
	p.Title, p.Nav, p.Data = p.P.T("partnerships.title"), "directory", d
	return "partnerships", nil
}

// KindOf names a partnership's kind: the catalogue's word, or the label
// of an agreement of another kind.
func (p *Page) KindOf(pa *rencontres.Partnership) string {
	if l := pa.Label(p.Lang); l != "" {
		return l
	}
	return p.KindName(pa.Kind)
}

// KindName names a kind of agreement.
func (p *Page) KindName(k rencontres.PartnershipKind) string { return p.P.T(k.MessageKey()) }

// FacetKind names a kind facet's value.
func (p *Page) FacetKind(v string) string { return p.KindName(rencontres.PartnershipKind(v)) }

// StateName names a partnership's state.
func (p *Page) StateName(s rencontres.PartnershipState) string {
	return p.P.T("partnership_state." + string(s))
}

// FacetCountry names a country facet's value.
func (p *Page) FacetCountry(v string) string { return p.CountryName(rencontres.Country(v)) }

// partnershipAgreement sends a partnership's signed agreement: a public
// act, as twinning charters are.
func (s *Site) partnershipAgreement(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	id, err := strconv.ParseInt(r.PathValue("partnership"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("agreement")
	}
	ag, data, err := s.svc.PartnershipAgreement(r.Context(), id)
	if err != nil {
		return "", err
	}
	api.ServeDocument(w, &rencontres.Document{ID: id, Name: ag.Name, ContentType: ag.ContentType}, data)
	return "", nil
}

// When is an instant that may be unknown, in the reader's language.
func (p *Page) When(t *time.Time) string {
	if t == nil {
		return ""
	}
	return p.P.DateTime(*t)
}
