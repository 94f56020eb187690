package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// OrgPartnershipsPage is an authority's état des lieux: its partnerships,
// each with the form its contacts keep it up to date with (state, last
// exchanges, current projects) and the answers given so far.
type OrgPartnershipsPage struct {
	Org          *rencontres.Organisation
	Partnerships []*rencontres.Partnership
	// Reports are each partnership's answers, newest first.
	Reports map[int64][]*rencontres.PartnershipReport
	// Form and Errors are the answer refused, for the partnership Failed.
	Form   map[string]string
	Errors map[string]string
	Failed int64
	States []rencontres.PartnershipState
	// Manage is set for the secretariat, who also creates and edits them.
	Manage bool
	Done   bool
}

// Value is what a partnership's form field shows: what was typed when
// the answer was refused, else the partnership's own value.
func (d *OrgPartnershipsPage) Value(pa *rencontres.Partnership, name string) string {
	if d.Failed == pa.ID {
		return d.Form[name]
	}
	switch name {
	case "state":
		return string(pa.State)
	case "last_exchanges":
		return pa.LastExchanges
	case "current_projects":
		return pa.CurrentProjects
	}
	return ""
}

// Error is the fault of a partnership's form field, if its answer was
// refused.
func (d *OrgPartnershipsPage) Error(pa *rencontres.Partnership, name string) string {
	if d.Failed != pa.ID {
		return ""
	}
	return d.Errors[name]
}

// orgPartnerships shows an authority's état des lieux to its own contacts
// and to the secretariat.
func (s *Site) orgPartnerships(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d, err := s.orgPartnershipsPage(r, p)
	if err != nil {
		return "", err
	}
	d.Done = r.URL.Query().Get("done") != ""
	return "org_partnerships", nil
}

func (s *Site) orgPartnershipsPage(r *http.Request, p *Page) (*OrgPartnershipsPage, error) {
	ctx := r.Context()
	key := r.PathValue("key")
	if !p.Actor.Can(rencontres.ReportPartnerships, rencontres.Target{OrgKey: key}) {
		return nil, errForbidden
	}
	o, err := s.svc.Organisation(ctx, key)
	if err != nil {
		return nil, err
	}
	d := &OrgPartnershipsPage{Org: o, Reports: map[int64][]*rencontres.PartnershipReport{}, Form: map[string]string{}, Errors: map[string]string{},
		States: rencontres.PartnershipStates, Manage: p.Actor.Can(rencontres.ManagePartnerships, rencontres.Target{})}
	if d.Partnerships, err = s.svc.Partnerships(ctx, key); err != nil {
		return nil, err
	}
	keys := []string{key}
	for _, pa := range d.Partnerships {
		if d.Reports[pa.ID], err = s.svc.PartnershipReports(ctx, pa.ID); err != nil {
			return nil, err
		}
		for _, rep := range d.Reports[pa.ID] {
			keys = append(keys, rep.OrgKey)
		}
	}
	if err := s.loadOrgs(ctx, p, keys...); err != nil {
		return nil, err
	}
	p.Title, p.Nav, p.Data = p.P.T("org_partnerships.title", "Org", o.Name.In(p.Lang)), "account", d
	return d, nil
}

// reportPartnership records an authority's answer for one of its
// partnerships; a partnership of another authority is not found here.
func (s *Site) reportPartnership(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d, err := s.orgPartnershipsPage(r, p)
	if err != nil {
		return "", err
	}
	id, _ := strconv.ParseInt(r.PathValue("partnership"), 10, 64)
	var pa *rencontres.Partnership
	for _, x := range d.Partnerships {
		if x.ID == id {
			pa = x
		}
	}
	if pa == nil {
		return "", rencontres.NotFound("partnership")
	}
	rep := &rencontres.PartnershipReport{PartnershipID: pa.ID, OrgKey: d.Org.Key, State: rencontres.PartnershipState(r.PostFormValue("state")),
		LastExchanges: strings.TrimSpace(r.PostFormValue("last_exchanges")), CurrentProjects: strings.TrimSpace(r.PostFormValue("current_projects"))}
	if p.Actor.User != nil {
		rep.AuthorID = p.Actor.User.ID
	}
	if err := s.svc.ReportPartnership(r.Context(), rep); err != nil {
		d.Failed = pa.ID
		d.Form = map[string]string{"state": string(rep.State), "last_exchanges": rep.LastExchanges, "current_projects": rep.CurrentProjects}
		if ferr := formError(p, err, d.Errors); ferr != nil {
			return "", ferr
		}
		return "org_partnerships", nil
	}
	s.audit(r, "partnership.report", "partnership", strconv.FormatInt(pa.ID, 10), map[string]any{"organisation": d.Org.Key, "state": rep.State})
	http.Redirect(w, r, p.Href("/manage/organisations/"+d.Org.Key+"/partnerships?done=1#partnership-"+strconv.FormatInt(pa.ID, 10)), http.StatusSeeOther)
	return "", nil
}

// SurveyPage is the secretariat's view of the état des lieux: per
// authority, answered when, reviewed or not, or not answered, filtered by
// country and status, with the counts of each.
type SurveyPage struct {
	Country string
	Status  string
	Rows    []*rencontres.SurveyRow
	// StatusCounts count the authorities of the country chosen by status;
	// CountryCounts, those of the status chosen by country.
	StatusCounts  map[string]int
	CountryCounts map[string]int
	Statuses      []rencontres.SurveyStatus
	Countries     []rencontres.Country
	Total         int
}

// FilterHref is the link to the page with one filter changed.
func (d *SurveyPage) FilterHref(p *Page, name, value string) string {
	v := url.Values{}
	if d.Country != "" {
		v.Set("country", d.Country)
	}
	if d.Status != "" {
		v.Set("status", d.Status)
	}
	if value == "" {
		v.Del(name)
	} else {
		v.Set(name, value)
	}
	return p.Href("/manage/partnerships/survey?" + v.Encode())
}

// partnershipSurvey shows who has answered the état des lieux.
func (s *Site) partnershipSurvey(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	q := r.URL.Query()
	d := &SurveyPage{Country: q.Get("country"), Status: q.Get("status"), StatusCounts: map[string]int{}, CountryCounts: map[string]int{},
		Statuses: rencontres.SurveyStatuses, Countries: []rencontres.Country{rencontres.France, rencontres.Japan}}
	all, err := s.svc.PartnershipSurvey(r.Context(), "")
	if err != nil {
		return "", err
	}
	// France and Japan first, then any other country an authority asked
	// is of.
	for _, row := range all {
		if !slices.Contains(d.Countries, row.Org.Country) {
			d.Countries = append(d.Countries, row.Org.Country)
		}
	}
	if !slices.Contains(d.Countries, rencontres.Country(d.Country)) {
		d.Country = ""
	}
	var keys []string
	for _, row := range all {
		country, status := string(row.Org.Country), string(row.Status)
		if d.Status == "" || status == d.Status {
			d.CountryCounts[country]++
		}
		if d.Country != "" && country != d.Country {
			continue
		}
		d.StatusCounts[status]++
		d.Total++
		if d.Status != "" && status != d.Status {
			continue
		}
		d.Rows = append(d.Rows, row)
		for _, rep := range row.Reports {
			keys = append(keys, rep.OrgKey)
		}
	}
	if err := s.loadOrgs(r.Context(), p, keys...); err != nil {
		return "", err
	}
	p.Title, p.Nav, p.Data = p.P.T("partnership_survey.title"), "directory", d
	return "partnership_survey", nil
}

// reviewReport marks an answer of the état des lieux as reviewed.
func (s *Site) reviewReport(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	id, err := strconv.ParseInt(r.PathValue("report"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("report")
	}
	var by int64
	if p.Actor.User != nil {
		by = p.Actor.User.ID
	}
	if err := s.svc.ReviewPartnershipReport(r.Context(), id, by, time.Now()); err != nil {
		return "", err
	}
	s.audit(r, "partnership.review", "partnership_report", strconv.FormatInt(id, 10), nil)
	http.Redirect(w, r, p.Href("/manage/partnerships/survey?status="+string(rencontres.ToReview)), http.StatusSeeOther)
	return "", nil
}
