package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
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
// (pipeline): on PostgreSQL it holds its connection, whose pgx interface
// pipeline reaches.
func (s *Store) InBatchTx(ctx context.Context, fn func(s *Store) error) error {
	if s.batch == nil || s.tx != nil {
		return s.InTx(ctx, fn)
	}
	conn, err := s.batch.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	txs := *s
	txs.tx, txs.conn = tx, conn
	if err := fn(&txs); err != nil {
		tx.Rollback()
		return err
	}
	// After a pipeline's commit (commitSteps), this commits the
	// transaction that waits for the batch to be on disk.
	return tx.Commit()
}

// batchPlans says when the batch connection's plans are made again. The
// connection prepares its statements, and after five runs PostgreSQL keeps
// one plan for any arguments, made with the tables as they were then: a
// plan made while an event was empty read its whole range for each
// address once it had thousands (46 ms a batch at 30,000). LockEvents reads
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
		return dc.(*stdlib.Conn).Conn().SendBatch(ctx, b).Close()
	})
}

// commitSteps end a transaction of InBatchTx in the pipeline of its last
// writes (BatchInfo.Commit), and hold its answers until it is on disk
// while the event's lock is already free. The transaction commits without
// waiting for the disk (synchronous_commit off), so PostgreSQL releases
// its locks as soon as the commit is in the log, not once the log is
// flushed. A second transaction, begun in the same round trip, writes a
// record of its own after it (a logical message, which nothing reads), and
// InBatchTx commits that one as every transaction commits, waiting for
// the disk. The log is flushed in order: when that commit returns, the
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
	}
}

// LockEvents takes, in the transaction, the locks of the events' seats
// (lockEvent), in the order of their ids whatever the order of ids. On
// SQLite the transaction already holds the only writer. In a batch of
// InBatchTx on PostgreSQL, the same round trip reads how many
// registrations were made, for the connection's plans (batchPlans).
func (s *Store) LockEvents(ctx context.Context, ids []int64) error {
	if s.tx == nil {
		return errors.New("store: locking events needs a transaction")
	}
	if s.dialect.name != "postgres" || len(ids) == 0 {
		return nil
	}
	lock := step{query: "SELECT id FROM events WHERE id" + s.dialect.inIDs(1) + " ORDER BY id FOR UPDATE", args: []any{s.dialect.idList(ids)}}
	if s.conn == nil || s.plans == nil { // not a batch of InBatchTx
		return s.pipeline(ctx, lock)
	}
	var made int64
	if err := s.pipeline(ctx, step{query: sequenceRead, row: func(scan func(...any) error) error { return scan(&made) }}, lock); err != nil {
		return err
	}
	return s.plans.refresh(ctx, s.tx, made)
}
