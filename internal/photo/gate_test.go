package photo_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/photo"
	"github.com/rencontres/rencontres/internal/photo/phototest"
)

// waitFor polls cond until it holds, failing after a minute so that a
// broken gate fails rather than hangs. It measures no time: only the
// order of events is checked.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(time.Minute); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("never: %s", what)
		}
	}
}

// N+1 uploads at once through a gate of N: N are processed, the last
// waits until one of them is done, and no more than N are ever inside.
func TestGateBoundsPhotosAtOnce(t *testing.T) {
	const n = 2
	g := photo.NewGate(n, 0)
	release := make(chan struct{})
	var entered sync.WaitGroup
	entered.Add(n)
	var once sync.Mutex
	count := 0
	g.OnEnter(func() {
		once.Lock()
		count++
		first := count <= n
		once.Unlock()
		if first {
			entered.Done()
			<-release
		}
	})
	data := phototest.JPEGWithGPS(600, 400, 1)
	errs := make(chan error, n+1)
	for range n + 1 {
		go func() {
			_, err := g.Process(context.Background(), "a.jpg", "image/jpeg", data)
			errs <- err
		}()
	}
	entered.Wait()
	// N are inside, held; the last one must be waiting, not processing.
	waitFor(t, "the (N+1)th upload waits", func() bool { _, _, w := g.Stats(); return w == 1 })
	if in, peak, _ := g.Stats(); in != n || peak != n {
		t.Fatalf("in flight %d, peak %d with %d held: want %d", in, peak, n, n)
	}
	close(release)
	for range n + 1 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if in, peak, waiting := g.Stats(); in != 0 || peak != n || waiting != 0 {
		t.Errorf("after: in flight %d, peak %d, waiting %d; want 0, %d, 0", in, peak, waiting, n)
	}
}

// An upload waiting its turn stops when its request ends, and is refused
// as busy when the wait passes the gate's bound; neither is processed.
func TestGateWaitEnds(t *testing.T) {
	g := photo.NewGate(1, 0)
	release, inside := make(chan struct{}), make(chan struct{})
	g.OnEnter(func() { close(inside); <-release })
	data := phototest.JPEGWithGPS(600, 400, 1)
	done := make(chan error, 1)
	go func() {
		_, err := g.Process(context.Background(), "a.jpg", "image/jpeg", data)
		done <- err
	}()
	<-inside
	g.OnEnter(func() { t.Error("an upload that gave up was processed") })

	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan error, 1)
	go func() {
		p, err := g.Process(ctx, "b.jpg", "image/jpeg", data)
		if p != nil {
			t.Error("a photo came out of a cancelled wait")
		}
		got <- err
	}()
	waitFor(t, "the second upload waits", func() bool { _, _, w := g.Stats(); return w == 1 })
	cancel()
	if err := <-got; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: %v, want context.Canceled", err)
	}

	// The slot stays taken for the whole wait: past the bound, busy.
	g.SetMaxWait(time.Millisecond)
	_, err := g.Process(context.Background(), "c.jpg", "image/jpeg", data)
	var pe *photo.Error
	if !errors.As(err, &pe) || pe.Fault != photo.Busy {
		t.Errorf("wait past the bound: %v, want the busy fault", err)
	}
	// A file refused by its header never waits: told at once.
	if _, err := g.Process(context.Background(), "d.png", "image/jpeg", data); !errors.As(err, &pe) || pe.Fault != photo.TypeLies {
		t.Errorf("lying file with the gate full: %v, want type_lies", err)
	}
	if _, _, w := g.Stats(); w != 0 {
		t.Errorf("%d still waiting", w)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
