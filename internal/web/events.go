package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Zones offered in forms; any IANA zone is accepted.
var commonZones = []string{"Europe/Paris", "Asia/Tokyo", "UTC"}

// cancelEvent cancels an event; it stays in the archive, marked so.
func (s *Site) cancelEvent(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	e.Status = rencontres.Cancelled
	if err := s.events.SaveEvent(r.Context(), e, nil); err != nil {
		return "", err
	}
	s.audit(r, "event.cancel", "event", strconv.FormatInt(e.ID, 10), nil)
	http.Redirect(w, r, p.Href(fmt.Sprintf("/events/%d?done=cancelled", e.ID)), http.StatusSeeOther)
	return "", nil
}

// pathEvent is the event named by the path, or "not found".
func (s *Site) pathEvent(r *http.Request) (*rencontres.Event, error) {
	id, err := strconv.ParseInt(r.PathValue("event"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("event")
	}
	return s.events.Event(r.Context(), id)
}

// visibleEvent is the event of the path if the reader may see it. A
// reader who is not signed in is asked to sign in; one who is, and may not,
// is told so.
func (s *Site) visibleEvent(w http.ResponseWriter, r *http.Request, p *Page) (*rencontres.Event, bool, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return nil, false, err
	}
	if p.Actor.CanSeeEvent(e) {
		return e, true, nil
	}
	if p.Actor.User == nil && r.Method == http.MethodGet {
		http.Redirect(w, r, p.LoginHref(), http.StatusSeeOther)
		return nil, false, nil
	}
	return nil, false, errForbidden
}

// EventPage is an event's page: what, when, where, and for a meeting its
// agenda, documents, minutes and decisions.
type EventPage struct {
	Event     *rencontres.Event
	Committee *rencontres.CommitteeRef
	Agenda    []*rencontres.AgendaItem
	Documents []*rencontres.Document // those not tied to an agenda item
	Decisions []*rencontres.Decision
	Manage    bool
	Done      string
	Errors    map[string]string
	Form      map[string]string
	Statuses  []rencontres.DecisionStatus
	// Committees are an edition's steering committees.
	Committees     []*rencontres.Committee
	CommitteeKinds []string
	// Elsewhere is the event's time in the other country's zone.
	Elsewhere string
	// Host is an edition's host authority.
	Host *rencontres.Organisation
	// News are the latest published posts about the event.
	News []*rencontres.NewsPost
}

func (s *Site) eventPage(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.showEvent(w, r, p, &EventPage{Done: r.URL.Query().Get("done")})
}

func (s *Site) showEvent(w http.ResponseWriter, r *http.Request, p *Page, d *EventPage) (string, error) {
	e, ok, err := s.visibleEvent(w, r, p)
	if !ok {
		return "", err
	}
	d.Event, d.Manage = e, p.Actor.Can(rencontres.ManageEvents, rencontres.Target{})
	if e.Kind == rencontres.EditionEvent && !d.Manage {
		http.Redirect(w, r, p.EventHref(e), http.StatusSeeOther)
		return "", nil
	}
	ctx := r.Context()
	if e.CommitteeID != 0 {
		if d.Committee, err = s.events.Committee(ctx, e.CommitteeID); err != nil {
			return "", err
		}
	}
	if d.Agenda, err = s.events.AgendaItems(ctx, e.ID); err != nil {
		return "", err
	}
	for _, a := range d.Agenda {
		if err := s.loadOrgs(ctx, p, a.OrgKey); err != nil {
			return "", err
		}
	}
	docs, err := s.events.Documents(ctx, e.ID)
	if err != nil {
		return "", err
	}
	for _, doc := range docs {
		if doc.AgendaItem == 0 {
			d.Documents = append(d.Documents, doc)
		}
	}
	if d.Decisions, err = s.events.Decisions(ctx, e.ID); err != nil {
		return "", err
	}
	if d.News, err = s.latestNews(ctx, p, rencontres.NewsFilter{EventID: e.ID}); err != nil {
		return "", err
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	if d.Form == nil {
		d.Form = map[string]string{}
	}
	d.Statuses = []rencontres.DecisionStatus{rencontres.DecisionOpen, rencontres.DecisionDone, rencontres.DecisionDrop}
	if e.Kind == rencontres.EditionEvent {
		ed, err := s.svc.Edition(ctx, e.Series, e.Number)
		if err != nil {
			return "", err
		}
		d.Committees, d.CommitteeKinds, d.Host = ed.Committees, rencontres.CommitteeKinds, ed.Host
	}
	if e.TimeKnown() {
		other := "Asia/Tokyo"
		if e.TimeZone == "Asia/Tokyo" {
			other = "Europe/Paris"
		}
		loc, _ := time.LoadLocation(other)
		start, end := e.StartsAt().In(loc), e.EndsAt().In(loc)
		d.Elsewhere = p.P.T("event.elsewhere", "When", p.P.T("meeting.when", "Day", p.P.LongDate(rencontres.DateOf(start)), "Hours", p.P.TimeRange(start, end)), "Zone", p.ZoneName(other))
	}
	p.Title, p.Nav, p.Data = p.EventTitleText(e), "events", d
	return "event", nil
}

// eventAction runs a change on the event of the path, then shows its page
// again: with done=… on success, with the error next to its field
// otherwise.
func (s *Site) eventAction(w http.ResponseWriter, r *http.Request, p *Page, done string, form []string,
	act func(e *rencontres.Event) error) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	if err := act(e); err != nil {
		d := &EventPage{Errors: map[string]string{}, Form: map[string]string{}}
		for _, f := range form {
			d.Form[f] = r.PostFormValue(f)
		}
		if err := formError(p, err, d.Errors); err != nil {
			return "", err
		}
		return s.showEvent(w, r, p, d)
	}
	http.Redirect(w, r, p.Href(fmt.Sprintf("/events/%d?done=%s", e.ID, done)), http.StatusSeeOther)
	return "", nil
}

// ZoneOf is the name of the zone an event's times are shown in.
func (p *Page) ZoneOf(e *rencontres.Event) string { return p.ZoneName(e.TimeZone) }

// SDG returns goal n, for templates.
func (p *Page) SDG(n int) rencontres.SDG {
	g, _ := rencontres.SDGByNumber(n)
	return g
}

// QueryEscape escapes a value for a URL's query.
func (p *Page) QueryEscape(s string) string { return url.QueryEscape(s) }
