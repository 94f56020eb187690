package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// One-to-one meetings at an edition (issue 17): an authority's page, where
// its contact requests meetings with the other registered authorities,
// answers those received and reads its agenda; the secretariat's pages
// (settings, requests, schedule, table plan, interpreters' rota) are
// onetoone_manage.go.

func (s *Site) registerMeetings(route func(method, path string, perm rencontres.Permission, h handlerFunc)) {
	route("GET", "/events/{event}/meetings", rencontres.RequestMeetings, s.meetingsPage)
	route("POST", "/events/{event}/meetings/requests", rencontres.RequestMeetings, s.requestMeetingForm)
	route("POST", "/events/{event}/meetings/requests/{request}/answer", rencontres.RequestMeetings, s.answerMeetingForm)
	route("GET", "/events/{event}/meetings/manage", rencontres.ManageEvents, s.meetingsManage)
	route("POST", "/events/{event}/meetings/settings", rencontres.ManageEvents, s.meetingSettingsForm)
	route("POST", "/events/{event}/meetings/schedule", rencontres.ManageEvents, s.scheduleMeetingsForm)
	route("POST", "/events/{event}/meetings/publish", rencontres.ManageEvents, s.publishMeetingsForm)
	route("GET", "/events/{event}/meetings/tables", rencontres.ManageEvents, s.tablePlan)
	route("GET", "/events/{event}/meetings/tables.pdf", rencontres.ManageEvents, s.tablePlanPDF)
	route("GET", "/events/{event}/meetings/interpreters", rencontres.ManageEvents, s.interpreterRota)
}

// AgendaRow is one meeting of an authority's agenda, its time in the
// edition's zone.
type AgendaRow struct {
	When        string
	Table       string
	Partner     string
	Interpreter bool
	Final       bool
}

// MeetingsPage is an authority's meetings at an edition.
type MeetingsPage struct {
	Event *rencontres.Event
	// Org is the authority the page is for; Orgs the reader's own
	// authorities registered for the edition, to switch between.
	Org  string
	Orgs []string
	// Registered is false when Org has no delegation: it may not request.
	Registered bool
	// Partners are the other registered authorities it has no request
	// with yet, by name.
	Partners       []string
	Sent, Received []*rencontres.MeetingRequest
	Agenda         []AgendaRow
	State          rencontres.MeetingState
	// Deadline is the requests' deadline in the edition's zone and the
	// other country's; Open is false once it has passed.
	Deadline, DeadlineElsewhere string
	Open                        bool
	Form, Errors                map[string]string
	Done                        string
}

// meetingEdition reads the edition the path names.
func (s *Site) meetingEdition(r *http.Request) (*rencontres.Event, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return nil, err
	}
	if e.Kind != rencontres.EditionEvent {
		return nil, rencontres.NotFound("event")
	}
	return e, nil
}

// meetingOrg is the authority a contact's page or form is for: the one
// asked for (?org= or the form's), else the reader's first; a contact of
// another authority gets a refusal.
func meetingOrg(r *http.Request, p *Page) (string, error) {
	org := delegationOrg(r, p)
	if org == "" || !p.Actor.Can(rencontres.RequestMeetings, rencontres.Target{OrgKey: org}) {
		return "", errForbidden
	}
	return org, nil
}

func (s *Site) meetingsPage(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	// The secretariat, for no authority in particular, sees them all.
	if delegationOrg(r, p) == "" && p.Actor.Can(rencontres.ManageEvents, rencontres.Target{}) {
		http.Redirect(w, r, p.Href("/events/"+r.PathValue("event")+"/meetings/manage"), http.StatusSeeOther)
		return "", nil
	}
	return s.meetingsPageOf(r, p, &MeetingsPage{Done: r.URL.Query().Get("done")})
}

func (s *Site) meetingsPageOf(r *http.Request, p *Page, d *MeetingsPage) (string, error) {
	ctx := r.Context()
	e, err := s.meetingEdition(r)
	if err != nil {
		return "", err
	}
	if d.Org, err = meetingOrg(r, p); err != nil {
		return "", err
	}
	d.Event = e
	if d.Form == nil {
		d.Form = map[string]string{}
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	registered, err := s.meetings.RegisteredOrgs(ctx, e.ID)
	if err != nil {
		return "", err
	}
	d.Registered = slices.Contains(registered, d.Org)
	if p.Actor.User != nil {
		for _, k := range p.Actor.User.OrgKeys {
			if slices.Contains(registered, k) {
				d.Orgs = append(d.Orgs, k)
			}
		}
	}
	reqs, err := s.meetings.MeetingRequests(ctx, e.ID, d.Org)
	if err != nil {
		return "", err
	}
	asked := map[string]bool{d.Org: true}
	for _, q := range reqs {
		asked[q.Other(d.Org)] = true
		if q.From == d.Org {
			d.Sent = append(d.Sent, q)
		} else {
			d.Received = append(d.Received, q)
		}
	}
	for _, k := range registered {
		if !asked[k] {
			d.Partners = append(d.Partners, k)
		}
	}
	set, err := s.meetings.MeetingSettings(ctx, e.ID)
	if err != nil {
		return "", err
	}
	d.State, d.Open = set.State, true
	if set.Deadline != nil {
		d.Deadline, d.DeadlineElsewhere = bothZones(p, *set.Deadline, e)
		d.Open = s.now().Before(*set.Deadline)
	}
	agenda, err := s.meetings.MeetingsOf(ctx, e.ID, d.Org)
	if err != nil {
		return "", err
	}
	keys := append(slices.Clone(registered), d.Org)
	for _, q := range reqs {
		keys = append(keys, q.From, q.To)
	}
	for _, m := range agenda {
		d.Agenda = append(d.Agenda, AgendaRow{When: meetingWhen(p, m.Start, m.End, e), Table: m.Table, Partner: m.Partner.Key,
			Interpreter: m.Interpreter, Final: m.Final})
		keys = append(keys, m.Partner.Key)
	}
	if err := s.loadOrgs(ctx, p, keys...); err != nil {
		return "", err
	}
	slices.SortFunc(d.Partners, func(a, b string) int { return strings.Compare(p.OrgText(a), p.OrgText(b)) })
	p.Title, p.Nav, p.Data = p.P.T("meetings.title", "Event", p.EventTitleText(e), "Authority", p.OrgText(d.Org)), "account", d
	return "meetings", nil
}

// meetingWhen is a meeting's day and hours in the edition's zone.
func meetingWhen(p *Page, start, end time.Time, e *rencontres.Event) string {
	start, end = start.In(e.Location()), end.In(e.Location())
	return p.P.LongDate(rencontres.DateOf(start)) + ", " + p.P.TimeRange(start, end)
}

// meetingsRefused shows the page again with the faults beside their
// fields, or returns an error that is no fault of the input.
func (s *Site) meetingsRefused(r *http.Request, p *Page, d *MeetingsPage, err error) (string, error) {
	d.Errors = map[string]string{}
	if ferr := faultsBeside(p, err, d.Errors); ferr != nil {
		return "", ferr
	}
	return s.meetingsPageOf(r, p, d)
}

func (s *Site) requestMeetingForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.meetingEdition(r)
	if err != nil {
		return "", err
	}
	if delegationOrg(r, p) == "" {
		// The secretariat asks for an authority it names.
		return "", &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "organisation", Message: "the requesting authority is required"}
	}
	org, err := meetingOrg(r, p)
	if err != nil {
		return "", err
	}
	q := &rencontres.MeetingRequest{EventID: e.ID, From: org, To: r.PostFormValue("to"), Message: r.PostFormValue("message")}
	d := &MeetingsPage{Form: map[string]string{"to": q.To, "message": q.Message}}
	if err := s.meetings.RequestMeeting(r.Context(), q, p.Actor.User.ID, s.now()); err != nil {
		return s.meetingsRefused(r, p, d, err)
	}
	s.audit(r, "meeting.request", "meeting_request", strconv.FormatInt(q.ID, 10), map[string]any{"from": q.From, "to": q.To})
	http.Redirect(w, r, p.Href("/events/"+strconv.FormatInt(e.ID, 10)+"/meetings?org="+org+"&done=requested#sent-title"), http.StatusSeeOther)
	return "", nil
}

func (s *Site) answerMeetingForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.meetingEdition(r)
	if err != nil {
		return "", err
	}
	id, err := strconv.ParseInt(r.PathValue("request"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("meeting_request")
	}
	q, err := s.meetings.MeetingRequest(r.Context(), e.ID, id)
	if err != nil {
		return "", err
	}
	// The requested authority answers: its contact, or the secretariat.
	if !p.Actor.Can(rencontres.RequestMeetings, rencontres.Target{OrgKey: q.To}) {
		return "", errForbidden
	}
	accept := r.PostFormValue("answer") == "accept"
	if _, err := s.meetings.AnswerMeeting(r.Context(), e.ID, id, accept, p.Actor.User.ID, s.now()); err != nil {
		r.PostForm.Set("organisation", q.To)
		return s.meetingsRefused(r, p, &MeetingsPage{}, err)
	}
	done := "declined"
	if accept {
		done = "accepted"
	}
	s.audit(r, "meeting.answer", "meeting_request", strconv.FormatInt(id, 10), map[string]any{"answer": done})
	http.Redirect(w, r, p.Href("/events/"+strconv.FormatInt(e.ID, 10)+"/meetings?org="+q.To+"&done="+done+"#received-title"), http.StatusSeeOther)
	return "", nil
}
