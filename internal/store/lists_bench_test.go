package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// BenchmarkListPages measures a page of 100 rows of the audit log and of
// the directory, first and deep (100 rows before the end), by cursor, at
// 1,000, 10,000 and 100,000 rows, with the directory's deep page by
// offset beside it (as the site read it before cursors), as
// docs/benchmarks.md reports:
//
//	go test -run x -bench ListPages -benchtime 200x ./internal/store/
//
// (with RENCONTRES_TEST_POSTGRES set for PostgreSQL too).
func BenchmarkListPages(b *testing.B) {
	ctx := context.Background()
	for _, db := range benchDatabases() {
		for _, n := range []int{1000, 10000, 100000} {
			s := db.open(b)
			seedAudit(b, s, n)
			deepNames := seedDirectory(b, s, n)
			base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			// The entry 100 rows before the oldest: entries are newest first.
			deepAudit := cursor.Encode(base.Add(time.Duration(99)*time.Second).Format("2006-01-02T15:04:05.000000Z"), int64(100))
			run := func(name string, fn func() (int, error)) { benchPage(b, fmt.Sprintf("%s/%s/%d", db.name, name, n), fn) }
			run("audit_first", func() (int, error) {
				l, _, err := s.AuditPage(ctx, rencontres.AuditFilter{}, cursor.Request{Limit: 100})
				return len(l), err
			})
			run("audit_deep", func() (int, error) {
				l, _, err := s.AuditPage(ctx, rencontres.AuditFilter{}, cursor.Request{After: deepAudit, Limit: 100})
				return len(l), err
			})
			run("audit_action_first", func() (int, error) {
				l, _, err := s.AuditPage(ctx, rencontres.AuditFilter{Action: "bench.a3"}, cursor.Request{Limit: 100})
				return len(l), err
			})
			run("audit_count", func() (int, error) {
				var total int
				err := s.DB().QueryRow("SELECT COUNT(*) FROM audit_log").Scan(&total)
				return total, err
			})
			run("directory_first", func() (int, error) {
				l, _, err := s.OrganisationsPage(ctx, rencontres.OrgFilter{}, cursor.Request{Limit: 100})
				return len(l), err
			})
			run("directory_deep", func() (int, error) {
				l, _, err := s.OrganisationsPage(ctx, rencontres.OrgFilter{}, cursor.Request{After: deepNames, Limit: 100})
				return len(l), err
			})
			run("directory_deep_offset", func() (int, error) {
				l, _, err := s.Organisations(ctx, rencontres.OrgFilter{Limit: 100, Offset: n - 100})
				return len(l), err
			})
		}
	}
}

// seedAudit writes n entries, one a second from 2026-01-01, of ten
// actions in turn, ids 1 to n.
func seedAudit(tb testing.TB, s *store.Store, n int) {
	tb.Helper()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	bulk(tb, s, "INSERT INTO audit_log (id, at, actor_email, action, object_type, object_id) VALUES ", 6, n, func(i int) []any {
		return []any{int64(i + 1), base.Add(time.Duration(i) * time.Second).Format("2006-01-02T15:04:05.000000Z"),
			fmt.Sprintf("p%d@example.org", i%50), fmt.Sprintf("bench.a%d", i%10), "thing", fmt.Sprint(i)}
	})
}

// seedDirectory writes n organisations named "Bench 000000" to "Bench
// n-1", without their search terms (the listing reads none), and returns
// the cursor of the 100th row before the end.
func seedDirectory(tb testing.TB, s *store.Store, n int) string {
	tb.Helper()
	name := func(i int) string { return fmt.Sprintf("bench %06d", i) }
	bulk(tb, s, "INSERT INTO organisations (id, key, kind, country, name, sort_name) VALUES ", 6, n, func(i int) []any {
		return []any{int64(i + 1), fmt.Sprintf("fr-b%06d", i), "commune", "FR", fmt.Sprintf(`{"fr":"Bench %06d"}`, i), name(i)}
	})
	if s.Dialect() == "postgres" {
		// As autovacuum would after a bulk load: statistics, and the
		// visibility map that lets a count read the index alone.
		for _, q := range []string{"VACUUM ANALYZE audit_log", "VACUUM ANALYZE organisations"} {
			if _, err := s.DB().Exec(q); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return cursor.Encode(name(n-101), int64(n-100))
}

// benchPage runs fn, which reads a page and returns its length, as the
// sub-benchmark name; an empty page fails it.
func benchPage(b *testing.B, name string, fn func() (int, error)) {
	b.Run(name, func(b *testing.B) {
		var got int
		for b.Loop() {
			var err error
			if got, err = fn(); err != nil {
				b.Fatal(err)
			}
		}
		if got == 0 {
			b.Fatal("an empty page")
		}
	})
}

// bulk inserts n rows of cols columns, 500 a statement.
func bulk(tb testing.TB, s *store.Store, insert string, cols, n int, row func(i int) []any) {
	tb.Helper()
	for from := 0; from < n; from += 500 {
		var ph []string
		var args []any
		for i := from; i < min(from+500, n); i++ {
			var p []string
			for range cols {
				args = append(args, nil)
				p = append(p, fmt.Sprintf("$%d", len(args)))
			}
			copy(args[len(args)-cols:], row(i))
			ph = append(ph, "("+strings.Join(p, ", ")+")")
		}
		if _, err := s.DB().Exec(insert+strings.Join(ph, ", "), args...); err != nil {
			tb.Fatal(err)
		}
	}
}
