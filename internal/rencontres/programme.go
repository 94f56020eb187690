package rencontres

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// SessionKind is the form of a programme session.
type SessionKind string

// Kinds of session in a programme.
const (
	Plenary       SessionKind = "plenary"
	RoundTable    SessionKind = "round_table"
	WorkshopKind  SessionKind = "workshop"
	MicroWorkshop SessionKind = "micro_workshop"
	CountryGroup  SessionKind = "country_group"
	Visit         SessionKind = "visit"
	Break         SessionKind = "break"
	Reception     SessionKind = "reception"
)

// SessionKinds lists every kind.
var SessionKinds = []SessionKind{Plenary, RoundTable, WorkshopKind, MicroWorkshop, CountryGroup, Visit, Break, Reception}

// Room is a place of an event where sessions are held.
type Room struct {
	ID       int64 `json:"id"`
	Name     Text  `json:"name"`
	Capacity int   `json:"capacity,omitempty"`
}

// Speaker is a person speaking at, or moderating, a session.
type Speaker struct {
	Person string `json:"person"` // given name then FAMILY name
	// PersonJa is the name in Japanese script, family name first, which
	// Japanese pages show first.
	PersonJa string `json:"person_ja,omitempty"`
	Role     string `json:"role"` // speaker, moderator
	OrgKey   string `json:"organisation,omitempty"`
}

// Session is one item of an edition's programme.
type Session struct {
	ID          int64       `json:"id"`
	EditionID   int64       `json:"-"`
	Kind        SessionKind `json:"kind"`
	Title       Text        `json:"title"`
	Description Text        `json:"description,omitempty"`
	Start       time.Time   `json:"start"`
	End         time.Time   `json:"end"`
	RoomID      int64       `json:"room,omitempty"`
	Speakers    []Speaker   `json:"speakers,omitempty"`
	SDGs        []int       `json:"sdgs,omitempty"`
	// Interpretation is set when the session is interpreted French ⇄
	// Japanese.
	Interpretation bool `json:"interpretation"`
	// Capacity is the number of seats; 0 means the room's, or no limit.
	Capacity int `json:"capacity,omitempty"`
}

// Validate checks a session on its own; clashes with other sessions are
// the store's to find, since they depend on the whole programme.
func (s *Session) Validate() error {
	var errs []error
	if !slices.Contains(SessionKinds, s.Kind) {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_kind", Field: "kind", Message: fmt.Sprintf("unknown session kind %q", s.Kind)})
	}
	switch {
	case s.Start.IsZero() || s.End.IsZero():
		errs = append(errs, &Error{Code: EINVALID, Key: "error.required", Field: "start", Message: "a session needs its start and end"})
	case !s.End.After(s.Start):
		errs = append(errs, &Error{Code: EINVALID, Key: "error.end_before_start", Field: "end", Message: "the session ends before it starts"})
	case s.End.Sub(s.Start) > 24*time.Hour:
		errs = append(errs, &Error{Code: EINVALID, Key: "error.session_too_long", Field: "end", Message: "a session lasts a day at most"})
	}
	if s.Capacity < 0 {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.negative", Field: "capacity", Message: "must not be negative"})
	}
	if err := s.Title.Validate("title", true); err != nil {
		errs = append(errs, err)
	}
	seen := map[int]bool{}
	for _, n := range s.SDGs {
		if _, err := SDGByNumber(n); err != nil {
			errs = append(errs, err)
			break
		}
		if seen[n] {
			errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_sdg", Field: "sdgs", Message: fmt.Sprintf("SDG %d is listed twice", n), Args: map[string]any{"Value": n}})
			break
		}
		seen[n] = true
	}
	for i, sp := range s.Speakers {
		name := strings.TrimSpace(sp.Person)
		switch {
		case name == "" || utf8.RuneCountInString(name) > MaxNameLen:
			errs = append(errs, &Error{Code: EINVALID, Key: "error.required", Field: fmt.Sprintf("speakers[%d]", i), Message: "a speaker needs a name"})
		case utf8.RuneCountInString(sp.PersonJa) > MaxNameLen:
			errs = append(errs, &Error{Code: EINVALID, Key: "error.too_long", Field: fmt.Sprintf("speakers[%d]", i), Message: "name too long", Args: map[string]any{"Max": MaxNameLen}})
		case sp.Role != "speaker" && sp.Role != "moderator":
			errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_role", Field: fmt.Sprintf("speakers[%d]", i), Message: fmt.Sprintf("unknown speaker role %q", sp.Role)})
		}
	}
	// Every fault is told at once (see Join).
	return Join(errs...)
}

// Overlaps reports whether two sessions share some time. Touching ends do
// not overlap: a session may start when the previous one ends.
func (s *Session) Overlaps(o *Session) bool {
	return s.Start.Before(o.End) && o.Start.Before(s.End)
}

// InZone returns t as read on a clock in zone: 10:00 in Tokyo (01:00 UTC)
// is 02:00 in Paris in winter (CET) and 03:00 in summer (CEST).
func InZone(t time.Time, zone string) (time.Time, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" || zone == "Local" {
		return time.Time{}, &Error{Code: EINVALID, Key: "error.bad_time_zone", Field: "time_zone", Message: fmt.Sprintf("unknown time zone %q", zone), Args: map[string]any{"Zone": zone}}
	}
	return t.In(loc), nil
}
