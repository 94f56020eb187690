package webhook

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// GiveUpAfter is how long a delivery is retried after it was written.
const GiveUpAfter = 72 * time.Hour

// retries are the delays after each failed attempt (Standard Webhooks'
// schedule); after the last, every 12 hours until GiveUpAfter.
var retries = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour}

// Worker sends the due deliveries.
type Worker struct {
	st     *store.Store
	client *http.Client
	log    *slog.Logger
	wake   chan struct{}
	// Lease is how long a claim holds a delivery; Poll how often the
	// worker looks for due ones; Batch how many it sends at once.
	Lease time.Duration
	Poll  time.Duration
	Batch int
	Now   func() time.Time
}

// New returns a worker. Unless allowPrivate, it refuses to connect to a
// private address, whatever the endpoint's host resolves to at the time.
func New(st *store.Store, log *slog.Logger, allowPrivate bool) *Worker {
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	if !allowPrivate {
		dialer.Control = guard
	}
	transport := &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: 10 * time.Second, MaxIdleConnsPerHost: 4,
		ResponseHeaderTimeout: 15 * time.Second}
	return &Worker{st: st, log: log, wake: make(chan struct{}, 1), Lease: time.Minute, Poll: time.Second, Batch: 8, Now: time.Now,
		client: &http.Client{Transport: transport, Timeout: 20 * time.Second,
			// A receiver's redirect is not followed: the address the
			// secretariat checked is the one that hears.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Wake tells the worker that deliveries were written.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run sends deliveries as they become due until ctx ends. On SQLite,
// which one process serves, the deliveries a killed process was sending
// are due again at once; on PostgreSQL, when their lease ends, since
// another instance may still be sending them.
func (w *Worker) Run(ctx context.Context) {
	if w.st.Dialect() == "sqlite" {
		if n, err := w.st.RecoverWebhooks(ctx); err != nil {
			w.log.Error("webhooks recovery", "err", err)
		} else if n > 0 {
			w.log.Info("webhooks: deliveries left mid-send are queued again", "deliveries", n)
		}
	}
	for {
		if _, err := w.SendDue(ctx); err != nil && ctx.Err() == nil {
			w.log.Error("webhooks", "err", err)
		}
		t := time.NewTimer(w.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-w.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// SendDue sends every delivery due now and returns how many it tried.
func (w *Worker) SendDue(ctx context.Context) (int, error) {
	tried := 0
	for ctx.Err() == nil {
		ds, err := w.st.ClaimWebhooks(ctx, w.Now(), w.Lease, max(w.Batch, 1))
		if err != nil || len(ds) == 0 {
			return tried, err
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(ds))
		for _, d := range ds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := w.deliver(ctx, d); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		tried += len(ds)
		if err := <-errs; err != nil {
			return tried, err
		}
	}
	return tried, ctx.Err()
}

// deliver makes one attempt and records its answer; only a failure to
// record is returned.
func (w *Worker) deliver(ctx context.Context, d *rencontres.WebhookDelivery) error {
	record, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	e, err := w.st.WebhookEndpoint(record, d.EndpointID)
	if err != nil {
		return err
	}
	now := w.Now()
	if e.DisabledAt != nil {
		return w.st.WebhookAnswered(record, d.ID, rencontres.DeliveryFailed, 0, "endpoint disabled", time.Time{}, now)
	}
	code, body := w.post(ctx, e, d, now)
	switch {
	case code >= 200 && code < 300:
		return w.st.WebhookAnswered(record, d.ID, rencontres.DeliveryDelivered, code, body, time.Time{}, w.Now())
	case code == http.StatusGone:
		w.log.Warn("webhook endpoint gone: disabled", "endpoint", e.ID, "url", e.URL)
		if err := w.st.WebhookAnswered(record, d.ID, rencontres.DeliveryFailed, code, body, time.Time{}, w.Now()); err != nil {
			return err
		}
		return w.st.DisableWebhookEndpoint(record, e.ID, "410 Gone", w.Now())
	}
	next := w.Now().Add(backoff(d.Attempts))
	if next.After(d.CreatedAt.Add(GiveUpAfter)) {
		return w.st.WebhookAnswered(record, d.ID, rencontres.DeliveryFailed, code, body, time.Time{}, w.Now())
	}
	return w.st.WebhookAnswered(record, d.ID, rencontres.DeliveryQueued, code, body, next, w.Now())
}

// post sends the delivery, signed with every secret in force, and returns
// the status (0 when no answer came) and an excerpt of the answer.
func (w *Worker) post(ctx context.Context, e *rencontres.WebhookEndpoint, d *rencontres.WebhookDelivery, now time.Time) (int, string) {
	secrets := []string{e.Secret}
	if e.PreviousSecret != "" && e.PreviousUntil != nil && now.Before(*e.PreviousUntil) {
		secrets = append(secrets, e.PreviousSecret)
	}
	body := []byte(d.Payload)
	sig, err := Sign(secrets, d.MsgID, now, body)
	if err != nil {
		return 0, err.Error()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Rencontres-Webhooks/1")
	req.Header.Set("webhook-id", d.MsgID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	res, err := w.client.Do(req)
	if err != nil {
		return 0, excerpt([]byte(err.Error()))
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 1024))
	return res.StatusCode, excerpt(b)
}

// excerpt keeps the start of an answer as valid text.
func excerpt(b []byte) string {
	s := strings.ToValidUTF8(string(b), "�")
	if utf8.RuneCountInString(s) > 500 {
		s = string([]rune(s)[:500]) + "…"
	}
	return s
}

// backoff is the delay after the n-th failed attempt, with ±10 % of
// jitter so that retries to one receiver do not all come at once.
func backoff(n int) time.Duration {
	d := 12 * time.Hour
	if n >= 1 && n <= len(retries) {
		d = retries[n-1]
	}
	return time.Duration(float64(d) * (0.9 + 0.2*rand.Float64()))
}
