package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The set path of registration: the submissions of a batch for one event
// decided together, under one lock, in Go and in the order they came, and
// written in a few statements for the whole batch, where Register costs a
// score of statements for each. On PostgreSQL each statement is a round
// trip made while the event is locked: the batch's cost is what limits how
// many people register a second.

// Submission is one registration of a batch.
type Submission struct {
	R       *rencontres.Registration
	Now     time.Time
	AnyTime bool
	// Loc is the event's clock, in which a refusal for the form's dates
	// says them; read from the event when nil.
	Loc *time.Location
	// Scope, Key and Request are the idempotency key as IdempotentRequest
	// takes them; Key may be empty.
	Scope, Key, Request string

	// Err is the refusal decided for it: nothing of it is written.
	Err error
	// Replayed is set when Key had been used: Body is the first call's.
	Replayed bool
	Body     []byte

	taken   bool  // its key was written by this batch
	invalid error // the faults of the person's own fields
}

// sessionSeats is what deciding a choice needs of a session.
type sessionSeats struct {
	rencontres.Session
	capacity, taken int
	seq, lastPos    int
	// starved is set when someone with a seat at the event waits for the
	// session while it has one free: fill has work the set path leaves to
	// the per-submission path.
	starved bool
}

// BatchInfo is what telling a batch's registrations needs, read with it:
// the form and the series' sender (the emails' From and Reply-To), the
// contacts of its authorities, the webhook endpoints.
type BatchInfo struct {
	Form                        *rencontres.RegistrationForm
	SeriesSender, SeriesReplyTo string
	Contacts                    map[string][]*rencontres.User
	Endpoints                   []*rencontres.WebhookEndpoint

	// Commit, set by the caller, says that TellBatch writes the last of
	// the transaction: in InBatchTx on PostgreSQL it then sends the
	// commit with the writes, in the same round trip, and the event's
	// lock is released a round trip sooner. Nothing may be written in the
	// transaction after it.
	Commit bool

	// pending writes the registrations, with what TellBatch writes.
	pending []step
}

// RegisterBatch registers, in the caller's transaction, the longest
// prefix of subs it can decide by itself, and returns its length: each of
// them is registered, refused (Err) or replayed. The first of the rest, if
// any, is for the per-submission path (Register under a savepoint), after
// which RegisterBatch takes the others: a submission for another event
// than the first's, one whose key an earlier one of the batch uses, or a
// batch arriving while the waiting lists have seats to give (after a
// change made outside registration) stops it. The registered ones are
// given their ids and filled in as Registration returns them, but written
// only by TellBatch, which the caller must then call (when any was
// registered), with their confirmations, audit entries and webhooks.
//
// In InBatchTx on PostgreSQL, a batch costs two round trips under the
// event's lock: one for every read (the keys taken first, then the
// event's lock, then the ids of the new rows), and TellBatch's, which
// writes everything and, when the caller sets Commit, commits.
func (s *Store) RegisterBatch(ctx context.Context, subs []*Submission) (int, *BatchInfo, error) {
	if len(subs) == 0 {
		return 0, nil, nil
	}
	event := subs[0].R.EventID
	seen := map[[2]string]bool{}
	for i, sub := range subs {
		k := [2]string{sub.Scope, sub.Key}
		if sub.R.EventID != event || sub.Key != "" && seen[k] {
			subs = subs[:i]
			break
		}
		seen[k] = sub.Key != ""
	}
	st, info, err := s.readBatch(ctx, event, subs)
	if err != nil || st == nil {
		if err == nil {
			err = s.pipeline(ctx, releaseKeys(subs, func(*Submission) bool { return true }))
		}
		return 0, nil, err
	}
	var accepted []*Submission
	for _, sub := range subs {
		if sub.Err != nil || sub.Replayed {
			continue
		}
		if sub.Err = st.decide(sub); sub.Err == nil {
			accepted = append(accepted, sub)
		}
	}
	release := releaseKeys(subs, func(sub *Submission) bool { return sub.Err != nil })
	if len(accepted) == 0 {
		return len(subs), info, s.pipeline(ctx, release)
	}
	info.pending = writeBatch(st, accepted, release)
	return len(subs), info, nil
}

// keySteps are the statements that take the batch's idempotency keys, in
// one order whatever the instance so that two batches never wait for each
// other's keys in a circle. A key already there is the first call's,
// replayed (or refused if sent with another request): finish reads those
// the insert did not take, once it has run (a replay is rare; a batch of
// new keys reads none).
func keySteps(subs []*Submission) (steps []step, finish func() *step) {
	var keyed []*Submission
	for _, sub := range subs {
		switch {
		case sub.Key == "":
		case len(sub.Key) > 200:
			sub.Err = &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_idempotency_key", Field: "Idempotency-Key", Message: "the key is longer than 200 characters"}
		default:
			keyed = append(keyed, sub)
		}
	}
	if len(keyed) == 0 {
		return nil, func() *step { return nil }
	}
	slices.SortFunc(keyed, func(a, b *Submission) int {
		return strings.Compare(a.Scope+"\x00"+a.Key, b.Scope+"\x00"+b.Key)
	})
	byKey := map[[2]string]*Submission{}
	for _, sub := range keyed {
		byKey[[2]string{sub.Scope, sub.Key}] = sub
	}
	first := func(scan func(...any) error) error {
		var k [2]string
		var body, request string
		if err := scan(&k[0], &k[1], &body, &request); err != nil {
			return err
		}
		if sub := byKey[k]; sub != nil {
			if sub.Request != "" && request != "" && sub.Request != request {
				sub.Err = ErrKeyReused
			} else {
				sub.Replayed, sub.Body = true, []byte(body)
			}
		}
		return nil
	}
	now := ts(time.Now())
	var args []any
	var rows []string
	for _, sub := range keyed {
		args = append(args, sub.Scope, sub.Key, now, sub.Request)
		rows = append(rows, fmt.Sprintf("($%d, $%d, 0, '', $%d, $%d)", len(args)-3, len(args)-2, len(args)-1, len(args)))
	}
	steps = append(steps, step{query: `INSERT INTO idempotency_keys (scope, key, status, body, created_at, request) VALUES ` + strings.Join(rows, ", ") + `
		ON CONFLICT (scope, key) DO NOTHING RETURNING scope, key`, args: args, row: func(scan func(...any) error) error {
		var k [2]string
		if err := scan(&k[0], &k[1]); err != nil {
			return err
		}
		if sub := byKey[k]; sub != nil {
			sub.taken = true
		}
		return nil
	}})
	return steps, func() *step {
		var again []*Submission
		for _, sub := range keyed {
			if !sub.taken {
				again = append(again, sub)
			}
		}
		if len(again) == 0 {
			return nil
		}
		where, args := idempotencyKeys(again)
		return &step{query: "SELECT scope, key, body, request FROM idempotency_keys WHERE " + where, args: args, row: first}
	}
}

// idempotencyKeys is a condition matching the keys of subs, and its arguments.
func idempotencyKeys(subs []*Submission) (string, []any) {
	var args []any
	var marks []string
	for _, sub := range subs {
		args = append(args, sub.Scope, sub.Key)
		marks = append(marks, fmt.Sprintf("($%d, $%d)", len(args)-1, len(args)))
	}
	return "(scope, key) IN (" + strings.Join(marks, ", ") + ")", args
}

// releaseKeys removes the keys this batch took for the submissions which:
// a refused call takes no key.
func releaseKeys(subs []*Submission, which func(*Submission) bool) step {
	var out []*Submission
	for _, sub := range subs {
		if sub.taken && which(sub) {
			out = append(out, sub)
			sub.taken = false
		}
	}
	if len(out) == 0 {
		return step{}
	}
	where, args := idempotencyKeys(out)
	return step{query: "DELETE FROM idempotency_keys WHERE " + where, args: args}
}

// finishKeys writes the answer of each registered submission under its
// key (status and body, by submission): one upsert over the keys this
// batch took, each found by the key's own index entry (a DELETE of them
// as one IN list read the index once per key and then every match again).
func finishKeys(subs []*Submission, status int, body func(*Submission) []byte) []step {
	now := ts(time.Now())
	var rows [][]any
	for _, sub := range subs {
		if sub.taken {
			rows = append(rows, []any{sub.Scope, sub.Key, status, string(body(sub)), now, sub.Request})
		}
	}
	return rowSteps("idempotency_keys", []string{"scope", "key", "status", "body", "created_at", "request"}, rows,
		" ON CONFLICT (scope, key) DO UPDATE SET status = excluded.status, body = excluded.body, created_at = excluded.created_at")
}

// bulk is where the statements of a batch go: the transaction itself. On
// SQLite they are not prepared, since their text changes with the size of
// the batch and would fill the statement cache.
func (s *Store) bulk() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.db
}

// scanRows runs a query on bulk and hands each row to fn.
func (s *Store) scanRows(ctx context.Context, query string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := s.bulk().QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// values is a VALUES list of n rows of one parameter each, from $from+1.
func values(from, n int) string {
	var b strings.Builder
	b.Grow(n * 8)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		appendIn(&b, from+i, 1)
	}
	return b.String()
}

// in is a list of n parameters from $from+1. A batch's statements hold
// hundreds, written while the event is locked: they are written into one
// buffer (fmt and a join per parameter took a tenth of the batch's time
// in Go).
func in(from, n int) string {
	var b strings.Builder
	b.Grow(n*6 + 2)
	appendIn(&b, from, n)
	return b.String()
}

// appendIn writes in(from, n) to b.
func appendIn(b *strings.Builder, from, n int) {
	b.WriteByte('(')
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(from + i + 1))
	}
	b.WriteByte(')')
}

// batchJSON is the text of a registration's answers as Register stores them.
func batchJSON(answers map[string]string) string {
	b, _ := json.Marshal(answers)
	return string(b)
}
