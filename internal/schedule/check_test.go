package schedule

import (
	"fmt"
	"math/rand/v2"
)

// check verifies a Result against its Problem, written apart from the
// solver: every request once, placed or not; every placement in range, at
// a table of its own, no delegation twice in a slot nor in a busy one, the
// interpreters and the cap respected; the kept placements still valid
// where they were; each reason as Reason defines it; and the bound.
func check(p *Problem, r *Result) error {
	byID := make(map[int64]Request)
	for _, q := range p.Requests {
		byID[q.ID] = q
	}
	seen := make(map[int64]bool)
	isBusy := func(d, s int) bool {
		for _, b := range p.Busy[d] {
			if b == s {
				return true
			}
		}
		return false
	}
	table := make(map[[2]int]bool)
	inSlot := make(map[[2]int]int64) // slot, delegation → request
	interp := make([]int, p.Slots)
	deg := make(map[int]int)
	for _, pl := range r.Placed {
		q, ok := byID[pl.Request]
		if !ok {
			return fmt.Errorf("placed request %d was not asked", pl.Request)
		}
		if seen[pl.Request] {
			return fmt.Errorf("request %d twice", pl.Request)
		}
		seen[pl.Request] = true
		if pl.Slot < 0 || pl.Slot >= p.Slots || pl.Table < 0 || pl.Table >= p.Tables[pl.Slot] {
			return fmt.Errorf("request %d at slot %d table %d: out of range", q.ID, pl.Slot, pl.Table)
		}
		if table[[2]int{pl.Slot, pl.Table}] {
			return fmt.Errorf("slot %d table %d taken twice", pl.Slot, pl.Table)
		}
		table[[2]int{pl.Slot, pl.Table}] = true
		if pl.Interpreter != q.Interpreter {
			return fmt.Errorf("request %d: interpreter %v, asked %v", q.ID, pl.Interpreter, q.Interpreter)
		}
		if q.A == q.B || q.A < 0 || q.B < 0 || q.A >= p.Delegations || q.B >= p.Delegations {
			return fmt.Errorf("request %d between %d and %d placed", q.ID, q.A, q.B)
		}
		for _, d := range []int{q.A, q.B} {
			if other, ok := inSlot[[2]int{pl.Slot, d}]; ok {
				return fmt.Errorf("delegation %d in requests %d and %d in slot %d", d, other, q.ID, pl.Slot)
			}
			if isBusy(d, pl.Slot) {
				return fmt.Errorf("delegation %d busy in slot %d meets for request %d", d, pl.Slot, q.ID)
			}
			inSlot[[2]int{pl.Slot, d}] = q.ID
			deg[d]++
			if p.Cap > 0 && deg[d] > p.Cap {
				return fmt.Errorf("delegation %d over the cap %d", d, p.Cap)
			}
		}
		if q.Interpreter {
			interp[pl.Slot]++
			if interp[pl.Slot] > p.Interpreters[pl.Slot] {
				return fmt.Errorf("slot %d: %d interpreted meetings for %d interpreters", pl.Slot, interp[pl.Slot], p.Interpreters[pl.Slot])
			}
		}
	}
	used := make([]int, p.Slots)
	for k := range table {
		used[k[0]]++
	}
	for _, u := range r.Unplaced {
		q, ok := byID[u.Request]
		if !ok || seen[u.Request] {
			return fmt.Errorf("unplaced request %d unknown or twice", u.Request)
		}
		seen[u.Request] = true
		if want := wantReason(p, q, inSlot, deg, used, interp, isBusy); u.Reason != want {
			return fmt.Errorf("request %d: reason %s, want %s", q.ID, u.Reason, want)
		}
	}
	if len(seen) != len(byID) {
		return fmt.Errorf("%d requests accounted for, %d asked", len(seen), len(byID))
	}
	if err := checkKeep(p, r, byID); err != nil {
		return err
	}
	if b := UpperBound(p); r.Bound != b || len(r.Placed) > b {
		return fmt.Errorf("bound %d, UpperBound %d, placed %d", r.Bound, b, len(r.Placed))
	}
	return nil
}

// wantReason is the reason of an unplaced request by Reason's definition,
// or "fits" when it fits in a slot as things are (Solve must not leave
// that out).
func wantReason(p *Problem, q Request, inSlot map[[2]int]int64, deg map[int]int, used, interp []int, isBusy func(d, s int) bool) Reason {
	if q.A == q.B || q.A < 0 || q.B < 0 || q.A >= p.Delegations || q.B >= p.Delegations ||
		(p.Cap > 0 && (deg[q.A] >= p.Cap || deg[q.B] >= p.Cap)) {
		return NoCommonSlot
	}
	common, anyInterp := false, false
	for s := 0; s < p.Slots; s++ {
		_, ba := inSlot[[2]int{s, q.A}]
		_, bb := inSlot[[2]int{s, q.B}]
		if ba || bb || isBusy(q.A, s) || isBusy(q.B, s) {
			continue
		}
		common = true
		interpFree := interp[s] < p.Interpreters[s]
		anyInterp = anyInterp || interpFree
		if used[s] < p.Tables[s] && (!q.Interpreter || interpFree) {
			return "fits"
		}
	}
	switch {
	case !common:
		return NoCommonSlot
	case q.Interpreter && !anyInterp:
		return NoInterpreter
	}
	return NoTable
}

// checkKeep replays the kept placements in order: one still valid (the
// request still asked, slot and table in range and not yet taken by an
// earlier valid one, both delegations free and not busy, an interpreter
// and the cap left) must be in the result exactly where it was.
func checkKeep(p *Problem, r *Result, byID map[int64]Request) error {
	where := make(map[int64]Placement)
	for _, pl := range r.Placed {
		where[pl.Request] = pl
	}
	table := make(map[[2]int]bool)
	inSlot := make(map[[2]int]bool)
	interp := make([]int, p.Slots)
	deg := make(map[int]int)
	done := make(map[int64]bool)
	for _, k := range p.Keep {
		q, ok := byID[k.Request]
		if !ok || done[k.Request] {
			continue
		}
		done[k.Request] = true
		s := k.Slot
		if q.A == q.B || q.A < 0 || q.B < 0 || q.A >= p.Delegations || q.B >= p.Delegations ||
			s < 0 || s >= p.Slots || k.Table < 0 || k.Table >= p.Tables[s] || table[[2]int{s, k.Table}] ||
			inSlot[[2]int{s, q.A}] || inSlot[[2]int{s, q.B}] || (q.Interpreter && interp[s] >= p.Interpreters[s]) ||
			(p.Cap > 0 && (deg[q.A] >= p.Cap || deg[q.B] >= p.Cap)) {
			continue
		}
		busy := false
		for _, d := range []int{q.A, q.B} {
			for _, b := range p.Busy[d] {
				busy = busy || b == s
			}
		}
		if busy {
			continue
		}
		table[[2]int{s, k.Table}] = true
		inSlot[[2]int{s, q.A}], inSlot[[2]int{s, q.B}] = true, true
		deg[q.A]++
		deg[q.B]++
		if q.Interpreter {
			interp[s]++
		}
		if got, ok := where[k.Request]; !ok || got.Slot != s || got.Table != k.Table {
			return fmt.Errorf("kept request %d at slot %d table %d moved to %+v (placed: %v)", k.Request, s, k.Table, got, ok)
		}
	}
	return nil
}

// gen makes a random problem: delegations of two countries (a request
// between countries needs an interpreter with probability interpShare),
// some busy slots, tables and interpreters per slot.
type genSpec struct {
	delegations, requests, slots int
	tablesMin, tablesMax         int
	interpMin, interpMax         int
	busyShare, interpShare       float64
	cap                          int
}

func gen(r *rand.Rand, g genSpec) *Problem {
	p := &Problem{Slots: g.slots, Delegations: g.delegations, Cap: g.cap, Busy: map[int][]int{}}
	between := func(lo, hi int) int { return lo + r.IntN(hi-lo+1) }
	for s := 0; s < g.slots; s++ {
		p.Tables = append(p.Tables, between(g.tablesMin, g.tablesMax))
		p.Interpreters = append(p.Interpreters, between(g.interpMin, g.interpMax))
	}
	for d := 0; d < g.delegations; d++ {
		for s := 0; s < g.slots; s++ {
			if r.Float64() < g.busyShare {
				p.Busy[d] = append(p.Busy[d], s)
			}
		}
	}
	pairs := make(map[[2]int]bool)
	for id := int64(1); len(p.Requests) < g.requests; {
		a, b := r.IntN(g.delegations), r.IntN(g.delegations)
		if a == b || pairs[[2]int{a, b}] || pairs[[2]int{b, a}] {
			if len(pairs) >= g.delegations*(g.delegations-1)/2 {
				break
			}
			continue
		}
		pairs[[2]int{a, b}] = true
		cross := a%2 != b%2 // even delegations French, odd Japanese
		p.Requests = append(p.Requests, Request{ID: id * 10, A: a, B: b, Interpreter: cross && r.Float64() < g.interpShare})
		id++
	}
	return p
}
