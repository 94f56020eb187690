package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// TestMapPartnershipsOrder: the map's reading sorts in Go what
// AllPartnerships has the database sort (year signed, newest first, then
// both sides' sort names, then id), on names with accents, capitals,
// kanji and ties of year and side, and finds each side's area through
// parents two levels up.
func TestMapPartnershipsOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		orgs := []*rencontres.Organisation{
			{Key: "fr-reg-84", Kind: rencontres.Region, Country: rencontres.France, Code: "84", Name: rencontres.Text{"fr": "Auvergne-Rhône-Alpes"}},
			{Key: "fr-dep-69", Kind: rencontres.Departement, Country: rencontres.France, Code: "69", ParentKey: "fr-reg-84", Name: rencontres.Text{"fr": "Rhône"}},
			{Key: "jp-430005", Kind: rencontres.Prefecture, Country: rencontres.Japan, Code: "430005", Name: rencontres.Text{"fr": "Kumamoto", "ja": "熊本県"}},
		}
		frNames := []string{"Écully", "Eybens", "Lyon", "l'Arbresle", "Saint-Étienne", "Aix", "Œuilly"}
		for i, n := range frNames {
			orgs = append(orgs, &rencontres.Organisation{Key: fmt.Sprintf("fr-6900%d", i), Kind: rencontres.Commune, Country: rencontres.France,
				Code: fmt.Sprintf("6900%d", i), ParentKey: "fr-dep-69", Name: rencontres.Text{"fr": n}})
		}
		jpNames := []string{"熊本市", "八代市", "Ōzu", "あさぎり町"}
		for i, n := range jpNames {
			orgs = append(orgs, &rencontres.Organisation{Key: fmt.Sprintf("jp-43%04d", i), Kind: rencontres.Municipality, Country: rencontres.Japan,
				Code: fmt.Sprintf("43%04d", i), ParentKey: "jp-430005", Name: rencontres.Text{"ja": n, "fr": n}})
		}
		if _, _, err := s.UpsertOrganisations(ctx, orgs); err != nil {
			t.Fatal(err)
		}
		n := 0
		for i := range frNames {
			for j := range jpNames {
				if (i+j)%3 == 0 {
					continue
				}
				p := &rencontres.Partnership{A: fmt.Sprintf("fr-6900%d", i), B: fmt.Sprintf("jp-43%04d", j),
					Kind: rencontres.PartnershipKinds[(i+j)%4], Year: 1990 + (i*j)%3}
				if (i+j)%5 == 0 {
					p.Year = 0
				}
				if err := s.CreatePartnership(ctx, p); err != nil {
					t.Fatal(err)
				}
				n++
			}
		}
		all, err := s.AllPartnerships(ctx)
		if err != nil {
			t.Fatal(err)
		}
		light, err := s.MapPartnerships(ctx)
		if err != nil || len(light) != n || len(all) != n {
			t.Fatalf("%d light, %d full, want %d: %v", len(light), len(all), n, err)
		}
		for i, a := range all {
			b := light[i]
			if a.ID != b.ID || a.A != b.A || a.B != b.B || b.OrgA == nil || b.OrgA.Key != a.A || b.OrgB == nil || b.OrgB.Key != a.B {
				t.Fatalf("row %d: full %d %s–%s, light %d %s–%s", i, a.ID, a.A, a.B, b.ID, b.A, b.B)
			}
			if b.AreaA == nil || b.AreaA.Key != "fr-reg-84" || b.AreaB == nil || b.AreaB.Key != "jp-430005" {
				t.Fatalf("partnership %d: areas %v, %v", b.ID, b.AreaA, b.AreaB)
			}
			if b.OrgA.ParentKey != "fr-dep-69" || b.OrgA.Name.In(rencontres.French) != a.OrgA.Name.In(rencontres.French) {
				t.Fatalf("partnership %d: side %+v", b.ID, b.OrgA)
			}
		}
	})
}
