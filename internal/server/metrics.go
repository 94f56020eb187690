package server

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/rencontres/rencontres/internal/metrics"
	"github.com/rencontres/rencontres/internal/store"
)

// listenMetrics opens the metrics' own listener (serve --metrics-addr):
// the request instruments, the database pool, and the figures the
// database holds, read at each scrape.
func (m *Main) listenMetrics(addr string) (*metrics.Metrics, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: listen on %s: %w", addr, err)
	}
	met := metrics.New()
	met.Register(collectors.NewDBStatsCollector(m.Store.DB(), m.Store.Dialect()))
	met.Register(&storeCollector{st: m.Store, now: time.Now})
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", met.Handler())
	m.metricsLn = ln
	m.metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	return met, nil
}

// MetricsAddr is the address the metrics are served on, "" without
// --metrics-addr.
func (m *Main) MetricsAddr() string {
	if m.metricsLn == nil {
		return ""
	}
	return m.metricsLn.Addr().String()
}

func (m *Main) closeMetrics() {
	if m.metricsLn != nil {
		m.metricsLn.Close()
	}
}

// storeCollector reads, at each scrape, what the database says of the
// whole installation: the outbox's depth and the age of its oldest
// message, the registrations by status, the campaigns' progress. Every
// instance answers the same figures.
type storeCollector struct {
	st  *store.Store
	now func() time.Time
}

var (
	outboxDesc = prometheus.NewDesc("rencontres_outbox_messages", "Messages in the outbox, by status (queued, sending, sent, failed, cancelled).",
		[]string{"status"}, nil)
	outboxAgeDesc = prometheus.NewDesc("rencontres_outbox_oldest_queued_age_seconds", "Age of the oldest message not yet sent, 0 when none waits.",
		nil, nil)
	registrationsDesc = prometheus.NewDesc("rencontres_registrations", "Registrations, by seat status (confirmed, waitlisted, withdrawn).",
		[]string{"status"}, nil)
	campaignRecipientsDesc = prometheus.NewDesc("rencontres_campaign_recipients", "Recipients of a launched campaign, by state (all, opened, declined).",
		[]string{"campaign", "state"}, nil)
	campaignMailDesc = prometheus.NewDesc("rencontres_campaign_messages", "Messages of a launched campaign, by outbox status.",
		[]string{"campaign", "status"}, nil)
	scrapeErrorDesc = prometheus.NewDesc("rencontres_database_scrape_error", "1 when the database's figures could not be read at this scrape.",
		nil, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{outboxDesc, outboxAgeDesc, registrationsDesc, campaignRecipientsDesc, campaignMailDesc, scrapeErrorDesc} {
		ch <- d
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.st.OpsStats(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(scrapeErrorDesc, prometheus.GaugeValue, 1)
		return
	}
	ch <- prometheus.MustNewConstMetric(scrapeErrorDesc, prometheus.GaugeValue, 0)
	for status, n := range st.Outbox {
		ch <- prometheus.MustNewConstMetric(outboxDesc, prometheus.GaugeValue, float64(n), status)
	}
	age := 0.0
	if st.OldestQueued != "" {
		if t, err := store.ParseTime(st.OldestQueued); err == nil {
			age = max(0, c.now().Sub(t).Seconds())
		}
	}
	ch <- prometheus.MustNewConstMetric(outboxAgeDesc, prometheus.GaugeValue, age)
	for status, n := range st.Registrations {
		ch <- prometheus.MustNewConstMetric(registrationsDesc, prometheus.GaugeValue, float64(n), status)
	}
	for _, p := range st.Campaigns {
		id := strconv.FormatInt(p.ID, 10)
		ch <- prometheus.MustNewConstMetric(campaignRecipientsDesc, prometheus.GaugeValue, float64(p.Recipients), id, "all")
		ch <- prometheus.MustNewConstMetric(campaignRecipientsDesc, prometheus.GaugeValue, float64(p.Opened), id, "opened")
		ch <- prometheus.MustNewConstMetric(campaignRecipientsDesc, prometheus.GaugeValue, float64(p.Declined), id, "declined")
		for status, n := range p.Mail {
			ch <- prometheus.MustNewConstMetric(campaignMailDesc, prometheus.GaugeValue, float64(n), id, status)
		}
	}
}
