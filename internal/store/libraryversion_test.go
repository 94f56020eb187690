package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Searches that share the reads of the library's version still see every
// write committed before they began: while other searches keep reads of
// the version under way, another instance renames a practice's authority,
// and every search begun after the rename finds the practice by its new
// name.
func TestLibrarySharedVersionSeesEveryWrite(t *testing.T) {
	storetest.EachTwice(t, func(t *testing.T, a, b *store.Store) {
		a.SetLibraryWait(time.Minute) // each search answered from a copy
		ctx := context.Background()
		f := newReviewFixture(t, b)
		id := f.proposal(t, b, "Tramway de Kumamoto", 0, "jp-431001", nil, "Kenta MIZUNO")
		if err := b.SetDecision(ctx, &rencontres.ProposalVerdict{ProposalID: id, Decision: rencontres.Accepted}, f.secretariat.ID, f.now); err != nil {
			t.Fatal(err)
		}
		if err := b.SetLetters(ctx, f.call, testLetters); err != nil {
			t.Fatal(err)
		}
		if _, err := b.ReleaseDecisions(ctx, f.call, f.secretariat.ID, f.now, nil, composeForTest); err != nil {
			t.Fatal(err)
		}
		// Searches all along, so that a read of the version is under way
		// when each rename commits.
		stop := make(chan struct{})
		var busy sync.WaitGroup
		for range 4 {
			busy.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, _, err := a.Practices(ctx, rencontres.PracticeFilter{Query: "tramway"}); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		defer func() { close(stop); busy.Wait() }()
		for _, name := range []string{"Alphaville", "Bravoville", "Charlieville", "Deltaville", "Echoville"} {
			o, err := b.Organisation(ctx, "jp-431001")
			if err != nil {
				t.Fatal(err)
			}
			o.Name = rencontres.Text{"fr": name, "en": name, "ja": o.Name["ja"]}
			if err := b.UpdateOrganisation(ctx, o.Key, o); err != nil {
				t.Fatal(err)
			}
			truth, _, err := b.PracticesFromDatabase(ctx, rencontres.PracticeFilter{Query: name})
			want := ids(truth)
			if err != nil || !slices.Contains(want, id) {
				t.Fatalf("the database finds %v for %q, %v; want %d among them", want, name, err, id)
			}
			var searches sync.WaitGroup
			for range 16 {
				searches.Go(func() {
					ps, _, err := a.Practices(ctx, rencontres.PracticeFilter{Query: name})
					if err != nil || !slices.Equal(ids(ps), want) {
						t.Errorf("searched %q after the rename: %v, %v; want the renamed authority's %v", name, ids(ps), err, want)
					}
				})
			}
			searches.Wait()
		}
	})
}
