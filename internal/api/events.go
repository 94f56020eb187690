package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/calendar"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The event endpoints: events of every kind, their programme (rooms and
// sessions), their agenda, decisions and documents, and the committees.
func (a *API) registerEvents(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("GET", "/api/v1/events", rencontres.ReadPublic, a.listEvents)
	route("POST", "/api/v1/events", rencontres.ManageEvents, a.createEvent)
	route("GET", "/api/v1/events/{event}", rencontres.ReadPublic, a.getEvent)
	route("PUT", "/api/v1/events/{event}", rencontres.ManageEvents, a.updateEvent)
	route("POST", "/api/v1/events/{event}/cancel", rencontres.ManageEvents, a.cancelEvent)
	route("GET", "/api/v1/events/{event}/calendar.ics", rencontres.ReadPublic, a.eventCalendar)
	route("GET", "/api/v1/events/{event}/rooms", rencontres.ReadPublic, a.listRooms)
	route("POST", "/api/v1/events/{event}/rooms", rencontres.ManageEvents, a.saveRoom)
	route("GET", "/api/v1/events/{event}/sessions", rencontres.ReadPublic, a.listSessions)
	route("POST", "/api/v1/events/{event}/sessions", rencontres.ManageEvents, a.saveSession)
	route("PUT", "/api/v1/events/{event}/sessions/{session}", rencontres.ManageEvents, a.saveSession)
	route("DELETE", "/api/v1/events/{event}/sessions/{session}", rencontres.ManageEvents, a.deleteSession)
	route("GET", "/api/v1/events/{event}/sessions/{session}/calendar.ics", rencontres.ReadPublic, a.sessionCalendar)
	route("GET", "/api/v1/events/{event}/agenda", rencontres.ReadPublic, a.listAgenda)
	route("POST", "/api/v1/events/{event}/agenda", rencontres.ManageEvents, a.saveAgendaItem)
	route("PUT", "/api/v1/events/{event}/agenda/{item}", rencontres.ManageEvents, a.saveAgendaItem)
	route("DELETE", "/api/v1/events/{event}/agenda/{item}", rencontres.ManageEvents, a.deleteAgendaItem)
	route("GET", "/api/v1/events/{event}/decisions", rencontres.ReadPublic, a.listDecisions)
	route("POST", "/api/v1/events/{event}/decisions", rencontres.ManageEvents, a.saveDecision)
	route("PUT", "/api/v1/events/{event}/decisions/{decision}", rencontres.ManageEvents, a.saveDecision)
	route("GET", "/api/v1/events/{event}/documents", rencontres.ReadPublic, a.listDocuments)
	route("POST", "/api/v1/events/{event}/documents", rencontres.ManageEvents, a.uploadDocument)
	route("GET", "/api/v1/documents/{document}", rencontres.ReadPublic, a.getDocument)
	route("GET", "/api/v1/committees", rencontres.ReadCommittee, a.listCommittees)
	route("POST", "/api/v1/committees", rencontres.ManageEvents, a.saveCommittee)
	route("GET", "/api/v1/committees/{committee}", rencontres.ReadCommittee, a.getCommittee)
	route("PUT", "/api/v1/committees/{committee}", rencontres.ManageEvents, a.saveCommittee)
	route("POST", "/api/v1/committees/{committee}/members", rencontres.ManageEvents, a.addSeat)
	route("DELETE", "/api/v1/committees/{committee}/members/{member}", rencontres.ManageEvents, a.deleteSeat)
}

// Event is an event as the API gives it: an edition's title is made from
// its series and number, in every language.
type Event struct {
	*rencontres.Event
	Title    rencontres.Text `json:"title"`
	Warnings []string        `json:"warnings,omitempty"`
}

// EventList is the body of GET /api/v1/events.
type EventList struct {
	Events []Event `json:"events"`
}

func (a *API) event(e *rencontres.Event) Event {
	if e.Kind != rencontres.EditionEvent {
		return Event{Event: e, Title: e.Title}
	}
	title := rencontres.Text{}
	for _, l := range rencontres.Langs {
		title[l] = e.Title[l] // one typed for the edition comes first
		if title[l] == "" {
			title[l] = a.cat.Printer(l).EditionTitleText(e.Number, e.SeriesShort)
		}
	}
	return Event{Event: e, Title: title}
}

// optionalID is the id named in the path when the route has one (an
// update), 0 otherwise (a creation).
func optionalID(r *http.Request, name string) (int64, error) {
	if r.PathValue(name) == "" {
		return 0, nil
	}
	return pathID(r, name)
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, rencontres.NotFound(name)
	}
	return id, nil
}

// visibleEvent returns the event of the path, or "not found" to an actor
// who may not see it, so that its existence does not leak.
func (a *API) visibleEvent(r *http.Request) (*rencontres.Event, error) {
	id, err := pathID(r, "event")
	if err != nil {
		return nil, err
	}
	e, err := a.events.Event(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !auth.ActorFrom(r.Context()).CanSeeEvent(e) {
		return nil, rencontres.NotFound("event")
	}
	return e, nil
}

func (a *API) listEvents(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	if err := checkParams(q, "kind", "edition", "committee", "from", "to", "lang"); err != nil {
		return nil, err
	}
	f := rencontres.EventFilter{Kind: rencontres.EventKind(q.Get("kind"))}
	if f.Kind != "" && !containsKind(f.Kind) {
		return nil, badParam("kind", "error.bad_parameter")
	}
	for name, dst := range map[string]*int64{"edition": &f.EditionID, "committee": &f.CommitteeID} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return nil, badParam(name, "error.bad_parameter")
			}
			*dst = n
		}
	}
	for name, dst := range map[string]*rencontres.Date{"from": &f.From, "to": &f.To} {
		if v := q.Get(name); v != "" {
			d, err := rencontres.ParseDate(v)
			if err != nil {
				return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_date", Field: name, Message: err.Error(), Args: map[string]any{"Value": v}}
			}
			*dst = d
		}
	}
	all, err := a.events.Events(r.Context(), f)
	if err != nil {
		return nil, err
	}
	actor := auth.ActorFrom(r.Context())
	out := EventList{Events: []Event{}}
	for _, e := range all {
		if actor.CanSeeEvent(e) {
			out.Events = append(out.Events, a.event(e))
		}
	}
	return out, nil
}

func containsKind(k rencontres.EventKind) bool {
	for _, x := range rencontres.EventKinds {
		if x == k {
			return true
		}
	}
	return false
}

func (a *API) getEvent(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	return a.event(e), nil
}

// EventInput is the body of POST and PUT /api/v1/events: an event, and
// when its days change, whether that is a correction or a postponement
// (the default, as before the kind was asked) and why.
type EventInput struct {
	rencontres.Event
	DateChange rencontres.DateChangeKind `json:"date_change"`
	Reason     rencontres.Text           `json:"reason"`
}

func (a *API) createEvent(w http.ResponseWriter, r *http.Request) (any, error) {
	var in EventInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	in.ID = 0
	if err := a.events.SaveEvent(r.Context(), &in.Event, nil); err != nil {
		return nil, err
	}
	a.audit(r, "event.create", "event", in.ID, nil)
	e, err := a.events.Event(r.Context(), in.ID)
	if err != nil {
		return nil, err
	}
	out := a.event(e)
	if warn, err := a.rhythmWarning(r, e); err != nil {
		return nil, err
	} else if warn != "" {
		out.Warnings = []string{warn}
	}
	return created(out), nil
}

func (a *API) updateEvent(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "event")
	if err != nil {
		return nil, err
	}
	var in EventInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	in.ID = id
	if err := a.events.SaveEvent(r.Context(), &in.Event, &rencontres.DateChange{Kind: in.DateChange, Reason: in.Reason}); err != nil {
		return nil, err
	}
	a.audit(r, "event.update", "event", id, nil)
	e, err := a.events.Event(r.Context(), id)
	if err != nil {
		return nil, err
	}
	out := a.event(e)
	if warn, err := a.rhythmWarning(r, e); err != nil {
		return nil, err
	} else if warn != "" {
		out.Warnings = []string{warn}
	}
	return out, nil
}

// rhythmWarning says, in the client's language, when an edition's dates
// break its series' rhythm. It is a warning, not a refusal: the 7th
// Rencontres broke it for good reason.
func (a *API) rhythmWarning(r *http.Request, e *rencontres.Event) (string, error) {
	if e.Kind != rencontres.EditionEvent || e.Start.IsZero() {
		return "", nil
	}
	se, err := a.svc.Series(r.Context(), e.Series)
	if err != nil {
		return "", err
	}
	prev, err := a.events.PreviousEdition(r.Context(), e.Series, e.Number)
	if err != nil {
		return "", err
	}
	if expected, broken := rencontres.RhythmBreak(se, prev, e.Start.Year); broken {
		return a.cat.Printer(clientLang(r)).T("event.rhythm_broken", "Expected", expected, "Year", e.Start.Year, "Rhythm", a.cat.Printer(clientLang(r)).T("rhythm."+string(se.Rhythm))), nil
	}
	return "", nil
}

func (a *API) cancelEvent(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "event")
	if err != nil {
		return nil, err
	}
	e, err := a.events.Event(r.Context(), id)
	if err != nil {
		return nil, err
	}
	e.Status = rencontres.Cancelled
	if err := a.events.SaveEvent(r.Context(), e, nil); err != nil {
		return nil, err
	}
	a.audit(r, "event.cancel", "event", id, nil)
	return a.event(e), nil
}

func (a *API) eventCalendar(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	lang := clientLang(r)
	var sessions []*rencontres.Session
	rooms := map[int64]string{}
	if auth.ActorFrom(r.Context()).CanSeeProgramme(e) {
		if sessions, rooms, err = a.programme(r, e, lang); err != nil {
			return nil, err
		}
	}
	body, err := calendar.Programme(e, a.event(e).Title.In(lang), sessions, rooms, lang, a.base)
	if err != nil {
		return nil, err
	}
	writeCalendar(w, fmt.Sprintf("event-%d.ics", e.ID), body)
	return nil, nil
}

func (a *API) programme(r *http.Request, e *rencontres.Event, lang rencontres.Lang) ([]*rencontres.Session, map[int64]string, error) {
	sessions, err := a.events.Sessions(r.Context(), e.ID)
	if err != nil {
		return nil, nil, err
	}
	rs, err := a.events.Rooms(r.Context(), e.ID)
	if err != nil {
		return nil, nil, err
	}
	rooms := map[int64]string{}
	for _, room := range rs {
		rooms[room.ID] = room.Name.In(lang)
	}
	return sessions, rooms, nil
}

func writeCalendar(w http.ResponseWriter, name string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Access-Control-Allow-Origin", "*")
	w.Write(body)
}

func (a *API) sessionCalendar(w http.ResponseWriter, r *http.Request) (any, error) {
	e, ses, err := a.visibleSession(r)
	if err != nil {
		return nil, err
	}
	lang := clientLang(r)
	_, rooms, err := a.programme(r, e, lang)
	if err != nil {
		return nil, err
	}
	body, err := calendar.Session(e, a.event(e).Title.In(lang), ses, rooms[ses.RoomID], lang, a.base)
	if err != nil {
		return nil, err
	}
	writeCalendar(w, fmt.Sprintf("session-%d.ics", ses.ID), body)
	return nil, nil
}

func (a *API) visibleSession(r *http.Request) (*rencontres.Event, *rencontres.Session, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(r, "session")
	if err != nil {
		return nil, nil, err
	}
	if !auth.ActorFrom(r.Context()).CanSeeProgramme(e) {
		return nil, nil, rencontres.NotFound("session")
	}
	sessions, err := a.events.Sessions(r.Context(), e.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range sessions {
		if s.ID == id {
			return e, s, nil
		}
	}
	return nil, nil, rencontres.NotFound("session")
}

// RoomList is the body of GET /api/v1/events/{id}/rooms.
type RoomList struct {
	Rooms []*rencontres.Room `json:"rooms"`
}

func (a *API) listRooms(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	rooms, err := a.events.Rooms(r.Context(), e.ID)
	return RoomList{orEmpty(rooms)}, err
}

func (a *API) saveRoom(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.editionEvent(r)
	if err != nil {
		return nil, err
	}
	var room rencontres.Room
	if err := decode(r, &room); err != nil {
		return nil, err
	}
	if err := a.events.SaveRoom(r.Context(), e.ID, &room); err != nil {
		return nil, err
	}
	a.audit(r, "room.save", "room", room.ID, nil)
	return created(room), nil
}

// editionEvent is the event of the path when it may have a programme:
// editions have programmes, meetings have agendas.
func (a *API) editionEvent(r *http.Request) (*rencontres.Event, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	if e.Kind != rencontres.EditionEvent {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.programme_of_meeting", Field: "event", Message: "a meeting has an agenda, not a programme"}
	}
	return e, nil
}

// SessionList is the body of GET /api/v1/events/{id}/sessions.
type SessionList struct {
	Published bool                  `json:"published"`
	Sessions  []*rencontres.Session `json:"sessions"`
}

func (a *API) listSessions(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	if !auth.ActorFrom(r.Context()).CanSeeProgramme(e) {
		return SessionList{Sessions: []*rencontres.Session{}}, nil
	}
	sessions, err := a.events.Sessions(r.Context(), e.ID)
	return SessionList{Published: e.Published, Sessions: orEmpty(sessions)}, err
}

func (a *API) saveSession(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.editionEvent(r)
	if err != nil {
		return nil, err
	}
	var ses rencontres.Session
	if err := decode(r, &ses); err != nil {
		return nil, err
	}
	ses.EditionID = e.ID
	if ses.ID, err = optionalID(r, "session"); err != nil {
		return nil, err
	}
	isNew := ses.ID == 0
	if err := a.events.SaveSession(r.Context(), &ses); err != nil {
		return nil, err
	}
	a.audit(r, "session.save", "session", ses.ID, nil)
	return saved(isNew, ses), nil
}

func (a *API) deleteSession(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.editionEvent(r)
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "session")
	if err != nil {
		return nil, err
	}
	if err := a.events.DeleteProgrammeSession(r.Context(), e.ID, id); err != nil {
		return nil, err
	}
	a.audit(r, "session.delete", "session", id, nil)
	return noContent, nil
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func actorID(r *http.Request) int64 {
	if u := auth.ActorFrom(r.Context()).User; u != nil {
		return u.ID
	}
	return 0
}

func (a *API) audit(r *http.Request, action, objectType string, id int64, detail map[string]any) {
	if a.auditor == nil {
		return
	}
	e := &rencontres.AuditEntry{Action: action, ObjectType: objectType, ObjectID: strconv.FormatInt(id, 10), IP: auth.ClientIP(r), Detail: detail}
	if u := auth.ActorFrom(r.Context()).User; u != nil {
		e.ActorID, e.ActorEmail = u.ID, u.Email
	}
	if err := a.auditor.Audit(r.Context(), e); err != nil {
		a.log.Error("audit", "action", action, "err", err)
	}
}
