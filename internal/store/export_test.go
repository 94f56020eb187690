package store

import (
	"context"
	"database/sql"
)

// DB gives tests the database itself, to read what no method shows.
func (s *Store) DB() *sql.DB { return s.db }

// ReleasePracticeForTest releases a proposal's decision as the review's
// release does, and reindexes it.
func (s *Store) ReleasePracticeForTest(ctx context.Context, id int64, at string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE proposals SET released_at = $2 WHERE id = $1", id, at); err != nil {
			return err
		}
		return reindexPractice(ctx, tx, id)
	})
}

// WithdrawPracticeForTest withdraws a proposal without reindexing it: the
// library must leave it out all the same.
func (s *Store) WithdrawPracticeForTest(ctx context.Context, id int64) error {
	_, err := s.writer().ExecContext(ctx, "UPDATE proposals SET state = 'withdrawn' WHERE id = $1", id)
	return err
}
