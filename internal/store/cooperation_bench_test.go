package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// BenchmarkSuggestions measures the partners suggested to Kumamoto and to
// Aix-en-Provence on the full reference directory (38,000 authorities),
// the demo's data and up to 1,500 more cooperation profiles per country
// (one authority in twelve: 1,500 French, 164 Japanese), as
// docs/benchmarks.md reports:
//
//	RENCONTRES_REQUIRE_REFDATA=1 go test -run x -bench Suggestions -benchtime 20x ./internal/store/
//
// (with RENCONTRES_TEST_POSTGRES set for PostgreSQL too).
func BenchmarkSuggestions(b *testing.B) {
	ctx := context.Background()
	for _, db := range benchDatabases() {
		s := db.open(b)
		realDirectory(b, s)
		if _, err := demo.Load(ctx, s); err != nil {
			b.Fatal(err)
		}
		n := profileEveryTwelfth(b, s, 3000)
		for _, key := range []string{"jp-431001", "fr-13001"} {
			b.Run(db.name+"/"+key, func(b *testing.B) {
				var got int
				for b.Loop() {
					list, err := s.Suggestions(ctx, key, 30)
					if err != nil {
						b.Fatal(err)
					}
					got = len(list)
				}
				b.ReportMetric(float64(got), "suggestions")
				b.ReportMetric(float64(n), "profiles")
			})
		}
	}
}

// profileEveryTwelfth gives one authority in twelve of France and of
// Japan, up to n/2 per country, a profile of two themes sought and two offered, picked by their rank.
func profileEveryTwelfth(tb testing.TB, s *store.Store, n int) int {
	tb.Helper()
	ctx := context.Background()
	themes := rencontres.CooperationThemes
	done := 0
	err := s.InTx(ctx, func(s *store.Store) error {
		all, err := s.ImportDirectory(ctx)
		if err != nil {
			return err
		}
		for _, country := range []rencontres.Country{rencontres.France, rencontres.Japan} {
			i, mine := 0, 0
			for _, o := range all {
				if o.Country != country || !o.Kind.IsAuthority() {
					continue
				}
				i++
				if i%12 != 0 || mine >= n/2 {
					continue
				}
				p := &rencontres.CooperationProfile{OrgKey: o.Key, Seeks: []string{themes[i%12], themes[(i/12)%12]},
					Offers: []string{themes[(i+5)%12], themes[(i/7)%12]}}
				if err := s.SaveCooperationProfile(ctx, p, 0, time.Now()); err != nil {
					return fmt.Errorf("%s: %w", o.Key, err)
				}
				mine++
				done++
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return done
}
