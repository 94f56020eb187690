package photo

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Busy is the fault of an upload that waited its turn too long: every
// slot of the gate stayed taken by other uploads.
const Busy Fault = "busy"

// Gate bounds how many photos are processed at once, server-wide: a
// 12-megapixel upload takes seconds of a core and a few hundred megabytes,
// so that many at once would starve the other requests and could exhaust
// the memory. An upload past the bound waits its turn, as long as its
// request lasts and no longer than the gate's bound (SetMaxWait).
type Gate struct {
	slots chan struct{}
	// maxWait is how long an upload waits for a slot before it is refused
	// with Busy, in nanoseconds; 0 waits as long as the context allows.
	maxWait atomic.Int64

	inFlight, peak, waiting atomic.Int64
	mu                      sync.Mutex
	// entered, when set (by tests), is called with a slot held, before
	// the work starts.
	entered func()
}

// NewGate returns a gate letting n photos (at least 1) be processed at
// once.
func NewGate(n int, maxWait time.Duration) *Gate {
	g := &Gate{slots: make(chan struct{}, max(1, n))}
	g.SetMaxWait(maxWait)
	return g
}

// SetMaxWait sets how long an upload waits for a slot before it is
// refused with Busy; 0 waits as long as its context allows.
func (g *Gate) SetMaxWait(d time.Duration) { g.maxWait.Store(int64(d)) }

// DefaultGate is the gate ProcessWait passes through: one photo per core
// (GOMAXPROCS), at least 2, each waiting at most 30 seconds.
var DefaultGate = NewGate(max(2, runtime.GOMAXPROCS(0)), 30*time.Second)

// RetryAfter is the number of seconds a refused upload is told to wait
// before trying again: about the processing of one large photo.
const RetryAfter = 10

// Do runs work once a slot is free, and frees it after. It returns the
// context's error when the context ends while waiting, and a Busy *Error
// when the gate's wait bound passes; work is then never run.
func (g *Gate) Do(ctx context.Context, work func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case g.slots <- struct{}{}:
	default:
		g.waiting.Add(1)
		err := g.wait(ctx)
		g.waiting.Add(-1)
		if err != nil {
			return err
		}
	}
	defer func() { <-g.slots }()
	n := g.inFlight.Add(1)
	defer g.inFlight.Add(-1)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			break
		}
	}
	g.mu.Lock()
	entered := g.entered
	g.mu.Unlock()
	if entered != nil {
		entered()
	}
	return work()
}

func (g *Gate) wait(ctx context.Context) error {
	var timeout <-chan time.Time
	if d := time.Duration(g.maxWait.Load()); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case g.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-timeout:
		return &Error{Fault: Busy}
	}
}

// Size is how many photos the gate lets be processed at once.
func (g *Gate) Size() int { return cap(g.slots) }

// Stats are the gate's counts: photos being processed, the most ever
// processed at once, and uploads waiting for a slot.
func (g *Gate) Stats() (inFlight, peak, waiting int64) {
	return g.inFlight.Load(), g.peak.Load(), g.waiting.Load()
}

// OnEnter sets a function called with a slot held before each work
// starts (nil for none): tests use it to hold uploads inside the gate.
func (g *Gate) OnEnter(f func()) {
	g.mu.Lock()
	g.entered = f
	g.mu.Unlock()
}

// Check makes the checks of Process that read only the file's header:
// its type, agreeing with its name and declared type, and its size in
// pixels.
func Check(name, declared string, data []byte) error {
	_, _, err := check(name, declared, data)
	return err
}

// ProcessWait is Process through DefaultGate: it waits for a slot while
// ctx lasts (returning ctx's error if it ends first, or a Busy *Error
// after the gate's wait bound).
func ProcessWait(ctx context.Context, name, declared string, data []byte) (*Photo, error) {
	return DefaultGate.Process(ctx, name, declared, data)
}

// Process is Process through the gate g. The checks that read only the
// header (type, size in pixels) are made before waiting: a refused file
// never takes a turn.
func (g *Gate) Process(ctx context.Context, name, declared string, data []byte) (*Photo, error) {
	if err := Check(name, declared, data); err != nil {
		return nil, err
	}
	var p *Photo
	err := g.Do(ctx, func() error {
		var err error
		p, err = Process(name, declared, data)
		return err
	})
	return p, err
}
