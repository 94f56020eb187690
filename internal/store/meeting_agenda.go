package store

import (
	"context"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// MeetingsOf implements rencontres.MeetingAgenda. Placeholder of the
// shared model (no meeting is placed before the meetings' tables exist),
// written by the meetings' work.
func (s *Store) MeetingsOf(ctx context.Context, eventID int64, orgKey string) ([]*rencontres.Meeting, error) {
	return nil, nil
}
