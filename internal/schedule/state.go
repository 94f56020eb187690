package schedule

// state is a schedule being built: which slot each request is in, who
// occupies each delegation's place in each slot, and what each slot and
// delegation has used. Every change goes through place and remove, which
// write a journal so that a tried move can be undone exactly.
type state struct {
	p       *Problem
	n, S, D int
	a, b    []int
	interp  []bool
	valid   []bool // both delegations in range and distinct
	fixed   []bool // a kept placement still valid: never moved
	slot    []int  // -1: unplaced
	// occ[s*D+d] is the request delegation d meets in slot s, free or
	// busy (a session it registered for).
	occ     []int
	tables  []int // tables used per slot
	interps []int // interpreters used per slot
	deg     []int // meetings per delegation
	cap     int
	// members[s] lists the requests in slot s; pos[i] is i's index there.
	members [][]int
	pos     []int
	// adj[d] lists the requests of delegation d.
	adj     [][]int
	placed  int
	journal []change
}

const (
	free = -1
	busy = -2
)

// change is one journal entry: request i was moved from slot prev (-1
// when it was unplaced) to wherever it is now.
type change struct{ i, prev int }

func newState(p *Problem) *state {
	st := &state{p: p, n: len(p.Requests), S: p.Slots, D: p.Delegations, cap: p.Cap}
	if st.S < 0 {
		st.S = 0
	}
	if st.D < 0 {
		st.D = 0
	}
	if st.cap <= 0 {
		st.cap = int(^uint(0) >> 1)
	}
	n := st.n
	st.a, st.b = make([]int, n), make([]int, n)
	st.interp, st.valid, st.fixed = make([]bool, n), make([]bool, n), make([]bool, n)
	st.slot, st.pos = make([]int, n), make([]int, n)
	st.occ = make([]int, st.S*st.D)
	for k := range st.occ {
		st.occ[k] = free
	}
	for d, slots := range p.Busy {
		if d < 0 || d >= st.D {
			continue
		}
		for _, s := range slots {
			if s >= 0 && s < st.S {
				st.occ[s*st.D+d] = busy
			}
		}
	}
	st.tables, st.interps = make([]int, st.S), make([]int, st.S)
	st.members = make([][]int, st.S)
	st.deg = make([]int, st.D)
	st.adj = make([][]int, st.D)
	for i, q := range p.Requests {
		st.a[i], st.b[i], st.interp[i], st.slot[i] = q.A, q.B, q.Interpreter, -1
		st.valid[i] = q.A >= 0 && q.A < st.D && q.B >= 0 && q.B < st.D && q.A != q.B
		if st.valid[i] {
			st.adj[q.A] = append(st.adj[q.A], i)
			st.adj[q.B] = append(st.adj[q.B], i)
		}
	}
	return st
}

func (st *state) tableCap(s int) int {
	if s < len(st.p.Tables) && st.p.Tables[s] > 0 {
		return st.p.Tables[s]
	}
	return 0
}

func (st *state) interpCap(s int) int {
	if s < len(st.p.Interpreters) && st.p.Interpreters[s] > 0 {
		return st.p.Interpreters[s]
	}
	return 0
}

// usable says whether request i could ever sit in slot s: both
// delegations free of sessions there, a table and, if needed, an
// interpreter serving the slot.
func (st *state) usable(i, s int) bool {
	return st.valid[i] && st.occ[s*st.D+st.a[i]] != busy && st.occ[s*st.D+st.b[i]] != busy &&
		st.tableCap(s) > 0 && (!st.interp[i] || st.interpCap(s) > 0)
}

// fits says whether unplaced request i can go into slot s as things are.
func (st *state) fits(i, s int) bool {
	a, b := st.a[i], st.b[i]
	return st.valid[i] && st.occ[s*st.D+a] == free && st.occ[s*st.D+b] == free &&
		st.tables[s] < st.tableCap(s) && (!st.interp[i] || st.interps[s] < st.interpCap(s)) &&
		st.deg[a] < st.cap && st.deg[b] < st.cap
}

func (st *state) placeRaw(i, s int) {
	st.slot[i] = s
	st.occ[s*st.D+st.a[i]], st.occ[s*st.D+st.b[i]] = i, i
	st.tables[s]++
	if st.interp[i] {
		st.interps[s]++
	}
	st.deg[st.a[i]]++
	st.deg[st.b[i]]++
	st.pos[i] = len(st.members[s])
	st.members[s] = append(st.members[s], i)
	st.placed++
}

func (st *state) removeRaw(i int) {
	s := st.slot[i]
	st.slot[i] = -1
	st.occ[s*st.D+st.a[i]], st.occ[s*st.D+st.b[i]] = free, free
	st.tables[s]--
	if st.interp[i] {
		st.interps[s]--
	}
	st.deg[st.a[i]]--
	st.deg[st.b[i]]--
	m := st.members[s]
	last := m[len(m)-1]
	m[st.pos[i]], st.pos[last] = last, st.pos[i]
	st.members[s] = m[:len(m)-1]
	st.placed--
}

func (st *state) place(i, s int) {
	st.placeRaw(i, s)
	st.journal = append(st.journal, change{i, -1})
}

func (st *state) remove(i int) {
	st.journal = append(st.journal, change{i, st.slot[i]})
	st.removeRaw(i)
}

// undo takes back every change after the journal's length was mark.
func (st *state) undo(mark int) {
	for len(st.journal) > mark {
		c := st.journal[len(st.journal)-1]
		st.journal = st.journal[:len(st.journal)-1]
		if st.slot[c.i] >= 0 {
			st.removeRaw(c.i)
		}
		if c.prev >= 0 {
			st.placeRaw(c.i, c.prev)
		}
	}
}
