package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// CheckTallies fails tb unless the counts a database keeps as
// registrations change (migration 00055) are those its rows give: each
// delegation's registrations by status and elected, with those checked in,
// each session's choices by status, and each choice's names as the
// attendance lists sort them (folded), and each registration's search
// text. Every store this package opens is
// checked so when its test ends, whatever the test wrote and however.
func CheckTallies(tb testing.TB, s *store.Store) {
	tb.Helper()
	if err := TalliesDiffer(s); err != nil {
		tb.Error(err)
	}
}

// TalliesDiffer says how a store's tallies differ from its rows, or
// returns nil.
func TalliesDiffer(s *store.Store) error { return checkTallies(context.Background(), s.DB()) }

func checkTallies(ctx context.Context, db *sql.DB) error {
	pairs := []struct{ what, kept, counted string }{
		{"registration_tallies",
			"SELECT delegation_id, event_id, status, elected, n, checked_in FROM registration_tallies WHERE n <> 0 OR checked_in <> 0",
			"SELECT delegation_id, event_id, status, elected, COUNT(*), COUNT(checked_in_at) FROM registrations GROUP BY delegation_id, event_id, status, elected"},
		{"session_tallies",
			"SELECT session_id, status, n FROM session_tallies WHERE n <> 0",
			"SELECT session_id, status, COUNT(*) FROM registration_choices GROUP BY session_id, status"},
	}
	for _, p := range pairs {
		kept, err := lines(ctx, db, p.kept)
		if err != nil {
			return err
		}
		counted, err := lines(ctx, db, p.counted)
		if err != nil {
			return err
		}
		if !maps.Equal(kept, counted) {
			return fmt.Errorf("%s keeps\n%s\nbut the rows count\n%s", p.what, show(kept), show(counted))
		}
	}
	// A withdrawal removes the registration's choices: a session's tallies
	// then count its registrations not withdrawn (CountRegistrations).
	var kept int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM registration_choices c JOIN registrations r ON r.id = c.registration_id
		WHERE r.status = 'withdrawn'`).Scan(&kept); err != nil {
		return err
	}
	if kept > 0 {
		return fmt.Errorf("%d choices of withdrawn registrations are kept", kept)
	}
	regs, err := db.QueryContext(ctx, "SELECT id, given_name, family_name, name_ja, kana, email, search FROM registrations")
	if err != nil {
		return err
	}
	defer regs.Close()
	for regs.Next() {
		var id int64
		var given, family, nameJa, kana, email, search string
		if err := regs.Scan(&id, &given, &family, &nameJa, &kana, &email, &search); err != nil {
			return err
		}
		if want := rencontres.FoldSearch(strings.Join([]string{given, family, nameJa, kana, email}, " ")); search != want {
			return fmt.Errorf("registration %d keeps the search text %q, want %q", id, search, want)
		}
	}
	if err := regs.Err(); err != nil {
		return err
	}
	rows, err := db.QueryContext(ctx, `SELECT c.registration_id, c.session_id, c.family_key, c.given_key, r.family_name, r.given_name
		FROM registration_choices c JOIN registrations r ON r.id = c.registration_id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var reg, session int64
		var fk, gk, family, given string
		if err := rows.Scan(&reg, &session, &fk, &gk, &family, &given); err != nil {
			return err
		}
		if fk != rencontres.FoldSearch(family) || gk != rencontres.FoldSearch(given) {
			return fmt.Errorf("registration %d's choice of session %d keeps the names %q, %q for %q, %q", reg, session, fk, gk, family, given)
		}
	}
	return rows.Err()
}

// lines reads a query's rows as text, each with how many times it came.
func lines(ctx context.Context, db *sql.DB, query string) (map[string]int, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := map[string]int{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out[fmt.Sprint(normalise(vals))]++
	}
	return out, rows.Err()
}

// normalise gives the two databases' values one form: SQLite's booleans
// are integers, and text may come as bytes.
func normalise(vals []any) []any {
	for i, v := range vals {
		switch x := v.(type) {
		case bool:
			vals[i] = map[bool]int64{false: 0, true: 1}[x]
		case []byte:
			vals[i] = string(x)
		}
	}
	return vals
}

func show(m map[string]int) string {
	keys := slices.Sorted(maps.Keys(m))
	return strings.Join(keys, "\n")
}

// checkAtEnd checks a store's tallies when its test ends, unless the
// test failed already, closed the store itself, or migrated it down
// to before the tallies.
func checkAtEnd(tb testing.TB, s *store.Store) {
	tb.Cleanup(func() {
		if tb.Failed() {
			return
		}
		var one int
		if err := s.DB().QueryRow("SELECT 1 FROM registration_tallies LIMIT 1").Scan(&one); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return // closed, or migrated down before the tallies
		}
		if err := checkTallies(context.Background(), s.DB()); err != nil {
			tb.Error(err)
		}
		if s.Dialect() == "sqlite" {
			if err := checkSearchIndex(context.Background(), s.DB()); err != nil {
				tb.Error(err)
			}
		}
	})
}

// checkSearchIndex checks that SQLite's trigram index of the
// registrations' search (migration 00057) holds what the column holds:
// FTS5's integrity check with rank 1 compares it with its content table.
func checkSearchIndex(ctx context.Context, db *sql.DB) error {
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'registrations_fts'").Scan(&n); err != nil || n == 0 {
		return err // migrated down to before the index
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO registrations_fts(registrations_fts, rank) VALUES ('integrity-check', 1)"); err != nil {
		return fmt.Errorf("the registrations' search index differs from their search column: %w", err)
	}
	return nil
}
