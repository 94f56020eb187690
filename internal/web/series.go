package web

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/rencontres"
	"golang.org/x/text/unicode/norm"
)

// SeriesListPage is the secretariat's list of series.
type SeriesListPage struct {
	Series []*rencontres.Series
	Done   string
}

func (s *Site) seriesList(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	all, err := s.svc.AllSeries(r.Context())
	if err != nil {
		return "", err
	}
	p.Title, p.Nav, p.Data = p.P.T("series_form.list_title"), "events", SeriesListPage{Series: all, Done: r.URL.Query().Get("done")}
	return "series_list", nil
}

// SeriesForm is the data of the form that creates or edits a series.
type SeriesForm struct {
	New    bool
	Slug   string // the series edited
	Form   map[string]string
	Errors map[string]string
	// Roles are the organisation lists, each with its fields' values.
	Roles   []OrgList
	Rhythms []rencontres.Rhythm
}

// OrgList is the fields of one role's organisations: co-organisers or
// patrons, as typed, each with its error and, for a name several
// organisations share, the candidates to choose from.
type OrgList struct {
	Role   rencontres.EditionRole
	Fields []OrgField
}

// OrgField is one organisation field of a form.
type OrgField struct {
	Name, Value, Error string
	Candidates         []*rencontres.Organisation
}

// orgFieldsShown is how many organisation fields of each role a series
// form offers beyond those filled.
const orgFieldsShown = 2

func (s *Site) seriesFormPage(p *Page, d *SeriesForm) (string, error) {
	d.Rhythms = []rencontres.Rhythm{rencontres.Annual, rencontres.Biennial, rencontres.Irregular}
	for i := range d.Roles {
		for range orgFieldsShown {
			l := &d.Roles[i]
			l.Fields = append(l.Fields, OrgField{Name: string(l.Role) + "." + strconv.Itoa(len(l.Fields))})
		}
	}
	if d.New {
		p.Title = p.P.T("series_form.new_title")
	} else {
		p.Title = p.P.T("series_form.edit_title")
	}
	p.Nav, p.Data = "events", d
	return "series_form", nil
}

func (s *Site) newSeries(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d := &SeriesForm{New: true, Form: map[string]string{"rhythm": string(rencontres.Annual)}, Errors: map[string]string{}}
	for _, role := range rencontres.SeriesRoles {
		d.Roles = append(d.Roles, OrgList{Role: role})
	}
	return s.seriesFormPage(p, d)
}

func (s *Site) editSeries(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	se, err := s.svc.Series(r.Context(), r.PathValue("series"))
	if err != nil {
		return "", err
	}
	f := map[string]string{"slug": se.Slug, "rhythm": string(se.Rhythm), "sender_name": se.SenderName, "reply_to": se.ReplyTo}
	if se.Alternating {
		f["alternating"] = "1"
	}
	for _, l := range rencontres.Langs {
		f["name_"+string(l)], f["short_"+string(l)], f["description_"+string(l)] = se.Name[l], se.Short[l], se.Description[l]
	}
	d := &SeriesForm{Slug: se.Slug, Form: f, Errors: map[string]string{}}
	for _, role := range rencontres.SeriesRoles {
		l := OrgList{Role: role}
		for _, o := range se.Organisations {
			if o.Role == role {
				l.Fields = append(l.Fields, OrgField{Name: string(role) + "." + strconv.Itoa(len(l.Fields)), Value: p.OrgLabel(o.Org)})
			}
		}
		d.Roles = append(d.Roles, l)
	}
	return s.seriesFormPage(p, d)
}

// readSeries reads the series form into se, every problem next to its
// field in d.Errors: the name typed, the rhythm, and each organisation,
// found in the directory by name.
func (s *Site) readSeries(r *http.Request, p *Page, d *SeriesForm) (*rencontres.Series, error) {
	f := d.Form
	for _, k := range []string{"slug", "rhythm", "alternating", "sender_name", "reply_to"} {
		f[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	for _, l := range rencontres.Langs {
		for _, k := range []string{"name_", "short_", "description_"} {
			f[k+string(l)] = strings.TrimSpace(r.PostFormValue(k + string(l)))
		}
	}
	se := &rencontres.Series{Slug: f["slug"], Name: formText(r, "name"), Short: formText(r, "short"), Rhythm: rencontres.Rhythm(f["rhythm"]),
		Alternating: f["alternating"] != "", Description: formText(r, "description"), Organisations: []rencontres.EditionOrg{},
		SenderName: f["sender_name"], ReplyTo: f["reply_to"]}
	if d.New && se.Slug == "" {
		se.Slug = proposeSlug(se.Name.In(rencontres.French))
		f["slug"] = se.Slug
	}
	if !d.New {
		se.Slug = d.Slug
	}
	for _, role := range rencontres.SeriesRoles {
		l := OrgList{Role: role}
		for _, v := range r.PostForm[string(role)] {
			if v = strings.TrimSpace(v); v == "" {
				continue
			}
			field := OrgField{Name: string(role) + "." + strconv.Itoa(len(l.Fields)), Value: v}
			key, candidates, err := s.pickOrg(r.Context(), field.Name, v)
			var e *rencontres.Error
			switch {
			case errors.As(err, &e):
				field.Error, field.Candidates = p.P.Error(e), candidates
				d.Errors[field.Name] = field.Error
			case err != nil:
				return nil, err
			default:
				se.Organisations = append(se.Organisations, rencontres.EditionOrg{Role: role, OrgKey: key})
			}
			l.Fields = append(l.Fields, field)
		}
		d.Roles = append(d.Roles, l)
	}
	for _, e := range se.Problems() {
		name := e.Field
		if name == "short_name" {
			name = "short"
		}
		if _, taken := d.Errors[name]; !taken {
			d.Errors[name] = p.P.Error(e)
		}
	}
	return se, nil
}

func (s *Site) createSeries(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.saveSeries(w, r, p, &SeriesForm{New: true, Form: map[string]string{}, Errors: map[string]string{}})
}

func (s *Site) updateSeries(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	se, err := s.svc.Series(r.Context(), r.PathValue("series"))
	if err != nil {
		return "", err
	}
	return s.saveSeries(w, r, p, &SeriesForm{Slug: se.Slug, Form: map[string]string{}, Errors: map[string]string{}})
}

// saveSeries stores the series of the form when nothing in it is wrong,
// and shows every error at once otherwise: nothing is saved by halves.
func (s *Site) saveSeries(w http.ResponseWriter, r *http.Request, p *Page, d *SeriesForm) (string, error) {
	se, err := s.readSeries(r, p, d)
	if err != nil {
		return "", err
	}
	if len(d.Errors) == 0 {
		if d.New {
			err = s.svc.CreateSeries(r.Context(), se)
		} else {
			err = s.svc.UpdateSeries(r.Context(), d.Slug, se)
		}
		if err != nil {
			if err := formError(p, err, d.Errors); err != nil {
				return "", err
			}
		}
	}
	if len(d.Errors) > 0 {
		if p.Status == 0 {
			p.Status = httpcode.Of(rencontres.EINVALID)
		}
		return s.seriesFormPage(p, d)
	}
	s.forgetMenu()
	action := "series.update"
	if d.New {
		action = "series.create"
	}
	s.audit(r, action, "series", se.Slug, nil)
	http.Redirect(w, r, p.Href("/manage/series?done="+action), http.StatusSeeOther)
	return "", nil
}

var notSlug = regexp.MustCompile(`[^a-z0-9]+`)

// proposeSlug makes a slug from a name: « Rencontres de l'action
// internationale » gives rencontres-de-l-action-internationale; accents go,
// and a name in another script gives nothing, to be typed.
func proposeSlug(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		if r < 0x300 || r > 0x36f { // combining accents go
			b.WriteRune(r)
		}
	}
	slug := strings.Trim(notSlug.ReplaceAllString(b.String(), "-"), "-")
	if len(slug) > rencontres.MaxSlugLen {
		slug = strings.TrimRight(slug[:rencontres.MaxSlugLen], "-")
	}
	return slug
}

// menuCache holds the series the menu lists, read again after a change
// here and at most every menuTTL, when another instance may have changed
// them.
type menuCache struct {
	mu     sync.Mutex
	series []*rencontres.Series
	read   time.Time
}

const menuTTL = 30 * time.Second

// MenuSeries are the series the menu links to: those that exist.
func (s *Site) menuSeries(r *http.Request) []*rencontres.Series {
	s.menu.mu.Lock()
	defer s.menu.mu.Unlock()
	if s.menu.series != nil && time.Since(s.menu.read) < menuTTL {
		return s.menu.series
	}
	all, err := s.svc.AllSeries(r.Context())
	if err != nil {
		s.log.Error("menu series", "err", err)
		return s.menu.series
	}
	if all == nil {
		all = []*rencontres.Series{}
	}
	s.menu.series, s.menu.read = all, time.Now()
	return all
}

func (s *Site) forgetMenu() {
	s.menu.mu.Lock()
	s.menu.series = nil
	s.menu.mu.Unlock()
}
