package schedule

import (
	"math/rand/v2"
	"sort"
)

// Solve places as many requests as it can (docs/scheduler.md): the kept
// placements still valid first, where they were; then the others greedily,
// the scarcest first; then ejection chains and a seeded local search
// within a budget of moves, which stops early once the schedule reaches
// UpperBound. The same problem always gives the same result.
func Solve(p *Problem) *Result {
	return SolveWith(p, Options{})
}

// Options tunes Solve. The zero value is what Solve uses.
type Options struct {
	// Iterations is the local search's budget of moves (0: 20 per request
	// plus 2,000, at most 50,000; negative: no local search, greedy and
	// ejection chains only).
	Iterations int
	// Seed varies the local search's random choices (still deterministic
	// for a given seed).
	Seed uint64
}

// SolveWith is Solve with options.
func SolveWith(p *Problem, o Options) *Result {
	st := newState(p)
	bound := UpperBound(p)
	tableOf, prefer := st.keep()
	st.greedy(prefer)
	se := newSearch(st, o.Seed, bound)
	se.augmentAll()
	iters := o.Iterations
	if iters == 0 {
		iters = min(20*st.n+2000, 50000)
	}
	se.localSearch(iters)
	se.augmentAll()
	return st.result(tableOf, bound)
}

// keep places the kept placements still valid, in the order given: the
// request still asked for and not placed twice, the slot and table in
// range and the table not taken, both delegations free there, an
// interpreter free if needed, both under the cap. Those are fixed with
// their table; for the others, prefer remembers the old slot so that they
// go back there when they can.
func (st *state) keep() (tableOf, prefer []int) {
	index := make(map[int64]int, st.n)
	for i := st.n - 1; i >= 0; i-- {
		index[st.p.Requests[i].ID] = i
	}
	tableOf = make([]int, st.n)
	prefer = make([]int, st.n)
	for i := range tableOf {
		tableOf[i], prefer[i] = -1, -1
	}
	taken := make(map[[2]int]bool)
	seen := make([]bool, st.n)
	for _, k := range st.p.Keep {
		i, ok := index[k.Request]
		if !ok || seen[i] {
			continue
		}
		seen[i] = true
		s := k.Slot
		if s >= 0 && s < st.S && k.Table >= 0 && k.Table < st.tableCap(s) && !taken[[2]int{s, k.Table}] && st.fits(i, s) {
			st.placeRaw(i, s)
			st.fixed[i] = true
			tableOf[i] = k.Table
			taken[[2]int{s, k.Table}] = true
			continue
		}
		prefer[i] = s
	}
	return tableOf, prefer
}

// greedy places the free requests by scarcity: first those whose
// delegations are not asked more than they can meet (their cap, their
// free slots), then the fewest usable slots first, then those needing an
// interpreter, then those whose delegations are asked the least; each
// into its old slot when it fits there, else the
// slot that keeps the most room of the kind it uses (interpreters for an
// interpreted meeting, tables not backed by an interpreter otherwise).
func (st *state) greedy(prefer []int) {
	usable := make([]int, st.n)
	order := make([]int, 0, st.n)
	for i := 0; i < st.n; i++ {
		if st.slot[i] >= 0 || !st.valid[i] {
			continue
		}
		for s := 0; s < st.S; s++ {
			if st.usable(i, s) {
				usable[i]++
			}
		}
		if usable[i] > 0 {
			order = append(order, i)
		}
	}
	// A delegation asked more than it can meet (its cap, its free slots)
	// will lose some requests: those go last.
	excess := make([]int, st.D)
	for d := range excess {
		free := 0
		for s := 0; s < st.S; s++ {
			if st.occ[s*st.D+d] != busy && st.tableCap(s) > 0 {
				free++
			}
		}
		excess[d] = max(0, len(st.adj[d])-min(st.cap, free))
	}
	over := func(i int) int { return excess[st.a[i]] + excess[st.b[i]] }
	demand := func(i int) int { return len(st.adj[st.a[i]]) + len(st.adj[st.b[i]]) }
	sort.SliceStable(order, func(x, y int) bool {
		i, j := order[x], order[y]
		if over(i) != over(j) {
			return over(i) < over(j)
		}
		if usable[i] != usable[j] {
			return usable[i] < usable[j]
		}
		if st.interp[i] != st.interp[j] {
			return st.interp[i]
		}
		return demand(i) < demand(j)
	})
	for _, i := range order {
		if s := prefer[i]; s >= 0 && s < st.S && st.fits(i, s) {
			st.placeRaw(i, s)
			continue
		}
		best, score := -1, 0
		for s := 0; s < st.S; s++ {
			if !st.fits(i, s) {
				continue
			}
			freeT := st.tableCap(s) - st.tables[s]
			freeI := st.interpCap(s) - st.interps[s]
			sc := freeT - freeI
			if st.interp[i] {
				sc = freeI*(st.tableCap(s)+1) + freeT
			}
			if best < 0 || sc > score {
				best, score = s, sc
			}
		}
		if best >= 0 {
			st.placeRaw(i, best)
		}
	}
}

// result gives each placed request a table (a kept one its own, the
// others the lowest free, in the order of the requests) and each unplaced
// one its reason.
func (st *state) result(tableOf []int, bound int) *Result {
	r := &Result{Bound: bound, Placed: make([]Placement, 0, st.placed)}
	for s := 0; s < st.S; s++ {
		used := make([]bool, st.tableCap(s))
		var rest []int
		for i := 0; i < st.n; i++ {
			if st.slot[i] != s {
				continue
			}
			if tableOf[i] >= 0 {
				used[tableOf[i]] = true
			} else {
				rest = append(rest, i)
			}
		}
		t := 0
		for _, i := range rest {
			for used[t] {
				t++
			}
			tableOf[i], used[t] = t, true
		}
	}
	for i := 0; i < st.n; i++ {
		q := st.p.Requests[i]
		if s := st.slot[i]; s >= 0 {
			r.Placed = append(r.Placed, Placement{Request: q.ID, Slot: s, Table: tableOf[i], Interpreter: q.Interpreter})
		} else {
			r.Unplaced = append(r.Unplaced, Unplaced{Request: q.ID, Reason: st.reason(i)})
		}
	}
	sort.Slice(r.Placed, func(x, y int) bool {
		if r.Placed[x].Slot != r.Placed[y].Slot {
			return r.Placed[x].Slot < r.Placed[y].Slot
		}
		return r.Placed[x].Table < r.Placed[y].Table
	})
	return r
}

// reason says why unplaced request i is out, against the final schedule
// (the definition is on Reason).
func (st *state) reason(i int) Reason {
	a, b := st.a[i], st.b[i]
	if !st.valid[i] || st.deg[a] >= st.cap || st.deg[b] >= st.cap {
		return NoCommonSlot
	}
	common, interp := false, false
	for s := 0; s < st.S; s++ {
		if st.occ[s*st.D+a] != free || st.occ[s*st.D+b] != free {
			continue
		}
		common = true
		if st.interps[s] < st.interpCap(s) {
			interp = true
		}
	}
	switch {
	case !common:
		return NoCommonSlot
	case st.interp[i] && !interp:
		return NoInterpreter
	}
	return NoTable
}

// rng is the local search's source of random choices, seeded so that the
// same problem gives the same schedule.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(0x5eed5c4ed, seed))
}
