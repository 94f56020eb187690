package server

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/metrics"
	"golang.org/x/sync/singleflight"
)

// microCache keeps the rendered bytes of public GET responses for a couple
// of seconds. Public pages and API answers are the same for every anonymous
// reader, so under load most requests are served from memory. The cache is
// disposable: each instance converges on the database's content within the
// time to live, which keeps instances free of state that matters.
type microCache struct {
	ttl        time.Duration
	maxEntries int
	maxBody    int
	now        func() time.Time

	// metrics counts hits and misses, when set.
	metrics *metrics.Metrics

	mu      sync.RWMutex
	entries map[string]*cached
	group   singleflight.Group
}

type cached struct {
	status     int
	header     http.Header
	body       []byte
	expires    time.Time
	refreshing atomic.Bool
}

func newMicroCache(ttl time.Duration) *microCache {
	return &microCache{ttl: ttl, maxEntries: 4096, maxBody: 1 << 20, now: time.Now, entries: map[string]*cached{}}
}

// cacheable reports whether a request may be answered from the cache: a GET
// of a public page or API resource, by a reader with no session.
func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet || r.Header.Get("Authorization") != "" {
		return false
	}
	// A signed-in reader sees pages of their own.
	if _, err := r.Cookie(auth.CookieName); err == nil {
		return false
	}
	p := r.URL.Path
	if strings.HasSuffix(p, "/text-size") {
		return false
	}
	// A personal feed's secret address is its reader's credential: its
	// answer is theirs, and a revoked address must stop at once.
	if strings.Contains(p, "/feeds/") {
		return false
	}
	return strings.HasPrefix(p, "/fr/") || strings.HasPrefix(p, "/ja/") || strings.HasPrefix(p, "/en/") ||
		(strings.HasPrefix(p, "/api/v1/") && r.URL.Query().Get("lang") == "" && r.Header.Get("Accept-Language") == "")
}

// key identifies a response: the URL and the one cookie pages depend on.
func cacheKey(r *http.Request) string {
	size := ""
	if c, err := r.Cookie("textsize"); err == nil {
		size = c.Value
	}
	return r.URL.RequestURI() + "\x00" + size
}

func (c *microCache) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cacheable(r) {
			next.ServeHTTP(w, r)
			return
		}
		key := cacheKey(r)
		c.mu.RLock()
		e := c.entries[key]
		c.mu.RUnlock()
		// A fresh entry is served as is. An expired one is still served
		// to everyone but the one request that refreshes it, so that
		// readers never wait for a render at expiry.
		if e != nil && (c.now().Before(e.expires) || !e.refreshing.CompareAndSwap(false, true)) {
			c.metrics.Cache("pages", true)
			e.writeTo(w)
			return
		}
		c.metrics.Cache("pages", false)
		// Concurrent misses of one key share one render.
		v, _, _ := c.group.Do(key, func() (any, error) {
			rec := &recorder{header: http.Header{}, status: http.StatusOK}
			next.ServeHTTP(rec, r)
			fresh := &cached{status: rec.status, header: rec.header, body: rec.body.Bytes(), expires: c.now().Add(c.ttl)}
			// Only successful answers are kept: an error may be passing,
			// and its message depends on the reader's language.
			if rec.status == http.StatusOK && rec.body.Len() <= c.maxBody {
				c.mu.Lock()
				if len(c.entries) >= c.maxEntries {
					// Dropping everything is crude but bounded and rare:
					// only searches make many keys, and they expire in
					// seconds anyway.
					clear(c.entries)
				}
				c.entries[key] = fresh
				c.mu.Unlock()
			}
			return fresh, nil
		})
		if e != nil {
			// Whether the refresh replaced the entry or failed, the next
			// expiry may be refreshed again.
			e.refreshing.Store(false)
		}
		v.(*cached).writeTo(w)
	})
}

func (e *cached) writeTo(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range e.header {
		h[k] = v
	}
	w.WriteHeader(e.status)
	w.Write(e.body)
}

// recorder is the ResponseWriter a render writes to, so that its result can
// be kept and shared.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}
