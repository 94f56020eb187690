package registration

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// The batches of registrations: the set path (store.RegisterBatch), which
// decides a batch for one event together and writes it, with its
// confirmations, audit entries and webhooks, in a few statements; and the
// per-submission path (register, under a savepoint) for what the set path
// leaves to it.

// runBatch registers a batch in one transaction. Its submissions are taken
// event by event, in the order of the events' ids (so that two instances
// lock events in one order), and within an event in the order they came.
func (s *Service) runBatch(batch []*job) {
	ctx := context.Background()
	order := make([]int, len(batch))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return int(batch[a].r.EventID - batch[b].r.EventID) })
	jobs := make([]*job, len(batch))
	for i, k := range order {
		jobs[i] = batch[k]
	}
	out := make([]outcome, len(jobs))
	t0 := time.Now()
	var t1 time.Time
	defer func() {
		if os.Getenv("REGDEBUG") != "" {
			fmt.Fprintf(os.Stderr, "tx %v commit %v\n", t1.Sub(t0), time.Since(t1))
		}
	}()
	err := s.st.InTx(ctx, func(tx *store.Store) error {
		defer func() { t1 = time.Now() }()
		for i := 0; i < len(jobs); {
			n, err := s.registerSet(ctx, tx, jobs[i:], out[i:])
			if err != nil {
				return err
			}
			if os.Getenv("REGDEBUG") != "" {
				fmt.Fprintf(os.Stderr, "batch %d set %d at %d\n", len(jobs), n, i)
			}
			if i += n; i == len(jobs) {
				break
			}
			j := jobs[i]
			fnErr, err := tx.Savepoint(j.ctx, func() error {
				res, err := s.register(j.ctx, tx, j)
				out[i].res = res
				return err
			})
			if err != nil {
				return err
			}
			out[i].err = fnErr
			i++
		}
		return nil
	})
	wake := false
	for i, j := range jobs {
		if err != nil {
			out[i] = outcome{err: err}
		}
		wake = wake || out[i].err == nil && !out[i].res.Replayed
		j.done <- out[i]
	}
	if wake {
		s.outbox.Wake()
	}
}

// registerSet registers the longest prefix of jobs the set path decides,
// with their emails, audit entries and webhooks, and returns its length.
func (s *Service) registerSet(ctx context.Context, tx *store.Store, jobs []*job, out []outcome) (int, error) {
	subs := make([]*store.Submission, len(jobs))
	for i, j := range jobs {
		subs[i] = &store.Submission{R: j.r, Now: j.now, AnyTime: j.anyTime, Scope: scope(j.a), Key: j.key, Request: j.request}
	}
	t0 := time.Now()
	n, err := tx.RegisterBatch(ctx, subs)
	if os.Getenv("REGDEBUG") != "" {
		fmt.Fprintf(os.Stderr, "registerBatch %v\n", time.Since(t0))
	}
	if err != nil || n == 0 {
		return 0, err
	}
	subs = subs[:n]
	var done []*store.Submission
	var dj []*job
	for i, sub := range subs {
		switch {
		case sub.Err != nil:
			out[i] = outcome{err: sub.Err}
		case sub.Replayed:
			var first rencontres.Registration
			if err := json.Unmarshal(sub.Body, &first); err != nil {
				return 0, err
			}
			out[i] = outcome{res: &Result{Registration: &first, Replayed: true}}
		default:
			out[i] = outcome{res: &Result{Registration: sub.R}}
			done = append(done, sub)
			dj = append(dj, jobs[i])
		}
	}
	if len(done) == 0 {
		return n, nil
	}
	if err := s.tellBatch(ctx, tx, dj); err != nil {
		return 0, err
	}
	bodies := map[*store.Submission][]byte{}
	for _, sub := range done {
		b, err := json.Marshal(sub.R)
		if err != nil {
			return 0, err
		}
		bodies[sub] = b
	}
	return n, tx.FinishKeys(ctx, subs, http.StatusCreated, func(sub *store.Submission) []byte { return bodies[sub] })
}

// tellBatch writes what tells the registrations of a batch for one event,
// as queue and audit do for one: each person's confirmation, their
// delegation's summary to its contacts, the audit entries, the webhooks.
// A new registration promotes no one (the set path runs only when no seat
// waits for someone), so there are no promotions to tell.
func (s *Service) tellBatch(ctx context.Context, tx *store.Store, jobs []*job) error {
	e := jobs[0].e
	from, replyTo, err := s.sender(ctx, tx, e.ID)
	if err != nil {
		return err
	}
	var orgs []string
	for _, j := range jobs {
		if !slices.Contains(orgs, j.r.OrgKey) {
			orgs = append(orgs, j.r.OrgKey)
		}
	}
	contacts, err := tx.OrgsContacts(ctx, orgs)
	if err != nil {
		return err
	}
	var msgs []*rencontres.QueuedMail
	var entries []*rencontres.AuditEntry
	var events []store.HookEvent
	added := map[int64]int{}
	for _, j := range jobs {
		r := j.r
		msg := s.personMessage(e, r, "registered")
		msg.From, msg.ReplyTo = from, replyTo
		m, err := outbox.Message("registration-registered", r.Lang, msg)
		if err != nil {
			return err
		}
		for _, m := range append([]*rencontres.QueuedMail{m}, s.digests(e, r.OrgKey, contacts[r.OrgKey], j.now)...) {
			m.Created = j.now.UTC()
			msgs = append(msgs, m)
		}
		entries = append(entries, auditEntry(j.a, "registration.create", r, j.now))
		events = append(events, store.HookEvent{Type: hookTypes["registered"], Data: hookOf(r, 0)})
		added[r.DelegationID]++
	}
	if err := tx.EnqueueMailBatch(ctx, msgs); err != nil {
		return err
	}
	if err := tx.AuditBatch(ctx, entries); err != nil {
		return err
	}
	now := jobs[len(jobs)-1].now
	if err := tx.EnqueueWebhooks(ctx, events, now); err != nil {
		return err
	}
	return tx.TellRecipientsRegisteredBatch(ctx, e.ID, added, now)
}
