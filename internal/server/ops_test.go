package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/reqid"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// syncBuffer is a log destination the server writes from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestMetricsAndRequestIDs runs the server as serve --metrics-addr
// --log-format json does, on each database with the demo data: the
// metrics listener counts requests by route and status and reads the
// outbox, the registrations and the pool; each answer carries its request
// id, and an error page and the log line about it carry the same.
func TestMetricsAndRequestIDs(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testMetrics(t, "") })
	if os.Getenv(storetest.PostgresEnv) != "" {
		t.Run("postgres", func(t *testing.T) { testMetrics(t, storetest.NewPostgresDB(t)) })
	}
}

func testMetrics(t *testing.T, dbURL string) {
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	m, err := New(ctx, Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), DBURL: dbURL, Demo: true,
		Logger: slog.New(slog.NewJSONHandler(logs, nil)), MetricsAddr: "127.0.0.1:0"})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; m.Close() })
	// A message queued an hour ago and not sent: the oldest's age.
	hourAgo := time.Now().Add(-time.Hour)
	if err := m.Store.EnqueueMail(ctx, hourAgo, &rencontres.QueuedMail{Kind: "test", ToEmail: "ops@example.org", Lang: rencontres.French,
		NotBefore: time.Now().Add(24 * time.Hour), Payload: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}

	get := func(url, id string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		if id != "" {
			req.Header.Set(reqid.Header, id)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res, string(body)
	}
	res, _ := get(m.URL()+"/fr/organisations", "")
	if res.StatusCode != 200 || len(res.Header.Get(reqid.Header)) != 16 {
		t.Fatalf("directory: %d, request id %q", res.StatusCode, res.Header.Get(reqid.Header))
	}
	res, body := get(m.URL()+"/fr/nulle-part", "ticket-404")
	if res.StatusCode != 404 || res.Header.Get(reqid.Header) != "ticket-404" || !strings.Contains(body, "Référence de la requête\u00a0: ticket-404") {
		t.Errorf("404 page: %d, header %q, carries the id: %v", res.StatusCode, res.Header.Get(reqid.Header), strings.Contains(body, "ticket-404"))
	}
	res, body = get(m.URL()+"/api/v1/events/999999", "ticket-api")
	var e struct {
		Error struct {
			Code      string `json:"code"`
			RequestID string `json:"request_id"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || res.StatusCode != 404 || e.Error.RequestID != "ticket-api" {
		t.Errorf("API 404: %d %s", res.StatusCode, body)
	}
	if res, _ := get(m.URL()+"/metrics", ""); res.StatusCode != 404 {
		t.Errorf("the public site serves /metrics: %d", res.StatusCode)
	}

	res, metrics := get("http://"+m.MetricsAddr()+"/metrics", "")
	if res.StatusCode != 200 {
		t.Fatalf("metrics: %d", res.StatusCode)
	}
	for _, want := range []string{
		`rencontres_http_requests_total{method="GET",route="GET /fr/organisations",status="200"} 1`,
		`rencontres_http_requests_total{method="GET",route="GET /api/v1/events/{event}",status="404"} 1`,
		`rencontres_http_request_duration_seconds_bucket{method="GET",route="GET /fr/organisations",le="+Inf"} 1`,
		`rencontres_cache_requests_total{cache="pages",result="miss"}`,
		`rencontres_outbox_messages{status="queued"}`,
		`rencontres_registration_batch_submissions_count`,
		`rencontres_registration_batch_lock_wait_seconds_bucket`,
		`rencontres_database_scrape_error 0`,
		`go_sql_max_open_connections{db_name="` + m.Store.Dialect() + `"}`,
		`go_goroutines`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if n := gauge(t, metrics, `rencontres_registrations{status="confirmed"}`); n < 1 {
		t.Errorf("confirmed registrations of the demo: %v", n)
	}
	if age := gauge(t, metrics, `rencontres_outbox_oldest_queued_age_seconds`); age < 3500 || age > 3700*24 {
		t.Errorf("oldest queued message's age: %v s, want about an hour or more", age)
	}

	// An internal error: its page and its log line carry the same id.
	m.Store.Close()
	res, body = get(m.URL()+"/fr/organisations?q=lyon", "ticket-500")
	if res.StatusCode != 500 || !strings.Contains(body, "ticket-500") {
		t.Errorf("500 page: %d, carries the id: %v", res.StatusCode, strings.Contains(body, "ticket-500"))
	}
	found := false
	for line := range strings.Lines(logs.String()) {
		var l map[string]any
		if json.Unmarshal([]byte(line), &l) == nil && l["level"] == "ERROR" && l["request_id"] == "ticket-500" {
			found = true
		}
	}
	if !found {
		t.Errorf("no error line carries request_id ticket-500; log:\n%s", logs.String())
	}
}

// gauge reads the value of a series in a Prometheus text exposition.
func gauge(t *testing.T, text, series string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(text)
	if m == nil {
		t.Errorf("no series %s", series)
		return -1
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Errorf("%s: %v", series, err)
	}
	return v
}
