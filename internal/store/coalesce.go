package store

import (
	"context"
	"sync"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// On PostgreSQL every request reads its API token's account and, most
// often, an event: two statements of one row each, whose cost is the
// round trip and the server's work per statement far more than the row.
// Under a burst (sixty people registering at once for one event with the
// token of a script) the same rows are read sixty times over.
//
// A coalescer gathers the reads of one kind that come together into one
// statement: a read waits for the statement in flight, if any, and goes
// with every read that waited with it, the same keys read once. Each read
// is answered by a statement begun after it was asked, so nothing read is
// older than the request: this is not a cache. A read alone goes at once.

// coalescedReads are an instance's coalescers, on PostgreSQL; SQLite,
// in the process, has no round trip to save.
type coalescedReads struct {
	tokens *coalescer[string, tokenUser]
	events *coalescer[int64, *rencontres.Event]
}

func newCoalescedReads(s *Store) *coalescedReads {
	return &coalescedReads{
		tokens: &coalescer[string, tokenUser]{fetch: s.tokenUsers, clone: tokenUser.clone},
		events: &coalescer[int64, *rencontres.Event]{fetch: s.events, clone: cloneEvent},
	}
}

// maxCoalesced bounds the keys of one statement.
const maxCoalesced = 100

// coalescer reads values of type V by key K, many keys a statement.
type coalescer[K comparable, V any] struct {
	// fetch reads the values of keys; a key absent from the map has none.
	fetch func(ctx context.Context, keys []K) (map[K]V, error)
	// clone copies a value for each further reader of the same key, so
	// that no two requests share what they may change.
	clone func(V) V

	mu      sync.Mutex
	waiting []*coalescedRead[K, V]
	busy    bool
}

type coalescedRead[K comparable, V any] struct {
	key  K
	v    V
	ok   bool
	err  error
	done chan struct{}
}

// get reads the value of key, with whatever other reads are waiting.
func (c *coalescer[K, V]) get(ctx context.Context, key K) (V, bool, error) {
	r := &coalescedRead[K, V]{key: key, done: make(chan struct{})}
	c.mu.Lock()
	c.waiting = append(c.waiting, r)
	if !c.busy {
		c.busy = true
		go c.run()
	}
	c.mu.Unlock()
	select {
	case <-r.done:
		return r.v, r.ok, r.err
	case <-ctx.Done():
		var zero V
		return zero, false, ctx.Err()
	}
}

// run reads what waits, a statement at a time, until nothing waits.
func (c *coalescer[K, V]) run() {
	for {
		c.mu.Lock()
		n := min(len(c.waiting), maxCoalesced)
		if n == 0 {
			c.busy = false
			c.mu.Unlock()
			return
		}
		round := c.waiting[:n:n]
		c.waiting = c.waiting[n:]
		c.mu.Unlock()
		c.answer(round)
	}
}

// answer reads the keys of round in one statement and hands each read its
// value: the first reader of a key the value read, the others copies.
func (c *coalescer[K, V]) answer(round []*coalescedRead[K, V]) {
	var keys []K
	seen := map[K]bool{}
	for _, r := range round {
		if !seen[r.key] {
			seen[r.key] = true
			keys = append(keys, r.key)
		}
	}
	// The statement is the round's, not one request's: a request that
	// gives up does not cancel the others' reads.
	got, err := c.fetch(context.Background(), keys)
	given := map[K]bool{}
	for _, r := range round {
		if r.err = err; err == nil {
			if r.v, r.ok = got[r.key]; r.ok && given[r.key] {
				r.v = c.clone(r.v)
			}
			given[r.key] = true
		}
		close(r.done)
	}
}
