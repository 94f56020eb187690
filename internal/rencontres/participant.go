package rencontres

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// A participant's own page (issue 17): a registered person, signed in,
// sees their registration, their badge's code, their programme and their
// authority's meetings, the venue and what they answered, and a personal
// iCalendar feed at a secret address. The secretariat writes to
// registered people themselves through campaigns (RegistrantFilter).

// FeedTokenLifetime is how long a personal feed's address works after it
// was made: a year covers an edition's preparation and its aftermath; a
// new address is one click away.
const FeedTokenLifetime = 365 * 24 * time.Hour

// FeedToken is a personal iCalendar feed's secret address, of one person
// for one event. Only its hash is stored; the address is shown once.
type FeedToken struct {
	ID      int64      `json:"id"`
	UserID  int64      `json:"user_id"`
	EventID int64      `json:"event_id"`
	Created time.Time  `json:"created"`
	Revoked *time.Time `json:"revoked,omitempty"`
}

// ParticipantService is what a participant's page reads and writes.
type ParticipantService interface {
	// MyRegistrations lists the registrations, not withdrawn, whose
	// address is the account's, newest event first.
	MyRegistrations(ctx context.Context, userID int64) ([]*Registration, error)
	// MyRegistration is the account's registration for an event; not
	// found when they are not registered (or withdrew).
	MyRegistration(ctx context.Context, eventID, userID int64) (*Registration, error)
	// NewFeedToken stores the hash of a new feed address, revoking any
	// earlier one of the same person for the same event.
	NewFeedToken(ctx context.Context, userID, eventID int64, hash string, now time.Time) (*FeedToken, error)
	// RevokeFeedToken revokes the person's feed address for an event.
	RevokeFeedToken(ctx context.Context, userID, eventID int64, now time.Time) error
	// ActiveFeedToken is the person's working feed address for an event,
	// or nil.
	ActiveFeedToken(ctx context.Context, userID, eventID int64, now time.Time) (*FeedToken, error)
	// FeedTokenByHash finds a working feed address: not found when
	// unknown, revoked or expired, and nothing says which.
	FeedTokenByHash(ctx context.Context, hash string, now time.Time) (*FeedToken, error)
}

// RegistrantFilter chooses a campaign's recipients among the registered
// people of the campaign's event, not the authorities' contacts: everyone
// (All), or those who match every criterion given. Withdrawn people are
// never written to.
type RegistrantFilter struct {
	All bool `json:"all,omitempty"`
	// Sessions keeps those who chose one of these sessions.
	Sessions []int64 `json:"sessions,omitempty"`
	// Statuses keeps those whose seat is confirmed or waitlisted.
	Statuses []SeatStatus `json:"statuses,omitempty"`
	// Countries keeps the people of authorities of these countries.
	Countries []Country `json:"countries,omitempty"`
	// Interpretation keeps those who need interpretation.
	Interpretation bool `json:"interpretation,omitempty"`
}

// Empty reports whether the filter chooses nobody.
func (f *RegistrantFilter) Empty() bool {
	return f == nil || !f.All && len(f.Sessions) == 0 && len(f.Statuses) == 0 && len(f.Countries) == 0 && !f.Interpretation
}

// Check tells every criterion that names nothing: a session not of the
// event (sessions are the event's), a status other than confirmed or
// waitlisted, a country code that is not one.
func (f *RegistrantFilter) Check(sessions map[int64]bool) error {
	var errs []error
	for i, id := range f.Sessions {
		if !sessions[id] {
			errs = append(errs, &Error{Code: EINVALID, Key: "error.unknown_session", Field: fmt.Sprintf("filter.registrants.sessions[%d]", i),
				Message: fmt.Sprintf("session %d is not one of the event's", id), Args: map[string]any{"Value": id}})
		}
	}
	for i, st := range f.Statuses {
		if st != Confirmed && st != Waitlisted {
			errs = append(errs, &Error{Code: EINVALID, Key: "error.unknown_seat_status", Field: fmt.Sprintf("filter.registrants.statuses[%d]", i),
				Message: fmt.Sprintf("%q is neither confirmed nor waitlisted", st), Args: map[string]any{"Value": string(st)}})
		}
	}
	for i, c := range f.Countries {
		if !c.Valid() {
			errs = append(errs, &Error{Code: EINVALID, Key: "error.unknown_country", Field: fmt.Sprintf("filter.registrants.countries[%d]", i),
				Message: fmt.Sprintf("%q is not a country code", c), Args: map[string]any{"Value": string(c)}})
		}
	}
	return Join(errs...)
}

// Matches reports whether a registration is one the filter chooses.
func (f *RegistrantFilter) Matches(r *Registration) bool {
	if f.Empty() || r.Status == Withdrawn {
		return false
	}
	if len(f.Statuses) > 0 && !slices.Contains(f.Statuses, r.Status) {
		return false
	}
	if len(f.Countries) > 0 && !slices.Contains(f.Countries, r.Country) {
		return false
	}
	if f.Interpretation && !r.Interpretation {
		return false
	}
	if len(f.Sessions) > 0 && !slices.ContainsFunc(r.Choices, func(c Choice) bool {
		return c.Status != Withdrawn && slices.Contains(f.Sessions, c.SessionID)
	}) {
		return false
	}
	return true
}

// ProgrammeEntry is one entry of a person's own programme: a session they
// chose (not withdrawn from), or one of their authority's meetings.
type ProgrammeEntry struct {
	Kind  string    `json:"kind"` // "session" or "meeting"
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// A session's id, title, room and the person's seat in it.
	SessionID int64      `json:"session_id,omitempty"`
	Title     Text       `json:"title,omitempty"`
	Room      Text       `json:"room,omitempty"`
	Status    SeatStatus `json:"status,omitempty"`
	// A meeting's table and partner, whether an interpreter serves it and
	// whether the schedule is final.
	Table       string        `json:"table,omitempty"`
	Partner     *Organisation `json:"partner,omitempty"`
	Interpreter bool          `json:"interpreter,omitempty"`
	Final       bool          `json:"final,omitempty"`
}

// PersonalProgramme merges a registration's sessions, as the event's
// programme has them, with the meetings of its authority, in time order.
func PersonalProgramme(r *Registration, sessions []*Session, rooms []*Room, meetings []*Meeting) []ProgrammeEntry {
	roomOf := map[int64]Text{}
	for _, room := range rooms {
		roomOf[room.ID] = room.Name
	}
	out := []ProgrammeEntry{}
	for _, c := range r.Choices {
		if c.Status == Withdrawn {
			continue
		}
		for _, s := range sessions {
			if s.ID == c.SessionID {
				out = append(out, ProgrammeEntry{Kind: "session", Start: s.Start, End: s.End, SessionID: s.ID, Title: s.Title, Room: roomOf[s.RoomID], Status: c.Status})
			}
		}
	}
	for _, m := range meetings {
		out = append(out, ProgrammeEntry{Kind: "meeting", Start: m.Start, End: m.End, Table: m.Table, Partner: m.Partner, Interpreter: m.Interpreter, Final: m.Final})
	}
	slices.SortStableFunc(out, func(a, b ProgrammeEntry) int { return a.Start.Compare(b.Start) })
	return out
}
