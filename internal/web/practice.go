package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/api"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The public library of good practices: /{lang}/practices (a search box
// and filters as a GET form that works without JavaScript, a page of
// results), /{lang}/practices/{id} (the French and Japanese texts side by
// side), its documents, and the Atom feed (practice_feed.go).

// PracticesPage is the data of /{lang}/practices.
type PracticesPage struct {
	Filter rencontres.PracticeFilter
	// Raw holds the parameters as typed, to fill the form again.
	Raw url.Values
	// Errors are the faults of the filters by parameter, shown next to
	// their field.
	Errors    map[string]string
	Practices []*rencontres.Practice
	Total     int
	// More: a search found more than Total (PracticeCountBound) and
	// stopped counting.
	More     bool
	Page     int
	Pages    int
	Editions []EditionOption
	// Workshops are the chosen edition's, numbered from 1.
	Workshops []rencontres.Workshop
	Kinds     []rencontres.OrgKind
}

// EditionOption is an edition in the filter's list: "series/number".
type EditionOption struct {
	Value string
	Label string
	Year  int
}

// Value is a filter parameter as typed.
func (d *PracticesPage) Value(name string) string { return d.Raw.Get(name) }

// PageHref is the list's path at page n with the same filters.
func (d *PracticesPage) PageHref(p *Page, n int) string {
	v := url.Values{}
	for k, s := range d.Filter.Values() {
		v.Set(k, s)
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return p.Href("/practices")
	}
	return p.Href("/practices?" + v.Encode())
}

// FeedHref is the feed of the list's filters.
func (d *PracticesPage) FeedHref(p *Page) string {
	v := url.Values{}
	for k, s := range d.Filter.Values() {
		v.Set(k, s)
	}
	if len(v) == 0 {
		return p.Href("/practices.atom")
	}
	return p.Href("/practices.atom?" + v.Encode())
}

func (s *Site) practices(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	q := r.URL.Query()
	d := &PracticesPage{Raw: q, Errors: map[string]string{}, Page: 1, Kinds: rencontres.OrgKinds}
	p.Title, p.Nav, p.Data = p.P.T("practices.title"), "practices", d
	eds, err := s.svc.Editions(r.Context(), rencontres.EditionFilter{})
	if err != nil {
		return "", err
	}
	menu, err := s.svc.AllSeries(r.Context())
	if err != nil {
		return "", err
	}
	short := map[string]rencontres.Text{}
	for _, se := range menu {
		short[se.Slug] = se.Short
	}
	for _, e := range eds {
		d.Editions = append(d.Editions, EditionOption{Value: e.SeriesSlug + "/" + strconv.Itoa(e.Number),
			Label: p.P.EditionTitleText(e.Number, short[e.SeriesSlug]), Year: e.Year})
		if q.Get("edition") == e.SeriesSlug+"/"+strconv.Itoa(e.Number) {
			d.Workshops = e.Workshops
		}
	}
	f, err := rencontres.ParsePracticeFilter(q)
	d.Filter = f
	if err == nil {
		d.Page = max(f.Page, 1)
		d.Practices, d.Total, err = s.library.Practices(r.Context(), f)
	}
	var e *rencontres.Error
	if errors.As(err, &e) && e.Code == rencontres.EINVALID {
		d.Errors[formField(e.Field)] = p.P.Error(e)
		addFieldErrors(p, e, d.Errors)
		p.Status = http.StatusBadRequest
		d.Practices, d.Total = nil, 0
		return "practices", nil
	}
	if err != nil {
		return "", err
	}
	d.Total, d.More = f.Total(d.Total)
	d.Pages = max(1, (d.Total+rencontres.PracticePageSize-1)/rencontres.PracticePageSize)
	return "practices", nil
}

// PracticePage is the data of a practice's page.
type PracticePage struct {
	Practice *rencontres.Practice
}

// practiceFromPath reads the practice the path names; anything but an
// accepted, released proposal does not exist.
func (s *Site) practiceFromPath(ctx context.Context, r *http.Request) (*rencontres.Practice, error) {
	id, err := strconv.ParseInt(r.PathValue("practice"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("practice")
	}
	return s.library.Practice(ctx, id)
}

func (s *Site) practice(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	pr, err := s.practiceFromPath(r.Context(), r)
	if err != nil {
		return "", err
	}
	p.Title, p.Nav, p.Data = pr.Title.In(p.Lang), "practices", &PracticePage{Practice: pr}
	return "practice", nil
}

// practiceDocument sends a document of a practice of the library.
func (s *Site) practiceDocument(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	pid, err1 := strconv.ParseInt(r.PathValue("practice"), 10, 64)
	id, err2 := strconv.ParseInt(r.PathValue("document"), 10, 64)
	if err1 != nil || err2 != nil {
		return "", rencontres.NotFound("document")
	}
	doc, data, err := s.library.PracticeDocument(r.Context(), pid, id)
	if err != nil {
		return "", err
	}
	api.ServeDocument(w, &rencontres.Document{ID: doc.ID, Name: doc.Name, ContentType: doc.ContentType}, data)
	return "", nil
}

// PracticeHref is the path of a practice's page.
func (p *Page) PracticeHref(pr *rencontres.Practice) string {
	return p.Href("/practices/" + strconv.FormatInt(pr.ID, 10))
}

// PracticeOrgName renders an authority of a practice as OrgName does.
func (p *Page) PracticeOrgName(o rencontres.PracticeOrg) template.HTML {
	return p.OrgName(&rencontres.Organisation{Name: o.Name})
}

// PracticeEditionTitle names a practice's edition: « 7e Rencontres ».
func (p *Page) PracticeEditionTitle(e *rencontres.PracticeEdition) template.HTML {
	return p.P.EditionTitle(e.Number, e.Short)
}

// PracticeEditionHref is the path of a practice's edition.
func (p *Page) PracticeEditionHref(e *rencontres.PracticeEdition) string {
	return p.Href("/series/" + e.Series + "/" + strconv.Itoa(e.Number))
}

// PracticeTitleOther is a practice's title in the language the reader
// reads second, "" when it is the same or missing.
func (p *Page) PracticeTitleOther(pr *rencontres.Practice) string {
	other := pr.Title[rencontres.OtherLang(p.Lang)]
	if other == pr.Title.In(p.Lang) {
		return ""
	}
	return other
}

// OtherLang is the language a practice's second title is in.
func (p *Page) OtherLang() rencontres.Lang { return rencontres.OtherLang(p.Lang) }

// PracticeSessionWhen says when a practice's session was held, in its
// event's zone: « mercredi 5 octobre 2022, de 9h30 à 12h00 (heure de
// Paris) ».
func (p *Page) PracticeSessionWhen(s *rencontres.PracticeSession) string {
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	start, end := s.Starts.In(loc), s.Ends.In(loc)
	when := p.P.T("practice.session_when", "Day", p.P.LongDate(rencontres.DateOf(start)), "Time", p.P.TimeRange(start, end))
	return p.P.InZone(when, s.TimeZone)
}

// SummaryIn is the paragraphs of a practice's summary in lang, "" when it has none.
func (p *Page) SummaryIn(pr *rencontres.Practice, lang string) template.HTML {
	return Paragraphs(pr.Summary[rencontres.Lang(lang)])
}

// TitleIn is a practice's title in lang.
func (p *Page) TitleIn(pr *rencontres.Practice, lang string) string {
	return pr.Title[rencontres.Lang(lang)]
}

// SDGList lists the 17 goals, for a select.
func (p *Page) SDGList() []rencontres.SDG { return rencontres.SDGs }

// HasText reports whether t has lang's own entry.
func (p *Page) HasText(t rencontres.Text, lang string) bool { return t.Has(rencontres.Lang(lang)) }

// SDGChecked reports whether the filter's SDG is n.
func (d *PracticesPage) SDGChecked(n int) bool { return d.Filter.SDG == n }

// WorkshopNumbers are 1… for the chosen edition's workshops.
func (d *PracticesPage) WorkshopNumbers() []int {
	out := make([]int, len(d.Workshops))
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// WorkshopTitle is the chosen edition's workshop n (from 1).
func (d *PracticesPage) WorkshopTitle(n int) rencontres.Text {
	if n < 1 || n > len(d.Workshops) {
		return nil
	}
	return d.Workshops[n-1].Title
}

// Years lists the editions' years, newest first, for the year fields.
func (d *PracticesPage) Years() []int {
	var out []int
	for _, e := range d.Editions {
		if !slices.Contains(out, e.Year) {
			out = append(out, e.Year)
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// DocSize is a document's size for readers: « 12 Ko ».
func (p *Page) DocSize(n int64) string {
	return strings.TrimSpace(p.P.T("practice.size_kb", "N", max(1, (n+1023)/1024)))
}
