package server

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestMicroCache(t *testing.T) {
	var calls atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if r.URL.Query().Get("fail") != "" {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte{byte('0' + n)})
	})
	c := newMicroCache(2 * time.Second)
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }
	srv := c.wrap(h)
	get := func(target string, cookie string) string {
		req := httptest.NewRequest("GET", target, nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	for _, tc := range []struct {
		target, cookie string
		advance        time.Duration
		want           string
	}{
		{"/fr/", "", 0, "1"},
		{"/fr/", "", time.Second, "1"},             // served from memory
		{"/fr/", "textsize=2", 0, "2"},             // another text size is another page
		{"/ja/", "", 0, "3"},                       // another language too
		{"/fr/", "", 1500 * time.Millisecond, "4"}, // expired: this request refreshes
		{"/fr/", "", 0, "4"},                       // and the others get its result
		{"/fr/?fail=1", "", 0, "boom\n"},           // errors are not kept
		{"/fr/?fail=1", "", 0, "boom\n"},
		{"/fr/text-size?step=up", "", 0, "7"},
		{"/fr/text-size?step=up", "", 0, "8"}, // never cached
		{"/healthz", "", 0, "9"},
		{"/healthz", "", 0, ":"},
		{"/ja/", "", 3 * time.Second, ";"}, // the first request after expiry refreshes
	} {
		now = now.Add(tc.advance)
		if got := get(tc.target, tc.cookie); got != tc.want {
			t.Errorf("GET %s (%s): %q, want %q", tc.target, tc.cookie, got, tc.want)
		}
	}
	// While one request refreshes an expired entry, the others get the
	// stale copy at once instead of rendering too.
	now = now.Add(3 * time.Second)
	e := c.entries[cacheKey(httptest.NewRequest("GET", "/ja/", nil))]
	e.refreshing.Store(true)
	if got := get("/ja/", ""); got != ";" {
		t.Errorf("during a refresh: %q, want the stale %q", got, ";")
	}
	if got := calls.Load(); got != 11 {
		t.Errorf("handler called %d times, want 11", got)
	}
}
