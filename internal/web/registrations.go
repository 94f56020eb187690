package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/badge"
	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The secretariat's pages about an event's registrations: the list with
// its exports and the badges (the check-in desk is in checkin.go).

// RegistrationsPage is the secretariat's list of an event's registrations.
type RegistrationsPage struct {
	Event    *rencontres.Event
	Title    string
	People   []*rencontres.Registration
	Counts   *rencontres.SeatCounts
	Sessions []*rencontres.Session
	// ChoiceSessions are the sessions that take choices, each with its
	// attendance list.
	ChoiceSessions []*rencontres.Session
	Filter         map[string]string
	// Query is the list's filters as a query, for its exports' links.
	Query string
	// Pager links the pages of the list, 100 registrations a page.
	Pager Pager
	// Questions are the form's extra questions, a column each.
	Questions []rencontres.Question
}

// Answer is a person's answer to an extra question as the reader reads
// it: a choice's or a yes-no's label in the reader's language, else the
// answer as typed.
func (d *RegistrationsPage) Answer(p *Page, q rencontres.Question, r *rencontres.Registration) string {
	v := r.Answers[q.Key]
	switch {
	case v == "":
		return ""
	case q.Kind == rencontres.YesNoQuestion && (v == "yes" || v == "no"):
		return p.P.T("registration." + v)
	case q.Kind == rencontres.ChoiceQuestion:
		for _, o := range q.Options {
			if o.Value == v {
				return o.Label.In(p.Lang)
			}
		}
	}
	return v
}

func (s *Site) registrations(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	q := r.URL.Query()
	fl := map[string]string{}
	for _, k := range []string{"country", "kind", "elected", "session", "status", "q"} {
		fl[k] = strings.TrimSpace(q.Get(k))
	}
	f := rencontres.RegistrationFilter{EventID: e.ID, Country: rencontres.Country(fl["country"]), OrgKind: rencontres.OrgKind(fl["kind"]),
		Status: rencontres.SeatStatus(fl["status"]), Query: fl["q"]}
	if err := rencontres.CheckSearch(f.Query); err != nil {
		return "", err
	}
	if fl["elected"] != "" {
		b := fl["elected"] == "yes"
		f.Elected = &b
	}
	if fl["session"] != "" {
		if f.SessionID, err = strconv.ParseInt(fl["session"], 10, 64); err != nil {
			return "", &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_parameter", Field: "session", Message: "not a session"}
		}
	}
	if format := exportFormat(r); format != "" {
		return "", s.exportRegistrations(w, r, p, e, f, format)
	}
	people, head, err := s.regs.RegistrationPage(r.Context(), f, pageRequest(q))
	if err != nil {
		return "", err
	}
	filters := url.Values{}
	for k, v := range fl {
		if v != "" {
			filters.Set(k, v)
		}
	}
	path := p.Href(fmt.Sprintf("/events/%d/registrations", e.ID))
	d := &RegistrationsPage{Event: e, People: people, Filter: fl, Query: filters.Encode(), Pager: NewPager(path, filters, head, len(people))}
	if d.Counts, err = s.regs.SeatCounts(r.Context(), e.ID); err != nil {
		return "", err
	}
	if d.Sessions, err = s.events.Sessions(r.Context(), e.ID); err != nil {
		return "", err
	}
	d.ChoiceSessions = rencontres.SessionsToChoose(d.Sessions)
	for _, reg := range people {
		if err := s.loadOrgs(r.Context(), p, reg.OrgKey); err != nil {
			return "", err
		}
	}
	switch f, err := s.regs.RegistrationForm(r.Context(), e.ID); {
	case err == nil:
		d.Questions = f.Questions
	case rencontres.ErrorCode(err) != rencontres.ENOTFOUND:
		return "", err
	}
	d.Title = p.EventTitleText(e)
	p.Title, p.Nav, p.Data = p.P.T("registration.list_title", "Event", d.Title), "events", d
	return "registrations", nil
}

// badges serves the badges PDF, ?layout=a6 or a4x8.
func (s *Site) badges(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	layout := r.URL.Query().Get("layout")
	if layout == "" {
		layout = "a6"
	}
	out := &httpcode.Attachment{W: w, Type: "application/pdf", Name: fmt.Sprintf("badges-%d-%s.pdf", e.ID, layout)}
	return "", s.reg.Badges(r.Context(), out, e.ID, badge.Layout(layout))
}
