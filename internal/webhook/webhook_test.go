package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
	"github.com/rencontres/rencontres/internal/webhook"
)

// receiver is a real HTTP server that checks every delivery's signature
// with its secret, as a receiver following Standard Webhooks does.
type receiver struct {
	*httptest.Server
	secret string
	mu     sync.Mutex
	got    map[string]int // webhook-id → deliveries
	bodies []map[string]any
	bad    []string
	status int              // the answer, 200 unless set
	now    func() time.Time // the receiver's clock
}

func newReceiver(t *testing.T, secret string) *receiver {
	rc := &receiver{secret: secret, got: map[string]int{}, status: http.StatusOK, now: time.Now}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if err := webhook.Verify(rc.secret, r.Header, body, rc.now()); err != nil {
			rc.bad = append(rc.bad, err.Error())
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		rc.got[r.Header.Get("webhook-id")]++
		var m map[string]any
		json.Unmarshal(body, &m)
		rc.bodies = append(rc.bodies, m)
		w.WriteHeader(rc.status)
		fmt.Fprint(w, "merci")
	}))
	t.Cleanup(rc.Close)
	return rc
}

func worker(st *store.Store) *webhook.Worker {
	return webhook.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), true)
}

func endpoint(t *testing.T, st *store.Store, url string, types ...string) *rencontres.WebhookEndpoint {
	t.Helper()
	e := &rencontres.WebhookEndpoint{URL: url, EventTypes: types, Secret: webhook.NewSecret()}
	if err := webhook.Check(context.Background(), e, true); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveWebhookEndpoint(context.Background(), e, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	return e
}

// Events are delivered signed, once each, to the endpoints that hear
// their type; a rotated secret and the previous one both sign until the
// previous one expires; the answer is kept.
func TestDeliveriesAreSignedAndRotated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		first := webhook.NewSecret()
		rc := newReceiver(t, first)
		e := endpoint(t, st, rc.URL+"/hooks", rencontres.HookRegistrationCreated)
		if err := st.RotateWebhookSecret(ctx, e.ID, first, time.Now().Add(-time.Second), time.Now()); err != nil { // the secret the receiver knows
			t.Fatal(err)
		}
		deaf := endpoint(t, st, rc.URL+"/other", rencontres.HookDeclarationAdopted)
		for i := range 3 {
			if err := st.EnqueueWebhook(ctx, rencontres.HookRegistrationCreated, map[string]any{"id": i}, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		w := worker(st)
		if n, err := w.SendDue(ctx); err != nil || n != 3 {
			t.Fatalf("sent %d, %v", n, err)
		}
		if len(rc.got) != 3 || len(rc.bad) != 0 {
			t.Fatalf("received %v, refused %v", rc.got, rc.bad)
		}
		if rc.bodies[0]["type"] != rencontres.HookRegistrationCreated || rc.bodies[0]["data"] == nil {
			t.Errorf("body %v", rc.bodies[0])
		}
		if ds, _ := st.WebhookDeliveries(ctx, deaf.ID, 10); len(ds) != 0 {
			t.Errorf("an endpoint deaf to the type got %d deliveries", len(ds))
		}
		ds, _ := st.WebhookDeliveries(ctx, e.ID, 10)
		if len(ds) != 3 || ds[0].Status != rencontres.DeliveryDelivered || ds[0].ResponseCode != 200 || ds[0].ResponseBody != "merci" || !strings.HasPrefix(ds[0].MsgID, "msg_") {
			t.Errorf("deliveries: %+v", ds[0])
		}
		// Rotation: the new secret and the old one both sign for a day;
		// the receiver that still has the old one accepts.
		second := webhook.NewSecret()
		if err := st.RotateWebhookSecret(ctx, e.ID, second, time.Now().Add(24*time.Hour), time.Now()); err != nil {
			t.Fatal(err)
		}
		st.EnqueueWebhook(ctx, rencontres.HookRegistrationCreated, map[string]any{"id": 9}, time.Now())
		w.SendDue(ctx)
		rc.mu.Lock()
		rc.secret = second // the receiver has moved on to the new one
		rc.mu.Unlock()
		st.EnqueueWebhook(ctx, rencontres.HookRegistrationCreated, map[string]any{"id": 10}, time.Now())
		w.SendDue(ctx)
		if len(rc.got) != 5 || len(rc.bad) != 0 {
			t.Errorf("during the rotation: received %d, refused %v", len(rc.got), rc.bad)
		}
		// A resend keeps the webhook-id: the receiver sees it twice and
		// can drop the repeat.
		if err := st.ResendWebhook(ctx, e.ID, ds[0].ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		w.SendDue(ctx)
		if rc.got[ds[0].MsgID] != 2 {
			t.Errorf("resent delivery received %d times", rc.got[ds[0].MsgID])
		}
	})
}

// A receiver that fails is tried again later, with back-off, until three
// days have passed; one that answers 410 Gone is disabled at once.
func TestRetriesAndGone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		rc := newReceiver(t, "")
		e := endpoint(t, st, rc.URL, rencontres.HookProposalDecided)
		rc.secret = e.Secret
		rc.status = http.StatusServiceUnavailable
		start := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
		now := start
		w := worker(st)
		w.Now = func() time.Time { return now }
		rc.now = w.Now
		st.EnqueueWebhook(ctx, rencontres.HookProposalDecided, map[string]any{"proposal": 1}, now)
		var waits []time.Duration
		for range 20 {
			w.SendDue(ctx)
			d, _ := st.WebhookDeliveries(ctx, e.ID, 1)
			if d[0].Status != rencontres.DeliveryQueued {
				if d[0].Status != rencontres.DeliveryFailed || d[0].ResponseCode != 503 {
					t.Fatalf("after %d attempts: %s %d", d[0].Attempts, d[0].Status, d[0].ResponseCode)
				}
				break
			}
			waits = append(waits, d[0].NotBefore.Sub(now))
			now = d[0].NotBefore
		}
		if len(waits) < 8 || waits[0] < 4*time.Second || waits[0] > 6*time.Second || waits[1] < 4*time.Minute || now.Sub(start) > webhook.GiveUpAfter {
			t.Errorf("waits %v, gave up after %v", waits, now.Sub(start))
		}
		// 410 Gone: the endpoint is disabled and hears nothing more.
		rc.status = http.StatusGone
		st.EnqueueWebhook(ctx, rencontres.HookProposalDecided, map[string]any{"proposal": 2}, now)
		w.SendDue(ctx)
		got, _ := st.WebhookEndpoint(ctx, e.ID)
		if got.DisabledAt == nil || got.DisabledReason != "410 Gone" {
			t.Errorf("after 410: %+v", got)
		}
		st.EnqueueWebhook(ctx, rencontres.HookProposalDecided, map[string]any{"proposal": 3}, now)
		if ds, _ := st.WebhookDeliveries(ctx, e.ID, 10); len(ds) != 2 {
			t.Errorf("a disabled endpoint got %d deliveries, want the 2 before", len(ds))
		}
	})
}

// Two instances share the deliveries: each one is made once.
func TestTwoInstancesDeliverOnce(t *testing.T) {
	storetest.EachTwice(t, func(t *testing.T, a, b *store.Store) {
		ctx := context.Background()
		rc := newReceiver(t, "")
		e := endpoint(t, a, rc.URL, rencontres.HookRegistrationCreated)
		rc.secret = e.Secret
		for i := range 60 {
			a.EnqueueWebhook(ctx, rencontres.HookRegistrationCreated, map[string]any{"id": i}, time.Now())
		}
		var wg sync.WaitGroup
		for _, st := range []*store.Store{a, b, a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := worker(st).SendDue(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if len(rc.got) != 60 {
			t.Errorf("%d distinct deliveries, want 60", len(rc.got))
		}
		for id, n := range rc.got {
			if n != 1 {
				t.Errorf("%s delivered %d times", id, n)
			}
		}
	})
}

// A worker that dies holding a delivery leaves it to another when its
// lease ends: delivered once.
func TestDeliveryOfADeadWorker(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		rc := newReceiver(t, "")
		e := endpoint(t, st, rc.URL, rencontres.HookDeclarationAdopted)
		rc.secret = e.Secret
		st.EnqueueWebhook(ctx, rencontres.HookDeclarationAdopted, map[string]any{"declaration": 1}, time.Now())
		w := worker(st)
		if ds, err := st.ClaimWebhooks(ctx, time.Now(), w.Lease, 8); err != nil || len(ds) != 1 {
			t.Fatalf("claim: %d %v", len(ds), err)
		}
		if n, _ := w.SendDue(ctx); n != 0 {
			t.Error("a delivery under another's lease was sent")
		}
		w.Now = func() time.Time { return time.Now().Add(w.Lease + time.Second) }
		if n, _ := w.SendDue(ctx); n != 1 || len(rc.got) != 1 {
			t.Errorf("after the lease: %d tried, %d received", n, len(rc.got))
		}
	})
}

// Addresses on loopback, link-local and private networks are refused, at
// registration and at connection, unless private ones are allowed; so
// are plain http, unknown types and short secrets.
func TestPrivateAddressesRefused(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		url, field, key string
	}{
		{"http://crm.example.org/hooks", "url", "error.webhook_url_https"},
		{"https://127.0.0.1/hooks", "url", "error.webhook_url_private"},
		{"https://[::1]:8443/hooks", "url", "error.webhook_url_private"},
		{"https://169.254.169.254/latest/meta-data", "url", "error.webhook_url_private"},
		{"https://10.1.2.3/", "url", "error.webhook_url_private"},
		{"https://localhost/", "url", "error.webhook_url_private"},
		{"ftp://example.org/", "url", "error.webhook_url_invalid"},
	} {
		e := &rencontres.WebhookEndpoint{URL: c.url, EventTypes: []string{rencontres.HookRegistrationCreated}}
		err := webhook.Check(ctx, e, false)
		var re *rencontres.Error
		if !errorsAs(err, &re) || re.Field != c.field || re.Key != c.key {
			t.Errorf("%s: %v, want %s on %s", c.url, err, c.key, c.field)
		}
	}
	e := &rencontres.WebhookEndpoint{URL: "https://93.184.215.14/hooks", EventTypes: []string{"registration.exploded"}}
	if err := webhook.Check(ctx, e, false); err == nil || !strings.Contains(err.Error(), "unknown type") {
		t.Errorf("unknown type: %v", err)
	}
	if _, err := webhook.SecretBytes("whsec_c2hvcnQ="); err == nil {
		t.Error("a short secret was taken")
	}
	// At connection: a worker that does not allow private addresses does
	// not reach a receiver on loopback, whatever the endpoint says.
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		rc := newReceiver(t, "")
		e := endpoint(t, st, rc.URL, rencontres.HookRegistrationCreated)
		st.EnqueueWebhook(ctx, rencontres.HookRegistrationCreated, map[string]any{"id": 1}, time.Now())
		w := webhook.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
		w.SendDue(ctx)
		ds, _ := st.WebhookDeliveries(ctx, e.ID, 1)
		if len(rc.got) != 0 || ds[0].ResponseCode != 0 || !strings.Contains(ds[0].ResponseBody, "private network") {
			t.Errorf("loopback reached: %d received, answer %d %q", len(rc.got), ds[0].ResponseCode, ds[0].ResponseBody)
		}
	})
}

func errorsAs(err error, target **rencontres.Error) bool {
	if err == nil {
		return false
	}
	e, ok := err.(*rencontres.Error)
	if ok && len(e.Fields) > 0 {
		e = e.Fields[0]
	}
	*target = e
	return ok
}
