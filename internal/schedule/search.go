package schedule

import "math/rand/v2"

// search improves a schedule: ejection chains that place one more
// request by moving others along, and a local search that swaps requests
// in and out when the chains are stuck.
type search struct {
	st *state
	r  *rand.Rand
	// mark[i] == stamp: request i was already moved in the current chain
	// search (each request moves at most once per search).
	mark   []int
	stamp  int
	locked []bool
	budget int
	// bound is UpperBound: once reached, nothing is left to gain.
	bound int
	// usable[i] lists the slots request i could ever sit in.
	usable [][]int
	// buf[depth] holds a slot's members while insert at that depth goes
	// through them (one buffer per depth: the recursion never shares one).
	buf [chainDepth + 1][]int
}

const (
	chainDepth  = 4   // requests a chain moves at most
	chainBudget = 300 // moves tried per chain search
)

func newSearch(st *state, seed uint64, bound int) *search {
	se := &search{st: st, r: newRand(seed), mark: make([]int, st.n), locked: make([]bool, st.n), bound: bound}
	se.usable = make([][]int, st.n)
	for i := 0; i < st.n; i++ {
		for s := 0; s < st.S; s++ {
			if st.usable(i, s) {
				se.usable[i] = append(se.usable[i], s)
			}
		}
	}
	return se
}

// augment tries to place unplaced request i, by an ejection chain if it
// does not fit as things are.
func (se *search) augment(i int) bool {
	se.stamp++
	se.budget = chainBudget
	mark := len(se.st.journal)
	if se.insert(i, chainDepth) {
		return true
	}
	se.st.undo(mark)
	return false
}

// augmentAll tries every unplaced request until none more can be placed
// or the bound is reached.
func (se *search) augmentAll() {
	st := se.st
	for more := true; more; {
		more = false
		for i := 0; i < st.n && st.placed < se.bound; i++ {
			if st.slot[i] < 0 && len(se.usable[i]) > 0 && se.augment(i) {
				more = true
			}
		}
		st.journal = st.journal[:0]
	}
}

func (se *search) movable(e int) bool {
	return !se.st.fixed[e] && !se.locked[e] && se.mark[e] != se.stamp
}

// insert places unplaced request i: into a slot where it fits, else into
// a slot where moving one other request elsewhere (recursively, at most
// depth deep) makes room. It leaves the state changed only on success.
func (se *search) insert(i, depth int) bool {
	st := se.st
	se.mark[i] = se.stamp
	a, b := st.a[i], st.b[i]
	if st.deg[a] >= st.cap || st.deg[b] >= st.cap {
		return false
	}
	for _, s := range se.usable[i] {
		if st.fits(i, s) {
			st.place(i, s)
			return true
		}
	}
	if depth == 0 {
		return false
	}
	// First the moves that clear a delegation's place, then those that
	// free a table or an interpreter.
	for _, s := range se.usable[i] {
		x, y := st.occ[s*st.D+a], st.occ[s*st.D+b]
		if x >= 0 && y >= 0 && x != y {
			continue
		}
		e := max(x, y)
		if e < 0 || !se.movable(e) {
			continue
		}
		if se.try(i, s, e, depth) {
			return true
		}
	}
	for _, s := range se.usable[i] {
		if st.occ[s*st.D+a] != free || st.occ[s*st.D+b] != free {
			continue
		}
		needInterp := st.interp[i] && st.interps[s] >= st.interpCap(s)
		se.buf[depth] = append(se.buf[depth][:0], st.members[s]...)
		for _, e := range se.buf[depth] {
			if se.budget <= 0 {
				return false
			}
			if !se.movable(e) || (needInterp && !st.interp[e]) {
				continue
			}
			if se.try(i, s, e, depth) {
				return true
			}
		}
	}
	return false
}

// try moves e out of slot s, puts i there and finds e another place.
func (se *search) try(i, s, e, depth int) bool {
	st := se.st
	if se.budget <= 0 {
		return false
	}
	se.budget--
	se.mark[e] = se.stamp
	mark := len(st.journal)
	st.remove(e)
	if st.fits(i, s) {
		st.place(i, s)
		if se.insert(e, depth-1) {
			return true
		}
	}
	st.undo(mark)
	return false
}

// localSearch runs iters moves, or until the schedule reaches the bound: put
// an unplaced request into one of its slots by force, taking out what is
// in the way (the delegations' meetings there, a table's or an
// interpreter's meeting, a meeting of a delegation at its cap), then find
// places for those taken out and for the requests their going frees. A
// move that leaves fewer meetings is undone; one that leaves as many is
// kept, so that the search walks across equal schedules.
func (se *search) localSearch(iters int) {
	st := se.st
	var pool []int
	for it := 0; it < iters && st.placed < se.bound; it++ {
		if it%64 == 0 {
			pool = pool[:0]
			for i := 0; i < st.n; i++ {
				if st.slot[i] < 0 && len(se.usable[i]) > 0 {
					pool = append(pool, i)
				}
			}
			if len(pool) == 0 {
				return
			}
		}
		i := pool[se.r.IntN(len(pool))]
		if st.slot[i] >= 0 {
			continue
		}
		s := se.usable[i][se.r.IntN(len(se.usable[i]))]
		st.journal = st.journal[:0]
		before := st.placed
		se.locked[i] = true
		out, ok := se.kick(i, s)
		if ok {
			st.place(i, s)
			for _, e := range out {
				se.augment(e)
			}
			for _, e := range out {
				se.freed(st.a[e])
				se.freed(st.b[e])
			}
		}
		se.locked[i] = false
		switch {
		case !ok || st.placed < before:
			st.undo(0)
		case st.placed > before:
			se.augmentAll()
		}
	}
	st.journal = st.journal[:0]
}

// freed tries to place the unplaced requests of delegation d, which a
// move may have brought under its cap or freed in a slot.
func (se *search) freed(d int) {
	for _, r := range se.st.adj[d] {
		if se.st.slot[r] < 0 && len(se.usable[r]) > 0 {
			se.augment(r)
		}
	}
}

// kick takes out of the way what keeps request i from slot s, and says
// which requests it took out; false when a kept placement is in the way.
func (se *search) kick(i, s int) ([]int, bool) {
	st := se.st
	var out []int
	take := func(e int) bool {
		if st.fixed[e] || se.locked[e] {
			return false
		}
		st.remove(e)
		out = append(out, e)
		return true
	}
	anyOf := func(list []int, ok func(int) bool) int {
		var c []int
		for _, e := range list {
			if st.slot[e] >= 0 && !st.fixed[e] && !se.locked[e] && ok(e) {
				c = append(c, e)
			}
		}
		if len(c) == 0 {
			return -1
		}
		return c[se.r.IntN(len(c))]
	}
	all := func(int) bool { return true }
	for _, d := range [2]int{st.a[i], st.b[i]} {
		if e := st.occ[s*st.D+d]; e >= 0 && !take(e) {
			return out, false
		}
	}
	for _, d := range [2]int{st.a[i], st.b[i]} {
		if st.deg[d] >= st.cap {
			e := anyOf(st.adj[d], all)
			if e < 0 || !take(e) {
				return out, false
			}
		}
	}
	if st.tables[s] >= st.tableCap(s) {
		if e := anyOf(st.members[s], all); e < 0 || !take(e) {
			return out, false
		}
	}
	if st.interp[i] && st.interps[s] >= st.interpCap(s) {
		e := anyOf(st.members[s], func(e int) bool { return st.interp[e] })
		if e < 0 || !take(e) {
			return out, false
		}
	}
	return out, st.fits(i, s)
}
