package twinmap

import (
	"context"
	"sync"
)

// Versioned is a store that numbers the state of what the map reads: the
// number changes, in the same transaction, with every write to it, and is
// the same for every instance reading the same database.
type Versioned interface {
	MapVersion(ctx context.Context) (int64, error)
}

// Cache keeps the map's Data in memory between renders: reading 5,000
// partnerships with their sides and areas takes most of a render, and
// they change seldom. Each Load asks the store for its version (one row)
// and reads the data again only when the version is not the one the kept
// copy was read under, so a write by any instance is seen on the next
// render. The version is read before the data: a write landing in between
// leaves a copy newer than its version, which the next Load replaces;
// never an older one kept as current. A store that is not Versioned is
// read on every Load.
type Cache struct {
	mu      sync.Mutex
	version int64
	data    *Data
	// Reads counts the times the data was read from the store.
	reads int
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{} }

// Load returns the map's data, read from svc unless the copy kept is that
// of svc's current version. The Data returned is shared: read it only.
func (c *Cache) Load(ctx context.Context, svc Services) (*Data, error) {
	v, ok := svc.(Versioned)
	if c == nil || !ok {
		return Load(ctx, svc)
	}
	version, err := v.MapVersion(ctx)
	if err != nil {
		return nil, err
	}
	// One reader at a time: renders arriving while the data is read wait
	// for it rather than each reading it again.
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.data != nil && c.version == version {
		return c.data, nil
	}
	d, err := Load(ctx, svc)
	if err != nil {
		return nil, err
	}
	c.data, c.version = d, version
	c.reads++
	return d, nil
}

// Reset drops the copy kept: the next Load reads the store.
func (c *Cache) Reset() {
	c.mu.Lock()
	c.data = nil
	c.mu.Unlock()
}

// Reads is the number of times the cache read the data from the store.
func (c *Cache) Reads() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads
}
