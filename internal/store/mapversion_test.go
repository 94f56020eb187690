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
		// Its registrations are all withdrawn: a new one brings it back.
		v = version()
		third := f.person(5 + 2*len(orgs))
		if _, err := b.Register(ctx, third, f.now, false); err != nil {
			t.Fatal(err)
		}
		if version() == v {
			t.Error("a registration of a delegation with only withdrawn ones left the map's version")
		}
		reads := c.Reads()
		load()
		if c.Reads() != reads+1 {
			t.Error("the render after a withdrawal did not read the data again")
		}
	})
}

// On PostgreSQL the map's version rises once per transaction, however
// many statements write what the map draws (an import writes each
// authority with its own), and again after a savepoint that raised it was
// rolled back.
func TestMapVersionOncePerTransaction(t *testing.T) {
	s := storetest.Postgres(t)
	ctx := context.Background()
	if _, _, err := s.UpsertOrganisations(ctx, []*rencontres.Organisation{
		{Key: "fr-13001", Kind: rencontres.Commune, Country: rencontres.France, Name: rencontres.Text{"fr": "Aix-en-Provence"}}}); err != nil {
		t.Fatal(err)
	}
	before, err := s.MapVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for i := range 50 {
		if _, err := tx.ExecContext(ctx, "UPDATE organisations SET lat = $1 WHERE key = 'fr-13001'", 43.5+float64(i)/1000); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	after, err := s.MapVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after != before+1 {
		t.Errorf("fifty statements in one transaction: the version went from %d to %d, want %d", before, after, before+1)
	}
	tx, err = s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, q := range []string{"SAVEPOINT p", "UPDATE organisations SET lat = 43.1 WHERE key = 'fr-13001'", "ROLLBACK TO SAVEPOINT p",
		"UPDATE organisations SET lat = 43.2 WHERE key = 'fr-13001'"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if last, _ := s.MapVersion(ctx); last != after+1 {
		t.Errorf("a bump rolled back to its savepoint, then a write: the version went from %d to %d, want %d", after, last, after+1)
	}
}

// The first people of an authority at an event, registered together in
// one batch (one statement writes them), put the authority on the map:
// its version rises.
func TestMapVersionSeesANewDelegationInABatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistrationFixture(t, s, 0)
		before, err := s.MapVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		subs := []*store.Submission{{R: f.person(0), Now: f.now}, {R: f.person(len(orgs)), Now: f.now}}
		if subs[0].R.OrgKey != subs[1].R.OrgKey {
			t.Fatal("the two people are of different authorities")
		}
		if n := registerBatch(t, s, subs); n != 2 || subs[0].Err != nil || subs[1].Err != nil {
			t.Fatalf("registered %d: %v, %v", n, subs[0].Err, subs[1].Err)
		}
		after, err := s.MapVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if after == before {
			t.Errorf("two first registrations of %s in one batch left the map's version at %d", subs[0].R.OrgKey, before)
		}
		// A batch of that authority's next people changes nothing.
		subs = []*store.Submission{{R: f.person(2 * len(orgs)), Now: f.now}, {R: f.person(3 * len(orgs)), Now: f.now}}
		if n := registerBatch(t, s, subs); n != 2 || subs[0].Err != nil || subs[1].Err != nil {
			t.Fatalf("registered %d: %v, %v", n, subs[0].Err, subs[1].Err)
		}
		if again, _ := s.MapVersion(ctx); again != after {
			t.Errorf("a batch of %s's next people raised the map's version from %d to %d", subs[0].R.OrgKey, after, again)
		}
	})
}
