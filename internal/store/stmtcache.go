package store

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds the cache: queries built with a varying number of
// parameters (IN lists) are many; the hot ones are met first.
const maxCachedStmts = 512

// stmtCache keeps SQLite's prepared statements, one set per pool, so that
// a query is parsed and planned once rather than at every call: parsing was
// a fifth of the time of a registration. PostgreSQL needs none: pgx caches
// the statements of each connection itself.
//
// A statement is prepared on the pool, outside any transaction: the write
// pool has one connection, which a transaction holds, so a query first met
// inside a transaction runs unprepared and is prepared once the
// transaction ends.
type stmtCache struct {
	db      *sql.DB
	mu      sync.Mutex
	stmts   map[string]*sql.Stmt
	pending map[string]bool
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmts[query]
}

// want notes a query met inside a transaction, to prepare afterwards.
func (c *stmtCache) want(query string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.stmts)+len(c.pending) < maxCachedStmts {
		c.pending[query] = true
	}
}

// prepare prepares a query on the pool and keeps it; nil when the cache is
// full or the query does not prepare (running it unprepared then gives the
// error where it belongs).
func (c *stmtCache) prepare(ctx context.Context, query string) *sql.Stmt {
	c.mu.Lock()
	full := len(c.stmts) >= maxCachedStmts
	c.mu.Unlock()
	if full {
		return nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.stmts[query]; old != nil {
		st.Close()
		return old
	}
	c.stmts[query] = st
	return st
}

// preparePending prepares the queries met inside transactions; it runs
// after a transaction, when the pool's connection is free.
func (c *stmtCache) preparePending(ctx context.Context) {
	c.mu.Lock()
	if len(c.pending) == 0 {
		c.mu.Unlock()
		return
	}
	queries := make([]string, 0, len(c.pending))
	for q := range c.pending {
		queries = append(queries, q)
	}
	clear(c.pending)
	c.mu.Unlock()
	for _, q := range queries {
		c.prepare(context.WithoutCancel(ctx), q)
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	clear(c.stmts)
}

// cachedQuerier runs queries through the cache's prepared statements: on
// the pool, or within tx.
type cachedQuerier struct {
	c  *stmtCache
	tx *sql.Tx
}

// stmt returns the prepared statement of query, bound to the transaction
// if there is one; nil to run the query unprepared.
func (q cachedQuerier) stmt(ctx context.Context, query string) *sql.Stmt {
	st := q.c.get(query)
	if q.tx == nil {
		if st == nil {
			st = q.c.prepare(ctx, query)
		}
		return st
	}
	if st == nil {
		q.c.want(query)
		return nil
	}
	return q.tx.StmtContext(ctx, st)
}

func (q cachedQuerier) raw() querier {
	if q.tx != nil {
		return q.tx
	}
	return q.c.db
}

func (q cachedQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := q.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return q.raw().ExecContext(ctx, query, args...)
}

func (q cachedQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := q.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return q.raw().QueryContext(ctx, query, args...)
}

func (q cachedQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := q.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.raw().QueryRowContext(ctx, query, args...)
}
