package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The secretariat's list of events and the form that creates and edits
// them.

// EventsPage is the secretariat's list of events.
type EventsPage struct {
	Events []*rencontres.Event
	Kind   string
	Kinds  []rencontres.EventKind
}

func (s *Site) eventsList(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	kind := r.URL.Query().Get("kind")
	if kind != "" && !slices.Contains(rencontres.EventKinds, rencontres.EventKind(kind)) {
		return "", &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_parameter", Field: "kind", Message: "unknown kind"}
	}
	all, err := s.events.Events(r.Context(), rencontres.EventFilter{Kind: rencontres.EventKind(kind)})
	if err != nil {
		return "", err
	}
	slices.Reverse(all) // the latest first
	p.Title, p.Nav, p.Data = p.P.T("events.title"), "events", EventsPage{Events: all, Kind: kind, Kinds: rencontres.EventKinds}
	return "events", nil
}

// EventForm is the data of the form that creates or edits an event.
type EventForm struct {
	Event      *rencontres.Event
	New        bool
	Form       map[string]string
	Errors     map[string]string
	Committees []*rencontres.CommitteeRef
	Editions   []*rencontres.Event
	Series     []*rencontres.Series
	Zones      []string
	Statuses   []rencontres.Status
	Kinds      []rencontres.EventKind
	// Rhythm is set when an edition's new dates break its series' rhythm
	// and the secretariat has not yet confirmed them.
	Rhythm string
	// HostCandidates are the organisations of the name typed as host, when
	// several have it.
	HostCandidates []*rencontres.Organisation
	// DateChanges are the kinds of date change to choose from.
	DateChanges []rencontres.DateChangeKind
}

func (s *Site) eventFormPage(r *http.Request, p *Page, d *EventForm) (string, error) {
	var err error
	if d.Committees, err = s.events.Committees(r.Context()); err != nil {
		return "", err
	}
	if d.Editions, err = s.events.Events(r.Context(), rencontres.EventFilter{Kind: rencontres.EditionEvent}); err != nil {
		return "", err
	}
	slices.Reverse(d.Editions)
	if d.Series, err = s.svc.AllSeries(r.Context()); err != nil {
		return "", err
	}
	d.DateChanges = []rencontres.DateChangeKind{rencontres.Correction, rencontres.Postponement}
	d.Zones, d.Statuses, d.Kinds = commonZones, []rencontres.Status{rencontres.Planned, rencontres.Postponed, rencontres.Held, rencontres.Cancelled}, rencontres.EventKinds
	if d.New {
		p.Title = p.P.T("events.new")
	} else {
		p.Title = p.P.T("events.edit")
	}
	p.Nav, p.Data = "events", d
	return "event_form", nil
}

func (s *Site) newEvent(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	q := r.URL.Query()
	form := map[string]string{"kind": string(rencontres.CommitteeMeeting), "time_zone": "Europe/Paris", "status": string(rencontres.Planned),
		"committee": q.Get("committee")}
	return s.eventFormPage(r, p, &EventForm{New: true, Form: form})
}

func (s *Site) editEvent(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	form := eventToForm(e)
	form["host"] = s.orgLabel(r.Context(), p, e.Host)
	return s.eventFormPage(r, p, &EventForm{Event: e, Form: form})
}

func eventToForm(e *rencontres.Event) map[string]string {
	f := map[string]string{"kind": string(e.Kind), "committee": idString(e.CommitteeID), "edition": idString(e.EditionID),
		"within": idString(e.WithinID), "address": e.Address, "time_zone": e.TimeZone, "start": e.Start.String(), "end": e.End.String(),
		"start_time": e.StartTime, "end_time": e.EndTime, "status": string(e.Status)}
	for _, l := range rencontres.Langs {
		f["title_"+string(l)] = e.Title[l]
		f["venue_"+string(l)] = e.Venue[l]
	}
	return f
}

func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// formText reads a translated text from the fields name_fr, name_ja and
// name_en.
func formText(r *http.Request, name string) rencontres.Text {
	t := rencontres.Text{}
	for _, l := range rencontres.Langs {
		if v := strings.TrimSpace(r.PostFormValue(name + "_" + string(l))); v != "" {
			t[l] = v
		}
	}
	return t
}

// formID reads an optional id; a value that is not one is an error on
// that field.
func formID(r *http.Request, name string) (int64, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return 0, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_parameter", Field: name, Message: "not an id"}
	}
	return id, nil
}

func formDate(r *http.Request, name string) (rencontres.Date, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return rencontres.Date{}, nil
	}
	d, err := rencontres.ParseDate(v)
	if err != nil {
		return d, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_date", Field: name, Message: err.Error(), Args: map[string]any{"Value": v}}
	}
	return d, nil
}

// readEvent fills e from the event form; the form's values are kept to
// show again with the errors.
func readEvent(r *http.Request, e *rencontres.Event, form map[string]string) error {
	for _, k := range []string{"kind", "committee", "edition", "within", "address", "time_zone", "start", "end", "start_time", "end_time", "status", "series", "number", "year", "host"} {
		form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	for _, l := range rencontres.Langs {
		for _, f := range []string{"title_", "venue_", "reason_"} {
			form[f+string(l)] = strings.TrimSpace(r.PostFormValue(f + string(l)))
		}
	}
	if e.ID == 0 {
		e.Kind = rencontres.EventKind(form["kind"])
	}
	// An edition's title is made from its series and number; one typed is
	// kept and shown as well.
	e.Title = formText(r, "title")
	e.Venue, e.Address, e.TimeZone = formText(r, "venue"), form["address"], form["time_zone"]
	e.StartTime, e.EndTime = form["start_time"], form["end_time"]
	if form["status"] != "" {
		e.Status = rencontres.Status(form["status"])
	}
	// Every value that cannot be read is told at once, with the faults
	// the event's own checks find in the rest, each next to its field;
	// a field's unreadable value comes first, so it is the one shown.
	var errs []error
	var err error
	if e.Start, err = formDate(r, "start"); err != nil {
		errs = append(errs, err)
	}
	if e.End, err = formDate(r, "end"); err != nil {
		errs = append(errs, err)
	}
	if e.End.IsZero() && !e.Start.IsZero() && form["end"] == "" {
		e.End = e.Start // a meeting of one day
	}
	if e.Kind == rencontres.EditionEvent {
		if e.ID == 0 {
			e.Series = form["series"]
			for _, f := range []struct {
				name string
				dst  *int
			}{{"number", &e.Number}, {"year", &e.Year}} {
				if form[f.name] == "" {
					continue
				}
				if *f.dst, err = strconv.Atoi(form[f.name]); err != nil {
					errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_parameter", Field: f.name, Message: "not a number"})
				}
			}
		}
		return joinInvalid(e, errs)
	}
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"committee", &e.CommitteeID}, {"edition", &e.EditionID}, {"within", &e.WithinID}} {
		if *f.dst, err = formID(r, f.name); err != nil {
			errs = append(errs, err)
		}
	}
	return joinInvalid(e, errs)
}

// joinInvalid adds to the faults of what was typed those the event's own
// checks find, when there are any of the former: the store would tell the
// latter only once the former were mended.
func joinInvalid(e *rencontres.Event, errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return rencontres.Join(append(errs, e.Validate())...)
}

// formError puts a domain error next to its field in errs ("form" when it
// names none), or returns it when it is not about what was typed.
func formError(p *Page, err error, errs map[string]string) error {
	var e *rencontres.Error
	if !errors.As(err, &e) {
		return err
	}
	switch {
	case e.Code == rencontres.EINVALID, e.Code == rencontres.ECONFLICT, e.Code == rencontres.EUNAUTHORIZED:
	case e.Code == rencontres.ENOTFOUND && e.Field != "":
	default:
		return err
	}
	errs[formField(e.Field)] = p.P.Error(e)
	addFieldErrors(p, e, errs)
	p.Status = httpcode.Of(e.Code)
	return nil
}

// readHost finds an edition's host authority by the name typed; a name
// several organisations have offers them to choose from.
func (s *Site) readHost(r *http.Request, e *rencontres.Event, d *EventForm) error {
	if e.Kind != rencontres.EditionEvent {
		return nil
	}
	key, candidates, err := s.pickOrg(r.Context(), "host", r.PostFormValue("host"))
	e.Host, d.HostCandidates = key, candidates
	return err
}

func (s *Site) createEvent(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	form, errs := map[string]string{}, map[string]string{}
	e := &rencontres.Event{Status: rencontres.Planned}
	err := readEvent(r, e, form)
	d := &EventForm{New: true, Form: form, Errors: errs}
	if err == nil {
		err = s.readHost(r, e, d)
	}
	if err == nil && e.Kind == rencontres.EditionEvent && r.PostFormValue("confirm_rhythm") == "" {
		if d.Rhythm, err = s.rhythmWarning(r, p, e); err == nil && d.Rhythm != "" {
			p.Status = http.StatusConflict
			return s.eventFormPage(r, p, d)
		}
	}
	if err == nil {
		err = s.events.SaveEvent(r.Context(), e, nil)
	}
	if err != nil {
		if err := formError(p, err, errs); err != nil {
			return "", err
		}
		return s.eventFormPage(r, p, d)
	}
	s.audit(r, "event.create", "event", strconv.FormatInt(e.ID, 10), nil)
	http.Redirect(w, r, p.Href(fmt.Sprintf("/events/%d?done=created", e.ID)), http.StatusSeeOther)
	return "", nil
}

func (s *Site) updateEvent(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	form, errs := map[string]string{}, map[string]string{}
	oldStart, oldEnd := e.Start, e.End
	err = readEvent(r, e, form)
	d := &EventForm{Event: e, Form: form, Errors: errs}
	if err == nil {
		err = s.readHost(r, e, d)
	}
	move := &rencontres.DateChange{Kind: rencontres.DateChangeKind(r.PostFormValue("date_change")), Reason: formText(r, "reason")}
	form["date_change"] = string(move.Kind)
	if err == nil && !oldStart.IsZero() && (e.Start != oldStart || e.End != oldEnd) && !rencontres.ValidDateChangeKind(move.Kind) {
		// A change of days is a correction or a postponement, which the
		// history shows differently: the secretariat says which.
		err = &rencontres.Error{Code: rencontres.EINVALID, Key: "date_change.required", Field: "date_change", Message: "say whether the new dates correct a mistake or postpone the event"}
	}
	if err == nil && e.Kind == rencontres.EditionEvent && e.Start != oldStart && r.PostFormValue("confirm_rhythm") == "" {
		// Dates that break the series' rhythm are flagged, and saved only
		// once confirmed.
		if d.Rhythm, err = s.rhythmWarning(r, p, e); err == nil && d.Rhythm != "" {
			p.Status = http.StatusConflict
			return s.eventFormPage(r, p, d)
		}
	}
	if err == nil {
		err = s.events.SaveEvent(r.Context(), e, move)
	}
	if err != nil {
		if err := formError(p, err, errs); err != nil {
			return "", err
		}
		return s.eventFormPage(r, p, d)
	}
	s.audit(r, "event.update", "event", strconv.FormatInt(e.ID, 10), nil)
	http.Redirect(w, r, p.Href(fmt.Sprintf("/events/%d?done=saved", e.ID)), http.StatusSeeOther)
	return "", nil
}

func (s *Site) rhythmWarning(r *http.Request, p *Page, e *rencontres.Event) (string, error) {
	if e.Start.IsZero() {
		return "", nil
	}
	se, err := s.svc.Series(r.Context(), e.Series)
	if err != nil {
		return "", &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_series", Field: "series", Message: "unknown series"}
	}
	number := e.Number
	if number == 0 {
		number = se.Editions + 1
	}
	prev, err := s.events.PreviousEdition(r.Context(), e.Series, number)
	if err != nil {
		return "", err
	}
	if expected, broken := rencontres.RhythmBreak(se, prev, e.Start.Year); broken {
		return p.P.T("event.rhythm_broken", "Expected", expected, "Year", e.Start.Year, "Rhythm", p.P.T("rhythm."+string(se.Rhythm))), nil
	}
	return "", nil
}
