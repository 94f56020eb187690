package schedule

import "testing"

// TestReasons sets up each reason by hand and checks which requests are
// left out and why.
func TestReasons(t *testing.T) {
	tests := []struct {
		name string
		p    Problem
		want map[int64]Reason // the unplaced requests
	}{{
		name: "no common slot: each busy when the other is free",
		p: Problem{Slots: 2, Tables: []int{5, 5}, Interpreters: []int{1, 1}, Delegations: 2,
			Busy:     map[int][]int{0: {0}, 1: {1}},
			Requests: []Request{{ID: 1, A: 0, B: 1}}},
		want: map[int64]Reason{1: NoCommonSlot},
	}, {
		name: "no common slot: the cap reached",
		p: Problem{Slots: 3, Tables: []int{5, 5, 5}, Interpreters: []int{0, 0, 0}, Delegations: 3, Cap: 1,
			Requests: []Request{{ID: 1, A: 0, B: 1}, {ID: 2, A: 0, B: 2}}},
		want: map[int64]Reason{2: NoCommonSlot},
	}, {
		name: "no common slot: both slots taken by their other meetings",
		p: Problem{Slots: 2, Tables: []int{5, 5}, Interpreters: []int{0, 0}, Delegations: 4,
			Busy:     map[int][]int{2: {1}, 3: {0}},
			Requests: []Request{{ID: 1, A: 0, B: 2}, {ID: 2, A: 1, B: 3}, {ID: 3, A: 0, B: 1}}},
		want: map[int64]Reason{3: NoCommonSlot},
	}, {
		name: "no common slot: a request to oneself or to no one",
		p: Problem{Slots: 1, Tables: []int{5}, Interpreters: []int{0}, Delegations: 2,
			Requests: []Request{{ID: 1, A: 1, B: 1}, {ID: 2, A: 0, B: 7}}},
		want: map[int64]Reason{1: NoCommonSlot, 2: NoCommonSlot},
	}, {
		name: "no interpreter: one interpreter, two interpreted meetings",
		p: Problem{Slots: 1, Tables: []int{5}, Interpreters: []int{1}, Delegations: 4,
			Requests: []Request{{ID: 1, A: 0, B: 1, Interpreter: true}, {ID: 2, A: 2, B: 3, Interpreter: true}}},
		want: map[int64]Reason{2: NoInterpreter},
	}, {
		name: "no interpreter: none serves the event",
		p: Problem{Slots: 2, Tables: []int{5, 5}, Interpreters: []int{0, 0}, Delegations: 2,
			Requests: []Request{{ID: 1, A: 0, B: 1, Interpreter: true}}},
		want: map[int64]Reason{1: NoInterpreter},
	}, {
		name: "no table: one table, two meetings",
		p: Problem{Slots: 1, Tables: []int{1}, Interpreters: []int{1}, Delegations: 4,
			Requests: []Request{{ID: 1, A: 0, B: 1}, {ID: 2, A: 2, B: 3, Interpreter: true}}},
		// The interpreted one is scarcer and goes first.
		want: map[int64]Reason{1: NoTable},
	}, {
		name: "no table: an interpreter free where no table is",
		p: Problem{Slots: 1, Tables: []int{1}, Interpreters: []int{1}, Delegations: 4,
			Requests: []Request{{ID: 1, A: 0, B: 1}, {ID: 2, A: 2, B: 3, Interpreter: true}},
			Keep:     []Placement{{Request: 1, Slot: 0, Table: 0}}},
		want: map[int64]Reason{2: NoTable},
	}, {
		name: "scarcest first: the interpreted meeting gets the interpreter's slot",
		p: Problem{Slots: 2, Tables: []int{1, 1}, Interpreters: []int{1, 0}, Delegations: 4,
			Requests: []Request{{ID: 1, A: 0, B: 1}, {ID: 2, A: 2, B: 3, Interpreter: true}}},
		want: map[int64]Reason{},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Solve(&tt.p)
			if err := check(&tt.p, res); err != nil {
				t.Fatal(err)
			}
			got := make(map[int64]Reason)
			for _, u := range res.Unplaced {
				got[u.Request] = u.Reason
			}
			if len(got) != len(tt.want) {
				t.Fatalf("unplaced %v, want %v", got, tt.want)
			}
			for id, r := range tt.want {
				if got[id] != r {
					t.Errorf("request %d: %q, want %q", id, got[id], r)
				}
			}
		})
	}
}

// TestKeepInvalid: kept placements that no longer hold move or drop out,
// those that hold stay at their table.
func TestKeepInvalid(t *testing.T) {
	p := &Problem{Slots: 2, Tables: []int{3, 3}, Interpreters: []int{1, 1}, Delegations: 7, Cap: 0,
		Busy: map[int][]int{2: {0}},
		Requests: []Request{
			{ID: 1, A: 0, B: 1}, {ID: 2, A: 2, B: 3}, {ID: 3, A: 4, B: 5, Interpreter: true}, {ID: 4, A: 0, B: 6},
		},
		Keep: []Placement{
			{Request: 1, Slot: 0, Table: 1},                    // still valid: stays
			{Request: 2, Slot: 0, Table: 0},                    // delegation 2 now busy in slot 0: moves
			{Request: 3, Slot: 1, Table: 5, Interpreter: true}, // table 5 gone: moves, back to slot 1
			{Request: 9, Slot: 1, Table: 0},                    // withdrawn: ignored
			{Request: 4, Slot: 0, Table: 0},                    // delegation 0 already meets in slot 0: moves
		},
	}
	res := Solve(p)
	if err := check(p, res); err != nil {
		t.Fatal(err)
	}
	where := make(map[int64]Placement)
	for _, pl := range res.Placed {
		where[pl.Request] = pl
	}
	if len(where) != 4 {
		t.Fatalf("placed %+v, want all four", res.Placed)
	}
	if where[1] != (Placement{Request: 1, Slot: 0, Table: 1}) {
		t.Errorf("kept request 1 moved: %+v", where[1])
	}
	for _, id := range []int64{2, 3, 4} {
		if where[id].Slot != 1 {
			t.Errorf("request %d in %+v, want slot 1", id, where[id])
		}
	}
}

// TestUpperBoundByHand checks the bound where it is known.
func TestUpperBoundByHand(t *testing.T) {
	tests := []struct {
		name string
		p    Problem
		want int
	}{{
		name: "tables",
		p: Problem{Slots: 2, Tables: []int{1, 2}, Interpreters: []int{0, 0}, Delegations: 10,
			Requests: []Request{{ID: 1, A: 0, B: 1}, {ID: 2, A: 2, B: 3}, {ID: 3, A: 4, B: 5}, {ID: 4, A: 6, B: 7}, {ID: 5, A: 8, B: 9}}},
		want: 3,
	}, {
		name: "interpreters",
		p: Problem{Slots: 2, Tables: []int{5, 5}, Interpreters: []int{1, 0}, Delegations: 6,
			Requests: []Request{{ID: 1, A: 0, B: 1, Interpreter: true}, {ID: 2, A: 2, B: 3, Interpreter: true}, {ID: 3, A: 4, B: 5}}},
		want: 2,
	}, {
		name: "a triangle in one slot: one meeting",
		p: Problem{Slots: 1, Tables: []int{5}, Interpreters: []int{0}, Delegations: 3,
			Requests: []Request{{ID: 1, A: 0, B: 1}, {ID: 2, A: 1, B: 2}, {ID: 3, A: 0, B: 2}}},
		want: 1,
	}, {
		name: "a star under a cap",
		p: Problem{Slots: 6, Tables: []int{5, 5, 5, 5, 5, 5}, Interpreters: make([]int, 6), Delegations: 6, Cap: 2,
			Requests: []Request{{ID: 1, A: 0, B: 1}, {ID: 2, A: 0, B: 2}, {ID: 3, A: 0, B: 3}, {ID: 4, A: 0, B: 4}, {ID: 5, A: 0, B: 5}}},
		want: 2,
	}, {
		name: "busy slots",
		p: Problem{Slots: 3, Tables: []int{5, 5, 5}, Interpreters: make([]int, 3), Delegations: 3,
			Busy:     map[int][]int{0: {0, 1}},
			Requests: []Request{{ID: 1, A: 0, B: 1}, {ID: 2, A: 0, B: 2}}},
		want: 1,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := UpperBound(&tt.p); got != tt.want {
				t.Errorf("UpperBound = %d, want %d", got, tt.want)
			}
			if got := len(Solve(&tt.p).Placed); got != tt.want {
				t.Errorf("placed %d, want %d", got, tt.want)
			}
		})
	}
}

// TestOddInput: an empty problem, slices shorter than the slots, busy
// slots and delegations out of range, negative counts: no panic, nothing
// placed where there is no table.
func TestOddInput(t *testing.T) {
	if r := Solve(&Problem{}); len(r.Placed) != 0 || len(r.Unplaced) != 0 || r.Bound != 0 {
		t.Errorf("empty problem: %+v", r)
	}
	p := &Problem{Slots: 3, Tables: []int{-1, 2}, Interpreters: []int{-4}, Delegations: 3, Cap: -1,
		Busy:     map[int][]int{-1: {0}, 9: {1}, 0: {7, -2}},
		Requests: []Request{{ID: 1, A: 0, B: 1}, {ID: 2, A: 1, B: 2}, {ID: 3, A: 0, B: 2, Interpreter: true}},
		Keep:     []Placement{{Request: 1, Slot: 2, Table: 0}, {Request: 2, Slot: -1, Table: -1}},
	}
	r := Solve(p)
	if r.Bound != 1 || len(r.Placed) != 1 || r.Placed[0].Slot != 1 || len(r.Unplaced) != 2 {
		t.Fatalf("got %+v, want one meeting in slot 1 (the only one with tables) and two out", r)
	}
	for _, u := range r.Unplaced {
		// Slots 0 and 2 are free for both but have no table; no slot has
		// an interpreter.
		want := NoTable
		if u.Request == 3 {
			want = NoInterpreter
		}
		if u.Reason != want {
			t.Errorf("request %d: %s, want %s", u.Request, u.Reason, want)
		}
	}
}
