package store_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// On PostgreSQL a batch's transaction begins in the round trip that locks
// its events and ends, when its writes carry the commit, in theirs
// (batchConn): the locks are held before the batch's first statement; a
// batch that fails is rolled back, whoever began it, and one whose
// transaction failed is not committed; a batch that gives up waiting for
// its lock leaves the connection for the next batch.
func TestBatchTransactionBegunWithItsLocks(t *testing.T) {
	s := storetest.Postgres(t)
	f := newRegistrationFixture(t, s, 0)
	ctx := context.Background()
	event := []int64{f.event.ID}
	lockedElsewhere := func() error {
		tx, err := s.DB().BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		var id int64
		return tx.QueryRowContext(ctx, "SELECT id FROM events WHERE id = $1 FOR UPDATE NOWAIT", f.event.ID).Scan(&id)
	}

	// The event is locked when the batch begins, and a batch that fails
	// after writing leaves nothing, and its lock.
	failed := errors.New("refused after writing")
	err := s.InBatchTx(ctx, event, func(tx *store.Store) error {
		if err := lockedElsewhere(); err == nil || !strings.Contains(err.Error(), "55P03") {
			t.Errorf("the event was not locked at the batch's start: %v", err)
		}
		subs := []*store.Submission{{R: f.person(0), Now: f.now}, {R: f.person(1), Now: f.now}}
		n, info, err := tx.RegisterBatch(ctx, subs)
		if err != nil || n != len(subs) {
			t.Fatalf("the set path decided %d of %d: %v", n, len(subs), err)
		}
		if err := tx.TellBatch(ctx, info, nil, nil, nil, time.Now(), subs, http.StatusCreated, func(*store.Submission) []byte { return []byte(`{}`) }); err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("the failed batch returned %v", err)
	}
	countRegistrations(t, s, f, 0)
	if err := lockedElsewhere(); err != nil {
		t.Fatalf("the failed batch kept the event's lock: %v", err)
	}

	// A batch whose transaction failed and that returns no error is not
	// committed, and says so.
	err = s.InBatchTx(ctx, event, func(tx *store.Store) error {
		if err := tx.ExecForTest(ctx, "SELECT 1/0"); err == nil {
			t.Error("a division by zero succeeded")
		}
		return nil
	})
	if !errors.Is(err, pgx.ErrTxCommitRollback) {
		t.Errorf("a batch whose transaction had failed committed: %v", err)
	}

	// A batch that gives up waiting for the event's lock, held by another
	// transaction, runs nothing; the next one registers.
	other, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := other.QueryRowContext(ctx, "SELECT id FROM events WHERE id = $1 FOR UPDATE", f.event.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	wait, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	ran := false
	err = s.InBatchTx(wait, event, func(*store.Store) error { ran = true; return nil })
	cancel()
	if err == nil || ran {
		t.Fatalf("a batch ran while another transaction held its event: %v", err)
	}
	other.Rollback()
	for i := range 3 {
		commitBatch(t, s, f, i)
	}
	countRegistrations(t, s, f, 6)
}
