package store

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// SQLite walks an event's registrations in id order, or all of them for a
// count, checking each against a list's filter. Where the filter is a
// small session or a search that few registrations match, their list is
// read instead from the session's choices or the search's trigram index
// (migration 00057), joined to the registrations and sorted: a page of a
// workshop of 30 in an event of 100,000 read every registration (91 ms),
// and so did a search for one name (92 ms, page and count). PostgreSQL
// chooses its order from its statistics, and the GIN trigram index serves
// the search's LIKE itself.

// driver is where a list's rows start when they start elsewhere than at
// the registrations: from (which names the registrations r, and CROSS
// JOIN keeps SQLite's join in its order), and cond, a condition with a
// %d for the number of its argument arg. With a session, counted says
// that choices holds its tallied choices, read to choose, which a count
// of the session alone then does not read again.
type driver struct {
	from, cond string
	arg        any
	choices    int
	counted    bool
}

// fewDriving bounds the rows a list is read from and sorted instead of
// walking the event's registrations: a session's choices by its tallies,
// a search's matches in every event by its index.
const fewDriving = 2000

// sqliteDriver is where the registrations of filter f start on SQLite,
// or none where they start at the registrations themselves.
func (s *Store) sqliteDriver(ctx context.Context, f rencontres.RegistrationFilter) (driver, error) {
	if s.dialect.name != "sqlite" {
		return driver{}, nil
	}
	if f.SessionID != 0 {
		n, err := s.sessionChoices(ctx, f.EventID, f.SessionID)
		if err != nil {
			return driver{}, err
		}
		if n <= fewDriving {
			return driver{from: " FROM registration_choices sc CROSS JOIN registrations r ON r.id = sc.registration_id", cond: " AND sc.session_id = $%d", arg: f.SessionID,
				choices: n, counted: true}, nil
		}
		if sessionAlone(f) {
			return driver{choices: n, counted: true}, nil
		}
	}
	q := searchText(f.Query)
	if utf8.RuneCountInString(q) < 3 {
		return driver{}, nil // no trigram
	}
	// A phrase of the query's trigrams matches the texts that hold it
	// (the filter's LIKE checks it again).
	phrase := `"` + strings.ReplaceAll(q, `"`, `""`) + `"`
	var n int
	if err := s.reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT rowid FROM registrations_fts WHERE registrations_fts MATCH $1 LIMIT $2)`,
		phrase, fewDriving+1).Scan(&n); err != nil || n > fewDriving {
		return driver{}, err
	}
	return driver{from: " FROM registrations_fts x CROSS JOIN registrations r ON r.id = x.rowid", cond: " AND x.registrations_fts MATCH $%d", arg: phrase}, nil
}
