// Package schedule places one-to-one meetings between delegations in
// slots (issue 17): no delegation in two places at once nor during a slot
// it is busy in, a table each, at most Cap meetings per delegation, and a
// meeting that needs an interpreter only where one is free. It knows
// nothing of the database: the meetings' store builds a Problem and
// writes back the Result.
package schedule

// Reason says why a request could not be placed.
type Reason string

// Reasons a request is left unplaced.
//
// They are judged against the final schedule (docs/scheduler.md). The
// common free slots of a request are the slots in which neither
// delegation is busy nor already has a meeting, counted only while both
// delegations are under the cap. None: NoCommonSlot. Otherwise every
// common free slot lacks a free table or a free interpreter (Solve never
// leaves out a request that fits as things are): NoInterpreter when the
// request needs an interpreter and none is free in any of them, NoTable
// otherwise. A request between a delegation and itself, or naming one
// out of range, is NoCommonSlot.
const (
	NoCommonSlot  Reason = "no_common_slot" // no slot both delegations are free in (or under their cap)
	NoInterpreter Reason = "no_interpreter" // common free slots, but no interpreter free in any
	NoTable       Reason = "no_table"       // common free slots, but no table free in any
)

// Request is an accepted request to schedule, between delegations A and B
// (indices in 0..Problem.Delegations-1).
type Request struct {
	ID   int64
	A, B int
	// Interpreter is set when the two delegations share no language.
	Interpreter bool
}

// Placement is a request placed in a slot at a table (indices from 0).
type Placement struct {
	Request     int64
	Slot, Table int
	Interpreter bool
}

// Unplaced is a request left out, with why.
type Unplaced struct {
	Request int64
	Reason  Reason
}

// Problem is one event's meetings to place.
type Problem struct {
	Slots int
	// Tables and Interpreters are how many serve each slot (len Slots).
	Tables       []int
	Interpreters []int
	Delegations  int
	// Busy lists, per delegation, the slots it cannot meet in (a session
	// it registered for).
	Busy map[int][]int
	// Cap is the most meetings a delegation has (0: no cap).
	Cap      int
	Requests []Request
	// Keep are earlier placements, kept where still valid so that a new
	// acceptance does not move the meetings already announced.
	Keep []Placement
}

// Result is the placements and the requests left out.
//
// Placed is in slot then table order; Unplaced in the order of the
// requests. Bound is UpperBound of the problem: no schedule holds more
// meetings, so len(Placed) == Bound proves the schedule the best there is.
type Result struct {
	Placed   []Placement
	Unplaced []Unplaced
	Bound    int
}
