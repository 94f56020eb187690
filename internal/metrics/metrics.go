// Package metrics counts what an operator watches, in the Prometheus
// format: requests by route and status with their latency, the database
// pools, and whatever else the server registers (the outbox, the
// registrations, the campaigns, the caches). It is served on a listener of
// its own (serve --metrics-addr), never on the public site.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one instance's registry and its HTTP instruments.
type Metrics struct {
	Registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	cache    *prometheus.CounterVec
}

// New makes a registry with the Go runtime's and the process's metrics and
// the HTTP instruments.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rencontres_http_requests_total",
			Help: "Requests answered, by route (the pattern that matched), method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "rencontres_http_request_duration_seconds",
			Help:    "Time to answer a request, by route and method.",
			Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rencontres_cache_requests_total",
			Help: "Lookups in the instance's caches, by cache and result (hit, miss).",
		}, []string{"cache", "result"}),
	}
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.duration, m.cache)
	return m
}

// Handler serves the registry's metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Register adds a collector (a database pool, the outbox…).
func (m *Metrics) Register(c prometheus.Collector) { m.Registry.MustRegister(c) }

// Cache counts a lookup in the cache named name.
func (m *Metrics) Cache(name string, hit bool) {
	if m == nil {
		return
	}
	result := "miss"
	if hit {
		result = "hit"
	}
	m.cache.WithLabelValues(name, result).Inc()
}

// The route of a request is the pattern of the ServeMux that answered it.
// The mux sets it on the request it routes, which the middlewares between
// it and Instrument copy (WithContext), so Route, just outside the mux,
// writes it in a holder that Instrument put in the context.
type routeKey struct{}

type route struct{ pattern string }

// Instrument counts and times every request of next, the outermost
// handler. A request answered before the mux (from the page cache, or
// refused by a middleware) is counted under the route "-".
func (m *Metrics) Instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rt := &route{}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), routeKey{}, rt)))
		pattern := rt.pattern
		if pattern == "" {
			pattern = "-"
		}
		m.requests.WithLabelValues(pattern, r.Method, strconv.Itoa(sw.status)).Inc()
		m.duration.WithLabelValues(pattern, r.Method).Observe(time.Since(start).Seconds())
	})
}

// Route records the pattern the mux matched for Instrument; it wraps the
// mux itself.
func Route(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if rt, ok := r.Context().Value(routeKey{}).(*route); ok {
			rt.pattern = r.Pattern
		}
	})
}

// statusWriter notes the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flush,
// deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
