package web

import (
	"net/http"
	"strconv"

	"github.com/rencontres/rencontres/internal/api"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// AttendancePage is the secretariat's attendance lists: one session's, or
// every session's that takes choices, each printed on its own A4 page.
type AttendancePage struct {
	Event *rencontres.Event
	Title string // the event's
	Lists []*rencontres.Attendance
	// Session is the one session shown, nil on the page of every session.
	Session *rencontres.Session
	Orgs    map[string]*rencontres.Organisation
}

// When is a session's day and hours on the clock of the event, with the
// zone named: « le mercredi 5 octobre 2022, de 9h30 à 12h00 (heure de
// Paris) ».
func (d *AttendancePage) When(p *Page, s *rencontres.Session) string {
	loc := d.Event.Location()
	start, end := s.Start.In(loc), s.End.In(loc)
	when := p.P.T("meeting.when", "Day", p.P.LongDate(rencontres.DateOf(start)), "Hours", p.P.TimeRange(start, end))
	return p.P.T("attendance.when", "When", when, "Zone", p.ZoneName(d.Event.TimeZone))
}

// sessionAttendance shows one session's list; ?format=csv or xlsx
// exports it.
func (s *Site) sessionAttendance(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	id, err := strconv.ParseInt(r.PathValue("session"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("session")
	}
	return s.attendance(w, r, p, id)
}

// allAttendance shows the lists of every session that takes choices, room
// by room.
func (s *Site) allAttendance(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.attendance(w, r, p, 0)
}

func (s *Site) attendance(w http.ResponseWriter, r *http.Request, p *Page, sessionID int64) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	ctx := r.Context()
	lists, err := api.Attendances(ctx, s.events, s.regs, e.ID, sessionID)
	if err != nil {
		return "", err
	}
	d := &AttendancePage{Event: e, Title: p.EventTitleText(e), Lists: lists, Orgs: map[string]*rencontres.Organisation{}}
	if sessionID != 0 {
		if len(lists) == 0 {
			return "", rencontres.NotFound("session")
		}
		d.Session = lists[0].Session
		if format := exportFormat(r); format != "" {
			return "", s.exportAttendance(w, r, p, e, lists[0], format)
		}
	}
	for _, a := range lists {
		for _, people := range [][]rencontres.Attendee{a.Seated, a.Waiting} {
			for _, person := range people {
				if _, ok := d.Orgs[person.OrgKey]; ok {
					continue
				}
				if d.Orgs[person.OrgKey], err = s.svc.Organisation(ctx, person.OrgKey); err != nil {
					return "", err
				}
			}
		}
	}
	p.Title, p.Nav, p.Data = p.P.T("attendance.all_title", "Event", d.Title), "events", d
	if d.Session != nil {
		p.Title = p.P.T("attendance.title", "Session", d.Session.Title.In(p.Lang))
	}
	return "attendance", nil
}
