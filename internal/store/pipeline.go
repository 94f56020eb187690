package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Statements sent together. On PostgreSQL each statement database/sql
// runs is a round trip, and a batch of registrations made a score of them
// while it held the event's lock; pgx's own interface sends a list of
// statements at once (a pipeline) and reads their results in order, in
// one round trip. SQLite, in the process, runs them one after the other.

// step is one statement of a pipeline; row, when set, reads each row of
// its result.
type step struct {
	query string
	args  []any
	row   func(scan func(...any) error) error
}

// scanFunc makes a row's scan function a scanner.
type scanFunc func(...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// InBatchTx is InTx for a transaction that sends statements together
// (pipeline) and first locks events (LockEvents): on PostgreSQL it holds
// its connection, whose pgx interface pipeline reaches. There the
// transaction begins in the round trip that takes the locks, and ends in
// the writes' own when they carry the commit (commitSteps; batchConn).
func (s *Store) InBatchTx(ctx context.Context, events []int64, fn func(s *Store) error) error {
	if s.batch == nil || s.tx != nil {
		return s.InTx(ctx, func(s *Store) error {
			if err := s.LockEvents(ctx, events); err != nil {
				return err
			}
			return fn(s)
		})
	}
	conn, err := s.batch.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	txs := *s
	txs.conn = conn
	made, beginErr := txs.beginBatch(ctx, events)
	// The transaction the pipeline began, taken by database/sql for the
	// rest of the store, and rolled back if the locks failed.
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return errors.Join(beginErr, err)
	}
	if beginErr == nil {
		beginErr = s.plans.refresh(ctx, tx, made)
	}
	if beginErr != nil {
		tx.Rollback()
		return beginErr
	}
	txs.tx = tx
	if err := fn(&txs); err != nil {
		tx.Rollback()
		return err
	}
	// Nothing is sent when the writes' pipeline committed.
	return tx.Commit()
}

// beginBatch begins a batch's transaction and locks its events in one
// round trip, reading how many registrations were made, for the
// connection's plans (batchPlans).
func (s *Store) beginBatch(ctx context.Context, events []int64) (made int64, err error) {
	steps := []step{{query: "BEGIN"}, {query: sequenceRead, row: func(scan func(...any) error) error { return scan(&made) }}}
	if len(events) > 0 {
		steps = append(steps, s.lockStep(events))
	}
	return made, s.pipeline(ctx, steps...)
}

// batchPlans says when the batch connection's plans are made again. The
// connection prepares its statements, and after five runs PostgreSQL keeps
// one plan for any arguments, made with the tables as they were then: a
// plan made while an event was empty read its whole range for each
// address once it had thousands (46 ms a batch at 30,000). InBatchTx reads
// how many registrations were ever made (their sequence) in the round trip
// that takes the events' locks, and discards the connection's plans
// (DISCARD PLANS, which keeps the statements prepared) when that number
// has doubled, and grown by a thousand at least, since they were made:
// seven or eight times from none to 100,000, where planning each batch's
// reads for their arguments cost a tenth of its time under the lock. (It
// was read in a round trip of its own before each batch began: 0.3 to
// 0.6 ms a batch on a busy machine.)
type batchPlans struct {
	at int64 // registrations made when the plans were made; batches run one at a time
}

// sequenceRead reads how many registrations were ever made.
const sequenceRead = "SELECT COALESCE(pg_sequence_last_value('registrations_id_seq'), 0)"

// refresh discards the connection's plans, in tx, if the registrations
// have grown enough (made) since they were made.
func (p *batchPlans) refresh(ctx context.Context, tx *sql.Tx, made int64) error {
	if made < max(2*p.at, p.at+1000) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "DISCARD PLANS"); err != nil {
		return err
	}
	p.at = made
	return nil
}

// pipeline runs steps in order, in the transaction: on PostgreSQL in
// InBatchTx, in one round trip. A step whose query is empty is skipped.
// The first error ends it (on PostgreSQL the transaction is then aborted).
func (s *Store) pipeline(ctx context.Context, steps ...step) error {
	if s.committed {
		return errors.New("store: the batch's transaction has committed")
	}
	if s.conn == nil {
		for _, st := range steps {
			var err error
			switch {
			case st.query == "":
			case st.row == nil:
				_, err = s.bulk().ExecContext(ctx, st.query, st.args...)
			default:
				err = s.scanRows(ctx, st.query, st.args, st.row)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	return s.conn.Raw(func(dc any) error {
		b := &pgx.Batch{}
		for _, st := range steps {
			if st.query == "" {
				continue
			}
			q := b.Queue(st.query, st.args...)
			if row := st.row; row != nil {
				q.Query(func(rows pgx.Rows) error {
					for rows.Next() {
						if err := row(rows.Scan); err != nil {
							return err
						}
					}
					return rows.Err()
				})
			} else {
				q.Exec(func(pgconn.CommandTag) error { return nil })
			}
		}
		return dc.(*batchConn).Conn.Conn().SendBatch(ctx, b).Close()
	})
}

// commitSteps end a transaction of InBatchTx in the pipeline of its last
// writes (BatchInfo.Commit), and hold its answers until it is on disk
// while the event's lock is already free. The transaction commits without
// waiting for the disk (synchronous_commit off), so PostgreSQL releases
// its locks as soon as the commit is in the log, not once the log is
// flushed. A second transaction, in the same round trip, writes a record
// of its own after it (a logical message, which nothing reads) and commits
// as every transaction commits, waiting for the disk; the round trip
// returns then, and InBatchTx has nothing left to send. The log is
// flushed in order: when that commit returns, the
// batch is on disk, and only then are its people answered. Another batch
// may read this one's rows before they are on disk; its own answers wait
// for its own commit, which the log holds after this one's. flushLSN keeps
// the message's place in the log.
func (s *Store) commitSteps() []step {
	return []step{
		{query: "SET LOCAL synchronous_commit = off"},
		{query: "COMMIT"},
		{query: "BEGIN"},
		{query: "SELECT pg_logical_emit_message(true, 'rencontres', 'batch')::text", row: func(scan func(...any) error) error {
			return scan(&s.flushLSN)
		}},
		{query: "COMMIT"},
	}
}

// LockEvents takes, in the transaction, the locks of the events' seats
// (lockEvent), in the order of their ids whatever the order of ids. On
// SQLite the transaction already holds the only writer.
func (s *Store) LockEvents(ctx context.Context, ids []int64) error {
	if s.tx == nil {
		return errors.New("store: locking events needs a transaction")
	}
	if s.dialect.name != "postgres" || len(ids) == 0 {
		return nil
	}
	return s.pipeline(ctx, s.lockStep(ids))
}

// lockStep locks the events' rows, in the order of their ids.
func (s *Store) lockStep(ids []int64) step {
	return step{query: "SELECT id FROM events WHERE id" + s.dialect.inIDs(1) + " ORDER BY id FOR UPDATE", args: []any{s.dialect.idList(ids)}}
}
