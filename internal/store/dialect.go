package store

import (
	"encoding/json"
	"strconv"
	"strings"
)

// dialect holds what differs between SQLite and PostgreSQL in queries. Both
// bind $1…$n by number (modernc's SQLite driver does), support RETURNING and
// ON CONFLICT, and store translated text as JSON in a text column, so the
// list is short.
type dialect struct {
	name string
	// lockEdition is a statement that serialises, until the end of the
	// transaction, every writer of an edition's programme ($1 the edition),
	// so that two clashing sessions cannot both pass the check. SQLite's
	// immediate transactions already serialise writers.
	lockEdition string
	// lockEvent does the same for an event's seats ($1 the event).
	lockEvent string
	// skipLocked ends a subquery that claims rows for one worker, so that
	// workers of several instances claim different rows without waiting.
	// SQLite has one writer at a time: nothing to skip.
	skipLocked string
	// takeIDs is a statement that takes $1 new ids of a table, in
	// order, for rows written with them in the same transaction.
	takeIDs func(table string) string
	// inIDs is a condition that an id is one of those bound to $n by
	// idList: one statement whatever their number, prepared and planned
	// once, where a list of marks made a statement of each length.
	inIDs func(n int) string
}

// idList binds ids for inIDs: a JSON array for SQLite's json_each, an
// array for PostgreSQL.
func (d dialect) idList(ids []int64) any {
	if ids == nil {
		ids = []int64{}
	}
	if d.name == "postgres" {
		return ids
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

var sqliteDialect = dialect{
	name:        "sqlite",
	lockEdition: "SELECT id FROM editions WHERE id = $1",
	lockEvent:   "SELECT id FROM events WHERE id = $1",
	// The transaction holds the database's only writer: the next ids are
	// those after the last.
	takeIDs: func(table string) string {
		return `WITH RECURSIVE n(i) AS (SELECT 1 WHERE $1 > 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
			SELECT (SELECT COALESCE(MAX(id), 0) FROM ` + table + `) + i FROM n`
	},
	inIDs: func(n int) string { return " IN (SELECT value FROM json_each($" + strconv.Itoa(n) + "))" },
}

var postgresDialect = dialect{
	name:        "postgres",
	lockEdition: "SELECT id FROM editions WHERE id = $1 FOR UPDATE",
	lockEvent:   "SELECT id FROM events WHERE id = $1 FOR UPDATE",
	skipLocked:  " FOR UPDATE SKIP LOCKED",
	// The sequence is named, not looked up: pg_get_serial_sequence ran for
	// each id, a catalog read each (0.1 ms for a batch's 32, under the
	// event's lock); TestTakeIDsSequences checks the names.
	takeIDs: func(table string) string {
		return "SELECT nextval('" + table + "_id_seq') FROM generate_series(1, $1)"
	},
	inIDs: func(n int) string { return " = ANY($" + strconv.Itoa(n) + "::bigint[])" },
}

// likePattern turns a folded query into a LIKE pattern matching it anywhere.
// LIKE's own wildcards are dropped from the query: no name contains them.
func likePattern(q string) string {
	q = strings.NewReplacer("%", "", "_", "", `\`, "").Replace(q)
	return "%" + q + "%"
}
