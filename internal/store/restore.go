package store

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ErrBackup is the kind of every fault of a backup file or of the
// database it is restored into; its message says what to do.
type ErrBackup struct{ msg string }

func (e *ErrBackup) Error() string { return e.msg }

func backupErr(format string, args ...any) error { return &ErrBackup{fmt.Sprintf(format, args...)} }

// Restore reads a backup into this database, which must be empty: never
// migrated, or migrated and holding no row. The schema is brought to the
// backup's version, every row is written in one transaction (nothing is
// left half-restored when the file is cut short or a row is refused),
// then the schema is brought up to date: a backup of an older release
// restores into a newer one.
func (s *Store) Restore(ctx context.Context, r io.Reader) (*BackupStats, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, backupErr("not a Rencontres backup: the file is not gzip-compressed (%v)", err)
	}
	dec := json.NewDecoder(bufio.NewReaderSize(zr, 64<<10))
	dec.UseNumber()
	var h backupHeader
	if err := dec.Decode(&h); err != nil || h.Product != BackupProduct {
		return nil, backupErr("not a Rencontres backup: its first line does not name the product")
	}
	if h.Format != BackupFormat {
		return nil, backupErr("backup format %d: this release reads format %d only", h.Format, BackupFormat)
	}
	current, latest, err := s.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	if h.Schema > latest {
		return nil, backupErr("the backup's schema is version %d, newer than this release knows (%d): restore it with the release that made it, or a newer one", h.Schema, latest)
	}
	if current > 0 {
		if err := s.checkEmpty(ctx); err != nil {
			return nil, err
		}
		if current != h.Schema {
			return nil, backupErr("the database is at schema version %d and the backup at %d: restore into a database never migrated (a new, empty one)", current, h.Schema)
		}
	} else if err := s.MigrateTo(ctx, h.Schema); err != nil {
		return nil, err
	}
	st := &BackupStats{Schema: h.Schema}
	if s.dialect.name == "postgres" {
		err = s.restorePostgres(ctx, dec, st)
	} else {
		err = s.restoreSQLite(ctx, dec, st)
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		return st, err
	}
	if s.dialect.name == "postgres" {
		// Statistics for the planner, and the visibility map that lets an
		// index answer alone, now rather than at autovacuum's next pass
		// (or never, where it is off): a restored network's lists would
		// otherwise be planned as for empty tables, a filtered page of
		// 100,000 registrations taking 184-332 ms where it takes 15-20
		// (docs/benchmarks.md). SQLite's plans for them need neither.
		if _, err := s.db.ExecContext(ctx, "VACUUM (ANALYZE)"); err != nil {
			return st, err
		}
	}
	return st, nil
}

// seededTables are filled by the migrations themselves and by triggers:
// a database just migrated holds their rows, which the backup's replace.
var seededTables = map[string]bool{"data_versions": true, "partnership_counts": true, "registration_tallies": true, "session_tallies": true}

// checkEmpty refuses a database that holds anything but what migrations
// write.
func (s *Store) checkEmpty(ctx context.Context) error {
	tables, err := userTables(ctx, s.db, s.dialect.name)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if seededTables[t] {
			continue
		}
		var one int
		err := s.db.QueryRowContext(ctx, `SELECT 1 FROM "`+t+`" LIMIT 1`).Scan(&one)
		if err == nil {
			return backupErr("the database is not empty (table %s holds rows): restore into a new, empty database", t)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	return nil
}

// restoreSQLite writes the rows with the foreign keys off (the order of
// tables is then free), checks them all before the commit, and rebuilds
// the full-text indexes.
func (s *Store) restoreSQLite(ctx context.Context, dec *json.Decoder, st *BackupStats) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON")
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := restoreRows(ctx, tx, "sqlite", dec, st); err != nil {
		return err
	}
	bad, err := strings1(ctx, tx, `SELECT "table" || ' row ' || rowid || ' → ' || parent FROM pragma_foreign_key_check`)
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		return backupErr("the backup's rows do not hold together (%s): nothing was restored", strings.Join(bad[:min(len(bad), 5)], "; "))
	}
	virtual, err := strings1(ctx, tx, `SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'`)
	if err != nil {
		return err
	}
	for _, v := range virtual {
		if _, err := tx.ExecContext(ctx, `INSERT INTO "`+v+`"("`+v+`") VALUES ('rebuild')`); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// restorePostgres writes the rows with every foreign key deferred to the
// commit (made deferrable for the transaction and given back after), and
// moves each identity past the largest id restored.
func (s *Store) restorePostgres(ctx context.Context, dec *json.Decoder, st *BackupStats) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	fks, err := pairs(ctx, tx, `SELECT conrelid::regclass::text, conname FROM pg_constraint
		WHERE contype = 'f' AND NOT condeferrable AND connamespace = current_schema()::regnamespace`)
	if err != nil {
		return err
	}
	for _, fk := range fks {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`ALTER TABLE %s ALTER CONSTRAINT %q DEFERRABLE INITIALLY DEFERRED`, fk[0], fk[1])); err != nil {
			return err
		}
	}
	if err := restoreRows(ctx, tx, "postgres", dec, st); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "SET CONSTRAINTS ALL IMMEDIATE"); err != nil {
		return backupErr("the backup's rows do not hold together (%v): nothing was restored", err)
	}
	for _, fk := range fks {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`ALTER TABLE %s ALTER CONSTRAINT %q NOT DEFERRABLE`, fk[0], fk[1])); err != nil {
			return err
		}
	}
	ids, err := pairs(ctx, tx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`)
	if err != nil {
		return err
	}
	for _, c := range ids {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', '%s'), COALESCE(MAX(%q), 0) + 1, false) FROM %q`, c[0], c[1], c[1], c[0])
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// pairs reads a two-column query of strings.
func pairs(ctx context.Context, q querier, query string) ([][2]string, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var p [2]string
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// restoreRows reads the tables and rows up to the end line and inserts
// them, each value converted to its column's type in this database.
func restoreRows(ctx context.Context, tx *sql.Tx, dialect string, dec *json.Decoder, st *BackupStats) error {
	known, err := userTables(ctx, tx, dialect)
	if err != nil {
		return err
	}
	tables := map[string]bool{}
	for _, t := range known {
		tables[t] = true
	}
	var (
		ins   *sql.Stmt
		types []string
		table string
		line  = 1
	)
	closeIns := func() {
		if ins != nil {
			ins.Close()
			ins = nil
		}
	}
	defer closeIns()
	for {
		line++
		var l backupLine
		if err := dec.Decode(&l); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return backupErr("the backup is cut short after line %d (no end line): nothing was restored; take the backup again", line-1)
			}
			return backupErr("the backup is damaged at line %d (%v): nothing was restored", line, err)
		}
		switch {
		case l.End:
			if l.Tables != st.Tables || l.Rows != st.Rows {
				return backupErr("the backup's end line counts %d tables and %d rows, but it holds %d and %d: nothing was restored", l.Tables, l.Rows, st.Tables, st.Rows)
			}
			return nil
		case l.Table != "":
			closeIns()
			if !tables[l.Table] {
				return backupErr("line %d: table %q does not exist at the backup's schema version: nothing was restored", line, l.Table)
			}
			table = l.Table
			st.Tables++
			if types, err = columnTypes(ctx, tx, dialect, table, l.Columns); err != nil {
				return err
			}
			if seededTables[table] {
				if _, err := tx.ExecContext(ctx, `DELETE FROM "`+table+`"`); err != nil {
					return err
				}
			}
			quoted := make([]string, len(l.Columns))
			marks := make([]string, len(l.Columns))
			for i, c := range l.Columns {
				quoted[i], marks[i] = `"`+c+`"`, "$"+strconv.Itoa(i+1)
			}
			if ins, err = tx.PrepareContext(ctx, fmt.Sprintf(`INSERT INTO "%s" (%s) VALUES (%s)`, table, strings.Join(quoted, ", "), strings.Join(marks, ", "))); err != nil {
				return err
			}
		default:
			if ins == nil || len(l.Row) != len(types) {
				return backupErr("line %d: a row outside a table, or of the wrong width: nothing was restored", line)
			}
			args := make([]any, len(l.Row))
			for i, raw := range l.Row {
				if args[i], err = decodeValue(raw, types[i]); err != nil {
					return backupErr("line %d, table %s, column %d: %v: nothing was restored", line, table, i+1, err)
				}
			}
			if _, err := ins.ExecContext(ctx, args...); err != nil {
				return backupErr("line %d, table %s: %v: nothing was restored", line, table, err)
			}
			st.Rows++
		}
	}
}

// columnTypes returns the type of each named column, lower case: what
// decodeValue converts a value to.
func columnTypes(ctx context.Context, q querier, dialect, table string, cols []string) ([]string, error) {
	var query string
	if dialect == "postgres" {
		query = `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`
	} else {
		query = `SELECT name, type FROM pragma_table_info($1)`
	}
	rows, err := q.QueryContext(ctx, query, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	have := map[string]string{}
	for rows.Next() {
		var n, t string
		if err := rows.Scan(&n, &t); err != nil {
			return nil, err
		}
		have[n] = strings.ToLower(t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		t, ok := have[c]
		if !ok {
			return nil, backupErr("table %s has no column %q at the backup's schema version: nothing was restored", table, c)
		}
		out[i] = t
	}
	return out, nil
}

// decodeValue reads a backup's value for a column of type typ: SQLite
// keeps booleans as 0 and 1, PostgreSQL as booleans, and each side gets
// its own.
func decodeValue(raw json.RawMessage, typ string) (any, error) {
	var v any
	d := json.NewDecoder(strings.NewReader(string(raw)))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case nil, string:
		return x, nil
	case bool:
		if typ == "boolean" {
			return x, nil
		}
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case json.Number:
		switch {
		case typ == "boolean":
			return x.String() != "0", nil
		case strings.Contains(typ, "text"), strings.Contains(typ, "char"):
			return x.String(), nil
		case strings.Contains(typ, "int"):
			return x.Int64()
		case strings.Contains(typ, "double"), strings.Contains(typ, "real"), strings.Contains(typ, "float"), strings.Contains(typ, "numeric"):
			return x.Float64()
		}
		if n, err := x.Int64(); err == nil {
			return n, nil
		}
		return x.Float64()
	case map[string]any:
		b, ok := x["b"].(string)
		if !ok || len(x) != 1 {
			return nil, errors.New("an object that is not bytes")
		}
		return base64.StdEncoding.DecodeString(b)
	}
	return nil, fmt.Errorf("a value of type %T", v)
}

// Copy streams a backup of src into a restore of dst, which must be
// empty, without a file between them.
func Copy(ctx context.Context, src, dst *Store, now time.Time) (*BackupStats, error) {
	pr, pw := io.Pipe()
	backedUp := make(chan error, 1)
	go func() {
		_, err := src.Backup(ctx, pw, now)
		pw.CloseWithError(err)
		backedUp <- err
	}()
	stats, err := dst.Restore(ctx, pr)
	pr.CloseWithError(io.ErrClosedPipe) // stops the backup if the restore gave up
	if berr := <-backedUp; berr != nil && !errors.Is(berr, io.ErrClosedPipe) {
		return nil, berr // the cause, rather than the restore's view of it
	}
	return stats, err
}
