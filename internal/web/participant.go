package web

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/calendar"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/skip2/go-qrcode"
)

// A participant's own page (issue 17): /{lang}/me/events/{id}, for the
// person signed in when a registration for the event, not withdrawn, has
// their account's address; anyone else gets 404. Phone first: one column,
// the badge's code near the top, then the programme.

// ParticipantPage is what a person's own page of an event shows.
type ParticipantPage struct {
	Event *rencontres.Event
	Reg   *rencontres.Registration
	Org   *rencontres.Organisation
	// QR is the badge's QR code as an inline PNG (a data: address):
	// what the check-in desk scans, the same as the printed badge's.
	QR template.URL
	// Programme is their sessions and their authority's meetings, in
	// time order, on the event's clock and on their own (OwnZone).
	Programme []ProgrammeEntry
	// OwnZone is the zone of their authority's country when it is not
	// the event's: Paris for a French authority, Tokyo for a Japanese
	// one, the other country's for any other; nil when the same.
	OwnZone *time.Location
	Answers []AnswerView
	// Feed is their working feed address's record, if any; FeedURL is
	// the address itself, shown only just after it was made.
	Feed    *rencontres.FeedToken
	FeedURL string
	// Secretariat is the address to write to about the event;
	// Contacts, their authority's contacts.
	Secretariat string
	Contacts    []*rencontres.Contact
}

// ProgrammeEntry is one line of a personal programme: a session they
// chose or one of their authority's meetings.
type ProgrammeEntry struct {
	Start, End time.Time
	Title      string
	// Place is the session's room or the meeting's table.
	Place   string
	Meeting bool
	Status  rencontres.SeatStatus
	// Interpreter is set on a meeting an interpreter serves; Final once
	// the schedule is final.
	Interpreter, Final bool
}

// AnswerView is one question of the registration form and its answer.
type AnswerView struct {
	Question, Answer string
}

// ownZone is where a person of a country reads their clock, seen from an
// event in zone here: nil when it is the event's.
func ownZone(c rencontres.Country, here *time.Location) *time.Location {
	name := map[rencontres.Country]string{rencontres.France: "Europe/Paris", rencontres.Japan: "Asia/Tokyo"}[c]
	if name == "" {
		name = map[bool]string{true: "Europe/Paris", false: "Asia/Tokyo"}[here.String() == "Asia/Tokyo"]
	}
	if name == here.String() {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// myRegistration is the signed-in person's registration for the event of
// the path, with the event: not found for anyone not registered.
func (s *Site) myRegistration(r *http.Request, p *Page) (*rencontres.Event, *rencontres.Registration, error) {
	id, err := strconv.ParseInt(r.PathValue("event"), 10, 64)
	if err != nil || p.Actor.User == nil {
		return nil, nil, rencontres.NotFound("registration")
	}
	reg, err := s.participants.MyRegistration(r.Context(), id, p.Actor.User.ID)
	if err != nil {
		return nil, nil, err
	}
	e, err := s.events.Event(r.Context(), id)
	return e, reg, err
}

func (s *Site) myEvent(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.myEventPage(r, p, "")
}

// myEventPage fills a person's own page; feedURL is a feed address just
// made, shown once.
func (s *Site) myEventPage(r *http.Request, p *Page, feedURL string) (string, error) {
	ctx := r.Context()
	e, reg, err := s.myRegistration(r, p)
	if err != nil {
		return "", err
	}
	d := &ParticipantPage{Event: e, Reg: reg, FeedURL: feedURL}
	if d.Org, err = s.svc.Organisation(ctx, reg.OrgKey); err != nil {
		return "", err
	}
	b, err := s.reg.Badge(ctx, reg)
	if err != nil {
		return "", err
	}
	png, err := qrcode.Encode(b.URL, qrcode.Medium, 256)
	if err != nil {
		return "", err
	}
	d.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	here := e.Location()
	d.OwnZone = ownZone(d.Org.Country, here)
	if d.Programme, err = s.personalProgramme(r, p, e, reg); err != nil {
		return "", err
	}
	form, err := s.regs.RegistrationForm(ctx, e.ID)
	switch {
	case err == nil:
		d.Secretariat = cmp.Or(form.ReplyTo, form.Contact)
		for _, q := range form.Questions {
			v, ok := reg.Answers[q.Key]
			if !ok || v == "" {
				continue
			}
			for _, o := range q.Options {
				if o.Value == v {
					v = o.Label.In(p.Lang)
				}
			}
			if q.Kind == rencontres.YesNoQuestion {
				v = p.P.T("me.answer_" + v)
			}
			d.Answers = append(d.Answers, AnswerView{Question: q.Label.In(p.Lang), Answer: v})
		}
	case rencontres.ErrorCode(err) != rencontres.ENOTFOUND:
		return "", err
	}
	if d.Contacts, err = s.contacts.Contacts(ctx, reg.OrgKey, false); err != nil {
		return "", err
	}
	if d.Feed, err = s.participants.ActiveFeedToken(ctx, p.Actor.User.ID, e.ID, s.now()); err != nil {
		return "", err
	}
	p.Title, p.Nav, p.Data = p.P.T("me.title", "Event", p.EventTitleText(e)), "account", d
	return "me_event", nil
}

// personalProgramme is a person's sessions (those they chose and did not
// withdraw from) and their authority's meetings, in time order, in the
// page's language.
func (s *Site) personalProgramme(r *http.Request, p *Page, e *rencontres.Event, reg *rencontres.Registration) ([]ProgrammeEntry, error) {
	sessions, err := s.events.Sessions(r.Context(), e.ID)
	if err != nil {
		return nil, err
	}
	rooms, err := s.events.Rooms(r.Context(), e.ID)
	if err != nil {
		return nil, err
	}
	meetings, err := s.meetings.MeetingsOf(r.Context(), e.ID, reg.OrgKey)
	if err != nil {
		return nil, err
	}
	var out []ProgrammeEntry
	for _, en := range rencontres.PersonalProgramme(reg, sessions, rooms, meetings) {
		v := ProgrammeEntry{Start: en.Start, End: en.End, Title: en.Title.In(p.Lang), Place: en.Room.In(p.Lang), Status: en.Status}
		if en.Kind == "meeting" {
			partner := ""
			if en.Partner != nil {
				partner = en.Partner.Name.In(p.Lang)
			}
			v = ProgrammeEntry{Start: en.Start, End: en.End, Title: p.P.T("me.meeting_with", "Partner", partner), Place: en.Table,
				Meeting: true, Interpreter: en.Interpreter, Final: en.Final}
		}
		out = append(out, v)
	}
	return out, nil
}

// feedLink is the address of a personal feed.
func (s *Site) feedLink(l rencontres.Lang, token string) string {
	return fmt.Sprintf("%s/%s/feeds/%s/calendar.ics", s.baseURL, l, token)
}

// renewFeed makes a new feed address (the earlier one stops working) and
// shows it once.
func (s *Site) renewFeed(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, _, err := s.myRegistration(r, p)
	if err != nil {
		return "", err
	}
	tok, hash := auth.NewLinkToken()
	if _, err := s.participants.NewFeedToken(r.Context(), p.Actor.User.ID, e.ID, hash, s.now()); err != nil {
		return "", err
	}
	s.audit(r, "me.feed_renewed", "event", fmt.Sprint(e.ID), nil)
	return s.myEventPage(r, p, s.feedLink(p.Lang, tok))
}

// revokeFeed stops the person's feed address.
func (s *Site) revokeFeed(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, _, err := s.myRegistration(r, p)
	if err != nil {
		return "", err
	}
	if err := s.participants.RevokeFeedToken(r.Context(), p.Actor.User.ID, e.ID, s.now()); err != nil {
		return "", err
	}
	s.audit(r, "me.feed_revoked", "event", fmt.Sprint(e.ID), nil)
	http.Redirect(w, r, p.Href(fmt.Sprintf("/me/events/%d", e.ID)), http.StatusSeeOther)
	return "", nil
}

// personalFeed is a person's iCalendar feed: their sessions and their
// authority's meetings. The secret address is the credential; an unknown,
// revoked or expired one, or one whose holder is no longer registered,
// is a plain 404 that says nothing of which.
func (s *Site) personalFeed(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	ctx := r.Context()
	secret, err := auth.ParseSecret(r.PathValue("token"))
	if err != nil {
		return "", rencontres.NotFound("feed")
	}
	t, err := s.participants.FeedTokenByHash(ctx, auth.Hash(secret), s.now())
	if err != nil {
		return "", err
	}
	u, err := s.accounts.User(ctx, t.UserID)
	if err != nil || u.Disabled || u.Erased {
		return "", rencontres.NotFound("feed")
	}
	reg, err := s.participants.MyRegistration(ctx, t.EventID, u.ID)
	if err != nil {
		return "", rencontres.NotFound("feed")
	}
	e, err := s.events.Event(ctx, t.EventID)
	if err != nil {
		return "", err
	}
	entries, err := s.personalProgramme(r, p, e, reg)
	if err != nil {
		return "", err
	}
	host := s.baseURL
	page := fmt.Sprintf("%s/%s/me/events/%d", s.baseURL, p.Lang, e.ID)
	items := make([]calendar.Item, 0, len(entries))
	for i, en := range entries {
		kind := "session"
		if en.Meeting {
			kind = "meeting"
		}
		items = append(items, calendar.Item{UID: fmt.Sprintf("me-%d-%s-%d-%d@%s", reg.ID, kind, en.Start.Unix(), i, hostName(host)),
			Summary: en.Title, Location: en.Place, URL: page, Start: en.Start, End: en.End})
	}
	title := p.EventTitleText(e)
	body, err := calendar.Write(title, e.TimeZone, items, s.now())
	if err != nil {
		return "", err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	writeCalendar(w, fmt.Sprintf("rencontres-%d.ics", e.ID), body)
	return "", nil
}

// hostName is the host of an address, for calendar entries' UIDs.
func hostName(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return "rencontres"
}

// EventTime is an entry's day and hours on the event's clock, with the
// zone named.
func (d *ParticipantPage) EventTime(p *Page, en ProgrammeEntry) string {
	loc := d.Event.Location()
	s, e := en.Start.In(loc), en.End.In(loc)
	return p.P.Date(rencontres.DateOf(s)) + ", " + p.P.InZone(p.P.TimeRange(s, e), loc.String())
}

// OwnTime is the same hours on the person's own clock, the day of the
// event's clock named when it differs; empty when the zones are one.
func (d *ParticipantPage) OwnTime(p *Page, en ProgrammeEntry) string {
	if d.OwnZone == nil {
		return ""
	}
	day := rencontres.DateOf(en.Start.In(d.Event.Location()))
	return p.P.InZone(p.P.TimeRangeOn(day, en.Start.In(d.OwnZone), en.End.In(d.OwnZone)), d.OwnZone.String())
}

// myEvents lists the events the signed-in person is registered for, for
// their account page.
func (s *Site) myEvents(r *http.Request, p *Page) ([]MyEventLink, error) {
	regs, err := s.participants.MyRegistrations(r.Context(), p.Actor.User.ID)
	if err != nil {
		return nil, err
	}
	var out []MyEventLink
	for _, reg := range regs {
		e, err := s.events.Event(r.Context(), reg.EventID)
		if err != nil {
			return nil, err
		}
		out = append(out, MyEventLink{ID: e.ID, Title: p.EventTitleText(e), Status: reg.Status})
	}
	return out, nil
}
