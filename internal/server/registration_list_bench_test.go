package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/benchmem"
	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/server"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// BenchmarkRegistrationLists measures the lists that grow with an edition
// (issue 18) at 1,000, 10,000 and 100,000 registrations on each database:
// the registrations page and API answer, first page and a page deep in the
// list, with a filter, a session's attendance list, and the exports.
// Besides time and allocations per call it reports the answer's size
// (resp-B), and the peaks during the call above the heap before it of
// the heap's objects (peak-heap-B) and of the heap found live by the
// collector (peak-live-B), which shows whether memory grows with rows.
// RENCONTRES_BENCH_SIZES (e.g. "1000,10000") picks the sizes.
func BenchmarkRegistrationLists(b *testing.B) {
	sizes := []int{1000, 10000, 100000}
	if v := os.Getenv("RENCONTRES_BENCH_SIZES"); v != "" {
		sizes = nil
		for _, s := range strings.Split(v, ",") {
			n, _ := strconv.Atoi(s)
			sizes = append(sizes, n)
		}
	}
	// postgres-vacuumed: the same, once autovacuum has passed over the
	// filled tables, as it does after that many inserts (its insert
	// threshold): statistics, and the visibility map that lets a count
	// read only an index.
	for _, db := range []string{"sqlite", "postgres", "postgres-vacuumed"} {
		for _, n := range sizes {
			b.Run(fmt.Sprintf("%s/%d", db, n), func(b *testing.B) {
				st := storetest.SQLite(b)
				if db != "sqlite" {
					st = storetest.Postgres(b)
				}
				h, cookie, event, session := bigEditionHandler(b, st, n)
				if db == "postgres-vacuumed" {
					if _, err := st.DB().ExecContext(context.Background(), "VACUUM (ANALYZE) registrations, registration_choices, delegations, organisations"); err != nil {
						b.Fatal(err)
					}
				}
				ids, err := st.CountRegistrations(context.Background(), rencontres.RegistrationFilter{EventID: event})
				if err != nil {
					b.Fatal(err)
				}
				// A page deep in the list: after the registration nine
				// tenths down (ids are in submission order).
				deep := deepCursor(b, st, event, ids*9/10)
				paths := []string{
					fmt.Sprintf("/fr/events/%d/registrations", event),
					fmt.Sprintf("/fr/events/%d/registrations?after=%s", event, deep),
					fmt.Sprintf("/fr/events/%d/registrations?country=JP&elected=yes", event),
					fmt.Sprintf("/api/v1/events/%d/registrations", event),
					fmt.Sprintf("/api/v1/events/%d/registrations?after=%s", event, deep),
					fmt.Sprintf("/api/v1/events/%d/registrations?country=JP&elected=true", event),
					fmt.Sprintf("/fr/events/%d/registrations?session=%d", event, session),
					fmt.Sprintf("/api/v1/events/%d/registrations?session=%d", event, session),
					fmt.Sprintf("/fr/events/%d/registrations?q=nom0001", event),
					fmt.Sprintf("/api/v1/events/%d/registrations?q=nom0001", event),
					fmt.Sprintf("/api/v1/events/%d/sessions/%d/attendance", event, session),
					fmt.Sprintf("/fr/events/%d/sessions/%d/attendance", event, session),
					fmt.Sprintf("/api/v1/events/%d/registrations?format=csv", event),
					fmt.Sprintf("/api/v1/events/%d/registrations?format=xlsx", event),
				}
				if n <= 10000 || os.Getenv("RENCONTRES_BENCH_BADGES") != "" {
					// Badges take about 1.2 ms each: measured where that
					// is seconds, unless RENCONTRES_BENCH_BADGES asks for
					// every size.
					paths = append(paths, fmt.Sprintf("/api/v1/events/%d/badges.pdf", event))
				}
				for _, path := range paths {
					b.Run(benchName(path), func(b *testing.B) {
						b.ReportAllocs()
						var size int
						var peak, live uint64
						for b.Loop() {
							req := httptest.NewRequest("GET", path, nil)
							req.AddCookie(cookie)
							rec := &countingWriter{header: http.Header{}}
							p, l := benchmem.Peak(b, func() { h.ServeHTTP(rec, req) })
							if rec.code != 0 && rec.code != 200 {
								b.Fatalf("%s: %d", path, rec.code)
							}
							size, peak, live = rec.n, max(peak, p), max(live, l)
						}
						b.ReportMetric(float64(size), "resp-B")
						b.ReportMetric(float64(peak), "peak-heap-B")
						b.ReportMetric(float64(live), "peak-live-B")
					})
				}
			})
		}
	}
}

// benchName names a measured path by what it reads.
func benchName(path string) string {
	name := "page"
	if strings.HasPrefix(path, "/api/") {
		name = "api"
	}
	switch {
	case strings.Contains(path, "badges"):
		name += "-badges"
	case strings.Contains(path, "attendance"):
		name += "-attendance"
	case strings.Contains(path, "format="):
		name += "-" + path[strings.Index(path, "format=")+7:]
	case strings.Contains(path, "after="):
		name += "-deep"
	case strings.Contains(path, "country="):
		name += "-filter"
	case strings.Contains(path, "session="):
		name += "-session"
	case strings.Contains(path, "q="):
		name += "-search"
	default:
		name += "-first"
	}
	return name
}

// bigEditionHandler loads the demo, fills its 7th edition with n
// registrations choosing a new workshop, and gives the site's handler, a
// secretariat's session cookie, the event and the workshop.
func bigEditionHandler(b *testing.B, st *store.Store, n int) (http.Handler, *http.Cookie, int64, int64) {
	ctx := context.Background()
	if _, err := demo.Load(ctx, st); err != nil {
		b.Fatal(err)
	}
	ed, err := st.Edition(ctx, "rencontres-franco-japonaises", 7)
	if err != nil {
		b.Fatal(err)
	}
	sessions, err := st.Sessions(ctx, ed.ID)
	if err != nil || len(sessions) == 0 {
		b.Fatal(err)
	}
	ws := &rencontres.Session{EditionID: ed.ID, Kind: rencontres.WorkshopKind, Title: rencontres.Text{"fr": "Atelier des listes longues"},
		Start: sessions[0].Start, End: sessions[0].End}
	if err := st.SaveSession(ctx, ws); err != nil {
		b.Fatal(err)
	}
	storetest.FillRegistrations(b, st, ed.ID, n, ws.ID)
	u := &rencontres.User{Email: "bench@example.org", Name: "Bench", Lang: rencontres.French, Role: rencontres.Secretariat}
	if err := st.InviteUser(ctx, u, ""); err != nil {
		b.Fatal(err)
	}
	tok, hash := auth.NewSessionToken()
	now := time.Now()
	if err := st.CreateSession(ctx, hash, u.ID, now, now.Add(24*time.Hour), "127.0.0.1", "bench"); err != nil {
		b.Fatal(err)
	}
	h, err := server.Handler(st, server.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	return h, &http.Cookie{Name: auth.CookieName, Value: tok}, ed.ID, ws.ID
}

// deepCursor is the cursor after the registration at index i of an
// event's list.
func deepCursor(b *testing.B, st *store.Store, event int64, i int) string {
	var id int64
	if err := st.DB().QueryRow("SELECT id FROM registrations WHERE event_id = $1 AND status <> 'withdrawn' ORDER BY id LIMIT 1 OFFSET $2", event, i).Scan(&id); err != nil {
		b.Fatal(err)
	}
	return cursor.Encode(id)
}

// countingWriter is a response writer that keeps only the size of the
// body, so that a streamed export is measured without being held.
type countingWriter struct {
	header http.Header
	code   int
	n      int
}

func (w *countingWriter) Header() http.Header  { return w.header }
func (w *countingWriter) WriteHeader(code int) { w.code = code }
func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}
