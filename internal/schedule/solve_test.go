package schedule

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestSolveRandom checks every constraint on many generated problems of
// all shapes, and that the same problem gives the same result.
func TestSolveRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 1))
	for n := 0; n < 400; n++ {
		g := genSpec{
			delegations: 2 + r.IntN(40), requests: r.IntN(160), slots: 1 + r.IntN(8),
			tablesMin: 0, tablesMax: 1 + r.IntN(12), interpMin: 0, interpMax: r.IntN(4),
			busyShare: r.Float64() * 0.4, interpShare: r.Float64(), cap: r.IntN(6),
		}
		p := gen(r, g)
		res := Solve(p)
		if err := check(p, res); err != nil {
			t.Fatalf("problem %d (%+v): %v", n, g, err)
		}
		if again := Solve(p); !reflect.DeepEqual(res, again) {
			t.Fatalf("problem %d: two runs differ", n)
		}
	}
}

// TestSolveOptimalSmall compares Solve with the optimum found by trying
// every schedule, on small problems: it must reach it on all, and the
// upper bound must never be below it.
func TestSolveOptimalSmall(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 2))
	tight, gaps := 0, 0
	const problems = 3000
	for n := 0; n < problems; n++ {
		g := genSpec{
			delegations: 3 + r.IntN(4), requests: 1 + r.IntN(8), slots: 3,
			tablesMin: 0, tablesMax: 1 + r.IntN(3), interpMin: 0, interpMax: r.IntN(3),
			busyShare: r.Float64() * 0.4, interpShare: r.Float64(), cap: r.IntN(4),
		}
		p := gen(r, g)
		best := optimum(p)
		res := Solve(p)
		if err := check(p, res); err != nil {
			t.Fatalf("problem %d: %v", n, err)
		}
		if len(res.Placed) != best {
			gaps++
			t.Errorf("problem %d (%+v): placed %d, optimum %d\n%+v", n, g, len(res.Placed), best, p)
		}
		if res.Bound < best {
			t.Fatalf("problem %d: bound %d below the optimum %d\n%+v", n, res.Bound, best, p)
		}
		if res.Bound == best {
			tight++
		}
	}
	t.Logf("%d problems: optimum reached on %d, bound equal to the optimum on %d", problems, problems-gaps, tight)
}

// TestSolveOptimalMedium does the same on 300 problems of 10 to 14
// requests in 4 slots.
func TestSolveOptimalMedium(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 4))
	for n := 0; n < 300; n++ {
		g := genSpec{
			delegations: 4 + r.IntN(5), requests: 10 + r.IntN(5), slots: 4,
			tablesMin: 0, tablesMax: 1 + r.IntN(3), interpMin: 0, interpMax: r.IntN(3),
			busyShare: r.Float64() * 0.3, interpShare: r.Float64(), cap: r.IntN(4),
		}
		p := gen(r, g)
		best := optimum(p)
		res := Solve(p)
		if err := check(p, res); err != nil {
			t.Fatalf("problem %d: %v", n, err)
		}
		if len(res.Placed) != best || res.Bound < best {
			t.Errorf("problem %d (%+v): placed %d, bound %d, optimum %d\n%+v", n, g, len(res.Placed), res.Bound, best, p)
		}
	}
}

// optimum is the most requests any schedule of p places, by trying every
// slot (or none) for every request; kept placements are ignored.
func optimum(p *Problem) int {
	n := len(p.Requests)
	busy := make(map[[2]int]bool)
	for d, ss := range p.Busy {
		for _, s := range ss {
			busy[[2]int{d, s}] = true
		}
	}
	used := make(map[[2]int]bool)
	tables, interp := make([]int, p.Slots), make([]int, p.Slots)
	deg := make([]int, p.Delegations)
	best := 0
	var try func(i, placed int)
	try = func(i, placed int) {
		if placed+n-i <= best {
			return
		}
		if i == n {
			best = placed
			return
		}
		q := p.Requests[i]
		if q.A != q.B && (p.Cap == 0 || deg[q.A] < p.Cap && deg[q.B] < p.Cap) {
			for s := 0; s < p.Slots; s++ {
				a, b := [2]int{q.A, s}, [2]int{q.B, s}
				if busy[a] || busy[b] || used[a] || used[b] || tables[s] >= p.Tables[s] || (q.Interpreter && interp[s] >= p.Interpreters[s]) {
					continue
				}
				used[a], used[b] = true, true
				tables[s]++
				deg[q.A]++
				deg[q.B]++
				if q.Interpreter {
					interp[s]++
				}
				try(i+1, placed+1)
				used[a], used[b] = false, false
				tables[s]--
				deg[q.A]--
				deg[q.B]--
				if q.Interpreter {
					interp[s]--
				}
			}
		}
		try(i+1, placed)
	}
	try(0, 0)
	return best
}

// TestKeepStable solves, adds new acceptances and solves again with the
// first placements kept: every one of them stays exactly where it was.
// Then tables, sessions and the cap change under them: those still valid
// stay, the others move (check replays which are valid).
func TestKeepStable(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 3))
	for n := 0; n < 200; n++ {
		g := genSpec{
			delegations: 4 + r.IntN(40), requests: 1 + r.IntN(150), slots: 1 + r.IntN(8),
			tablesMin: 0, tablesMax: 1 + r.IntN(10), interpMin: 0, interpMax: r.IntN(4),
			busyShare: r.Float64() * 0.3, interpShare: r.Float64(), cap: r.IntN(6),
		}
		p := gen(r, g)
		more := gen(r, g)
		first := Solve(p)
		// The new acceptances: requests of the second problem, fresh IDs.
		for _, q := range more.Requests[:len(more.Requests)/3] {
			q.ID++
			p.Requests = append(p.Requests, q)
		}
		p.Keep = first.Placed
		r.Shuffle(len(p.Requests), func(i, j int) { p.Requests[i], p.Requests[j] = p.Requests[j], p.Requests[i] })
		second := Solve(p)
		if err := check(p, second); err != nil {
			t.Fatalf("problem %d, new acceptances: %v", n, err)
		}
		where := make(map[int64]Placement)
		for _, pl := range second.Placed {
			where[pl.Request] = pl
		}
		for _, k := range first.Placed {
			if where[k.Request] != k {
				t.Fatalf("problem %d: %+v moved to %+v", n, k, where[k.Request])
			}
		}
		// The secretariat changes things: fewer tables, a new session, a
		// lower cap; a request withdrawn.
		p.Keep = second.Placed
		if p.Slots > 0 {
			s := r.IntN(p.Slots)
			p.Tables[s] = max(0, p.Tables[s]-2)
			d := r.IntN(p.Delegations)
			p.Busy[d] = append(p.Busy[d], s)
		}
		if p.Cap > 1 {
			p.Cap--
		}
		if len(p.Requests) > 0 {
			p.Requests = p.Requests[1:]
		}
		if err := check(p, Solve(p)); err != nil {
			t.Fatalf("problem %d, changes: %v", n, err)
		}
	}
}
