package web

import (
	"net/http"
	"net/url"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// pageSize is the number of organisations per page of results.
const pageSize = 20

// maxQueryLen bounds a search query, in characters.
const maxQueryLen = 100

// OrganisationsPage is the data of the directory search.
type OrganisationsPage struct {
	// Manage: the reader may add an organisation.
	Manage  bool
	Query   string
	Country string
	Results []*rencontres.Organisation
	Total   int
	// More: there are more than Total (rencontres.SearchCountBound)
	// matches, which were not counted.
	More  bool
	Pager Pager
	// Error is a message about the query, shown next to the search field.
	Error string
}

// organisations shows the directory, or a search in it, a page at a time
// by cursor: the directory in name order, a search best matches first.
func (s *Site) organisations(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	q := r.URL.Query()
	d := OrganisationsPage{Query: q.Get("q"), Country: q.Get("country"), Manage: p.CanManageDirectory()}
	p.Title = p.P.T("directory.title")
	p.Nav = "directory"
	p.Data = &d
	if d.Country != "" && !rencontres.Country(d.Country).Valid() {
		d.Country = ""
	}
	if utf8.RuneCountInString(d.Query) > maxQueryLen {
		d.Error = p.P.T("directory.query_too_long", "Max", maxQueryLen)
		p.Status = http.StatusBadRequest
		return "organisations", nil
	}
	if format := exportFormat(r); format != "" {
		return "", s.exportDirectory(w, r, p, rencontres.OrgFilter{Query: d.Query, Country: rencontres.Country(d.Country)}, format)
	}
	f := rencontres.OrgFilter{Query: d.Query, Country: rencontres.Country(d.Country)}
	req := pageRequestOf(q, pageSize)
	res, head, err := s.lists.OrganisationsPage(r.Context(), f, req)
	if rencontres.ErrorCode(err) == rencontres.EINVALID && req.Cursor() != "" {
		// A cursor of the directory followed into a search, or the
		// reverse: the first page, as a link must never fail.
		res, head, err = s.lists.OrganisationsPage(r.Context(), f, cursor.Request{Limit: req.Limit})
	}
	if err != nil {
		return "", err
	}
	d.Results = res
	d.Total, d.More = f.Total(head.Total)
	head.Total = d.Total
	links := url.Values{}
	for _, k := range []string{"q", "country", "limit"} {
		if v := q.Get(k); v != "" {
			links.Set(k, v)
		}
	}
	d.Pager = NewPager(p.Href("/organisations"), links, head, len(res))
	return "organisations", nil
}

// OrganisationPage is the data of an authority's page.
type OrganisationPage struct {
	Org          *rencontres.Organisation
	Parent       *rencontres.Organisation
	Partnerships []*rencontres.Partnership
	Hosted       []*rencontres.Edition
	Series       map[string]*rencontres.Series
	// Merges are the records merged into this one.
	Merges []*rencontres.OrgMerge
	// Manage: the reader keeps the directory (edit links, notes, who
	// merged); Done names what was just done.
	Manage bool
	Done   string
	// News are the latest published posts about the authority.
	News []*rencontres.NewsPost
	// Practices are its latest practices in the library, of
	// PracticesTotal.
	Practices      []*rencontres.Practice
	PracticesTotal int
}

// orgPractices is how many practices an authority's page lists.
const orgPractices = 10

func (s *Site) organisation(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	ctx := r.Context()
	o, err := s.svc.Organisation(ctx, r.PathValue("key"))
	if err != nil {
		return "", err
	}
	d := OrganisationPage{Org: o, Series: map[string]*rencontres.Series{},
		Manage: p.CanManageDirectory()}
	if d.Manage {
		d.Done = r.URL.Query().Get("done")
	}
	if d.Merges, err = s.svc.OrganisationMerges(ctx, o.Key); err != nil {
		return "", err
	}
	if o.ParentKey != "" {
		if d.Parent, err = s.svc.Organisation(ctx, o.ParentKey); err != nil {
			return "", err
		}
	}
	if d.Partnerships, err = s.svc.Partnerships(ctx, o.Key); err != nil {
		return "", err
	}
	if d.Hosted, err = s.svc.Editions(ctx, rencontres.EditionFilter{HostKey: o.Key}); err != nil {
		return "", err
	}
	all, err := s.svc.AllSeries(ctx)
	if err != nil {
		return "", err
	}
	for _, se := range all {
		d.Series[se.Slug] = se
	}
	if d.News, err = s.latestNews(ctx, p, rencontres.NewsFilter{OrgKey: o.Key}); err != nil {
		return "", err
	}
	if s.library != nil {
		if d.Practices, d.PracticesTotal, err = s.library.Practices(ctx, rencontres.PracticeFilter{OrgKey: o.Key, Limit: orgPractices}); err != nil {
			return "", err
		}
	}
	p.Title = o.Name.In(p.Lang)
	p.Nav = "directory"
	p.Data = d
	return "organisation", nil
}
