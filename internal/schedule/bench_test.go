package schedule

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// eventSpec describes a generated event (docs/scheduler.md): half the
// delegations French (even indices), half Japanese (odd); requests drawn
// between delegations chosen with a popularity skew (delegation of rank k
// weighs 1/(k+20)), crossShare of them between the two countries and
// interpShare of all needing an interpreter (only cross-country ones do);
// each delegation busy in each slot with probability busyShare (a session
// it registered for).
type eventSpec struct {
	delegations, requests, slots, tables, interpreters, cap int
	crossShare, interpShare, busyShare                      float64
}

// issueEvent is issue 17's benchmark: 300 authorities, 2,000 accepted
// requests, 12 slots, 40 tables and 6 interpreters per slot, a cap of 8.
var issueEvent = eventSpec{
	delegations: 300, requests: 2000, slots: 12, tables: 40, interpreters: 6, cap: 8,
	crossShare: 0.75, interpShare: 0.15, busyShare: 0.1,
}

// roomyEvent has tables enough that the delegations' slots, the cap and
// the interpreters decide, not the tables.
var roomyEvent = eventSpec{
	delegations: 300, requests: 2000, slots: 12, tables: 150, interpreters: 12, cap: 8,
	crossShare: 0.75, interpShare: 0.15, busyShare: 0.1,
}

// interpreterEvent has many requests needing an interpreter (40 %), 4
// interpreters per slot and no cap: the interpreters and the delegations'
// free slots decide.
var interpreterEvent = eventSpec{
	delegations: 300, requests: 2000, slots: 12, tables: 100, interpreters: 4, cap: 0,
	crossShare: 0.75, interpShare: 0.4, busyShare: 0.1,
}

func genEvent(seed uint64, e eventSpec) *Problem {
	r := rand.New(rand.NewPCG(seed, 17))
	p := &Problem{Slots: e.slots, Delegations: e.delegations, Cap: e.cap, Busy: map[int][]int{}}
	for s := 0; s < e.slots; s++ {
		p.Tables = append(p.Tables, e.tables)
		p.Interpreters = append(p.Interpreters, e.interpreters)
	}
	for d := 0; d < e.delegations; d++ {
		for s := 0; s < e.slots; s++ {
			if r.Float64() < e.busyShare {
				p.Busy[d] = append(p.Busy[d], s)
			}
		}
	}
	// Popularity: a random rank per delegation, weight 1/(rank+20).
	rank := r.Perm(e.delegations)
	cum := make([]float64, e.delegations)
	total := 0.0
	for d := range cum {
		total += 1 / float64(rank[d]+20)
		cum[d] = total
	}
	pick := func(country int) int {
		for {
			x := r.Float64() * total
			lo, hi := 0, len(cum)-1
			for lo < hi {
				if m := (lo + hi) / 2; cum[m] < x {
					lo = m + 1
				} else {
					hi = m
				}
			}
			if country < 0 || lo%2 == country {
				return lo
			}
		}
	}
	pairs := make(map[[2]int]bool)
	for id := int64(1); len(p.Requests) < e.requests; {
		a := pick(-1)
		cross := r.Float64() < e.crossShare
		b := pick(a % 2)
		if cross {
			b = pick(1 - a%2)
		}
		if a == b || pairs[[2]int{a, b}] || pairs[[2]int{b, a}] {
			continue
		}
		pairs[[2]int{a, b}] = true
		interp := cross && r.Float64() < e.interpShare/e.crossShare
		p.Requests = append(p.Requests, Request{ID: id, A: a, B: b, Interpreter: interp})
		id++
	}
	return p
}

// benchEvent solves three generated events of the spec, one
// sub-benchmark each.
func benchEvent(b *testing.B, e eventSpec) {
	for seed := uint64(1); seed <= 3; seed++ {
		b.Run(fmt.Sprintf("event%d", seed), func(b *testing.B) {
			p := genEvent(seed, e)
			var res *Result
			for b.Loop() {
				res = Solve(p)
			}
			if err := check(p, res); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(res.Placed)), "placed")
			b.ReportMetric(float64(res.Bound), "bound")
			b.ReportMetric(100*float64(res.Bound-len(res.Placed))/float64(res.Bound), "gap%")
		})
	}
}

// BenchmarkSolve is issue 17's event.
func BenchmarkSolve(b *testing.B) { benchEvent(b, issueEvent) }

// BenchmarkSolveRoomy is an event with tables to spare.
func BenchmarkSolveRoomy(b *testing.B) { benchEvent(b, roomyEvent) }

// BenchmarkSolveInterpreters is an event short of interpreters.
func BenchmarkSolveInterpreters(b *testing.B) { benchEvent(b, interpreterEvent) }

// TestEventWithinFivePercent holds the issue's aim on generated events:
// within 5 % of the upper bound, every constraint kept.
func TestEventWithinFivePercent(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		for _, e := range []eventSpec{issueEvent, roomyEvent, interpreterEvent} {
			p := genEvent(seed, e)
			res := Solve(p)
			if err := check(p, res); err != nil {
				t.Fatal(err)
			}
			gap := float64(res.Bound-len(res.Placed)) / float64(res.Bound)
			t.Logf("seed %d, %d tables, %d interpreters: placed %d, bound %d, gap %.1f %%", seed, e.tables, e.interpreters, len(res.Placed), res.Bound, 100*gap)
			if gap > 0.05 {
				t.Errorf("seed %d, %d tables: placed %d, bound %d: more than 5 %% from the bound", seed, e.tables, len(res.Placed), res.Bound)
			}
		}
	}
}
