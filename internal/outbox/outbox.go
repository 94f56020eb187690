// Package outbox sends the product's email durably. Whatever must be told
// by email is first a row of the database's outbox, written in the same
// transaction as what it tells; a worker in every instance claims the rows
// that are due, sends them through the configured transport (SMTP, or .eml
// files), and records the server's answer: sent, failed for good, or queued
// again with back-off. A message survives restarts and kill -9, and two
// instances sharing PostgreSQL never send the same message, since a claim
// holds a row until its lease ends.
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// secretKinds are the kinds of message whose content is a credential: it
// is dropped from the outbox once sent.
var secretKinds = map[string]bool{"sign-in-link": true}

// Renderer renders a deferred message when it is sent. A nil message with
// no error means there is nothing left to tell: the row is cancelled.
type Renderer func(ctx context.Context, m *rencontres.QueuedMail) (*mail.Message, error)

// Worker sends the outbox's messages.
type Worker struct {
	st        *store.Store
	transport mail.Sender
	log       *slog.Logger
	renderers map[string]Renderer
	wake      chan struct{}

	// Rate is the most messages all instances together send in a second;
	// 0 is no limit. Mail servers and providers throttle senders that go
	// faster than agreed.
	Rate int
	// Lease is how long a claim holds a message: a worker that dies while
	// sending leaves it to another after that.
	Lease time.Duration
	// Poll is how often the worker looks for messages that other
	// instances queued, or whose delay has passed.
	Poll time.Duration
	// MaxAttempts is how many times a message is tried before it fails.
	MaxAttempts int
	// Backoff is the delay after the first failed attempt; it doubles at
	// each attempt, up to an hour.
	Backoff time.Duration
	// Parallel is how many messages are sent at once, each on its own SMTP
	// connection (mail.DefaultConns unless --smtp-connections says).
	Parallel int
	// Now is the clock; Pause waits between two messages to keep to the
	// rate. Tests set both.
	Now   func() time.Time
	Pause func(ctx context.Context, d time.Duration)
}

// New returns a worker sending through transport.
func New(st *store.Store, transport mail.Sender, log *slog.Logger) *Worker {
	return &Worker{st: st, transport: transport, log: log, renderers: map[string]Renderer{}, wake: make(chan struct{}, 1),
		Rate: 20, Parallel: mail.DefaultConns, Lease: 2 * time.Minute, Poll: time.Second, MaxAttempts: 8, Backoff: 30 * time.Second, Now: time.Now, Pause: pause}
}

// Handle sets the renderer of the deferred messages of a kind.
func (w *Worker) Handle(kind string, r Renderer) { w.renderers[kind] = r }

// Wake tells the worker that messages were queued, so that it sends them
// now rather than at its next poll.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Message makes a queued message of a rendered one.
func Message(kind string, lang rencontres.Lang, m *mail.Message) (*rencontres.QueuedMail, error) {
	if len(m.To) == 0 {
		return nil, errors.New("outbox: the message has no recipient")
	}
	payload, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return &rencontres.QueuedMail{Kind: kind, ToEmail: m.To[0].Email, ToName: m.To[0].Name, Lang: lang, Payload: payload}, nil
}

// Sender is a mail.Sender that queues: callers outside any transaction
// (a sign-in link) get the same durability and retries as the others.
func (w *Worker) Sender() mail.Sender { return queueSender{w} }

type queueSender struct{ w *Worker }

func (q queueSender) Send(ctx context.Context, m *mail.Message) error {
	qm, err := Message(m.Headers["X-Rencontres-Kind"], "", m)
	if err != nil {
		return err
	}
	if err := q.w.st.EnqueueMail(ctx, q.w.Now(), qm); err != nil {
		return err
	}
	q.w.Wake()
	return nil
}

// Run sends messages as they become due until ctx ends. On SQLite, which
// one process serves, the messages a killed process was sending are due
// again at once; on PostgreSQL, when their lease ends, since another
// instance may still be sending them.
func (w *Worker) Run(ctx context.Context) {
	if w.st.Dialect() == "sqlite" {
		if n, err := w.st.RecoverMail(ctx); err != nil {
			w.log.Error("outbox recovery", "err", err)
		} else if n > 0 {
			w.log.Info("outbox: messages left mid-send are queued again", "messages", n)
		}
	}
	for {
		_, full, err := w.sendDue(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.Error("outbox", "err", err)
		}
		wait, woken := w.rest(ctx, full)
		wake := w.wake
		if !woken {
			wake = nil // kept for after the wait
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// rest is how long Run waits after sendDue, and whether a wake (messages
// just queued) ends the wait. When the rate's second is full (full, when
// it has room again), until it has room, whatever is queued meanwhile: a burst of registrations wakes
// the worker at every batch, and it looked at the outbox a hundred times
// a second, each look walking the queue's index past the entries of
// messages sent since the last vacuum. Otherwise until the next
// message's delay has passed, or the next poll.
func (w *Worker) rest(ctx context.Context, full time.Time) (time.Duration, bool) {
	if !full.IsZero() {
		return min(w.Poll, max(full.Sub(w.Now()), time.Millisecond)), false
	}
	wait := w.Poll
	if next, err := w.st.NextMailDue(ctx); err == nil && !next.IsZero() {
		wait = min(wait, max(next.Sub(w.Now()), 10*time.Millisecond))
	}
	return wait, true
}

// batch is how many messages a worker claims at a time for each message
// it sends at once: enough that claims are few at full speed, few enough
// that a worker dying mid-batch delays few messages. A message whose lease
// is nearly over when its turn comes (a server slow enough to hold a batch
// that long) goes back to the queue unsent (deliver).
const batch = 8

// SendDue sends every message that is due now, within the rate, and
// returns how many it handled. Tests call it to flush the outbox.
//
// With no rate to keep, the next messages are claimed while the last ones
// are still being sent, so that the connections never stand idle waiting
// for a claim or for the slowest message of a batch. With a rate, each
// claim waits until what the last one claimed is sent and recorded: the
// claim counts the messages all instances sent in the last second, and one
// still being sent would not be counted.
func (w *Worker) SendDue(ctx context.Context) (int, error) {
	n, _, err := w.sendDue(ctx)
	return n, err
}

// sendDue is SendDue, also saying, when it stopped because all instances
// had sent Rate messages in the last second, when that second has room
// again (zero otherwise).
func (w *Worker) sendDue(ctx context.Context) (int, time.Time, error) {
	parallel := max(w.Parallel, 1)
	var c claimer
	if w.Rate <= 0 {
		n, err := w.sendAll(ctx, parallel, func() ([]*rencontres.QueuedMail, error) {
			return c.claim(ctx, w, batch*parallel)
		})
		return n, time.Time{}, err
	}
	handled := 0
	for ctx.Err() == nil {
		n, first, err := w.st.MailSentSince(ctx, w.Now().Add(-time.Second))
		if err != nil {
			return handled, time.Time{}, err
		}
		limit := min(batch*parallel, w.Rate-n)
		if limit <= 0 {
			return handled, first.Add(time.Second), nil // Run goes on once the first of them is a second old
		}
		msgs, err := c.claim(ctx, w, limit)
		if err != nil || len(msgs) == 0 {
			return handled, time.Time{}, err
		}
		if ctx.Err() != nil { // stopped while it claimed
			w.release(msgs)
			break
		}
		n, err = w.sendAll(ctx, min(parallel, len(msgs)), func() ([]*rencontres.QueuedMail, error) {
			claimed := msgs
			msgs = nil
			return claimed, nil
		})
		handled += n
		if err != nil {
			return handled, time.Time{}, err
		}
	}
	return handled, time.Time{}, ctx.Err()
}

// claimer claims a worker's messages after its last claim, and from the
// start of the queue when that finds too few (store.ClaimMailAfter).
type claimer struct {
	place *store.MailPlace
}

// claim claims up to limit messages. It is not cut short when the worker
// stops: a statement whose context is cancelled may still run to its end
// in the database, and the messages it claimed, which the worker never
// heard of, would wait under their lease (a message handed back by a
// stopping connection was claimed again so, and stranded). The caller
// gives back what a claim returns once the worker has stopped.
func (c *claimer) claim(ctx context.Context, w *Worker, limit int) ([]*rencontres.QueuedMail, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var msgs []*rencontres.QueuedMail
	if c.place != nil {
		var err error
		if msgs, err = w.st.ClaimMailAfter(ctx, w.Now(), w.Lease, limit, *c.place); err != nil {
			return nil, err
		}
	}
	if len(msgs) < limit {
		more, err := w.st.ClaimMail(ctx, w.Now(), w.Lease, limit-len(msgs))
		if err != nil && len(msgs) == 0 {
			return nil, err
		} // else those claimed are sent, and the next claim meets the error again
		msgs = append(more, msgs...)
	}
	for _, m := range msgs {
		if p := store.Place(m); c.place == nil || p.NotBefore.After(c.place.NotBefore) || p.NotBefore.Equal(c.place.NotBefore) && p.ID > c.place.ID {
			c.place = &p
		}
	}
	return msgs, nil
}

// claimed is a claimed message and when its lease ends.
type claimed struct {
	m     *rencontres.QueuedMail
	until time.Time
}

// sendAll delivers the messages claim gives, batch after batch until it
// gives none, parallel at once, in the order of the queue. When the worker
// stops, or a result cannot be recorded, the messages claimed but not yet
// tried are given back. The messages the server accepted are recorded
// together by one goroutine: while it writes, those accepted meanwhile
// wait for the next statement, so that a statement records many at high
// rates and each is recorded as soon as it can be.
func (w *Worker) sendAll(ctx context.Context, parallel int, claim func() ([]*rencontres.QueuedMail, error)) (int, error) {
	var (
		mu       sync.Mutex
		handled  int
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
		}
	}
	failed := func() bool { mu.Lock(); defer mu.Unlock(); return firstErr != nil }
	accepted := make(chan *rencontres.QueuedMail, batch*parallel)
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		for m := range accepted {
			group := []*rencontres.QueuedMail{m}
		more:
			for {
				select {
				case m, ok := <-accepted:
					if !ok {
						break more
					}
					group = append(group, m)
				default:
					break more
				}
			}
			if err := w.recordSent(ctx, group); err != nil {
				fail(err)
				continue
			}
			mu.Lock()
			handled += len(group)
			mu.Unlock()
		}
	}()
	// A batch waits here while the last is sent, so that a connection
	// that finishes a message finds the next at once.
	next := make(chan claimed, batch*parallel)
	for range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				m := c.m
				sent, err := w.deliver(ctx, m, c.until)
				switch {
				case err != nil:
					fail(err)
				case sent:
					accepted <- m
				default:
					mu.Lock()
					handled++
					mu.Unlock()
				}
				if err == nil && w.Rate > 0 {
					w.Pause(ctx, time.Duration(parallel)*time.Second/time.Duration(w.Rate))
				}
			}
		}()
	}
feed:
	for ctx.Err() == nil && !failed() {
		until := w.Now().Add(w.Lease) // the claim's lease ends after this
		msgs, err := claim()
		if err != nil {
			fail(err)
			break
		}
		if len(msgs) == 0 {
			break
		}
		for i, m := range msgs {
			if ctx.Err() != nil || failed() {
				w.release(msgs[i:])
				break feed
			}
			next <- claimed{m, until}
		}
	}
	close(next)
	wg.Wait()
	close(accepted)
	<-recorded
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return handled, firstErr
}

// recordSent records messages the server accepted, in one statement,
// with the webhooks' deliveries of campaign letters in its transaction
// when an endpoint hears them. It records even when the worker is being
// stopped: a message the server accepted as the stop came must be marked
// sent, or it would go again at the next start.
func (w *Worker) recordSent(ctx context.Context, msgs []*rencontres.QueuedMail) error {
	record, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	var keep, scrub []int64
	var events []store.HookEvent
	for _, m := range msgs {
		if secretKinds[m.Kind] {
			scrub = append(scrub, m.ID)
		} else {
			keep = append(keep, m.ID)
		}
		events = appendCampaignEvent(events, m, rencontres.HookRecipientSent, "")
	}
	if len(events) == 0 { // one statement: no transaction to open
		return w.st.MailsSent(record, w.Now(), keep, scrub)
	}
	return w.st.InTx(record, func(tx *store.Store) error {
		if err := tx.MailsSent(record, w.Now(), keep, scrub); err != nil {
			return err
		}
		return tx.EnqueueWebhooks(record, events, w.Now())
	})
}

// appendCampaignEvent adds what became of a campaign's letter to the
// events to tell the webhooks; a message of no campaign tells nothing.
func appendCampaignEvent(events []store.HookEvent, m *rencontres.QueuedMail, hook, answer string) []store.HookEvent {
	if m.CampaignID == 0 {
		return events
	}
	data := map[string]any{"campaign_id": m.CampaignID, "recipient_id": m.RecipientID, "email": m.ToEmail}
	if answer != "" {
		data["answer"] = answer
	}
	return append(events, store.HookEvent{Type: hook, Data: data})
}

func pause(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// release gives back messages claimed but not tried, when the worker
// stops: they are due again at once rather than after the lease.
func (w *Worker) release(msgs []*rencontres.QueuedMail) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, m := range msgs {
		if err := w.st.MailRetry(ctx, m.ID, m.LastError, w.Now()); err != nil {
			w.log.Error("outbox release", "id", m.ID, "err", err)
		}
	}
}

// ID is the left part of a queued message's Message-ID, and its file name
// in the .eml outbox: its creation time and number, the same at every
// attempt, so that a message sent again after a crash is recognisable.
func ID(m *rencontres.QueuedMail) string {
	return fmt.Sprintf("%s-%d", m.Created.UTC().Format("20060102T150405.000000Z"), m.ID)
}

// deliver renders and sends one claimed message. It reports sent when the
// server accepted it, for the caller to record; it records any other
// outcome itself. Only a failure to record is returned.
func (w *Worker) deliver(ctx context.Context, m *rencontres.QueuedMail, until time.Time) (sent bool, err error) {
	// The outcome is recorded even when the worker is being stopped: a
	// message the server accepted as the stop came must be marked sent,
	// or it would go again at the next start.
	record, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if ctx.Err() != nil { // stopped while it waited its turn
		w.release([]*rencontres.QueuedMail{m})
		return false, ctx.Err()
	}
	msg, err := w.render(ctx, m)
	if err != nil && ctx.Err() != nil {
		w.release([]*rencontres.QueuedMail{m})
		return false, ctx.Err()
	}
	if err != nil {
		// A letter that cannot be written (its font gone, its event
		// deleted) fails for good: said in the log, not only in the row.
		w.log.Error("mail not rendered", "id", m.ID, "kind", m.Kind, "to", m.ToEmail, "err", err)
		return false, w.st.MailFailed(record, m.ID, rencontres.MailFailed, "render: "+err.Error())
	}
	if msg == nil {
		return false, w.st.MailFailed(record, m.ID, rencontres.MailCancelled, "nothing to tell")
	}
	if w.Now().Add(w.Lease / 4).After(until) {
		// Its lease ends before a conversation at the SMTP timeout would:
		// another instance may claim it then, so it goes back to the queue
		// rather than risk being sent twice. Only a server slow enough to
		// hold a batch for most of a lease comes here.
		w.log.Warn("outbox: lease nearly over before sending; message queued again", "id", m.ID)
		w.release([]*rencontres.QueuedMail{m})
		return false, nil
	}
	msg.ID = ID(m)
	err = w.transport.Send(ctx, msg)
	switch {
	case err == nil:
		return true, nil
	case ctx.Err() != nil:
		w.release([]*rencontres.QueuedMail{m})
		return false, ctx.Err()
	case mail.Permanent(err) || m.Attempts >= w.MaxAttempts:
		w.log.Warn("mail failed", "id", m.ID, "to", m.ToEmail, "attempts", m.Attempts, "err", err)
		return false, w.st.InTx(record, func(tx *store.Store) error {
			if err := tx.MailFailed(record, m.ID, rencontres.MailFailed, answer(err)); err != nil {
				return err
			}
			return tx.EnqueueWebhooks(record, appendCampaignEvent(nil, m, rencontres.HookRecipientFailed, answer(err)), w.Now())
		})
	default:
		next := w.Now().Add(w.backoff(m.Attempts))
		w.log.Info("mail deferred", "id", m.ID, "to", m.ToEmail, "attempts", m.Attempts, "next", next, "err", err)
		return false, w.st.MailRetry(record, m.ID, answer(err), next)
	}
}

func (w *Worker) render(ctx context.Context, m *rencontres.QueuedMail) (*mail.Message, error) {
	if !m.Deferred {
		var msg mail.Message
		if err := json.Unmarshal(m.Payload, &msg); err != nil {
			return nil, err
		}
		return &msg, nil
	}
	r := w.renderers[m.Kind]
	if r == nil {
		return nil, fmt.Errorf("no renderer for %q", m.Kind)
	}
	return r(ctx, m)
}

// backoff is the delay after the n-th failed attempt.
func (w *Worker) backoff(n int) time.Duration {
	d := w.Backoff
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// answer is what a failed attempt records: the server's answer, on one
// line, without our own prefixes.
func answer(err error) string {
	s := strings.ReplaceAll(err.Error(), "\r\n", " ")
	return strings.ReplaceAll(s, "\n", " ")
}
