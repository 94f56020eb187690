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
// (store/migrations/*/00038_meetings.sql). The settings and requests are
// in meeting_rules.go.

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
	// MeetingSettings reads an event's settings (empty ones, with no
	// slot, when none are saved).
	MeetingSettings(ctx context.Context, eventID int64) (*MeetingSettings, error)
	// SaveMeetingSettings checks the settings against the event and
	// writes them.
	SaveMeetingSettings(ctx context.Context, set *MeetingSettings, by int64, now time.Time) error
	// MeetingRequests lists an event's requests, those of one authority
	// (sent or received) when orgKey is set, newest first.
	MeetingRequests(ctx context.Context, eventID int64, orgKey string) ([]*MeetingRequest, error)
	// MeetingRequest reads one request of an event.
	MeetingRequest(ctx context.Context, eventID, id int64) (*MeetingRequest, error)
	// RequestMeeting checks and records a request, and queues the email
	// to the requested authority's contacts.
	RequestMeeting(ctx context.Context, q *MeetingRequest, by int64, now time.Time) error
	// AnswerMeeting records the requested authority's answer (accepted
	// or declined) and queues the email to the requesting authority's
	// contacts.
	AnswerMeeting(ctx context.Context, eventID, id int64, accept bool, by int64, now time.Time) (*MeetingRequest, error)
	// ScheduleMeetings places the accepted requests (keeping the earlier
	// placements that still hold) and stores the result; nothing is
	// shown to the authorities before PublishMeetings.
	ScheduleMeetings(ctx context.Context, eventID, by int64, now time.Time) (*MeetingSchedule, error)
	// PublishMeetings makes the last schedule the authorities' agendas,
	// provisional or final, and queues the emails of the meetings placed
	// or changed since the last publication.
	PublishMeetings(ctx context.Context, eventID int64, state MeetingState, by int64, now time.Time) error
	// MeetingSchedule reads the last schedule: every accepted request
	// with its placement or the reason it has none.
	MeetingSchedule(ctx context.Context, eventID int64) (*MeetingSchedule, error)
	// RegisteredOrgs lists the keys of the authorities registered for an
	// edition: a delegation with someone not withdrawn.
	RegisteredOrgs(ctx context.Context, editionID int64) ([]string, error)
}
