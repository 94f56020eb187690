package assign

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSpreadProperties checks, on generated calls, that every proposal
// gets its k reviewers, none in conflict, none twice, that no reviewer has
// more than one proposal above another, and that the same input gives the
// same assignments.
func TestSpreadProperties(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		rng := rand.New(rand.NewPCG(seed, 15))
		np, nr := 1+rng.IntN(60), 3+rng.IntN(15)
		// k below half the reviewers: with k near their number, every
		// reviewer free of conflict must take nearly every proposal, and
		// the conflicts alone make the loads uneven.
		k := 1 + rng.IntN(max(1, min(3, nr/2-1)))
		var props, revs []int64
		for i := range np {
			props = append(props, int64(100+i*7))
		}
		for i := range nr {
			revs = append(revs, int64(1+i*3))
		}
		// Each reviewer is in conflict with about one proposal in ten
		// (their authority's, their twin's).
		conflicts := map[Pair]bool{}
		for _, p := range props {
			for _, r := range revs {
				if rng.IntN(10) == 0 {
					conflicts[Pair{p, r}] = true
				}
			}
		}
		in := Input{Proposals: props, Reviewers: revs, K: k, Conflict: func(p, r int64) bool { return conflicts[Pair{p, r}] }}
		got := Spread(in)
		if again := Spread(in); !slices.Equal(got, again) {
			t.Fatalf("seed %d: two runs differ", seed)
		}
		load := map[int64]int{}
		per := map[int64]map[int64]bool{}
		for _, a := range got {
			if conflicts[a] {
				t.Fatalf("seed %d: %v is in conflict", seed, a)
			}
			if per[a.Proposal] == nil {
				per[a.Proposal] = map[int64]bool{}
			}
			if per[a.Proposal][a.Reviewer] {
				t.Fatalf("seed %d: %v twice", seed, a)
			}
			per[a.Proposal][a.Reviewer] = true
			load[a.Reviewer]++
		}
		for _, p := range props {
			free := 0
			for _, r := range revs {
				if !conflicts[Pair{p, r}] {
					free++
				}
			}
			if got, want := len(per[p]), min(k, free); got != want {
				t.Fatalf("seed %d: proposal %d has %d reviewers, want %d", seed, p, got, want)
			}
		}
		lo, hi := 1<<30, 0
		for _, r := range revs {
			lo, hi = min(lo, load[r]), max(hi, load[r])
		}
		if hi-lo > 1 {
			t.Errorf("seed %d (%d proposals, %d reviewers, k=%d): loads from %d to %d", seed, np, nr, k, lo, hi)
		}
	}
}

// TestSpreadKeepsExisting: assignments made by hand stay, count in the
// loads, and are not given twice.
func TestSpreadKeepsExisting(t *testing.T) {
	in := Input{Proposals: []int64{1, 2, 3, 4}, Reviewers: []int64{10, 20, 30, 40}, K: 2,
		Existing: map[int64][]int64{1: {10}, 2: {10}}}
	got := Spread(in)
	load := map[int64]int{10: 2}
	for _, a := range got {
		if a.Reviewer == 10 && (a.Proposal == 1 || a.Proposal == 2) {
			t.Fatalf("%v given again", a)
		}
		load[a.Reviewer]++
	}
	if len(got) != 6 {
		t.Fatalf("%d added, want 6: %v", len(got), got)
	}
	for r, n := range load {
		if n != 2 {
			t.Errorf("reviewer %d has %d, want 2 each: %v", r, n, got)
		}
	}
}

// TestSpreadAllConflicted: a proposal whose every reviewer is in conflict
// gets none rather than a conflicted one.
func TestSpreadAllConflicted(t *testing.T) {
	got := Spread(Input{Proposals: []int64{1, 2}, Reviewers: []int64{10, 20}, K: 2,
		Conflict: func(p, r int64) bool { return p == 1 }})
	if want := []Pair{{2, 10}, {2, 20}}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}
