package store

import (
	"context"
	"time"
)

// UndoRateLimit takes back one attempt counted under key at the instant
// at, in the window that held it: a sign-in that turned out right does
// not count. Once that window is over there is nothing left to take back.
func (s *Store) UndoRateLimit(ctx context.Context, key string, window time.Duration, at time.Time) error {
	_, err := s.writer().ExecContext(ctx, "UPDATE rate_limits SET count = count - 1 WHERE key = $1 AND window_start = $2 AND count > 0",
		key, ts(at.UTC().Truncate(window)))
	return err
}
