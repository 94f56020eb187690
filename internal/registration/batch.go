package registration

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// The batches of registrations: the set path (store.RegisterBatch), which
// decides a batch for one event together and writes it, with its
// confirmations, audit entries and webhooks, in a few statements; and the
// per-submission path (register, under a savepoint) for what the set path
// leaves to it.

// runBatch registers a batch in one transaction, and returns the
// submissions it set aside for the next. It first locks the batch's events
// (in the order of their ids, so that two instances lock events in one
// order), then takes into the batch the submissions for those events that
// came while it waited: when another instance holds an event, the batch
// that waited for it goes with all that came meanwhile, where it went with
// the few there were when it began, and paid a commit for each few (a
// batch's cost is nearly all a commit's and round trips', whatever its
// size). Submissions for other events wait for the next batch. Within an
// event they are taken in the order they came.
func (s *Service) runBatch(batch []*job) (held []*job) {
	ctx := context.Background()
	jobs := batch
	var out []outcome
	start := time.Now()
	var lockedAt, released time.Time
	locked := map[int64]bool{}
	var ids []int64
	for _, j := range batch {
		if !locked[j.r.EventID] {
			locked[j.r.EventID] = true
			ids = append(ids, j.r.EventID)
		}
	}
	err := s.st.InBatchTx(ctx, ids, func(tx *store.Store) error {
		defer func() { released = time.Now() }()
		lockedAt = time.Now()
		jobs = s.drain(batch, locked, &held)
		slices.SortStableFunc(jobs, func(a, b *job) int { return cmp.Compare(a.r.EventID, b.r.EventID) })
		out = make([]outcome, len(jobs))
		for i := 0; i < len(jobs); {
			n, err := s.registerSet(ctx, tx, jobs[i:], out[i:])
			if err != nil {
				return err
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
	s.metrics.observe(len(jobs), start, lockedAt, released)
	if len(out) < len(jobs) {
		out = make([]outcome, len(jobs))
	}
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
	return held
}

// registerSet registers the longest prefix of jobs the set path decides,
// with their emails, audit entries and webhooks, and returns its length.
func (s *Service) registerSet(ctx context.Context, tx *store.Store, jobs []*job, out []outcome) (int, error) {
	subs := make([]*store.Submission, len(jobs))
	for i, j := range jobs {
		subs[i] = &store.Submission{R: j.r, Now: j.now, AnyTime: j.anyTime, Loc: j.e.Location(), Scope: scope(j.a), Key: j.key, Request: j.request}
	}
	n, info, err := tx.RegisterBatch(ctx, subs)
	if err != nil || n == 0 {
		return 0, err
	}
	subs = subs[:n]
	// When the set path takes every job and no endpoint hears of new
	// delegations, the batch's writes are the transaction's last: they go
	// with its commit, in the same round trip.
	info.Commit = n == len(jobs) && !slices.ContainsFunc(info.Endpoints, func(e *rencontres.WebhookEndpoint) bool { return e.Hears(rencontres.HookRecipientRegistered) })
	var done []*job
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
			done = append(done, jobs[i])
		}
	}
	if len(done) == 0 {
		return n, nil
	}
	return n, s.tellBatch(ctx, tx, done, info, subs)
}

// tellBatch writes what tells the registrations of a batch for one event,
// as queue and audit do for one: each person's confirmation, their
// delegation's summary to its contacts, the audit entries, the webhooks;
// then each one's answer under its key. A new registration promotes no one
// (the set path runs only when no seat waits for someone), so there are no
// promotions to tell.
func (s *Service) tellBatch(ctx context.Context, tx *store.Store, jobs []*job, info *store.BatchInfo, subs []*store.Submission) error {
	e := jobs[0].e
	from, replyTo := mail.EventSender(s.From, mail.SenderSettings{SenderName: info.Form.SenderName, ReplyTo: info.Form.ReplyTo, Contact: info.Form.Contact,
		SeriesSenderName: info.SeriesSender, SeriesReplyTo: info.SeriesReplyTo})
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
		for _, m := range append([]*rencontres.QueuedMail{m}, s.digests(e, r.OrgKey, info.Contacts[r.OrgKey], j.now)...) {
			m.Created = j.now.UTC()
			msgs = append(msgs, m)
		}
		entries = append(entries, auditEntry(j.a, "registration.create", r, j.now))
		events = append(events, store.HookEvent{Type: hookTypes["registered"], Data: hookOf(r, 0)})
		added[r.DelegationID]++
	}
	bodies := map[*rencontres.Registration][]byte{}
	for _, j := range jobs {
		b, err := json.Marshal(j.r)
		if err != nil {
			return err
		}
		bodies[j.r] = b
	}
	now := jobs[len(jobs)-1].now
	if err := tx.TellBatch(ctx, info, msgs, entries, events, now, subs, http.StatusCreated,
		func(sub *store.Submission) []byte { return bodies[sub.R] }); err != nil {
		return err
	}
	if slices.ContainsFunc(info.Endpoints, func(e *rencontres.WebhookEndpoint) bool { return e.Hears(rencontres.HookRecipientRegistered) }) {
		return tx.TellRecipientsRegisteredBatch(ctx, e.ID, added, now)
	}
	return nil
}
