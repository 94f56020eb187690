package store_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// plainSearch is the search's order computed the plain way: every term in
// the query's range read, each organisation ranked by its best tier (an
// exact whole form 0, else the start of a form 1, a word 2, inside a word
// 3), then by its stored order, then by id. It returns the organisations'
// ids in that order.
func plainSearch(t *testing.T, s *store.Store, f rencontres.OrgFilter) []int64 {
	t.Helper()
	q := rencontres.FoldQuery(f.Query)
	r, n := utf8.DecodeLastRuneInString(q)
	hi := q[:len(q)-n] + string(r+1)
	query := "SELECT term, org_id, pos, ord FROM organisation_terms WHERE term >= $1 AND term < $2"
	args := []any{q, hi}
	if f.Country != "" {
		args = append(args, string(f.Country))
		query += fmt.Sprintf(" AND country = $%d", len(args))
	}
	if f.Kind != "" {
		args = append(args, string(f.Kind))
		query += fmt.Sprintf(" AND kind = $%d", len(args))
	}
	rows, err := s.DB().Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type rank struct {
		tier    int
		ord, id int64
	}
	best := map[int64]rank{}
	for rows.Next() {
		var term string
		var r rank
		if err := rows.Scan(&term, &r.id, &r.tier, &r.ord); err != nil {
			t.Fatal(err)
		}
		switch {
		case r.tier == 0 && term == q:
		case r.tier == 0:
			r.tier = 1
		}
		if old, ok := best[r.id]; !ok || r.tier < old.tier {
			best[r.id] = r
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	ranks := slices.Collect(func(yield func(rank) bool) {
		for _, r := range best {
			if !yield(r) {
				return
			}
		}
	})
	slices.SortFunc(ranks, func(a, b rank) int {
		return cmp.Or(cmp.Compare(a.tier, b.tier), cmp.Compare(a.ord, b.ord), cmp.Compare(a.id, b.id))
	})
	ids := make([]int64, len(ranks))
	for i, r := range ranks {
		ids[i] = r.id
	}
	return ids
}

// checkPlainOrder compares the search's pages of each filter, at several
// offsets, and its total with plainSearch.
func checkPlainOrder(t *testing.T, s *store.Store, filters []rencontres.OrgFilter, offsets []int) {
	t.Helper()
	ctx := context.Background()
	for _, f := range filters {
		want := plainSearch(t, s, f)
		for _, off := range offsets {
			if off > len(want)+f.Limit {
				continue
			}
			f.Offset = off
			page, total, err := s.Organisations(ctx, f)
			if err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			got := make([]int64, len(page))
			for i, o := range page {
				got[i] = o.ID
			}
			end := min(off+f.Limit, len(want))
			if w := want[min(off, end):end]; !slices.Equal(got, w) {
				t.Errorf("%+v: ids %v, want %v", f, got, w)
			}
			if n, more := f.Total(total); n != min(len(want), rencontres.SearchCountBound) || more != (len(want) > rencontres.SearchCountBound) {
				t.Errorf("%+v: total %d (more %v), want %d matches", f, n, more, len(want))
			}
		}
	}
}

// The search reads a tier by its range or in rank order, by a few rows at
// a time, and reads again a tier whose organisations matched by several
// terms: whichever way, its pages are those of ordering every match.
func TestSearchMatchesAPlainOrdering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		// 700 organisations whose three names each start with « mont »,
		// three terms of the same tier each, so that a page of the rank
		// order read holds fewer organisations than rows, and some with
		// « mont » inside a word or as a word.
		orgs := searchFixture()
		for i := 1; i <= 700; i++ {
			kind, country := rencontres.Commune, rencontres.France
			if i%3 == 0 {
				kind, country = rencontres.Municipality, rencontres.Japan
			}
			name := rencontres.Text{"fr": fmt.Sprintf("Mont Alpha %d", i), "en": fmt.Sprintf("Mont Beta %d", i),
				"ja": fmt.Sprintf("Mont Gamma %d", i)}
			switch i % 7 {
			case 1:
				name = rencontres.Text{"fr": fmt.Sprintf("Le Grand Mont %d", i), "en": fmt.Sprintf("Beaumont %d", i)}
			case 2:
				name["en"] = "Mont"
			}
			orgs = append(orgs, &rencontres.Organisation{Key: fmt.Sprintf("fr-m%d", i), Kind: kind, Country: country,
				Name: name, Population: int64(i % 50)})
		}
		long := "Communauté de communes du Grand Mont-Blanc et des Vallées"
		orgs = append(orgs, &rencontres.Organisation{Key: "fr-epci-long", Kind: rencontres.EPCI, Country: rencontres.France,
			Name: rencontres.Text{"fr": long, "en": long}})
		if _, _, err := s.UpsertOrganisations(ctx, orgs); err != nil {
			t.Fatal(err)
		}
		// A query longer than a term is looked up by its start, then
		// checked against the whole names.
		checkSearch(t, s, []searchCase{
			{q: "communaute de communes du grand mont blanc", want: []string{"fr-epci-long"}},
			{q: "Communauté de communes du Grand Mont-Rose", want: nil},
		})
		var filters []rencontres.OrgFilter
		for _, q := range []string{"mont", "mont a", "mont gamma 1", "mon", "m", "Mont", "saint", "市", "nowhere"} {
			filters = append(filters,
				rencontres.OrgFilter{Query: q, Limit: 20},
				rencontres.OrgFilter{Query: q, Limit: 7, Country: rencontres.Japan},
				rencontres.OrgFilter{Query: q, Limit: 50, Kind: rencontres.Commune})
		}
		checkPlainOrder(t, s, filters, []int{0, 5, 20, 140, 480, 690})

		// The same on the reference data, where broad queries match
		// thousands of organisations, after the import's optimisation.
		realDirectory(t, s)
		if err := s.Optimize(ctx); err != nil {
			t.Fatal(err)
		}
		filters = nil
		for _, q := range []string{"s", "saint", "a", "la", "市", "ヶ", "京都", "くま", "aix", "mont", "le havre"} {
			filters = append(filters,
				rencontres.OrgFilter{Query: q, Limit: 20},
				rencontres.OrgFilter{Query: q, Limit: 50, Country: rencontres.France, Kind: rencontres.Commune},
				rencontres.OrgFilter{Query: q, Limit: 10, Country: rencontres.Japan})
		}
		filters = append(filters, rencontres.OrgFilter{Query: "s", Limit: 500})
		checkPlainOrder(t, s, filters, []int{0, 20, 490, 1000, 3000})
	})
}

// Migration 25 gives the terms already written their tier, and rolls back.
func TestTermTiersMigration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, _, err := s.UpsertOrganisations(ctx, searchFixture()); err != nil {
			t.Fatal(err)
		}
		if err := s.MigrateTo(ctx, 24); err != nil {
			t.Fatal(err)
		}
		if err := s.MigrateTo(ctx, 25); err != nil {
			t.Fatal(err)
		}
		var terms, wrong int
		if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*), COUNT(CASE WHEN tier <> CASE WHEN pos <= 1 THEN 1 ELSE pos END THEN 1 END)
			FROM organisation_terms`).Scan(&terms, &wrong); err != nil {
			t.Fatal(err)
		}
		if terms == 0 || wrong != 0 {
			t.Errorf("after migration 25: %d terms, %d of them with a wrong tier", terms, wrong)
		}
		checkSearch(t, s, []searchCase{
			{q: "京都", want: []string{"jp-261009", "jp-260002", "jp-130001"}},
			{q: "saint", want: []string{"fr-56201", "fr-42218", "fr-93066", "fr-35288"}},
		})
	})
}
