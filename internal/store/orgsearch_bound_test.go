package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A broad search counts its matches up to rencontres.SearchCountBound and
// says there are more; a narrower one, and a listing without a query, count
// exactly; the pages past the bound can still be read.
func TestSearchCountsUpToTheBound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const many = rencontres.SearchCountBound + 3
		orgs := searchFixture()
		for i := 1; i <= many; i++ {
			name := fmt.Sprintf("Saint-Test-%d", i)
			orgs = append(orgs, &rencontres.Organisation{Key: fmt.Sprintf("fr-t%d", i), Kind: rencontres.Commune,
				Country: rencontres.France, Name: rencontres.Text{"fr": name, "en": name}, Population: int64(i)})
		}
		if _, _, err := s.UpsertOrganisations(ctx, orgs); err != nil {
			t.Fatal(err)
		}
		broad := rencontres.OrgFilter{Query: "saint test", Limit: 20}
		page, total, err := s.Organisations(ctx, broad)
		if err != nil {
			t.Fatal(err)
		}
		if n, more := broad.Total(total); n != rencontres.SearchCountBound || !more || len(page) != 20 {
			t.Errorf("saint test: %d organisations, total %d (more %v), want 20 of more than %d", len(page), n, more, rencontres.SearchCountBound)
		}
		// The last page before the bound, and the one past it.
		seen := map[string]bool{}
		for _, off := range []int{rencontres.SearchCountBound - 20, rencontres.SearchCountBound} {
			f := broad
			f.Offset = off
			page, total, err := s.Organisations(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			want := min(20, many-off)
			if n, more := f.Total(total); len(page) != want || n != rencontres.SearchCountBound || !more {
				t.Errorf("saint test from %d: %d organisations, total %d (more %v); want %d, more than %d",
					off, len(page), n, more, want, rencontres.SearchCountBound)
			}
			for _, o := range page {
				if seen[o.Key] {
					t.Errorf("saint test: %s on two pages", o.Key)
				}
				seen[o.Key] = true
			}
		}
		// 10, 100 to 109 and 1000 to 1003.
		narrow := rencontres.OrgFilter{Query: "Saint-Test-10", Limit: 5}
		page, total, err = s.Organisations(ctx, narrow)
		if n, more := narrow.Total(total); err != nil || n != 15 || more || len(page) != 5 || page[0].Key != "fr-t10" {
			t.Errorf("Saint-Test-10: %v, total %d (more %v), %v; want 5 of exactly 15, fr-t10 first", keys(page), n, more, err)
		}
		list := rencontres.OrgFilter{Limit: 1}
		_, total, err = s.Organisations(ctx, list)
		if n, more := list.Total(total); err != nil || n != many+len(searchFixture()) || more {
			t.Errorf("whole directory: total %d (more %v), %v; want exactly %d", n, more, err, many+len(searchFixture()))
		}
	})
}

func keys(orgs []*rencontres.Organisation) []string {
	var out []string
	for _, o := range orgs {
		out = append(out, o.Key)
	}
	return out
}
