package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rencontres/rencontres/internal/api"
	"github.com/rencontres/rencontres/internal/cursor"
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
	// Counts are the sessions' seats taken and people waiting, whatever
	// the page shows.
	Counts *rencontres.SeatCounts
	// Pagers link the pages of each list, by session: a page shows 100
	// people of a list, the page of every session the first 100 of each.
	Pagers map[int64]Pager
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
	lists, err := api.AttendanceShells(ctx, s.events, e.ID, sessionID)
	if err != nil {
		return "", err
	}
	d := &AttendancePage{Event: e, Title: p.EventTitleText(e), Lists: lists, Orgs: map[string]*rencontres.Organisation{}, Pagers: map[int64]Pager{}}
	q := r.URL.Query()
	req := cursor.Request{Limit: cursorPageSize}
	if sessionID != 0 {
		if len(lists) == 0 {
			return "", rencontres.NotFound("session")
		}
		d.Session = lists[0].Session
		if format := exportFormat(r); format != "" {
			return "", s.exportAttendance(w, r, p, e, sessionID, format)
		}
		req = pageRequest(q)
	}
	if d.Counts, err = s.regs.SeatCounts(ctx, e.ID); err != nil {
		return "", err
	}
	for _, a := range lists {
		page, head, err := s.regs.AttendancePage(ctx, e.ID, a.Session.ID, req)
		if err != nil {
			return "", err
		}
		api.Split(a, page)
		path := p.Href(fmt.Sprintf("/events/%d/sessions/%d/attendance", e.ID, a.Session.ID))
		d.Pagers[a.Session.ID] = NewPager(path, url.Values{}, head, len(page))
		for _, person := range page {
			if _, ok := d.Orgs[person.OrgKey]; ok {
				continue
			}
			if d.Orgs[person.OrgKey], err = s.svc.Organisation(ctx, person.OrgKey); err != nil {
				return "", err
			}
		}
	}
	p.Title, p.Nav, p.Data = p.P.T("attendance.all_title", "Event", d.Title), "events", d
	if d.Session != nil {
		p.Title = p.P.T("attendance.title", "Session", d.Session.Title.In(p.Lang))
	}
	return "attendance", nil
}
