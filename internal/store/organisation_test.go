package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

func kumamoto() []*rencontres.Organisation {
	return []*rencontres.Organisation{
		{Key: "jp-430005", Kind: rencontres.Prefecture, Country: rencontres.Japan, Code: "430005",
			Name: rencontres.Text{"fr": "Kumamoto", "en": "Kumamoto", "ja": "熊本県"}, Kana: "くまもとけん"},
		{Key: "jp-431001", Kind: rencontres.Municipality, Country: rencontres.Japan, Code: "431001", ParentKey: "jp-430005",
			Name: rencontres.Text{"fr": "Kumamoto", "en": "Kumamoto", "ja": "熊本市"}, Kana: "くまもとし", Population: 738865},
		{Key: "fr-13001", Kind: rencontres.Commune, Country: rencontres.France, Code: "13001",
			Name: rencontres.Text{"fr": "Aix-en-Provence", "ja": "エクス＝アン＝プロヴァンス"}, Population: 149695},
	}
}

func TestUpsertOrganisations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		created, updated, err := s.UpsertOrganisations(ctx, kumamoto())
		if err != nil {
			t.Fatal(err)
		}
		if created != 3 || updated != 0 {
			t.Fatalf("first upsert: created %d updated %d, want 3 and 0", created, updated)
		}
		// A second import with fewer fields updates, merges names and keeps
		// what it does not know.
		again := []*rencontres.Organisation{{Key: "fr-13001", Kind: rencontres.Commune, Country: rencontres.France,
			Code: "13001", Name: rencontres.Text{"fr": "Aix-en-Provence"}}}
		created, updated, err = s.UpsertOrganisations(ctx, again)
		if err != nil {
			t.Fatal(err)
		}
		if created != 0 || updated != 1 {
			t.Fatalf("second upsert: created %d updated %d, want 0 and 1", created, updated)
		}
		aix, err := s.Organisation(ctx, "fr-13001")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := aix.Name["ja"], "エクス＝アン＝プロヴァンス"; got != want {
			t.Errorf("Japanese name after re-import = %q, want %q", got, want)
		}
		if got, want := aix.Population, int64(149695); got != want {
			t.Errorf("population after re-import = %d, want %d", got, want)
		}
		city, err := s.Organisation(ctx, "jp-431001")
		if err != nil {
			t.Fatal(err)
		}
		if city.ParentKey != "jp-430005" {
			t.Errorf("parent = %q, want jp-430005", city.ParentKey)
		}
	})
}

func TestUpsertOrganisationsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		orgs := kumamoto()
		orgs = append(orgs, &rencontres.Organisation{Key: "jp-999999", Kind: rencontres.Municipality, Country: rencontres.Japan,
			Name: rencontres.Text{"ja": "架空市"}, ParentKey: "jp-000000"})
		if _, _, err := s.UpsertOrganisations(ctx, orgs); err == nil {
			t.Fatal("upsert with an unknown parent succeeded")
		}
		_, total, err := s.Organisations(ctx, rencontres.OrgFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != 0 {
			t.Errorf("after a failed upsert, %d organisations are stored, want 0", total)
		}
	})
}

func TestSearchOrganisations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, _, err := s.UpsertOrganisations(ctx, kumamoto()); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"熊本", []string{"jp-431001", "jp-430005"}},
			{"くまもと", []string{"jp-431001", "jp-430005"}},
			{"クマモトシ", []string{"jp-431001"}},
			{"Kumamoto", []string{"jp-431001", "jp-430005"}},
			{"KUMAMOTO", []string{"jp-431001", "jp-430005"}},
			{"aix en provence", []string{"fr-13001"}},
			{"provence", []string{"fr-13001"}},
			{"Ｋｕｍａｍｏｔｏ", []string{"jp-431001", "jp-430005"}},
			{"ku%to", nil}, // LIKE wildcards in the query are not wildcards
			{"431001", []string{"jp-431001"}},
			{"nowhere", nil},
		} {
			orgs, total, err := s.Organisations(ctx, rencontres.OrgFilter{Query: tc.q})
			if err != nil {
				t.Fatalf("%q: %v", tc.q, err)
			}
			var got []string
			for _, o := range orgs {
				got = append(got, o.Key)
			}
			if len(got) != len(tc.want) || total != len(tc.want) {
				t.Errorf("search %q = %v (total %d), want %v", tc.q, got, total, tc.want)
				continue
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("search %q = %v, want %v", tc.q, got, tc.want)
					break
				}
			}
		}
	})
}

// An exact name comes first, the commune before the department of the same
// name; then names with a word starting with the query, by population.
func TestSearchOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		commune := func(code, name string, pop int64) *rencontres.Organisation {
			return &rencontres.Organisation{Key: "fr-" + code, Kind: rencontres.Commune, Country: rencontres.France,
				Code: code, Name: rencontres.Text{"fr": name}, Population: pop}
		}
		orgs := []*rencontres.Organisation{
			commune("62826", "Le Touquet-Paris-Plage", 4000),
			{Key: "fr-dep-75", Kind: rencontres.Departement, Country: rencontres.France, Code: "75", Name: rencontres.Text{"fr": "Paris"}},
			commune("95176", "Cormeilles-en-Parisis", 25000),
			commune("75056", "Paris", 2103778),
			commune("77514", "Villeparisis", 26000),
		}
		if _, _, err := s.UpsertOrganisations(ctx, orgs); err != nil {
			t.Fatal(err)
		}
		got, _, err := s.Organisations(ctx, rencontres.OrgFilter{Query: "paris"})
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, o := range got {
			keys = append(keys, o.Key)
		}
		// A Latin word is found by its start: Villeparisis is not a match
		// (kanji and kana names are found by any part).
		want := "fr-75056 fr-dep-75 fr-95176 fr-62826"
		if strings.Join(keys, " ") != want {
			t.Errorf("search paris = %v, want %s", keys, want)
		}
	})
}
