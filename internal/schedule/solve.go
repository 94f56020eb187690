package schedule

// Solve places as many requests as it can. Placeholder of the shared
// model: a first-fit pass, replaced by the scheduler's own work.
func Solve(p *Problem) *Result {
	r := &Result{}
	busy := make(map[[2]int]bool)
	for d, slots := range p.Busy {
		for _, s := range slots {
			busy[[2]int{d, s}] = true
		}
	}
	tables := append([]int(nil), p.Tables...)
	interp := append([]int(nil), p.Interpreters...)
	count := make([]int, p.Delegations)
	for _, q := range p.Requests {
		placed := false
		for s := 0; s < p.Slots && !placed; s++ {
			if busy[[2]int{q.A, s}] || busy[[2]int{q.B, s}] || tables[s] == 0 || (q.Interpreter && interp[s] == 0) ||
				(p.Cap > 0 && (count[q.A] >= p.Cap || count[q.B] >= p.Cap)) {
				continue
			}
			r.Placed = append(r.Placed, Placement{Request: q.ID, Slot: s, Table: p.Tables[s] - tables[s], Interpreter: q.Interpreter})
			tables[s]--
			if q.Interpreter {
				interp[s]--
			}
			busy[[2]int{q.A, s}], busy[[2]int{q.B, s}] = true, true
			count[q.A]++
			count[q.B]++
			placed = true
		}
		if !placed {
			r.Unplaced = append(r.Unplaced, Unplaced{Request: q.ID, Reason: NoCommonSlot})
		}
	}
	return r
}
