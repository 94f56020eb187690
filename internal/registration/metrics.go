package registration

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// batchMetrics are the batches' figures for the operator (serve
// --metrics-addr): how many submissions a batch decides together, how long
// it waits for its events' locks, and how long it holds them. Instances on
// one database take an event's lock in turn: long waits say they contend
// for it, and small batches that the balancer spreads each client's
// requests over them (docs/operations.md, "Several instances").
type batchMetrics struct {
	size, wait, held prometheus.Histogram
}

func newBatchMetrics() *batchMetrics {
	lockBuckets := []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, 1}
	return &batchMetrics{
		size: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "rencontres_registration_batch_submissions",
			Help:    "Submissions decided together in a batch of registrations.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 48, 64},
		}),
		wait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "rencontres_registration_batch_lock_wait_seconds",
			Help:    "Time from a batch's start until it holds its events' locks, which other instances' batches may hold.",
			Buckets: lockBuckets,
		}),
		held: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "rencontres_registration_batch_lock_held_seconds",
			Help:    "Time a batch holds its events' locks: its reads, its decisions and its writes (on PostgreSQL, when they carry its commit, until it is on disk, which comes a little after the locks are free).",
			Buckets: lockBuckets,
		}),
	}
}

// Collectors are the batches' metrics, for a registry.
func (s *Service) Collectors() []prometheus.Collector {
	return []prometheus.Collector{s.metrics.size, s.metrics.wait, s.metrics.held}
}

// observe records a batch of n submissions that started at start, held
// its locks from locked (zero if it never did) and released them at done.
func (m *batchMetrics) observe(n int, start, locked, done time.Time) {
	m.size.Observe(float64(n))
	if !locked.IsZero() {
		m.wait.Observe(locked.Sub(start).Seconds())
		m.held.Observe(done.Sub(locked).Seconds())
	}
}
