package rencontres

import (
	"context"
	"time"
)

// One-to-one meetings at an edition (issue 17). The secretariat sets the
// meeting slots, the tables and the interpreters of each slot; registered
// authorities request meetings with each other; the product schedules the
// accepted ones (internal/schedule) and publishes a provisional then a
// final schedule. The tables are in migration 00038
// (store/migrations/*/00038_meetings.sql).

// Meeting is one placed meeting as an agenda shows it: when, at which
// table, with whom, and whether an interpreter serves it.
type Meeting struct {
	RequestID int64     `json:"request_id"`
	EventID   int64     `json:"event_id"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Table     string    `json:"table"`
	// Partner is the other authority, seen from the one whose agenda it is.
	Partner     *Organisation `json:"partner"`
	Interpreter bool          `json:"interpreter"`
	// Final is set once the secretariat has published the final schedule;
	// until then the placement is provisional.
	Final bool `json:"final"`
}

// MeetingAgenda reads the meetings placed for an authority at an event,
// in time order: the personal agenda, its iCalendar feed and the badge
// read it. The rest of the meetings' service is MeetingService.
type MeetingAgenda interface {
	MeetingsOf(ctx context.Context, eventID int64, orgKey string) ([]*Meeting, error)
}

// MeetingService is what the meetings' pages and API read and write
// through: settings, requests and answers, the schedule.
type MeetingService interface {
	MeetingAgenda
}
