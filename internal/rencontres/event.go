package rencontres

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// EventKind says what an event is.
type EventKind string

// Kinds of event. An edition is the event of the archive; meetings of any
// kind prepare it, a steering committee's among them.
const (
	EditionEvent     EventKind = "edition"
	CommitteeMeeting EventKind = "committee_meeting"
	OtherMeeting     EventKind = "meeting"
)

// EventKinds lists every kind.
var EventKinds = []EventKind{EditionEvent, CommitteeMeeting, OtherMeeting}

// Event is anything that happens at a place and time: an edition, a
// steering committee's meeting, an information meeting. A meeting may be
// held within another event (the RAICT 2020, 22 September, 16:00–17:30).
//
// Dates are civil days in the event's zone, as printed on an invitation;
// hours, when known, are clock times of that zone. An edition announced for
// a year has neither.
type Event struct {
	ID    int64     `json:"id"`
	Kind  EventKind `json:"kind"`
	Title Text      `json:"title"`
	// Series and Number name an edition, for kind "edition".
	Series      string `json:"series,omitempty"`
	Number      int    `json:"number,omitempty"`
	Year        int    `json:"year,omitempty"`
	SeriesShort Text   `json:"-"`
	// Host is the key of an edition's host authority, whose name is the
	// city of its letters.
	Host string `json:"host,omitempty"`
	// EditionID is the edition a meeting prepares.
	EditionID   int64  `json:"edition_id,omitempty"`
	CommitteeID int64  `json:"committee_id,omitempty"`
	WithinID    int64  `json:"within_id,omitempty"`
	Within      *Event `json:"-"`
	Venue       Text   `json:"venue,omitempty"`
	Address     string `json:"address,omitempty"`
	TimeZone    string `json:"time_zone"`
	Start       Date   `json:"start"`
	End         Date   `json:"end"`
	// StartTime and EndTime are "15:04" clock times, empty when only the
	// days are known.
	StartTime   string       `json:"start_time,omitempty"`
	EndTime     string       `json:"end_time,omitempty"`
	Status      Status       `json:"status"`
	Published   bool         `json:"programme_published"`
	Minutes     Text         `json:"minutes,omitempty"`
	DateChanges []DateChange `json:"date_changes"`
}

var clockRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// ValidClock reports whether s is a clock time, "16:30".
func ValidClock(s string) bool { return clockRE.MatchString(s) }

// Location returns the event's zone, UTC if it does not load.
func (e *Event) Location() *time.Location {
	if loc, ok := zones.Load(e.TimeZone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(e.TimeZone)
	if err != nil {
		return time.UTC
	}
	zones.Store(e.TimeZone, loc)
	return loc
}

// zones keeps the zones loaded: loading one reads and parses its file,
// which every registration did (a handful of zones serve the network).
var zones sync.Map

// TimeKnown reports whether the event's hours are known.
func (e *Event) TimeKnown() bool { return e.StartTime != "" }

// StartsAt is the instant the event starts: its start time on its first
// day, or midnight of that day when the hours are unknown.
func (e *Event) StartsAt() time.Time { return at(e.Start, e.StartTime, e.Location()) }

// EndsAt is the instant the event ends: its end time on its last day, or
// the midnight that ends that day when the hours are unknown.
func (e *Event) EndsAt() time.Time {
	if e.EndTime == "" {
		return e.End.Time(e.Location()).AddDate(0, 0, 1)
	}
	return at(e.End, e.EndTime, e.Location())
}

func at(d Date, clock string, loc *time.Location) time.Time {
	t := d.Time(loc)
	if clock == "" {
		return t
	}
	var h, m int
	fmt.Sscanf(clock, "%d:%d", &h, &m)
	return time.Date(d.Year, d.Month, d.Day, h, m, 0, 0, loc)
}

// Moves are the event's date changes that moved it, for the public
// history.
func (e *Event) Moves() []DateChange { return Moves(e.DateChanges) }

// Validate checks an event on its own: a known kind and status, a zone
// that exists, days in order, hours that are clock times, and an end after
// the start. It reports every fault at once (see Join), so that a form
// shows them all next to their fields rather than one per attempt. The
// rules that need other events (an edition's series rhythm, the event it
// is held within) are the store's.
func (e *Event) Validate() error {
	var errs []error
	if !slices.Contains(EventKinds, e.Kind) {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_kind", Field: "kind", Message: fmt.Sprintf("unknown event kind %q", e.Kind)})
	}
	errs = append(errs, e.Title.Validate("title", e.Kind != EditionEvent))
	if _, err := time.LoadLocation(e.TimeZone); err != nil || e.TimeZone == "" || e.TimeZone == "Local" {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_time_zone", Field: "time_zone", Message: fmt.Sprintf("unknown time zone %q", e.TimeZone), Args: map[string]any{"Zone": e.TimeZone}})
	}
	switch e.Status {
	case Planned, Postponed, Held, Cancelled:
	default:
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_status", Field: "status", Message: fmt.Sprintf("unknown status %q", e.Status)})
	}
	switch {
	case e.Start.IsZero() && e.Kind != EditionEvent:
		errs = append(errs, &Error{Code: EINVALID, Key: "error.required", Field: "start", Message: "a meeting needs its day"})
	case e.End.IsZero() != e.Start.IsZero():
		errs = append(errs, &Error{Code: EINVALID, Key: "error.required", Field: "end", Message: "give both the start and the end date, or neither"})
	case !e.End.IsZero() && e.End.Before(e.Start):
		errs = append(errs, &Error{Code: EINVALID, Key: "error.end_before_start", Field: "end", Message: "the end date is before the start date"})
	}
	errs = append(errs, e.validateHours(), e.Minutes.Validate("minutes", false))
	return Join(errs...)
}

// validateHours checks an event's clock times: each HH:MM, both or
// neither, on a known day, and the end after the start. Only the first
// fault of the hours is told, since each follows from the one before.
func (e *Event) validateHours() error {
	var errs []error
	for _, c := range []struct{ field, v string }{{"start_time", e.StartTime}, {"end_time", e.EndTime}} {
		if c.v != "" && !clockRE.MatchString(c.v) {
			errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_time", Field: c.field, Message: fmt.Sprintf("time %q: want HH:MM", c.v), Args: map[string]any{"Value": c.v}})
		}
	}
	switch {
	case len(errs) > 0:
		return Join(errs...)
	case (e.StartTime == "") != (e.EndTime == ""):
		return &Error{Code: EINVALID, Key: "error.times_pair", Field: "end_time", Message: "give both the start and the end time, or neither"}
	case e.StartTime != "" && e.Start.IsZero():
		// The missing day is already told by the check of the days for
		// a meeting; an edition with hours and no day is told here.
		if e.Kind != EditionEvent {
			return nil
		}
		return &Error{Code: EINVALID, Key: "error.required", Field: "start", Message: "hours need a day"}
	case e.StartTime != "" && !e.End.IsZero() && !e.End.Before(e.Start) && !e.EndsAt().After(e.StartsAt()):
		return &Error{Code: EINVALID, Key: "error.end_before_start", Field: "end_time", Message: "the event ends before it starts"}
	}
	return nil
}

// RhythmBreak tells whether an edition planned for year breaks its
// series' rhythm, and which year the rhythm expected: one year after the
// previous edition for an annual series, two for a biennial one. The 7th
// Rencontres, moved from 2020 to 2022 by the pandemic, broke it.
func RhythmBreak(se *Series, previous *Edition, year int) (expected int, broken bool) {
	if se == nil || previous == nil {
		return 0, false
	}
	step := map[Rhythm]int{Annual: 1, Biennial: 2}[se.Rhythm]
	if step == 0 {
		return 0, false
	}
	expected = previous.Year + step
	return expected, year != expected
}

// MeetingAt turns a meeting known by two instants into an event in zone:
// when start and end are the same instant, only its day is known.
func MeetingAt(title Text, start, end time.Time, zone string) (*Event, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" {
		return nil, &Error{Code: EINVALID, Key: "error.bad_time_zone", Field: "time_zone", Message: fmt.Sprintf("unknown time zone %q", zone), Args: map[string]any{"Zone": zone}}
	}
	s, en := start.In(loc), end.In(loc)
	ev := &Event{Kind: CommitteeMeeting, Title: title, TimeZone: zone, Start: DateOf(s), End: DateOf(en), Status: Held}
	if !start.Equal(end) {
		ev.StartTime, ev.EndTime = s.Format("15:04"), en.Format("15:04")
	}
	return ev, nil
}

// EventFilter selects events.
type EventFilter struct {
	Kind        EventKind
	EditionID   int64
	CommitteeID int64
	// From and To bound the events' days, when set.
	From, To Date
}

// AgendaItem is one point of a meeting's agenda.
type AgendaItem struct {
	ID      int64 `json:"id"`
	EventID int64 `json:"event_id"`
	Title   Text  `json:"title"`
	Notes   Text  `json:"notes,omitempty"`
	// Presenter is a person, given name then FAMILY name, and the
	// authority they speak for.
	Presenter string      `json:"presenter,omitempty"`
	OrgKey    string      `json:"organisation,omitempty"`
	Minutes   int         `json:"duration_minutes,omitempty"`
	Documents []*Document `json:"documents,omitempty"`
}

// Validate checks an agenda item.
func (a *AgendaItem) Validate() error {
	errs := []error{a.Title.Validate("title", true)}
	if len([]rune(a.Presenter)) > MaxNameLen {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.too_long", Field: "presenter", Message: "name too long", Args: map[string]any{"Max": MaxNameLen}})
	}
	if a.Minutes < 0 || a.Minutes > 24*60 {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_duration", Field: "duration_minutes", Message: "a duration is 0 to 1440 minutes"})
	}
	// Every fault is told at once (see Join).
	return Join(append(errs, a.Notes.Validate("notes", false))...)
}

// DecisionStatus is where a decision's follow-up stands.
type DecisionStatus string

// Decision statuses.
const (
	DecisionOpen DecisionStatus = "open"
	DecisionDone DecisionStatus = "done"
	DecisionDrop DecisionStatus = "dropped"
)

// Decision is what a meeting decided, followed up until done.
type Decision struct {
	ID      int64          `json:"id"`
	EventID int64          `json:"event_id"`
	Text    Text           `json:"text"`
	Owner   string         `json:"owner,omitempty"` // who carries it out
	Due     Date           `json:"due,omitempty"`
	Status  DecisionStatus `json:"status"`
	Note    string         `json:"note,omitempty"` // how it was followed up
	// Meeting is the event's title, filled when decisions are listed
	// across meetings.
	Meeting Text `json:"meeting,omitempty"`
	Day     Date `json:"meeting_day,omitempty"`
}

// Validate checks a decision.
func (d *Decision) Validate() error {
	errs := []error{d.Text.Validate("text", true)}
	switch d.Status {
	case DecisionOpen, DecisionDone, DecisionDrop:
	default:
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_status", Field: "status", Message: fmt.Sprintf("unknown status %q", d.Status)})
	}
	if len([]rune(d.Owner)) > MaxNameLen {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.too_long", Field: "owner", Message: "name too long", Args: map[string]any{"Max": MaxNameLen}})
	}
	// Every fault is told at once (see Join).
	return Join(errs...)
}

// Document is a file attached to a meeting or one of its agenda items.
type Document struct {
	ID         int64  `json:"id"`
	EventID    int64  `json:"event_id"`
	AgendaItem int64  `json:"agenda_item,omitempty"`
	Name       string `json:"name"`
	// Title is what the document is called in each language: the name of
	// its attachment and of its line in a letter's « PJ : » list.
	Title       Text      `json:"title"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Uploaded    time.Time `json:"uploaded"`
	// Public documents of a published programme are open to all; others
	// follow the event's own visibility.
	Public bool `json:"public"`
}

// TitleIn is the document's title in a language, else in another, else
// its file name without the extension (documents stored before titles).
func (d *Document) TitleIn(l Lang) string {
	if t := d.Title.In(l); t != "" {
		return t
	}
	if i := strings.LastIndexByte(d.Name, '.'); i > 0 {
		return d.Name[:i]
	}
	return d.Name
}

// EventStore reads and writes events and what hangs on them: committees
// and their seats, agendas, decisions, documents, rooms and sessions.
type EventStore interface {
	Events(ctx context.Context, f EventFilter) ([]*Event, error)
	Event(ctx context.Context, id int64) (*Event, error)
	// SaveEvent creates or updates an event; when an update changes its
	// days, move says whether it is a postponement or a correction and
	// why (nil: a postponement without a reason).
	SaveEvent(ctx context.Context, e *Event, move *DateChange) error
	SetPublished(ctx context.Context, id int64, published bool) error
	SaveMinutes(ctx context.Context, id int64, minutes Text) error
	PreviousEdition(ctx context.Context, series string, number int) (*Edition, error)

	Committees(ctx context.Context) ([]*CommitteeRef, error)
	SaveCommittee(ctx context.Context, c *Committee) error
	Committee(ctx context.Context, id int64) (*CommitteeRef, error)
	AddSeat(ctx context.Context, committeeID int64, m *CommitteeSeat) error
	DeleteSeat(ctx context.Context, committeeID, seatID int64) error
	CommitteeDecisions(ctx context.Context, committeeID int64) ([]*Decision, error)

	AgendaItems(ctx context.Context, eventID int64) ([]*AgendaItem, error)
	SaveAgendaItem(ctx context.Context, a *AgendaItem) error
	MoveAgendaItem(ctx context.Context, eventID, itemID int64, delta int) error
	DeleteAgendaItem(ctx context.Context, eventID, itemID int64) error
	Decisions(ctx context.Context, eventID int64) ([]*Decision, error)
	SaveDecision(ctx context.Context, d *Decision) error
	Documents(ctx context.Context, eventID int64) ([]*Document, error)
	SaveDocument(ctx context.Context, d *Document, data []byte, by int64) error
	Document(ctx context.Context, id int64) (*Document, []byte, error)
	DeleteDocument(ctx context.Context, eventID, id int64) error

	Rooms(ctx context.Context, editionID int64) ([]*Room, error)
	SaveRoom(ctx context.Context, editionID int64, r *Room) error
	Sessions(ctx context.Context, editionID int64) ([]*Session, error)
	SaveSession(ctx context.Context, s *Session) error
	DeleteProgrammeSession(ctx context.Context, editionID, id int64) error
}

// CanSeeEvent reports whether the actor may see an event and its agenda,
// minutes, decisions and documents: an edition is public; a committee
// meeting is seen by those who may read its committee; other meetings by
// those who manage events.
func (a *Actor) CanSeeEvent(e *Event) bool {
	switch {
	case e.Kind == EditionEvent:
		return a.Can(ReadPublic, Target{})
	case e.CommitteeID != 0 && a.Can(ReadCommittee, Target{Committee: e.CommitteeID}):
		return true
	}
	return a.Can(ManageEvents, Target{})
}

// CanSeeProgramme reports whether the actor may read an edition's
// programme: everyone once it is published, those who build it before.
func (a *Actor) CanSeeProgramme(e *Event) bool {
	return a.CanSeeEvent(e) && (e.Published || a.Can(ManageEvents, Target{}))
}

// CanSeeDocument reports whether the actor may download a document of e:
// a public document of a published programme is everyone's; any other
// follows its event.
func (a *Actor) CanSeeDocument(e *Event, d *Document) bool {
	if d.Public && e.Published {
		return true
	}
	return a.CanSeeEvent(e) && (e.Kind != EditionEvent || a.Can(ManageEvents, Target{}))
}
