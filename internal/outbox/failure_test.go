package outbox_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// logBuffer is a log a test reads, safe for the worker's goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}
func (l *logBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.buf.String() }

// A server that answers « try later » to every attempt: the message waits
// longer after each (doubling, up to an hour), stays queued with the
// server's answer until its last attempt, then fails with that answer,
// and the failure is in the log.
func TestTemporaryFailureUntilLastAttempt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w, sink, c := setup(t, st)
		var log logBuffer
		w = withLog(t, w, st, sink.Port, &log)
		w.Now, w.Rate, w.Backoff = c.now, 0, 10*time.Minute
		ctx := context.Background()
		sink.Refuse("full@example.org", 451, "4.2.2 mailbox full, try later")
		m := message(t, "full@example.org", "Relance")
		if err := st.EnqueueMail(ctx, c.now(), m); err != nil {
			t.Fatal(err)
		}
		waits := []time.Duration{10 * time.Minute, 20 * time.Minute, 40 * time.Minute, time.Hour, time.Hour, time.Hour, time.Hour}
		for attempt := 1; attempt <= w.MaxAttempts; attempt++ {
			if n, err := w.SendDue(ctx); err != nil || n != 1 {
				t.Fatalf("attempt %d: SendDue = %d, %v", attempt, n, err)
			}
			got := mailByID(t, st, m.ID)
			if got.Attempts != attempt || !strings.Contains(got.LastError, "4.2.2 mailbox full") {
				t.Fatalf("attempt %d: %d attempts recorded, answer %q", attempt, got.Attempts, got.LastError)
			}
			if attempt == w.MaxAttempts {
				if got.Status != rencontres.MailFailed {
					t.Errorf("after the last attempt: %s, want failed", got.Status)
				}
				break
			}
			if got.Status != rencontres.MailQueued || !got.NotBefore.Equal(c.now().Add(waits[attempt-1])) {
				t.Fatalf("attempt %d: %s, again at %v, want queued until %v", attempt, got.Status, got.NotBefore, c.now().Add(waits[attempt-1]))
			}
			if n, _ := w.SendDue(ctx); n != 0 {
				t.Fatalf("attempt %d: tried again before its time", attempt)
			}
			c.add(waits[attempt-1])
		}
		if n, _ := w.SendDue(ctx); n != 0 || len(sink.Received()) != 0 {
			t.Errorf("a failed message was tried again (%d) or delivered (%d)", n, len(sink.Received()))
		}
		if s := log.String(); strings.Count(s, "mail deferred") != w.MaxAttempts-1 || !strings.Contains(s, "mail failed") || !strings.Contains(s, "full@example.org") {
			t.Errorf("log:\n%s", s)
		}
	})
}

// withLog returns a worker like w, sending to the same server, that logs
// into log.
func withLog(t *testing.T, w *outbox.Worker, st *store.Store, port int, log *logBuffer) *outbox.Worker {
	t.Helper()
	smtp, err := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: "none", From: mail.DefaultFrom, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	nw := outbox.New(st, smtp, slog.New(slog.NewTextHandler(log, nil)))
	nw.Now, nw.Pause = w.Now, w.Pause
	return nw
}

// A deferred message whose renderer fails (a campaign letter whose font
// is gone) fails for good, with the reason in its row and in the log.
func TestRenderFailureIsLogged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w, sink, c := setup(t, st)
		var log logBuffer
		w = withLog(t, w, st, sink.Port, &log)
		w.Rate = 0
		w.Handle("letter", func(context.Context, *rencontres.QueuedMail) (*mail.Message, error) {
			return nil, errors.New("fonts: @expo-google-fonts/noto-serif-jp is missing")
		})
		ctx := context.Background()
		m := &rencontres.QueuedMail{Kind: "letter", ToEmail: "claire.duval@example.org", Lang: rencontres.French, Payload: []byte("{}"), Deferred: true}
		if err := st.EnqueueMail(ctx, c.now(), m); err != nil {
			t.Fatal(err)
		}
		if n, err := w.SendDue(ctx); err != nil || n != 1 {
			t.Fatalf("SendDue = %d, %v", n, err)
		}
		if got := mailByID(t, st, m.ID); got.Status != rencontres.MailFailed || !strings.Contains(got.LastError, "noto-serif-jp is missing") {
			t.Errorf("row: %s %q", got.Status, got.LastError)
		}
		if s := log.String(); !strings.Contains(s, "mail not rendered") || !strings.Contains(s, "noto-serif-jp is missing") || !strings.Contains(s, "claire.duval@example.org") {
			t.Errorf("log:\n%s", s)
		}
	})
}

// A worker told to stop while it holds a batch hands back the messages it
// has not begun: they are queued and due at once, not left under a lease
// for minutes, and the next worker sends each exactly once. Those on
// their way to the server when the stop came (one per connection) finish
// and are recorded.
func TestClaimedMessagesHandedBackAtShutdown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		for _, parallel := range []int{1, 4} {
			w, sink, c := setup(t, st)
			w.Rate, w.Parallel = 0, parallel
			ctx := context.Background()
			var ids []int64
			total := 4 * parallel
			for i := range total {
				m := message(t, fmt.Sprintf("p%d-%d@example.org", parallel, i), fmt.Sprintf("Message %d", i))
				if err := st.EnqueueMail(ctx, c.now(), m); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, m.ID)
			}
			// The worker is stopped while the server reads the first
			// message's recipient: the whole batch is claimed then.
			run, stop := context.WithCancel(ctx)
			var once sync.Once
			sink.Hold(func(string) { once.Do(stop) })
			if _, err := w.SendDue(run); !errors.Is(err, context.Canceled) {
				t.Errorf("parallel %d: SendDue after stop: %v", parallel, err)
			}
			sink.Hold(nil)
			sent := map[string]bool{}
			for _, r := range sink.Received() {
				sent[r.To[0].Email] = true
			}
			if len(sent) > parallel {
				t.Fatalf("parallel %d: %d messages sent after the stop", parallel, len(sent))
			}
			for i, id := range ids {
				m := mailByID(t, st, id)
				if sent[m.ToEmail] {
					if m.Status != rencontres.MailSent {
						t.Errorf("parallel %d: message %d accepted by the server but %s", parallel, i, m.Status)
					}
				} else if m.Status != rencontres.MailQueued || m.NotBefore.After(c.now()) {
					t.Errorf("parallel %d: message %d: %s until %v, want queued and due now (%v)", parallel, i, m.Status, m.NotBefore, c.now())
				}
			}
			// The next worker, before any lease ends, sends what is left.
			if n, err := w.SendDue(ctx); err != nil || n != total-len(sent) {
				t.Errorf("parallel %d: after restart: %d handled, %v; want %d", parallel, n, err, total-len(sent))
			}
			seen := map[string]int{}
			for _, r := range sink.Received() {
				seen[r.To[0].Email]++
			}
			for i := range total {
				if to := fmt.Sprintf("p%d-%d@example.org", parallel, i); seen[to] != 1 {
					t.Errorf("%s received %d times", to, seen[to])
				}
			}
		}
	})
}

// A campaign's letter accepted by the server is told to the webhooks in
// the transaction that records it.
func TestCampaignLetterSentTellsTheWebhooks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w, _, c := setup(t, st)
		ctx := context.Background()
		e := &rencontres.WebhookEndpoint{URL: "https://crm.example.org/hooks", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
			EventTypes: []string{rencontres.HookRecipientSent}}
		if err := st.SaveWebhookEndpoint(ctx, e, false, c.now()); err != nil {
			t.Fatal(err)
		}
		letter := message(t, "maire@example.org", "Invitation")
		letter.CampaignID, letter.RecipientID = 7, 9
		plain := message(t, "autre@example.org", "Inscription")
		if err := st.EnqueueMail(ctx, c.now(), letter, plain); err != nil {
			t.Fatal(err)
		}
		if n, err := w.SendDue(ctx); err != nil || n != 2 {
			t.Fatalf("sent %d, %v", n, err)
		}
		ds, _ := st.WebhookDeliveries(ctx, e.ID, 10)
		if len(ds) != 1 || ds[0].EventType != rencontres.HookRecipientSent || !strings.Contains(ds[0].Payload, `"recipient_id":9`) {
			t.Errorf("deliveries %+v", ds)
		}
	})
}
