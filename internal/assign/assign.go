// Package assign spreads reviewers over proposals evenly: each proposal
// gets k reviewers, no reviewer reviews more than one proposal above
// another (when the conflicts allow it), and never a proposal they are in
// conflict with. It knows nothing of HTTP or SQL; the result depends only
// on its input, so that running it twice on the same call gives the same
// assignments.
package assign

import (
	"slices"
)

// Input is what the spread starts from. Proposals and Reviewers are ids;
// Existing are assignments already made (by hand, or by an earlier
// spread), which count in each reviewer's load and are kept; Conflict
// reports whether a reviewer may not review a proposal.
type Input struct {
	Proposals []int64
	Reviewers []int64
	Existing  map[int64][]int64 // proposal → reviewers
	Conflict  func(proposal, reviewer int64) bool
	K         int
}

// Pair is a reviewer assigned to a proposal.
type Pair struct{ Proposal, Reviewer int64 }

// Spread returns the assignments to add so that each proposal has K
// reviewers (or as many as it has reviewers free of conflict). It first
// deals the places round by round, each to the least loaded reviewer
// allowed (ties to the lower id), proposals with the fewest allowed
// reviewers first; then, while a reviewer has two more than another, it
// moves one of the new assignments from the most to the least loaded when
// the conflicts allow.
func Spread(in Input) []Pair {
	props := slices.Clone(in.Proposals)
	revs := slices.Clone(in.Reviewers)
	slices.Sort(props)
	slices.Sort(revs)
	props, revs = slices.Compact(props), slices.Compact(revs)
	conflict := in.Conflict
	if conflict == nil {
		conflict = func(int64, int64) bool { return false }
	}
	load := map[int64]int{}
	on := map[int64]map[int64]bool{} // proposal → reviewers on it
	allowed := map[int64][]int64{}
	for _, p := range props {
		on[p] = map[int64]bool{}
		for _, r := range revs {
			if !conflict(p, r) {
				allowed[p] = append(allowed[p], r)
			}
		}
	}
	for _, p := range props {
		for _, r := range in.Existing[p] {
			if !on[p][r] {
				on[p][r] = true
				load[r]++
			}
		}
	}
	// The proposals with the fewest choices are served first in each
	// round, so that the others do not take their only reviewers.
	order := slices.Clone(props)
	slices.SortStableFunc(order, func(a, b int64) int { return len(allowed[a]) - len(allowed[b]) })
	var added []Pair
	for round := 0; round < in.K; round++ {
		for _, p := range order {
			if len(on[p]) >= in.K {
				continue
			}
			best := int64(0)
			found := false
			for _, r := range allowed[p] {
				if on[p][r] {
					continue
				}
				if !found || load[r] < load[best] {
					best, found = r, true
				}
			}
			if !found {
				continue
			}
			on[p][best] = true
			load[best]++
			added = append(added, Pair{p, best})
		}
	}
	// Repair: while a reviewer has two more than another, find a chain
	// of moves from the one to the other (the first gives one of their
	// new proposals to a second, who gives one of theirs to a third…) and
	// make it: the loads between keep theirs. Each chain lowers the sum
	// of squared loads, so the loop ends.
	for shiftChain(added, revs, load, on, conflict) {
	}
	slices.SortFunc(added, func(a, b Pair) int {
		if a.Proposal != b.Proposal {
			return cmp(a.Proposal, b.Proposal)
		}
		return cmp(a.Reviewer, b.Reviewer)
	})
	return added
}

func cmp(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// shiftChain finds, by a breadth-first search over reviewers, a chain of
// moves of new assignments from a most loaded reviewer to one loaded two
// less, makes it and reports whether it found one.
func shiftChain(added []Pair, revs []int64, load map[int64]int, on map[int64]map[int64]bool, conflict func(int64, int64) bool) bool {
	byReviewer := map[int64][]int{} // reviewer → indexes in added
	for i, a := range added {
		byReviewer[a.Reviewer] = append(byReviewer[a.Reviewer], i)
	}
	hi := 0
	for _, r := range revs {
		hi = max(hi, load[r])
	}
	for _, src := range revs {
		if load[src] != hi {
			continue
		}
		// via[r] is the assignment moved to reach r.
		via := map[int64]int{src: -1}
		queue := []int64{src}
		for len(queue) > 0 {
			r := queue[0]
			queue = queue[1:]
			for _, i := range byReviewer[r] {
				p := added[i].Proposal
				for _, to := range revs {
					if _, seen := via[to]; seen || on[p][to] || conflict(p, to) {
						continue
					}
					via[to] = i
					if load[to] <= hi-2 {
						// Walk back from to, moving each assignment on.
						load[src]--
						load[to]++
						for cur := to; cur != src; {
							j := via[cur]
							from := added[j].Reviewer
							delete(on[added[j].Proposal], from)
							on[added[j].Proposal][cur] = true
							added[j].Reviewer = cur
							cur = from
						}
						return true
					}
					queue = append(queue, to)
				}
			}
		}
	}
	return false
}
