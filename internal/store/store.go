// Package store implements the domain's services on a SQL database: SQLite
// (embedded, the default) or PostgreSQL. The queries are shared; the few
// differences between the two live in dialect.go and in the migrations.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations
var migrations embed.FS

// Store is the database behind every service. On SQLite, writes go through
// a pool of one connection and reads through a pool of several, so that
// writers queue in Go rather than fail with SQLITE_BUSY; on PostgreSQL both
// are the same pool.
type Store struct {
	db  *sql.DB // writes
	rdb *sql.DB // reads
	// search reads the directory's search on PostgreSQL, on sessions that
	// keep one generic plan per statement (plan_cache_mode): left to
	// itself, PostgreSQL planned the search's first statement anew at each
	// run, which was most of a narrow query's time. Nil on SQLite.
	search *sql.DB
	// batch is the connection of the batches of registrations
	// (InBatchTx) on PostgreSQL, which run one at a time: a batch, which
	// every registration waits for, never queues for a connection behind
	// the requests' reads. Nil on SQLite.
	batch *sql.DB
	// plans says when the batch connection's plans are made again
	// (batchPlans); nil on SQLite.
	plans *batchPlans
	tx    *sql.Tx // set on the copy that InTx hands out
	// conn is the connection of a PostgreSQL transaction begun by
	// InBatchTx, whose pgx interface pipeline uses.
	conn *sql.Conn
	// commitEarly is set when a batch may send its commit with its
	// writes (commitSteps). committed is set on the copy InBatchTx hands
	// out once a pipeline has sent it, and flushLSN is the place in the
	// log its answers wait for.
	commitEarly, committed bool
	flushLSN               string
	dialect                dialect
	// wstmts and rstmts cache SQLite's prepared statements for the write
	// and read pools; nil on PostgreSQL.
	wstmts, rstmts *stmtCache
	// turns queues SQLite's write transactions in the order they come:
	// database/sql hands a freed connection to a waiter chosen at random,
	// which under a burst left some registrations waiting far longer than
	// the others. Goroutines blocked on a channel are served in order.
	turns chan struct{}
	// library is the instance's copy of the library of good practices
	// (library.go), shared by the copies InTx hands out.
	library *libraryCache
	// reads gathers the requests' reads of tokens and events that come
	// together (coalesce.go); nil on SQLite.
	reads *coalescedReads
	// Where is a human description of the database, without credentials.
	Where string
}

// Open opens the database named by dbURL, or the SQLite file rencontres.db
// in dataDir when dbURL is empty. It checks that the database answers but
// does not migrate it.
func Open(ctx context.Context, dbURL, dataDir string) (*Store, error) {
	switch {
	case dbURL == "":
		return openSQLite(ctx, filepath.Join(dataDir, "rencontres.db"))
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		return openPostgres(ctx, dbURL)
	case strings.HasPrefix(dbURL, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(strings.TrimPrefix(dbURL, "sqlite:"), "//"))
	}
	return nil, fmt.Errorf("database URL %q: want postgres://… or sqlite:PATH", redact(dbURL))
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("data folder: %w", err)
		}
	}
	// The order matters: busy_timeout first, so that switching to WAL waits
	// for another process instead of failing; immediate transactions, so that
	// a read-then-write transaction takes the write lock at BEGIN and never
	// fails half-way with "database is locked".
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, sqliteHint(err))
	}
	// A write must reach the file: check now rather than at the first form.
	if _, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS _write_check (x INTEGER); DROP TABLE _write_check"); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite %s is not writable: %w", path, sqliteHint(err))
	}
	rdb, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=query_only(1)&_pragma=mmap_size(268435456)")
	if err != nil {
		db.Close()
		return nil, err
	}
	rdb.SetMaxOpenConns(8)
	rdb.SetMaxIdleConns(8)
	rdb.SetConnMaxIdleTime(0)
	return &Store{db: db, rdb: rdb, dialect: sqliteDialect, library: &libraryCache{}, Where: "SQLite " + path, wstmts: newStmtCache(db), rstmts: newStmtCache(rdb),
		turns: make(chan struct{}, 1)}, nil
}

func sqliteHint(err error) error {
	if strings.Contains(err.Error(), "unable to open") || strings.Contains(err.Error(), "readonly") {
		return fmt.Errorf("cannot open the file for writing (check the folder's permissions): %w", err)
	}
	return err
}

func openPostgres(ctx context.Context, dbURL string) (*Store, error) {
	u, err := url.Parse(dbURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("database URL %q is malformed: want postgres://user@host:port/dbname", redact(dbURL))
	}
	// No JIT compilation, unless the URL asks for it: a query whose
	// estimated cost passes PostgreSQL's threshold was compiled anew at
	// each run, which cost the partnerships' area counts 0.9 s of their
	// 1.2 s at 10,000 partnerships; the product's queries read pages and
	// counts, where compiling never pays back.
	q := u.Query()
	if q.Get("jit") == "" {
		q.Set("jit", "off")
		u.RawQuery = q.Encode()
	}
	connURL := u.String()
	db, err := sql.Open("pgx", connURL)
	if err != nil {
		return nil, fmt.Errorf("postgres %s: %w", redact(dbURL), err)
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres %s does not answer: %s", redact(dbURL), oneLine(err))
	}
	// A batch sends its commit with its writes (commitSteps) where the
	// role may write a logical message, as every role may unless told
	// otherwise; elsewhere it commits as other transactions do.
	var emits bool
	if err := db.QueryRowContext(pctx, "SELECT has_function_privilege('pg_catalog.pg_logical_emit_message(boolean, text, text)', 'EXECUTE')").Scan(&emits); err != nil {
		emits = false
	}
	q = u.Query()
	if q.Get("plan_cache_mode") == "" {
		q.Set("plan_cache_mode", "force_generic_plan")
	}
	u.RawQuery = q.Encode()
	search, err := sql.Open("pgx", u.String())
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres %s: %w", redact(dbURL), err)
	}
	search.SetMaxOpenConns(8)
	search.SetMaxIdleConns(8)
	search.SetConnMaxIdleTime(5 * time.Minute)
	cfg, err := pgx.ParseConfig(connURL)
	if err != nil {
		db.Close()
		search.Close()
		return nil, fmt.Errorf("postgres %s: %w", redact(dbURL), err)
	}
	batch := sql.OpenDB(batchConnector{stdlib.GetConnector(*cfg)})
	batch.SetMaxOpenConns(1)
	batch.SetMaxIdleConns(1)
	batch.SetConnMaxIdleTime(0)
	s := &Store{db: db, rdb: db, search: search, batch: batch, plans: &batchPlans{}, commitEarly: emits, dialect: postgresDialect, library: &libraryCache{}, Where: "PostgreSQL " + redact(dbURL)}
	s.reads = newCoalescedReads(s)
	return s, nil
}

// redact removes the password from a database URL, for messages.
func redact(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// oneLine puts a driver's error on one line. The cause must stay: pgx
// writes each address it tried, and why it failed there, on a line of its
// own after a first line that says only that it could not connect; a line
// said twice (each attempt with and without TLS) is said once.
func oneLine(err error) string {
	var parts []string
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line != "" && !slices.Contains(parts, line) {
			parts = append(parts, line)
		}
	}
	return strings.Join(parts, " ")
}

// Close closes the database.
func (s *Store) Close() error {
	if s.wstmts != nil {
		s.wstmts.close()
		s.rstmts.close()
	}
	err := s.db.Close()
	if s.rdb != s.db {
		err = errors.Join(err, s.rdb.Close())
	}
	if s.search != nil {
		err = errors.Join(err, s.search.Close())
	}
	if s.batch != nil {
		err = errors.Join(err, s.batch.Close())
	}
	return err
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.reader().QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Dialect names the database kind: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect.name }

func (s *Store) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+s.dialect.name)
	if err != nil {
		return nil, err
	}
	d := goose.DialectSQLite3
	if s.dialect.name == "postgres" {
		d = goose.DialectPostgres
	}
	// Migration 7 moves data across time zones, which needs Go; it runs the
	// same on both databases.
	moved := goose.NewGoMigration(7, &goose.GoFunc{RunTx: moveMeetings}, &goose.GoFunc{RunTx: moveMeetingsBack})
	return goose.NewProvider(d, s.db, sub, goose.WithGoMigrations(moved))
}

// Migrate brings the schema up to date and returns the versions applied.
func (s *Store) Migrate(ctx context.Context) ([]int64, error) {
	p, err := s.provider()
	if err != nil {
		return nil, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var applied []int64
	for _, r := range res {
		applied = append(applied, r.Source.Version)
	}
	// The search terms are built in Go: for the organisations of a
	// database migrated from before them, or after their making changed.
	if err := s.inTx(ctx, func(tx *sql.Tx) error { return reindexOrganisations(ctx, tx, nil) }); err != nil {
		return applied, fmt.Errorf("migrate: search terms: %w", err)
	}
	// So are the library's, for the practices of an older index.
	if err := s.inTx(ctx, func(tx *sql.Tx) error { return reindexStalePractices(ctx, tx) }); err != nil {
		return applied, fmt.Errorf("migrate: library terms: %w", err)
	}
	if slices.Contains(applied, 55) {
		if err := s.inTx(ctx, func(tx *sql.Tx) error { return rekeyChoices(ctx, tx) }); err != nil {
			return applied, fmt.Errorf("migrate: attendance names: %w", err)
		}
	}
	if slices.Contains(applied, 56) {
		if err := s.inTx(ctx, func(tx *sql.Tx) error { return fillRegistrationSearch(ctx, tx) }); err != nil {
			return applied, fmt.Errorf("migrate: registrations' search: %w", err)
		}
	}
	return applied, nil
}

// MigrateTo brings the schema up or down to version: to roll a release
// back, and to test a migration against data of the version before it.
func (s *Store) MigrateTo(ctx context.Context, version int64) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return err
	}
	if version < current {
		_, err = p.DownTo(ctx, version)
	} else {
		_, err = p.UpTo(ctx, version)
	}
	return err
}

// SchemaVersion returns the current schema version and the latest one the
// binary knows.
func (s *Store) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := s.provider()
	if err != nil {
		return 0, 0, err
	}
	current, err = p.GetDBVersion(ctx)
	if err != nil {
		return 0, 0, err
	}
	srcs := p.ListSources()
	if len(srcs) > 0 {
		latest = srcs[len(srcs)-1].Version
	}
	return current, latest, nil
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader is where reads go: the caller's transaction if there is one, so
// that it sees its own writes, and the read pool otherwise.
// searcher is where the directory's search reads: the search pool on
// PostgreSQL outside a transaction, else the reader.
func (s *Store) searcher() querier {
	if s.search != nil && s.tx == nil {
		return s.search
	}
	return s.reader()
}

func (s *Store) reader() querier {
	switch {
	case s.wstmts != nil && s.tx != nil:
		return cachedQuerier{c: s.wstmts, tx: s.tx}
	case s.tx != nil:
		return s.tx
	case s.rstmts != nil:
		return cachedQuerier{c: s.rstmts}
	}
	return s.rdb
}

// writer is where single-statement writes go.
func (s *Store) writer() querier {
	switch {
	case s.wstmts != nil:
		return cachedQuerier{c: s.wstmts, tx: s.tx}
	case s.tx != nil:
		return s.tx
	}
	return s.db
}

// InTx runs fn with a Store whose every read and write belongs to one
// transaction, committed if fn returns nil and rolled back otherwise: what fn
// does is stored whole or not at all.
func (s *Store) InTx(ctx context.Context, fn func(s *Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		txs := *s
		txs.tx = tx
		return fn(&txs)
	})
	if s.wstmts != nil {
		s.wstmts.preparePending(ctx)
	}
	return err
}

// Savepoint runs fn within the caller's transaction so that what fn writes
// is kept when it returns nil and undone when it fails, while the
// transaction goes on: several registrations share one transaction (and
// one commit) without one's refusal undoing the others. fnErr is fn's
// error; err, a failure of the transaction itself, after which it must be
// rolled back.
func (s *Store) Savepoint(ctx context.Context, fn func() error) (fnErr, err error) {
	if s.tx == nil {
		return nil, errors.New("store: a savepoint needs a transaction")
	}
	if _, err := s.tx.ExecContext(ctx, "SAVEPOINT batch_item"); err != nil {
		return nil, err
	}
	if fnErr = fn(); fnErr != nil {
		if _, err := s.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT batch_item"); err != nil {
			return fnErr, err
		}
	}
	_, err = s.tx.ExecContext(ctx, "RELEASE SAVEPOINT batch_item")
	return fnErr, err
}

// inTx runs fn in a write transaction, committing if fn returns nil. Inside
// InTx it joins the caller's transaction.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.tx != nil {
		return fn(s.tx)
	}
	if s.turns != nil {
		select {
		case s.turns <- struct{}{}:
			defer func() { <-s.turns }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
