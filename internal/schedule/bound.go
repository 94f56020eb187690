package schedule

// UpperBound is a number of meetings no schedule of p can exceed (kept
// placements aside: they only constrain further). It is the smaller of
// two relaxations (docs/scheduler.md):
//
//   - the delegations': each delegation d has at most
//     min(Cap, its usable slots, its usable requests) meetings, and each
//     meeting takes two of them: half a maximum flow on the bipartite
//     double cover of the requests (see delegationBound);
//   - a maximum flow from the requests to the slots: a request may go to
//     any slot it could use, through the slot's interpreters if it needs
//     one; a slot takes at most its tables, and at most half the
//     delegations that have a usable request in it (each meeting takes
//     two of them, none twice).
func UpperBound(p *Problem) int {
	st := newState(p)
	usable := make([][]int, st.n)
	for i := 0; i < st.n; i++ {
		for s := 0; s < st.S; s++ {
			if st.usable(i, s) {
				usable[i] = append(usable[i], s)
			}
		}
	}
	all := func(int) bool { return true }
	interpreted := func(i int) bool { return st.interp[i] }
	return min(delegationBound(st, usable, -1), delegationBound(st, usable, flowBound(st, usable, interpreted)),
		flowBound(st, usable, all))
}

// delegationBound is the fractional degree-constrained subgraph bound:
// each delegation d takes at most u(d) = min(Cap, its usable slots, its
// usable requests) meetings; on the bipartite double cover (each
// delegation on both sides, each usable request an edge both ways, each
// side of d of capacity u(d)) a schedule of m meetings is a flow of 2m,
// so half the maximum flow bounds m. The interpreted requests' edges all
// go through one node that lets 2 × maxInterp through, maxInterp being
// the most interpreted meetings the slots can hold (flowBound on them
// alone): a delegation a sends there at most as many as it has
// interpreted requests, and a delegation b takes as many out. With
// maxInterp < 0, the interpreted requests are edges like the others: the
// node mixes partners, which is looser where interpreters are plenty,
// so UpperBound takes the smaller of both.
func delegationBound(st *state, usable [][]int, maxInterp int) int {
	slots := make([]map[int]bool, st.D)
	reqs, interp := make([]int, st.D), make([]int, st.D)
	for i, u := range usable {
		if len(u) == 0 {
			continue
		}
		for _, d := range [2]int{st.a[i], st.b[i]} {
			reqs[d]++
			if st.interp[i] {
				interp[d]++
			}
			if slots[d] == nil {
				slots[d] = make(map[int]bool)
			}
			for _, s := range u {
				slots[d][s] = true
			}
		}
	}
	src, in, out, sink := 0, 1+2*st.D, 2+2*st.D, 3+2*st.D
	left := func(d int) int { return 1 + d }
	right := func(d int) int { return 1 + st.D + d }
	g := newFlow(sink + 1)
	g.edge(in, out, 2*maxInterp)
	for d := 0; d < st.D; d++ {
		u := min(st.cap, len(slots[d]), reqs[d])
		g.edge(src, left(d), u)
		g.edge(right(d), sink, u)
		if interp[d] > 0 && maxInterp >= 0 {
			g.edge(left(d), in, interp[d])
			g.edge(out, right(d), interp[d])
		}
	}
	for i, u := range usable {
		if len(u) > 0 && (!st.interp[i] || maxInterp < 0) {
			g.edge(left(st.a[i]), right(st.b[i]), 1)
			g.edge(left(st.b[i]), right(st.a[i]), 1)
		}
	}
	return g.maxFlow(src, sink) / 2
}

// flowBound is the slots' bound on the requests that only keeps.
func flowBound(st *state, usable [][]int, only func(int) bool) int {
	// Nodes: source, the requests, each slot's interpreters, the slots,
	// sink.
	src, n, S := 0, st.n, st.S
	interpNode := func(s int) int { return 1 + n + s }
	slotNode := func(s int) int { return 1 + n + S + s }
	sink := 1 + n + 2*S
	g := newFlow(sink + 1)
	seen := make([]map[int]bool, S)
	for s := range seen {
		seen[s] = make(map[int]bool)
	}
	for i, u := range usable {
		if len(u) == 0 || !only(i) {
			continue
		}
		g.edge(src, 1+i, 1)
		for _, s := range u {
			seen[s][st.a[i]], seen[s][st.b[i]] = true, true
			if st.interp[i] {
				g.edge(1+i, interpNode(s), 1)
			} else {
				g.edge(1+i, slotNode(s), 1)
			}
		}
	}
	for s := 0; s < S; s++ {
		g.edge(interpNode(s), slotNode(s), st.interpCap(s))
		g.edge(slotNode(s), sink, min(st.tableCap(s), len(seen[s])/2))
	}
	return g.maxFlow(src, sink)
}

// flow is a network for Dinic's maximum-flow algorithm.
type flow struct {
	head       []int
	to, next   []int
	capa       []int
	level, cur []int
}

func newFlow(nodes int) *flow {
	g := &flow{head: make([]int, nodes), level: make([]int, nodes), cur: make([]int, nodes)}
	for v := range g.head {
		g.head[v] = -1
	}
	return g
}

func (g *flow) edge(u, v, c int) {
	for _, e := range [2][3]int{{u, v, c}, {v, u, 0}} {
		g.to = append(g.to, e[1])
		g.capa = append(g.capa, e[2])
		g.next = append(g.next, g.head[e[0]])
		g.head[e[0]] = len(g.to) - 1
	}
}

func (g *flow) maxFlow(s, t int) int {
	total := 0
	for g.bfs(s, t) {
		copy(g.cur, g.head)
		for f := g.dfs(s, t, int(^uint(0)>>1)); f > 0; f = g.dfs(s, t, int(^uint(0)>>1)) {
			total += f
		}
	}
	return total
}

func (g *flow) bfs(s, t int) bool {
	for v := range g.level {
		g.level[v] = -1
	}
	g.level[s] = 0
	queue := []int{s}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for e := g.head[u]; e >= 0; e = g.next[e] {
			if g.capa[e] > 0 && g.level[g.to[e]] < 0 {
				g.level[g.to[e]] = g.level[u] + 1
				queue = append(queue, g.to[e])
			}
		}
	}
	return g.level[t] >= 0
}

func (g *flow) dfs(u, t, f int) int {
	if u == t {
		return f
	}
	for ; g.cur[u] >= 0; g.cur[u] = g.next[g.cur[u]] {
		e := g.cur[u]
		v := g.to[e]
		if g.capa[e] > 0 && g.level[v] == g.level[u]+1 {
			if d := g.dfs(v, t, min(f, g.capa[e])); d > 0 {
				g.capa[e] -= d
				g.capa[e^1] += d
				return d
			}
		}
	}
	return 0
}
