package store

import (
	"context"
	"runtime"
	"sync"
	"time"
)

// Every search reads the library's version (one row) to know whether its
// copy is current. Under load the searches waiting for it at one moment
// share one read, as a database's group commit shares one flush: a search
// joins the next read to start, never one already under way, so that the
// version it gets was read after it arrived and counts every write
// committed before it (what its own read would have seen). At 64
// connections the read was a tenth of the server's time on SQLite, and on
// PostgreSQL a round trip per search.

// versionReads are an instance's shared reads of the library's version.
type versionReads struct {
	mu sync.Mutex
	// running: a read is under way, and next will start after it.
	running bool
	// next is the read the searches arriving now wait for.
	next *versionRead
}

// versionRead is one read of the version and the searches waiting for it.
type versionRead struct {
	done chan struct{}
	v    int64
	err  error
}

// versionReadTimeout bounds a shared read, which no single request's
// context may cancel for the others.
const versionReadTimeout = 10 * time.Second

// sharedLibraryVersion is LibraryVersion, read once for the searches that
// ask at the same time. The first to ask when no read is under way reads
// it itself; those that ask meanwhile wait for the read after it.
func (s *Store) sharedLibraryVersion(ctx context.Context) (int64, error) {
	c := &s.library.versions
	c.mu.Lock()
	r := c.next
	if r == nil {
		r = &versionRead{done: make(chan struct{})}
		c.next = r
	}
	if !c.running {
		c.running = true
		c.mu.Unlock()
		// The searches ready to run reach here first and join r, which
		// has not started: under load one read then serves many (without
		// the yield, two cores rarely had a second search join a read).
		runtime.Gosched()
		c.mu.Lock()
		c.next = nil
		c.mu.Unlock()
		s.readVersion(r)
		s.readNextVersions()
		return r.v, r.err
	}
	c.mu.Unlock()
	select {
	case <-r.done:
		return r.v, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// readVersion reads the version for r's searches.
func (s *Store) readVersion(r *versionRead) {
	ctx, cancel := context.WithTimeout(context.Background(), versionReadTimeout)
	r.v, r.err = s.LibraryVersion(ctx)
	cancel()
	close(r.done)
}

// readNextVersions hands the reads asked for meanwhile to a goroutine, so
// that the search that read does not wait for the next read; none asked,
// the next search reads itself.
func (s *Store) readNextVersions() {
	c := &s.library.versions
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.next == nil {
		c.running = false
		return
	}
	go func() {
		for {
			c.mu.Lock()
			r := c.next
			c.next = nil
			if r == nil {
				c.running = false
				c.mu.Unlock()
				return
			}
			c.mu.Unlock()
			s.readVersion(r)
		}
	}()
}
