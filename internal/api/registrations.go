package api

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/badge"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/xuri/excelize/v2"
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

// RegistrationList is the body of GET /api/v1/events/{id}/registrations.
type RegistrationList struct {
	Counts        *rencontres.SeatCounts     `json:"counts"`
	Registrations []*rencontres.Registration `json:"registrations"`
}

// listRegistrations lists an event's registrations: every one to the
// secretariat, with filters; its own authorities' to a contact.
func (a *API) listRegistrations(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	if err := checkParams(q, "lang", "format", "organisation", "country", "kind", "elected", "session", "status", "q"); err != nil {
		return nil, err
	}
	f := rencontres.RegistrationFilter{EventID: e.ID, OrgKey: q.Get("organisation"), Country: rencontres.Country(q.Get("country")),
		OrgKind: rencontres.OrgKind(q.Get("kind")), Status: rencontres.SeatStatus(q.Get("status")), Query: q.Get("q")}
	switch f.Status {
	case "", rencontres.Confirmed, rencontres.Waitlisted, rencontres.Withdrawn:
	default:
		return nil, badParam("status", "error.bad_parameter")
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
	list, err := a.store.Registrations(r.Context(), f)
	if err != nil {
		return nil, err
	}
	switch q.Get("format") {
	case "", "json":
	case "csv":
		return nil, WriteCSV(w, fmt.Sprintf("registrations-%d.csv", e.ID), list)
	case "xlsx":
		return nil, WriteXLSX(w, fmt.Sprintf("registrations-%d.xlsx", e.ID), list)
	default:
		return nil, badParam("format", "error.bad_parameter")
	}
	counts, err := a.store.SeatCounts(r.Context(), e.ID)
	if err != nil {
		return nil, err
	}
	return RegistrationList{Counts: counts, Registrations: orEmpty(list)}, nil
}

// WriteCSV writes registrations as CSV in UTF-8 with a byte-order mark,
// so that a spreadsheet opens Japanese names intact.
func WriteCSV(w http.ResponseWriter, name string, list []*rencontres.Registration) error {
	rows := make([][]string, len(list))
	for i, reg := range list {
		rows[i] = RegistrationRow(reg)
	}
	return writeCSV(w, name, RegistrationHeader, rows)
}

// WriteAttendanceCSV writes a session's attendance list as CSV, the
// people with a seat then those waiting: the columns of the registrations'
// export, after the person's seat at the session and place on its waiting
// list.
func WriteAttendanceCSV(w http.ResponseWriter, name string, a *rencontres.Attendance) error {
	var rows [][]string
	for _, p := range slices.Concat(a.Seated, a.Waiting) {
		place := ""
		if p.Place > 0 {
			place = strconv.Itoa(p.Place)
		}
		rows = append(rows, append([]string{string(p.Seat), place}, RegistrationRow(p.Registration)...))
	}
	return writeCSV(w, name, slices.Concat([]string{"seat", "session_waitlist_position"}, RegistrationHeader), rows)
}

func writeCSV(w http.ResponseWriter, name string, header []string, rows [][]string) error {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.Write(header)
	cw.WriteAll(rows)
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, err := w.Write(buf.Bytes())
	return err
}

// RegistrationHeader and RegistrationRow are the columns of the exports.
var RegistrationHeader = []string{"id", "status", "waitlist_position", "organisation", "country", "organisation_kind", "civility", "given_name",
	"family_name", "name_ja", "kana", "function", "elected", "email", "lang", "dietary", "accessibility", "interpretation", "choices", "answers", "code", "created"}

// RegistrationRow is one registration as a row of the exports.
func RegistrationRow(r *rencontres.Registration) []string {
	var choices []string
	for _, c := range r.Choices {
		choices = append(choices, fmt.Sprintf("%d:%s:%s", c.Rank, c.Title.In(rencontres.French), c.Status))
	}
	var answers []string
	for k, v := range r.Answers {
		answers = append(answers, k+"="+v)
	}
	pos := ""
	if r.Position > 0 {
		pos = strconv.Itoa(r.Position)
	}
	return []string{strconv.FormatInt(r.ID, 10), string(r.Status), pos, r.OrgKey, string(r.Country), string(r.OrgKind), r.Civility, r.GivenName,
		r.FamilyName, r.NameJa, r.Kana, r.Function, strconv.FormatBool(r.Elected), r.Email, string(r.Lang), r.Dietary, r.Accessibility,
		strconv.FormatBool(r.Interpretation), strings.Join(choices, "; "), strings.Join(answers, "; "), r.Code, r.Created.Format("2006-01-02 15:04:05Z")}
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
	res, err := a.reg.RegisterRequest(r.Context(), auth.ActorFrom(r.Context()), in.registration(e.ID), r.Header.Get("Idempotency-Key"), requestHash(r, in))
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

// WriteXLSX writes registrations as an Excel workbook, one row each, with
// the stream writer: memory stays flat however many there are.
func WriteXLSX(w http.ResponseWriter, name string, list []*rencontres.Registration) error {
	x := excelize.NewFile()
	defer x.Close()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	row := func(n int, cells []string) error {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, vals)
	}
	if err := row(1, RegistrationHeader); err != nil {
		return err
	}
	for i, r := range list {
		if err := row(i+2, RegistrationRow(r)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	return x.Write(w)
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
	var buf bytes.Buffer
	if err := a.reg.Badges(r.Context(), &buf, e.ID, badge.Layout(cmp.Or(r.URL.Query().Get("layout"), "a6"))); err != nil {
		return nil, err
	}
	writePDF(w, fmt.Sprintf("badges-%d.pdf", e.ID), buf.Bytes())
	return nil, nil
}

// Attendances reads the attendance lists of an event's sessions that take
// choices, room by room, or of one session when sessionID is not 0: the
// web pages and the API read them through this one function.
func Attendances(ctx context.Context, events rencontres.EventStore, regs RegistrationReader, eventID, sessionID int64) ([]*rencontres.Attendance, error) {
	sessions, err := events.Sessions(ctx, eventID)
	if err != nil {
		return nil, err
	}
	rooms, err := events.Rooms(ctx, eventID)
	if err != nil {
		return nil, err
	}
	people, err := regs.Registrations(ctx, rencontres.RegistrationFilter{EventID: eventID, SessionID: sessionID})
	if err != nil {
		return nil, err
	}
	return rencontres.Attendances(sessions, rooms, people, sessionID), nil
}

// attendance answers one session's attendance list, as JSON or, with
// ?format=csv, as a spreadsheet.
func (a *API) attendance(w http.ResponseWriter, r *http.Request) (any, error) {
	e, ses, err := a.visibleSession(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	if err := checkParams(q, "lang", "format"); err != nil {
		return nil, err
	}
	lists, err := Attendances(r.Context(), a.events, a.store, e.ID, ses.ID)
	if err != nil {
		return nil, err
	}
	if len(lists) == 0 {
		return nil, errNoChoices
	}
	switch q.Get("format") {
	case "", "json":
		return lists[0], nil
	case "csv":
		return nil, WriteAttendanceCSV(w, fmt.Sprintf("attendance-%d-%d.csv", e.ID, ses.ID), lists[0])
	}
	return nil, badParam("format", "error.bad_parameter")
}

// errNoChoices answers a request for the attendance list of a session
// nobody chooses: a plenary's list is the event's.
var errNoChoices = &rencontres.Error{Code: rencontres.ENOTFOUND, Key: "error.no_attendance", Field: "session",
	Message: "nobody chooses this session when registering: its list is the event's registrations"}
