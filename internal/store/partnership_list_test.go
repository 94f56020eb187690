package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// The partnerships' list read a page at a time by SQL, walked forward and
// back under each filter and some of them together, gives the rows, the
// total and the counts of every filter's values that filtering the whole
// list in Go gives (rencontres.FilterPartnerships, the rule the SQL
// keeps), on both databases.
func TestPartnershipPageWalk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		addPartnerships(t, s)
		all, err := s.AllPartnerships(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) < 40 {
			t.Fatalf("the demo has %d partnerships: too few to walk", len(all))
		}
		area, other := "fr-reg-93", "jp-430005"
		if in, _ := rencontres.FilterPartnerships(all, rencontres.PartnershipFilter{Area: area}); len(in) < 3 {
			t.Fatalf("%d partnerships in %s", len(in), area)
		}
		filters := []rencontres.PartnershipFilter{
			{},
			{Country: "FR"},
			{Country: "JP", Kind: rencontres.Jumelage},
			{Kind: rencontres.Jumelage},
			{Area: area},
			{Area: other, State: rencontres.StateActive},
			{Decade: 1980},
			{Decade: 2010, Country: "FR"},
			{State: rencontres.StateActive},
			{Area: "fr-13001"}, // a town is no area: nothing
			{Country: "XX"},
		}
		for _, f := range filters {
			t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
				want, wantFacets := rencontres.FilterPartnerships(all, f)
				wantIDs := partnershipIDs(want)
				for _, limit := range []int{1, 7, 50} {
					read := func(r cursor.Request) ([]int64, cursor.Head, error) {
						page, h, err := s.PartnershipPage(ctx, f, r)
						for _, p := range page {
							if p.OrgA == nil || p.OrgB == nil {
								t.Fatalf("partnership %d without its sides", p.ID)
							}
						}
						return partnershipIDs(page), h, err
					}
					forward, back, first := walk(t, limit, read)
					if !slices.Equal(forward, wantIDs) {
						t.Fatalf("limit %d: forward %v, want %v", limit, forward, wantIDs)
					}
					if !slices.Equal(back, wantIDs[:len(back)]) || len(wantIDs)-len(back) > limit {
						t.Fatalf("limit %d: back %v, want the start of %v", limit, back, wantIDs)
					}
					if first.Total != len(want) {
						t.Errorf("limit %d: total %d, want %d", limit, first.Total, len(want))
					}
				}
				var each []int64
				if err := s.EachPartnership(ctx, f, func(list []*rencontres.Partnership) error {
					each = append(each, partnershipIDs(list)...)
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(each, wantIDs) {
					t.Errorf("each: %v, want %v", each, wantIDs)
				}
				if err := sameFacets(ctx, s, f, wantFacets); err != nil {
					t.Error(err)
				}
			})
		}
	})
}

func partnershipIDs(list []*rencontres.Partnership) []int64 {
	out := make([]int64, len(list))
	for i, p := range list {
		out[i] = p.ID
	}
	return out
}

// sameFacets compares the store's counts of every filter's values under f
// with want, and says the first that differs.
func sameFacets(ctx context.Context, s *store.Store, f rencontres.PartnershipFilter, want rencontres.PartnershipFacets) error {
	got, err := s.PartnershipFacets(ctx, f)
	if err != nil {
		return err
	}
	for _, c := range []struct {
		name      string
		got, want []rencontres.Facet
	}{{"country", got.Country, want.Country}, {"kind", got.Kind, want.Kind}, {"area", got.Area, want.Area},
		{"decade", got.Decade, want.Decade}, {"state", got.State, want.State}} {
		if g, w := facetText(c.got), facetText(c.want); g != w {
			return fmt.Errorf("%s counts: %s, want %s", c.name, g, w)
		}
	}
	return nil
}

// facetText is a facet's values, counts and areas, to compare.
func facetText(fs []rencontres.Facet) string {
	s := ""
	for _, f := range fs {
		s += fmt.Sprintf("%s=%d", f.Value, f.Count)
		if f.Org != nil {
			s += "(" + f.Org.Key + ")"
		}
		s += " "
	}
	return s
}

// addPartnerships adds to the demo's partnerships some between its French
// and Japanese organisations, of every kind and state, many signed the
// same year (ties the names break) and some in an unknown year.
func addPartnerships(t *testing.T, s *store.Store) {
	t.Helper()
	keys := func(country string) []string {
		rows, err := s.DB().Query("SELECT key FROM organisations WHERE country = $1 ORDER BY key", country)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			out = append(out, k)
		}
		return out
	}
	// A region, its département and an intercommunality: Aix and
	// Marseille lie in the region through their département, Antibes
	// through three parents.
	fr := func(key string, kind rencontres.OrgKind, parent, name string) *rencontres.Organisation {
		return &rencontres.Organisation{Key: key, Kind: kind, Country: rencontres.France, ParentKey: parent, Name: rencontres.Text{"fr": name}}
	}
	for _, level := range [][]*rencontres.Organisation{
		{fr("fr-reg-93", rencontres.Region, "", "Provence-Alpes-Côte d’Azur")},
		{fr("fr-dep-13", rencontres.Departement, "fr-reg-93", "Bouches-du-Rhône"), fr("fr-dep-06", rencontres.Departement, "fr-reg-93", "Alpes-Maritimes")},
		{fr("fr-epci-06", rencontres.EPCI, "fr-dep-06", "Sophia Antipolis"), fr("fr-13001", rencontres.Commune, "fr-dep-13", "Aix-en-Provence"),
			fr("fr-13055", rencontres.Commune, "fr-dep-13", "Marseille")},
		{fr("fr-06004", rencontres.Commune, "fr-epci-06", "Antibes")},
	} {
		if _, _, err := s.UpsertOrganisations(context.Background(), level); err != nil {
			t.Fatal(err)
		}
	}
	// Two sides in one region count once in its area.
	if err := s.CreatePartnership(context.Background(), &rencontres.Partnership{A: "fr-13001", B: "fr-06004",
		Kind: rencontres.Convention, Year: 2013}); err != nil {
		t.Fatal(err)
	}
	frk, jp := keys("FR"), keys("JP")
	kinds := []rencontres.PartnershipKind{rencontres.Jumelage, rencontres.PacteAmitie}
	added := 0
	for i := 0; added < 60 && i < len(frk)*len(jp); i++ {
		p := &rencontres.Partnership{A: frk[i%len(frk)], B: jp[(i/len(frk)+i)%len(jp)], Kind: kinds[i%2],
			Year: []int{0, 1988, 1988, 2013, 2015, 2013}[i%6], State: rencontres.PartnershipStates[i%4]}
		if p.State == rencontres.StateEnded {
			p.YearEnded = 2024
		}
		if err := s.CreatePartnership(context.Background(), p); err == nil {
			added++
		} else if rencontres.ErrorCode(err) != rencontres.ECONFLICT && rencontres.ErrorCode(err) != rencontres.EINVALID {
			t.Fatal(err)
		}
	}
}

// Each partnership keeps its sides' sort names for the list's order
// and its year (migration 00051), and its sides' countries and areas for
// the filters' counts (migration 00052, a table of counts): renaming a
// side, changing a year, a kind or a state, moving an authority out of
// its region, merging a side into another authority and restoring a
// backup leave the list in the order of the years and names as they are,
// and every filter's counts as the rule in Go gives them.
func TestPartnershipOrderFollowsItsSides(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		addPartnerships(t, s)
		inOrder := func(what string, s *store.Store) {
			t.Helper()
			all, err := s.AllPartnerships(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := rencontres.FilterPartnerships(all, rencontres.PartnershipFilter{})
			var got []int64
			if err := s.EachPartnership(ctx, rencontres.PartnershipFilter{}, func(list []*rencontres.Partnership) error {
				got = append(got, partnershipIDs(list)...)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, partnershipIDs(want)) {
				t.Fatalf("%s: the list reads %v, want %v", what, got, partnershipIDs(want))
			}
			for _, f := range []rencontres.PartnershipFilter{{}, {Country: "JP"}, {Area: "fr-reg-93"}, {Area: "jp-430005"},
				{Kind: rencontres.Jumelage, Decade: 2020}, {State: rencontres.StateActive, Country: "FR"}} {
				_, wantFacets := rencontres.FilterPartnerships(all, f)
				if err := sameFacets(ctx, s, f, wantFacets); err != nil {
					t.Fatalf("%s, filter %+v: %v", what, f, err)
				}
			}
		}
		inOrder("as loaded", s)
		// Aix, first of its year, renamed to come last.
		o, err := s.Organisation(ctx, "fr-13001")
		if err != nil {
			t.Fatal(err)
		}
		o.Name["fr"] = "Zzz, Aix-en-Provence renommée"
		if err := s.UpdateOrganisation(ctx, o.Key, o); err != nil {
			t.Fatal(err)
		}
		inOrder("after a rename", s)
		// The list's last partnership, signed again this year, comes first.
		all, err := s.AllPartnerships(ctx)
		if err != nil {
			t.Fatal(err)
		}
		last := all[len(all)-1]
		last.Year = 2026
		if err := s.UpdatePartnership(ctx, last); err != nil {
			t.Fatal(err)
		}
		inOrder("after a year changed", s)
		// The first partnership a pact now, and dormant.
		first := all[0]
		first.Kind, first.State = rencontres.PacteAmitie, rencontres.StateDormant
		if err := s.UpdatePartnership(ctx, first); err != nil {
			t.Fatal(err)
		}
		inOrder("after a kind and a state changed", s)
		// Alpes-Maritimes leaves its region: Antibes, three levels under
		// it, has no area any more.
		dep, err := s.Organisation(ctx, "fr-dep-06")
		if err != nil {
			t.Fatal(err)
		}
		dep.ParentKey = ""
		if err := s.UpdateOrganisation(ctx, dep.Key, dep); err != nil {
			t.Fatal(err)
		}
		inOrder("after a département left its region", s)
		// Kumamoto's partnerships go to a local record named otherwise.
		dup := &rencontres.Organisation{Key: "jp-431001-bis", Kind: rencontres.Commune, Country: rencontres.Japan, Name: rencontres.Text{"ja": "阿蘇", "fr": "Aaa, Kumamoto (doublon)"}}
		if _, _, err := s.UpsertOrganisations(ctx, []*rencontres.Organisation{dup}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MergeOrganisations(ctx, "jp-431001-bis", "jp-431001", true, nil); err != nil {
			t.Fatal(err)
		}
		inOrder("after a merge", s)
		var backup bytes.Buffer
		if _, err := s.Backup(ctx, &backup, time.Now()); err != nil {
			t.Fatal(err)
		}
		targets := []*store.Store{storetest.SQLite(t)}
		if os.Getenv(storetest.PostgresEnv) != "" {
			targets = append(targets, storetest.Postgres(t))
		}
		for _, to := range targets {
			if _, err := to.Restore(ctx, bytes.NewReader(backup.Bytes())); err != nil {
				t.Fatal(err)
			}
			inOrder("restored on "+to.Dialect(), to)
		}
	})
}
