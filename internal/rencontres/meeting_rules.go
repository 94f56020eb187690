package rencontres

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// MeetingState is where an edition's schedule of meetings stands.
type MeetingState string

// States of the schedule: none published yet, provisional (the
// authorities see it, it may still change), final.
const (
	MeetingsUnpublished MeetingState = ""
	MeetingsProvisional MeetingState = "provisional"
	MeetingsFinal       MeetingState = "final"
)

// SlotRange is a span of a day cut into meeting slots: from From to To
// ("15:04", the edition's zone) on Day, Minutes each, with Interpreters
// serving each of its slots.
type SlotRange struct {
	Day          Date   `json:"day"`
	From         string `json:"from"`
	To           string `json:"to"`
	Minutes      int    `json:"minutes"`
	Interpreters int    `json:"interpreters"`
}

// Slot is one meeting slot, with the interpreters who serve it.
type Slot struct {
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	Interpreters int       `json:"interpreters"`
}

// MaxTables and MaxSlots bound a schedule to what an edition holds.
const (
	MaxTables       = 200
	MaxSlots        = 200
	MaxTableNameLen = 40
	MaxMeetingMsg   = 2000
)

// MeetingSettings are the secretariat's settings of an edition's
// meetings. Cap is the most meetings one delegation has at the edition (0:
// no cap): a plain cap rather than a rule on meetings in a row, so that a
// delegation keeps time for the sessions and the corridors whatever the
// slots (see "One-to-one meetings" in docs/architecture.md).
type MeetingSettings struct {
	EventID  int64        `json:"event_id"`
	Ranges   []SlotRange  `json:"ranges"`
	Tables   []string     `json:"tables"`
	Cap      int          `json:"cap"`
	Deadline *time.Time   `json:"deadline,omitempty"`
	State    MeetingState `json:"state"`
	// Scheduled and Published are when the schedule last ran and was
	// last published.
	Scheduled *time.Time `json:"scheduled_at,omitempty"`
	Published *time.Time `json:"published_at,omitempty"`
}

// TableNames names count tables 1, 2, 3…: the settings' form takes a
// count or names.
func TableNames(count int) []string {
	out := make([]string, 0, count)
	for i := 1; i <= count; i++ {
		out = append(out, strconv.Itoa(i))
	}
	return out
}

// Slots cuts the ranges into slots in the zone loc, in time order of the
// ranges as given.
func (s *MeetingSettings) Slots(loc *time.Location) []Slot {
	var out []Slot
	for _, r := range s.Ranges {
		from, err1 := time.ParseInLocation("2006-01-02 15:04", r.Day.String()+" "+r.From, loc)
		to, err2 := time.ParseInLocation("2006-01-02 15:04", r.Day.String()+" "+r.To, loc)
		if err1 != nil || err2 != nil || r.Minutes <= 0 {
			continue
		}
		step := time.Duration(r.Minutes) * time.Minute
		for t := from; !t.Add(step).After(to) && len(out) < MaxSlots; t = t.Add(step) {
			out = append(out, Slot{Start: t, End: t.Add(step), Interpreters: r.Interpreters})
		}
	}
	return out
}

// Validate checks the settings against their event: every range within
// the event's days, a slot at least in each, tables, no negative count.
func (s *MeetingSettings) Validate(e *Event) error {
	var errs []error
	bad := func(field, key, msg string, args map[string]any) {
		errs = append(errs, &Error{Code: EINVALID, Key: key, Field: field, Message: msg, Args: args})
	}
	if len(s.Ranges) == 0 {
		bad("ranges", "meetings.error_no_slots", "give the slots of the meetings", nil)
	}
	total := 0
	for i, r := range s.Ranges {
		f := fmt.Sprintf("ranges[%d]", i)
		switch {
		case r.Day.IsZero():
			bad(f+".day", "error.required", "the day of the slots is required", nil)
		case e.Start.IsZero() || r.Day.Before(e.Start) || e.End.Before(r.Day):
			bad(f+".day", "meetings.error_day_outside", fmt.Sprintf("%s is not one of the edition's days", r.Day),
				map[string]any{"Day": r.Day, "Start": e.Start, "End": e.End})
		}
		switch {
		case !ValidClock(r.From):
			bad(f+".from", "error.bad_time", "give a time such as 14:00", map[string]any{"Value": r.From})
		case !ValidClock(r.To):
			bad(f+".to", "error.bad_time", "give a time such as 16:00", map[string]any{"Value": r.To})
		case r.To <= r.From:
			bad(f+".to", "meetings.error_to_before_from", "the slots end before they start", nil)
		}
		switch {
		case r.Minutes < 5 || r.Minutes > 240:
			bad(f+".minutes", "meetings.error_minutes", "a meeting lasts from 5 to 240 minutes", nil)
		case ValidClock(r.From) && ValidClock(r.To) && r.To > r.From && minutesOf(r.To)-minutesOf(r.From) < r.Minutes:
			bad(f+".minutes", "meetings.error_no_slot_fits", "no meeting fits between these times", nil)
		default:
			total += (minutesOf(r.To) - minutesOf(r.From)) / r.Minutes
		}
		if r.Interpreters < 0 {
			bad(f+".interpreters", "error.negative", "must not be negative", nil)
		}
	}
	if total > MaxSlots {
		bad("ranges", "meetings.error_too_many_slots", "too many slots", map[string]any{"Max": MaxSlots})
	}
	seen := map[string]bool{}
	var tables []string
	for _, t := range s.Tables {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if utf8.RuneCountInString(t) > MaxTableNameLen {
			bad("tables", "error.too_long", "a table's name is too long", map[string]any{"Max": MaxTableNameLen})
			break
		}
		if seen[t] {
			bad("tables", "meetings.error_table_twice", fmt.Sprintf("two tables are named %q", t), map[string]any{"Name": t})
			break
		}
		seen[t] = true
		tables = append(tables, t)
	}
	s.Tables = tables
	switch {
	case len(tables) == 0:
		bad("tables", "meetings.error_no_tables", "give one table at least", nil)
	case len(tables) > MaxTables:
		bad("tables", "meetings.error_too_many_tables", "too many tables", map[string]any{"Max": MaxTables})
	}
	if s.Cap < 0 {
		bad("cap", "error.negative", "must not be negative", nil)
	}
	return Join(errs...)
}

func minutesOf(clock string) int {
	h, _ := strconv.Atoi(clock[:2])
	m, _ := strconv.Atoi(clock[3:])
	return h*60 + m
}

// RequestState is where a meeting request stands.
type RequestState string

// States of a request: waiting for the requested authority's answer,
// accepted (to be scheduled), declined.
const (
	RequestPending  RequestState = "pending"
	RequestAccepted RequestState = "accepted"
	RequestDeclined RequestState = "declined"
)

// MeetingRequest is an authority's request to meet another at an
// edition, and, once accepted and scheduled, where it was placed.
type MeetingRequest struct {
	ID       int64        `json:"id"`
	EventID  int64        `json:"event_id"`
	From     string       `json:"from"`
	To       string       `json:"to"`
	Message  string       `json:"message"`
	State    RequestState `json:"state"`
	Created  time.Time    `json:"created_at"`
	Answered *time.Time   `json:"answered_at,omitempty"`
	// Start, End, Table and Interpreter are the last run's placement;
	// Unplaced, the reason it has none (schedule.Reason's values).
	Start       *time.Time `json:"start,omitempty"`
	End         *time.Time `json:"end,omitempty"`
	Table       string     `json:"table,omitempty"`
	Interpreter bool       `json:"interpreter,omitempty"`
	Unplaced    string     `json:"unplaced,omitempty"`
	// Shown is the placement last published, as the agendas show it.
	Shown *time.Time `json:"published_start,omitempty"`
}

// Other is the authority of the request that is not orgKey.
func (q *MeetingRequest) Other(orgKey string) string {
	if q.From == orgKey {
		return q.To
	}
	return q.From
}

// Validate checks a request on its own; who is registered, duplicates and
// the deadline are the store's to check.
func (q *MeetingRequest) Validate() error {
	q.Message = strings.TrimSpace(q.Message)
	var errs []error
	if q.From == "" {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.required", Field: "from", Message: "the requesting authority is required"})
	}
	switch {
	case q.To == "":
		errs = append(errs, &Error{Code: EINVALID, Key: "error.required", Field: "to", Message: "choose the authority to meet"})
	case q.To == q.From:
		errs = append(errs, &Error{Code: EINVALID, Key: "meetings.error_self", Field: "to", Message: "an authority does not request a meeting with itself"})
	}
	if utf8.RuneCountInString(q.Message) > MaxMeetingMsg {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.too_long", Field: "message", Message: "message too long", Args: map[string]any{"Max": MaxMeetingMsg}})
	}
	return Join(errs...)
}

// MeetingSchedule is an edition's last schedule: its settings and every
// accepted request, placed or with the reason it is not.
type MeetingSchedule struct {
	Settings *MeetingSettings  `json:"settings"`
	Slots    []Slot            `json:"slots"`
	Requests []*MeetingRequest `json:"requests"`
	Placed   int               `json:"placed"`
	Unplaced int               `json:"unplaced"`
}

// SpokenLanguages are the languages an authority's people speak: those its
// record gives, else its country's.
func SpokenLanguages(o *Organisation) []string {
	if len(o.Languages) > 0 {
		return o.Languages
	}
	switch o.Country {
	case France:
		return []string{"fr"}
	case Japan:
		return []string{"ja"}
	}
	if r, err := language.ParseRegion(string(o.Country)); err == nil {
		if b, conf := language.Make("und-" + r.String()).Base(); conf != language.No {
			return []string{b.String()}
		}
	}
	return nil
}

// NeedInterpreter reports whether two authorities share no language.
func NeedInterpreter(a, b *Organisation) bool {
	for _, x := range SpokenLanguages(a) {
		for _, y := range SpokenLanguages(b) {
			if x == y {
				return false
			}
		}
	}
	return true
}
