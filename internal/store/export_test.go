package store

import (
	"context"
	"database/sql"
	"runtime"
	"sync/atomic"

	"github.com/rencontres/rencontres/internal/rencontres"
)

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

// ReadLibraryForTest reads the library into memory as a search after a
// write does, and returns the bytes of heap the copy holds (measured
// after a collection, the copy kept alive).
func (s *Store) ReadLibraryForTest(ctx context.Context) (uint64, error) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	sn, err := s.readLibrary(ctx)
	if err != nil {
		return 0, err
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(sn)
	return after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc), nil
}

// SetBroadPostingsForTest sets how many terms' entries a practice a word
// may have and be made a set of practices (librarysearch.go), and returns
// the former value.
func SetBroadPostingsForTest(n int) int {
	old := broadPostings
	broadPostings = n
	return old
}

// CoalesceReadsForTest gathers the store's reads of tokens and events as
// on PostgreSQL, on either database; each statement waits for gate to be
// closed. It returns the count of statements made so far.
func (s *Store) CoalesceReadsForTest(gate <-chan struct{}) func() int {
	var n atomic.Int64
	s.reads = newCoalescedReads(s)
	tokens, events := s.reads.tokens.fetch, s.reads.events.fetch
	s.reads.tokens.fetch = func(ctx context.Context, keys []string) (map[string]tokenUser, error) {
		<-gate
		n.Add(1)
		return tokens(ctx, keys)
	}
	s.reads.events.fetch = func(ctx context.Context, keys []int64) (map[int64]*rencontres.Event, error) {
		<-gate
		n.Add(1)
		return events(ctx, keys)
	}
	return func() int { return int(n.Load()) }
}

// RowsReadForTest is how many rows of table index scans have fetched and
// sequential scans have read in the store's transaction so far
// (PostgreSQL's own counts).
func (s *Store) RowsReadForTest(ctx context.Context, table string) (int64, error) {
	var n int64
	err := s.bulk().QueryRowContext(ctx, "SELECT COALESCE(idx_tup_fetch, 0) + COALESCE(seq_tup_read, 0) FROM pg_stat_xact_user_tables WHERE relname = $1", table).Scan(&n)
	return n, err
}

// ExecForTest runs a statement in the store's transaction, if any.
func (s *Store) ExecForTest(ctx context.Context, query string) error {
	_, err := s.bulk().ExecContext(ctx, query)
	return err
}

// FlushLSNForTest is the place in the log that a batch's answers wait
// for, once TellBatch has sent its commit (commitSteps); empty before.
func (s *Store) FlushLSNForTest() string { return s.flushLSN }

// TakeIDsForTest takes n new ids of table as a batch does.
func (s *Store) TakeIDsForTest(ctx context.Context, table string, n int) ([]int64, error) {
	return queryIDs(ctx, s.db, s.dialect.takeIDs(table), n)
}
