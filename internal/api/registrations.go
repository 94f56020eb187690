package api

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/badge"
	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The registration endpoints: an event's form, and its registrations,
// written under an Idempotency-Key.
func (a *API) registerRegistrations(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("GET", "/api/v1/events/{event}/registration-form", rencontres.ReadPublic, a.getRegistrationForm)
	route("PUT", "/api/v1/events/{event}/registration-form", rencontres.ManageEvents, a.saveRegistrationForm)
	route("GET", "/api/v1/events/{event}/registrations", rencontres.ManageRegistrations, a.listRegistrations)
	route("GET", "/api/v1/events/{event}/badges.pdf", rencontres.ManageEvents, a.badges)
	route("GET", "/api/v1/events/{event}/sessions/{session}/attendance", rencontres.ManageEvents, a.attendance)
	route("POST", "/api/v1/events/{event}/registrations", rencontres.ManageRegistrations, a.createRegistration)
	route("GET", "/api/v1/events/{event}/registrations/{registration}", rencontres.ManageRegistrations, a.getRegistration)
	route("PUT", "/api/v1/events/{event}/registrations/{registration}", rencontres.ManageRegistrations, a.updateRegistration)
	route("DELETE", "/api/v1/events/{event}/registrations/{registration}", rencontres.ManageRegistrations, a.withdrawRegistration)
}

func (a *API) getRegistrationForm(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	return a.store.RegistrationForm(r.Context(), e.ID)
}

func (a *API) saveRegistrationForm(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	var f rencontres.RegistrationForm
	if err := decode(r, &f); err != nil {
		return nil, err
	}
	f.EventID = e.ID
	if err := a.reg.SaveForm(r.Context(), auth.ActorFrom(r.Context()), &f); err != nil {
		return nil, err
	}
	a.audit(r, "registration.form", "event", e.ID, nil)
	return f, nil
}

// RegistrationList is the body of GET /api/v1/events/{id}/registrations:
// the event's seat counts, and a page of its registrations with filters,
// in the order of submission, with the head of the page (total, limit,
// next, prev).
type RegistrationList struct {
	Counts        *rencontres.SeatCounts     `json:"counts"`
	Registrations []*rencontres.Registration `json:"registrations"`
	cursor.Head
}

// Page sizes of the API's paged lists of registrations.
const (
	pageDefault = 100
	pageMax     = 500
)

// listRegistrations lists an event's registrations: every one to the
// secretariat, with filters; its own authorities' to a contact.
func (a *API) listRegistrations(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	if err := checkParams(q, "lang", "format", "organisation", "country", "kind", "elected", "session", "status", "q", "after", "before", "limit"); err != nil {
		return nil, err
	}
	f := rencontres.RegistrationFilter{EventID: e.ID, OrgKey: q.Get("organisation"), Country: rencontres.Country(q.Get("country")),
		OrgKind: rencontres.OrgKind(q.Get("kind")), Status: rencontres.SeatStatus(q.Get("status")), Query: q.Get("q")}
	switch f.Status {
	case "", rencontres.Confirmed, rencontres.Waitlisted, rencontres.Withdrawn:
	default:
		return nil, badParam("status", "error.bad_parameter")
	}
	if err := rencontres.CheckSearch(f.Query); err != nil {
		return nil, err
	}
	if v := q.Get("elected"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, badParam("elected", "error.bad_parameter")
		}
		f.Elected = &b
	}
	if v := q.Get("session"); v != "" {
		if f.SessionID, err = strconv.ParseInt(v, 10, 64); err != nil {
			return nil, badParam("session", "error.bad_parameter")
		}
	}
	actor := auth.ActorFrom(r.Context())
	if !actor.Can(rencontres.ManageEvents, rencontres.Target{}) {
		// A contact sees its own authorities only.
		if f.OrgKey == "" && len(actor.User.OrgKeys) == 1 {
			f.OrgKey = actor.User.OrgKeys[0]
		}
		if !actor.Can(rencontres.ManageRegistrations, rencontres.Target{OrgKey: f.OrgKey}) || f.OrgKey == "" {
			return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.organisation_needed", Field: "organisation", Message: "name one of your organisations"}
		}
	}
	switch format := q.Get("format"); format {
	case "", "json":
	case "csv", "xlsx":
		// The whole filtered list, written as it is read.
		export.SetAttachment(w, fmt.Sprintf("registrations-%d.%s", e.ID, format), format)
		return nil, export.StreamRegistrations(r.Context(), w, format, a.exportReader(r), a.store, a.svc, e, f)
	default:
		return nil, badParam("format", "error.bad_parameter")
	}
	req, err := cursor.Parse(q, pageDefault, pageMax)
	if err != nil {
		return nil, err
	}
	list, head, err := a.store.RegistrationPage(r.Context(), f, req)
	if err != nil {
		return nil, err
	}
	counts, err := a.store.SeatCounts(r.Context(), e.ID)
	if err != nil {
		return nil, err
	}
	return RegistrationList{Counts: counts, Registrations: orEmpty(list), Head: head}, nil
}

// exportReader is whom the API's exports are written for: stable keys,
// codes and booleans; authorities' names in the client's language beside
// their keys.
func (a *API) exportReader(r *http.Request) export.Reader {
	return export.Reader{P: a.cat.Printer(clientLang(r)), API: true}
}

// RegistrationInput is the body of POST and PUT registrations.
type RegistrationInput struct {
	OrgKey         string            `json:"organisation"`
	Civility       string            `json:"civility"`
	GivenName      string            `json:"given_name"`
	FamilyName     string            `json:"family_name"`
	NameJa         string            `json:"name_ja"`
	Kana           string            `json:"kana"`
	Function       string            `json:"function"`
	Elected        bool              `json:"elected"`
	Email          string            `json:"email"`
	Lang           rencontres.Lang   `json:"lang"`
	Dietary        string            `json:"dietary"`
	Accessibility  string            `json:"accessibility"`
	Interpretation bool              `json:"interpretation"`
	Answers        map[string]string `json:"answers"`
	// Choices are session ids, in order of preference.
	Choices []int64 `json:"choices"`
}

func (in *RegistrationInput) registration(eventID int64) *rencontres.Registration {
	r := &rencontres.Registration{EventID: eventID, OrgKey: in.OrgKey, Civility: in.Civility, GivenName: in.GivenName, FamilyName: in.FamilyName,
		NameJa: in.NameJa, Kana: in.Kana, Function: in.Function, Elected: in.Elected, Email: in.Email, Lang: in.Lang, Dietary: in.Dietary,
		Accessibility: in.Accessibility, Interpretation: in.Interpretation, Answers: in.Answers}
	for _, id := range in.Choices {
		r.Choices = append(r.Choices, rencontres.Choice{SessionID: id})
	}
	return r
}

// createRegistration registers a person. With an Idempotency-Key, a
// retried call answers what the first did, with Idempotent-Replayed: true.
func (a *API) createRegistration(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	var in RegistrationInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	res, err := a.reg.RegisterAt(r.Context(), auth.ActorFrom(r.Context()), e, in.registration(e.ID), r.Header.Get("Idempotency-Key"), requestHash(r, in))
	if err != nil {
		return nil, err
	}
	if res.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
		return created(res.Registration), nil
	}
	return created(res.Registration), nil
}

// requestHash sums up a call for its idempotency key: its method, path
// and body as decoded, so that the same JSON spaced or ordered otherwise
// is the same request, and another body or another event is not.
func requestHash(r *http.Request, in any) string {
	body, _ := json.Marshal(in)
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", r.Method, r.URL.Path)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func (a *API) pathRegistration(r *http.Request) (*rencontres.Event, *rencontres.Registration, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(r, "registration")
	if err != nil {
		return nil, nil, err
	}
	reg, err := a.store.Registration(r.Context(), e.ID, id)
	if err != nil {
		return nil, nil, err
	}
	actor := auth.ActorFrom(r.Context())
	if !actor.Can(rencontres.ManageEvents, rencontres.Target{}) && !actor.Can(rencontres.ManageRegistrations, rencontres.Target{OrgKey: reg.OrgKey}) {
		return nil, nil, rencontres.NotFound("registration")
	}
	return e, reg, nil
}

func (a *API) getRegistration(w http.ResponseWriter, r *http.Request) (any, error) {
	_, reg, err := a.pathRegistration(r)
	return reg, err
}

func (a *API) updateRegistration(w http.ResponseWriter, r *http.Request) (any, error) {
	e, reg, err := a.pathRegistration(r)
	if err != nil {
		return nil, err
	}
	var in RegistrationInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	next := in.registration(e.ID)
	next.ID = reg.ID
	if err := a.reg.Update(r.Context(), auth.ActorFrom(r.Context()), next); err != nil {
		return nil, err
	}
	return next, nil
}

func (a *API) withdrawRegistration(w http.ResponseWriter, r *http.Request) (any, error) {
	e, reg, err := a.pathRegistration(r)
	if err != nil {
		return nil, err
	}
	out, err := a.reg.Withdraw(r.Context(), auth.ActorFrom(r.Context()), e.ID, reg.ID)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// badges answers the badges of an event's confirmed registrations as a
// PDF: ?layout=a6 (default), one a page, or a4x8, eight a sheet.
func (a *API) badges(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	if err := checkParams(r.URL.Query(), "lang", "layout"); err != nil {
		return nil, err
	}
	out := &httpcode.Attachment{W: w, Type: "application/pdf", Name: fmt.Sprintf("badges-%d.pdf", e.ID)}
	return nil, a.reg.Badges(r.Context(), out, e.ID, badge.Layout(cmp.Or(r.URL.Query().Get("layout"), "a6")))
}

// AttendanceShells reads the attendance lists of an event's sessions that
// take choices, room by room, or of one session when sessionID is not 0,
// without their people, which are read a page at a time: the web pages
// and the API read them through this one function.
func AttendanceShells(ctx context.Context, events rencontres.EventStore, eventID, sessionID int64) ([]*rencontres.Attendance, error) {
	sessions, err := events.Sessions(ctx, eventID)
	if err != nil {
		return nil, err
	}
	rooms, err := events.Rooms(ctx, eventID)
	if err != nil {
		return nil, err
	}
	return rencontres.Attendances(sessions, rooms, nil, sessionID), nil
}

// AttendanceList is the body of GET .../sessions/{session}/attendance:
// the session's list (its seated and waiting hold one page, the people
// with a seat by name then those waiting by place) and the page's head.
type AttendanceList struct {
	*rencontres.Attendance
	cursor.Head
}

// AttendanceShell reads a session's attendance list without its people:
// the session, its room and its seats; nil when the session takes no
// choices.
func AttendanceShell(ctx context.Context, events rencontres.EventStore, eventID, sessionID int64) (*rencontres.Attendance, error) {
	lists, err := AttendanceShells(ctx, events, eventID, sessionID)
	if err != nil || len(lists) == 0 {
		return nil, err
	}
	return lists[0], nil
}

// Split puts a page of an attendance list into a's seated and waiting.
func Split(a *rencontres.Attendance, page []rencontres.Attendee) {
	a.Seated, a.Waiting = []rencontres.Attendee{}, []rencontres.Attendee{}
	for _, p := range page {
		if p.Seat == rencontres.Waitlisted {
			a.Waiting = append(a.Waiting, p)
		} else {
			a.Seated = append(a.Seated, p)
		}
	}
}

// attendance answers a page of one session's attendance list, as JSON or,
// with ?format=csv or xlsx, the whole list as a spreadsheet.
func (a *API) attendance(w http.ResponseWriter, r *http.Request) (any, error) {
	e, ses, err := a.visibleSession(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	if err := checkParams(q, "lang", "format", "after", "before", "limit"); err != nil {
		return nil, err
	}
	list, err := AttendanceShell(r.Context(), a.events, e.ID, ses.ID)
	if err != nil {
		return nil, err
	}
	if list == nil {
		return nil, errNoChoices
	}
	switch format := q.Get("format"); format {
	case "", "json":
	case "csv", "xlsx":
		export.SetAttachment(w, fmt.Sprintf("attendance-%d-%d.%s", e.ID, ses.ID, format), format)
		return nil, export.StreamAttendance(r.Context(), w, format, a.exportReader(r), a.store, a.svc, e, ses.ID)
	default:
		return nil, badParam("format", "error.bad_parameter")
	}
	req, err := cursor.Parse(q, pageDefault, pageMax)
	if err != nil {
		return nil, err
	}
	page, head, err := a.store.AttendancePage(r.Context(), e.ID, ses.ID, req)
	if err != nil {
		return nil, err
	}
	Split(list, page)
	return AttendanceList{Attendance: list, Head: head}, nil
}

// errNoChoices answers a request for the attendance list of a session
// nobody chooses: a plenary's list is the event's.
var errNoChoices = &rencontres.Error{Code: rencontres.ENOTFOUND, Key: "error.no_attendance", Field: "session",
	Message: "nobody chooses this session when registering: its list is the event's registrations"}
