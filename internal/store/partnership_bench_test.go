package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// BenchmarkPartnershipPages measures the partnerships list at 1,000,
// 10,000 and 100,000 partnerships: a page of 100 by keyset, first and deep
// (the last 100), with a filter, the facet counts, and the whole list read
// and filtered in Go as the site did before keyset pages:
//
//	go test -run x -bench PartnershipPages -benchtime 20x ./internal/store/
//
// (with RENCONTRES_TEST_POSTGRES set for PostgreSQL too).
func BenchmarkPartnershipPages(b *testing.B) {
	ctx := context.Background()
	for _, db := range benchDatabases() {
		for _, n := range []int{1000, 10000, 100000} {
			s := db.open(b)
			deep := seedPartnerships(b, s, n)
			run := func(name string, fn func() (int, error)) { benchPage(b, fmt.Sprintf("%s/%s/%d", db.name, name, n), fn) }
			run("first", func() (int, error) {
				l, _, err := s.PartnershipPage(ctx, rencontres.PartnershipFilter{}, cursor.Request{Limit: 100})
				return len(l), err
			})
			run("deep", func() (int, error) {
				l, _, err := s.PartnershipPage(ctx, rencontres.PartnershipFilter{}, cursor.Request{After: deep, Limit: 100})
				return len(l), err
			})
			run("kind_first", func() (int, error) {
				l, _, err := s.PartnershipPage(ctx, rencontres.PartnershipFilter{Kind: rencontres.PacteAmitie}, cursor.Request{Limit: 100})
				return len(l), err
			})
			run("facets", func() (int, error) {
				f, err := s.PartnershipFacets(ctx, rencontres.PartnershipFilter{})
				return len(f.Kind), err
			})
			run("whole_list", func() (int, error) {
				all, err := s.AllPartnerships(ctx)
				l, _ := rencontres.FilterPartnerships(all, rencontres.PartnershipFilter{})
				return len(l), err
			})
		}
	}
}

// seedPartnerships adds n authorities and n-1 partnerships, each between
// one authority and the next, one in ten a friendship pact; it returns
// the cursor of the page holding the last 100.
func seedPartnerships(tb testing.TB, s *store.Store, n int) string {
	tb.Helper()
	seedDirectory(tb, s, n)
	kinds := []string{"jumelage", "jumelage", "jumelage", "jumelage", "jumelage", "jumelage", "jumelage", "jumelage", "jumelage", "pacte_amitie"}
	bulk(tb, s, "INSERT INTO partnerships (id, org_a, org_b, kind, year) VALUES ", 5, n-1, func(i int) []any {
		return []any{int64(i + 1), int64(i + 1), int64(i + 2), kinds[i%10], 2000}
	})
	if s.Dialect() == "postgres" {
		// The counts' rows were updated once per partnership: as
		// autovacuum would, after a load of 100,000.
		if _, err := s.DB().Exec("VACUUM ANALYZE partnerships, partnership_counts"); err != nil {
			tb.Fatal(err)
		}
	}
	name := func(i int) string { return fmt.Sprintf("bench %06d", i) }
	m := n - 1
	return cursor.Encode(-2000, name(m-101), name(m-100), int64(m-100))
}
