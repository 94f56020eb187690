package store_test

import (
	"context"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
	"github.com/rencontres/rencontres/internal/twinmap"
)

// The map's data kept by one instance is read again on its next render
// after another instance (a second Store on the same database) writes to
// what the map draws, and only then.
func TestMapCacheSeesAnotherInstance(t *testing.T) {
	storetest.EachTwice(t, func(t *testing.T, a, b *store.Store) {
		ctx := context.Background()
		f := newRegistrationFixture(t, a, 200)
		c := twinmap.NewCache()
		load := func() *twinmap.Data {
			t.Helper()
			d, err := c.Load(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		version := func() int64 {
			t.Helper()
			v, err := b.MapVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		d := load()
		n := len(d.All)
		if again := load(); again != d || c.Reads() != 1 {
			t.Fatalf("nothing written, yet the data was read %d times", c.Reads())
		}

		// A partnership made by the other instance is on the next render.
		p := &rencontres.Partnership{A: "fr-54395", B: "jp-281000", Kind: rencontres.PartnershipKinds[0], Year: 2024}
		if err := b.CreatePartnership(ctx, p); err != nil {
			t.Fatal(err)
		}
		if d = load(); len(d.All) != n+1 || c.Reads() != 2 {
			t.Fatalf("after another instance's partnership: %d partnerships (want %d), %d reads", len(d.All), n+1, c.Reads())
		}

		// An authority's position moved by the other instance.
		o, err := b.Organisation(ctx, "fr-54395")
		if err != nil {
			t.Fatal(err)
		}
		lat, lng := 48.69, 6.18
		o.Lat, o.Lng = &lat, &lng
		if err := b.UpdateOrganisation(ctx, o.Key, o); err != nil {
			t.Fatal(err)
		}
		d = load()
		var moved bool
		for _, x := range d.All {
			if x.ID == p.ID && x.OrgA != nil && x.OrgA.Lat != nil && *x.OrgA.Lat == lat {
				moved = true
			}
		}
		if !moved || c.Reads() != 3 {
			t.Fatalf("after another instance moved an authority: moved %v, %d reads", moved, c.Reads())
		}

		// A delegation's first registration changes who took part; its
		// second does not, nor touches the number; withdrawing the last
		// one not withdrawn does.
		v := version()
		first := f.person(5) // Shizuoka's first of this edition
		if _, err := b.Register(ctx, first, f.now, false); err != nil {
			t.Fatal(err)
		}
		if v2 := version(); v2 == v {
			t.Fatal("a delegation's first registration left the map's version")
		} else {
			v = v2
		}
		second := f.person(5 + len(orgs))
		if _, err := b.Register(ctx, second, f.now, false); err != nil {
			t.Fatal(err)
		}
		if version() != v {
			t.Error("a delegation's second registration raised the map's version")
		}
		if _, err := b.Withdraw(ctx, f.event.ID, first.ID, f.now, false); err != nil {
			t.Fatal(err)
		}
		if version() != v {
			t.Error("withdrawing one of two registrations raised the map's version")
		}
		if _, err := b.Withdraw(ctx, f.event.ID, second.ID, f.now, false); err != nil {
			t.Fatal(err)
		}
		if version() == v {
			t.Error("withdrawing a delegation's last registration left the map's version")
		}
		reads := c.Reads()
		load()
		if c.Reads() != reads+1 {
			t.Error("the render after a withdrawal did not read the data again")
		}
	})
}
