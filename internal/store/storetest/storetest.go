// Package storetest opens fresh, migrated databases for tests: always an
// SQLite file in a temporary folder and, when RENCONTRES_TEST_POSTGRES holds
// a URL, a new PostgreSQL database created for the test and dropped after it.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/rencontres/rencontres/internal/store"
)

// PostgresEnv names the variable holding the URL of a PostgreSQL server on
// which tests may create databases.
const PostgresEnv = "RENCONTRES_TEST_POSTGRES"

// Each runs fn once per available database, as a subtest named "sqlite" or
// "postgres", each with a fresh migrated store.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	if os.Getenv(PostgresEnv) != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
	}
}

// EachTwice runs fn once per available database, as Each does, with two
// stores open on the same fresh database: two instances of the server.
func EachTwice(t *testing.T, fn func(t *testing.T, a, b *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		fn(t, openMigrated(t, "", dir), openMigrated(t, "", dir))
	})
	if os.Getenv(PostgresEnv) != "" {
		t.Run("postgres", func(t *testing.T) {
			u := NewPostgresDB(t)
			fn(t, openMigrated(t, u, ""), openMigrated(t, u, ""))
		})
	}
}

// SQLite opens a fresh, migrated SQLite store in a temporary folder.
func SQLite(tb testing.TB) *store.Store {
	tb.Helper()
	return openMigrated(tb, "", tb.TempDir())
}

// Postgres opens a fresh, migrated store on a new PostgreSQL database, or
// skips the test when RENCONTRES_TEST_POSTGRES is unset.
func Postgres(tb testing.TB) *store.Store {
	tb.Helper()
	return openMigrated(tb, NewPostgresDB(tb), "")
}

func openMigrated(tb testing.TB, dbURL, dataDir string) *store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), dbURL, dataDir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	checkAtEnd(tb, s)
	return s
}

// NewPostgresDB creates an empty database on the server named by
// RENCONTRES_TEST_POSTGRES, drops it when the test ends, and returns its URL.
// It skips the test when the variable is unset.
func NewPostgresDB(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv(PostgresEnv)
	if admin == "" {
		tb.Skip(PostgresEnv + " is not set")
	}
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("%s: %v", PostgresEnv, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "rencontres_test_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u.Path = "/" + name
	return u.String()
}
