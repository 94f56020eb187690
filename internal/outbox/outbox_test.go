package outbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/mail/mailtest"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// clock is a test clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// setup returns a worker sending through a real SMTP server on a test
// clock, with no pause between messages.
func setup(t testing.TB, st *store.Store) (*outbox.Worker, *mailtest.Server, *clock) {
	t.Helper()
	sink, err := mailtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	smtp, err := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: sink.Port, TLS: "none", From: mail.DefaultFrom, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	w := outbox.New(st, smtp, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c := &clock{t: time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)}
	w.Now = c.now
	w.Pause = func(context.Context, time.Duration) {}
	return w, sink, c
}

func message(t testing.TB, to, subject string) *rencontres.QueuedMail {
	t.Helper()
	m, err := outbox.Message("test", rencontres.French, &mail.Message{To: []mail.Address{{Name: "Claire DUVAL", Email: to}}, Subject: subject,
		Text: "Madame,\n\nVotre inscription est enregistrée.\n"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mailByID(t *testing.T, st *store.Store, id int64) *rencontres.QueuedMail {
	t.Helper()
	m, err := st.Mail(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Messages are sent once each, with the server's answer kept: accepted,
// refused for good (550), or deferred (451) and sent at a later attempt.
func TestSendRetryFail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w, sink, c := setup(t, st)
		w.Rate = 0
		ctx := context.Background()
		sink.Refuse("absent@example.org", 550, "5.1.1 mailbox unknown")
		sink.Refuse("full@example.org", 451, "4.2.2 mailbox full, try later")
		ok, gone, later := message(t, "claire.duval@example.org", "Inscription"), message(t, "absent@example.org", "Inscription"),
			message(t, "full@example.org", "Inscription")
		if err := st.EnqueueMail(ctx, c.now(), ok, gone, later); err != nil {
			t.Fatal(err)
		}
		if n, err := w.SendDue(ctx); err != nil || n != 3 {
			t.Fatalf("SendDue = %d, %v; want 3 handled", n, err)
		}
		if got := sink.Received(); len(got) != 1 || got[0].To[0].Email != "claire.duval@example.org" || got[0].Subject != "Inscription" {
			t.Fatalf("received %d messages: %+v", len(got), got)
		}
		if m := mailByID(t, st, ok.ID); m.Status != rencontres.MailSent || m.Sent == nil {
			t.Errorf("accepted message: %s, sent %v", m.Status, m.Sent)
		}
		if m := mailByID(t, st, gone.ID); m.Status != rencontres.MailFailed || !strings.Contains(m.LastError, "5.1.1 mailbox unknown") {
			t.Errorf("refused message: %s, %q", m.Status, m.LastError)
		}
		m := mailByID(t, st, later.ID)
		if m.Status != rencontres.MailQueued || m.Attempts != 1 || !strings.Contains(m.LastError, "mailbox full") || !m.NotBefore.Equal(c.now().Add(w.Backoff)) {
			t.Errorf("deferred message: %s, attempt %d, %q, again at %v", m.Status, m.Attempts, m.LastError, m.NotBefore)
		}
		// Not due yet: nothing is tried again.
		if n, _ := w.SendDue(ctx); n != 0 {
			t.Errorf("%d messages tried before their time", n)
		}
		// The second attempt is refused again and waits twice as long;
		// the third is accepted.
		c.add(w.Backoff)
		w.SendDue(ctx)
		if m := mailByID(t, st, later.ID); m.Attempts != 2 || !m.NotBefore.Equal(c.now().Add(2*w.Backoff)) {
			t.Errorf("after a second refusal: attempt %d, again at %v", m.Attempts, m.NotBefore)
		}
		sink.Refuse("full@example.org", 0, "")
		c.add(2 * w.Backoff)
		if n, _ := w.SendDue(ctx); n != 1 {
			t.Errorf("%d messages sent at the third attempt, want 1", n)
		}
		if m := mailByID(t, st, later.ID); m.Status != rencontres.MailSent || m.LastError != "" {
			t.Errorf("after the third attempt: %s %q", m.Status, m.LastError)
		}
		counts, _ := st.MailCounts(ctx, 0)
		if counts[rencontres.MailSent] != 2 || counts[rencontres.MailFailed] != 1 {
			t.Errorf("counts %v", counts)
		}
	})
}

// A message enqueued twice under one unique key is one message; messages
// under one merge key merge while queued, and a new one starts once the
// first has left.
func TestUniqueAndMergedMessages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w, sink, c := setup(t, st)
		w.Rate = 0
		ctx := context.Background()
		for range 2 {
			m := message(t, "claire.duval@example.org", "Invitation")
			m.UniqueKey = "campaign:1:recipient:7"
			if err := st.EnqueueMail(ctx, c.now(), m); err != nil {
				t.Fatal(err)
			}
		}
		renders := 0
		w.Handle("summary", func(ctx context.Context, m *rencontres.QueuedMail) (*mail.Message, error) {
			renders++
			var n struct{ N int }
			json.Unmarshal(m.Payload, &n)
			if n.N == 0 {
				return nil, nil // nothing left to tell
			}
			return &mail.Message{To: []mail.Address{{Email: m.ToEmail}}, Subject: fmt.Sprintf("Délégation : %d personnes", n.N), Text: "…"}, nil
		})
		summary := func(n int) {
			t.Helper()
			m := &rencontres.QueuedMail{Kind: "summary", ToEmail: "contact@example.org", Lang: rencontres.French, Deferred: true,
				Payload: []byte(fmt.Sprintf(`{"N":%d}`, n)), MergeKey: "delegation:9:fr-06029:3", NotBefore: c.now().Add(time.Minute)}
			if err := st.EnqueueMail(ctx, c.now(), m); err != nil {
				t.Fatal(err)
			}
		}
		summary(1)
		c.add(30 * time.Second)
		summary(2) // merged, and the delay starts again
		c.add(45 * time.Second)
		if n, _ := w.SendDue(ctx); n != 1 {
			t.Errorf("%d handled before the merged summary is due, want the invitation only", n)
		}
		c.add(30 * time.Second)
		w.SendDue(ctx)
		got := sink.Received()
		if len(got) != 2 || got[0].Subject != "Invitation" || got[1].Subject != "Délégation : 2 personnes" {
			t.Fatalf("received %d: %v", len(got), subjects(got))
		}
		// After the summary left, a new change makes a new one; an empty
		// one is not sent.
		summary(0)
		c.add(time.Minute)
		w.SendDue(ctx)
		if len(sink.Received()) != 2 || renders != 2 {
			t.Errorf("an empty summary was sent, or not rendered: %v, %d renders", subjects(sink.Received()), renders)
		}
		counts, _ := st.MailCounts(ctx, 0)
		if counts[rencontres.MailSent] != 2 || counts[rencontres.MailCancelled] != 1 || counts[rencontres.MailQueued] != 0 {
			t.Errorf("counts %v", counts)
		}
	})
}

// Messages are claimed in the order they fell due, then of their ids; a
// sign-in link and a letter recorded together leave the link's content
// dropped and the letter's kept.
func TestClaimOrderAndScrub(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w, sink, c := setup(t, st)
		w.Rate, w.Parallel = 0, 1
		ctx := context.Background()
		late := message(t, "late@example.org", "Rappel")
		late.NotBefore = c.now().Add(-time.Minute)
		early := message(t, "early@example.org", "Invitation")
		early.NotBefore = c.now().Add(-time.Hour)
		link := message(t, "claire.duval@example.org", "Votre lien de connexion")
		link.Kind = "sign-in-link"
		if err := st.EnqueueMail(ctx, c.now(), late, early, link); err != nil {
			t.Fatal(err)
		}
		claimed, err := st.ClaimMail(ctx, c.now(), time.Minute, 2)
		if err != nil || len(claimed) != 2 || claimed[0].ID != early.ID || claimed[1].ID != late.ID {
			t.Fatalf("claimed %v, %v; want the one due an hour ago, then the one due a minute ago", claimed, err)
		}
		if err := st.MailRetry(ctx, early.ID, "", early.NotBefore); err != nil {
			t.Fatal(err)
		}
		if err := st.MailRetry(ctx, late.ID, "", late.NotBefore); err != nil {
			t.Fatal(err)
		}
		if n, err := w.SendDue(ctx); err != nil || n != 3 {
			t.Fatalf("SendDue = %d, %v; want 3", n, err)
		}
		if got := subjects(sink.Received()); len(got) != 3 || got[0] != "Invitation" || got[1] != "Rappel" {
			t.Errorf("sent in the order %v", got)
		}
		if m := mailByID(t, st, link.ID); m.Status != rencontres.MailSent || string(m.Payload) != "{}" {
			t.Errorf("sign-in link: %s, payload %s", m.Status, m.Payload)
		}
		for _, id := range []int64{early.ID, late.ID} {
			if m := mailByID(t, st, id); m.Status != rencontres.MailSent || !strings.Contains(string(m.Payload), "Madame") {
				t.Errorf("letter %d: %s, payload %s", id, m.Status, m.Payload)
			}
		}
	})
}

// A message whose lease is nearly over when its turn comes (a server slow
// enough to hold a batch for most of a lease) is queued again rather than
// sent, since another instance may claim it when the lease ends; a later
// claim sends it.
func TestLeaseNearlyOverNotSent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w, sink, c := setup(t, st)
		w.Rate, w.Parallel, w.Lease = 0, 1, time.Minute
		ctx := context.Background()
		slow := true
		w.Handle("slow", func(ctx context.Context, m *rencontres.QueuedMail) (*mail.Message, error) {
			if slow {
				slow = false
				c.add(50 * time.Second) // the lease has 10 s left
			}
			return &mail.Message{To: []mail.Address{{Email: m.ToEmail}}, Subject: "Programme", Text: "…"}, nil
		})
		m := &rencontres.QueuedMail{Kind: "slow", ToEmail: "claire.duval@example.org", Lang: rencontres.French, Payload: []byte("{}"), Deferred: true}
		if err := st.EnqueueMail(ctx, c.now(), m); err != nil {
			t.Fatal(err)
		}
		// Without the check, the first claim sends it and it is sent after
		// one attempt. With it, that claim gives it back, and a later one
		// (in this round, if the worker claims again after the give-back,
		// or the next) sends it under a lease of its own.
		for range 3 {
			if _, err := w.SendDue(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if got := mailByID(t, st, m.ID); len(sink.Received()) != 1 || got.Status != rencontres.MailSent || got.Attempts < 2 {
			t.Errorf("received %d, message %s after %d attempts; want sent once, not at its first claim", len(sink.Received()), got.Status, got.Attempts)
		}
	})
}

func subjects(ms []*mail.Received) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Subject)
	}
	return out
}

// Four workers sending the same outbox at once (four instances on one
// PostgreSQL) send each message exactly once.
func TestWorkersShareTheOutbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w0, sink, c := setup(t, st)
		ctx := context.Background()
		const n = 40
		for i := range n {
			if err := st.EnqueueMail(ctx, c.now(), message(t, fmt.Sprintf("p%02d@example.org", i), fmt.Sprintf("Message %d", i))); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		for range 4 {
			w := *w0 // the same settings, another worker
			w.Rate = 0
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := w.SendDue(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		seen := map[string]int{}
		for _, m := range sink.Received() {
			seen[m.Header.Get("Message-Id")]++
		}
		if len(seen) != n {
			t.Errorf("%d distinct messages received, want %d", len(seen), n)
		}
		for id, k := range seen {
			if k != 1 {
				t.Errorf("%s received %d times", id, k)
			}
		}
	})
}

// The rate is the product's: with 5 a second, a worker sends five, then
// waits for the second to pass.
func TestRate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w, sink, c := setup(t, st)
		w.Rate = 5
		ctx := context.Background()
		for i := range 12 {
			st.EnqueueMail(ctx, c.now(), message(t, fmt.Sprintf("p%02d@example.org", i), "Rappel"))
		}
		for _, want := range []int{5, 10, 12} {
			w.SendDue(ctx)
			if got := len(sink.Received()); got != want {
				t.Errorf("%d sent, want %d", got, want)
			}
			c.add(time.Second)
		}
	})
}

// While the rate's second is full, the worker waits for it to have room,
// however many messages are queued meanwhile: it looked at the outbox
// every 10 ms and at every wake, a hundred times a second during a burst
// of registrations.
func TestRateFullWaitsForRoom(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w, sink, c := setup(t, st)
		w.Rate, w.Poll = 5, time.Minute
		ctx := context.Background()
		for i := range 12 {
			st.EnqueueMail(ctx, c.now(), message(t, fmt.Sprintf("p%02d@example.org", i), "Rappel"))
		}
		full := w.SendDueForTest(ctx)
		c.add(400 * time.Millisecond)
		wait, woken := w.RestForTest(ctx, full)
		if wait != 600*time.Millisecond || woken {
			t.Errorf("full second: waits %s, woken by new messages %v; want 600ms, not woken", wait, woken)
		}
		c.add(600 * time.Millisecond)
		w.SendDue(ctx)
		if got := len(sink.Received()); got != 10 {
			t.Errorf("%d sent once the second had room, want 10", got)
		}
		c.add(time.Second)
		full = w.SendDueForTest(ctx)
		// Room again and nothing queued: the next poll, or a wake.
		if wait, woken := w.RestForTest(ctx, full); wait != time.Minute || !woken {
			t.Errorf("queue empty: waits %s, woken %v; want 1m0s, woken", wait, woken)
		}
	})
}

// A message a dead process was sending is sent again: at once on SQLite,
// which one process serves; after its lease elsewhere.
func TestRecoveryAfterACrash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w, sink, c := setup(t, st)
		ctx := context.Background()
		m := message(t, "claire.duval@example.org", "Inscription")
		st.EnqueueMail(ctx, c.now(), m)
		// A worker claims it and dies before sending.
		if claimed, err := st.ClaimMail(ctx, c.now(), w.Lease, 4); err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %d, %v", len(claimed), err)
		}
		if n, _ := w.SendDue(ctx); n != 0 {
			t.Errorf("a message under another's lease was sent")
		}
		if st.Dialect() == "sqlite" {
			if n, err := st.RecoverMail(ctx); err != nil || n != 1 {
				t.Errorf("recovered %d, %v", n, err)
			}
		} else {
			c.add(w.Lease + time.Second)
		}
		if n, _ := w.SendDue(ctx); n != 1 || len(sink.Received()) != 1 {
			t.Errorf("after recovery: %d handled, %d received", n, len(sink.Received()))
		}
		if got := mailByID(t, st, m.ID); got.Attempts != 2 || got.Status != rencontres.MailSent {
			t.Errorf("attempts %d, status %s", got.Attempts, got.Status)
		}
	})
}
