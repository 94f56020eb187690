// Package benchmem measures, for benchmarks, the memory a call holds
// while it runs: whether an export or a document grows with its rows.
package benchmem

import (
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"
)

// Peak runs fn and gives the peaks while it ran, above their values
// before, of the heap's objects (garbage not yet collected included) and
// of the heap the last collection found live (what the call holds, which
// must not grow with rows when a list is streamed), sampled every
// millisecond after a collection; the collection and the sampler's start
// and stop are not timed.
func Peak(b *testing.B, fn func()) (objects, live uint64) {
	b.StopTimer()
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	read := func() (uint64, uint64) {
		metrics.Read(sample)
		return sample[0].Value.Uint64(), sample[1].Value.Uint64()
	}
	baseObjects, baseLive := read()
	var peakObjects, peakLive atomic.Uint64
	update := func() {
		o, l := read()
		if o > peakObjects.Load() {
			peakObjects.Store(o)
		}
		if l > peakLive.Load() {
			peakLive.Store(l)
		}
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				update()
			}
		}
	}()
	b.StartTimer()
	fn()
	b.StopTimer()
	close(done)
	<-stopped
	defer b.StartTimer()
	update()
	above := func(v, base uint64) uint64 {
		if v > base {
			return v - base
		}
		return 0
	}
	return above(peakObjects.Load(), baseObjects), above(peakLive.Load(), baseLive)
}
