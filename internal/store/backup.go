package store

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// A backup is portable: the same file restores into SQLite or PostgreSQL.
// It is gzip-compressed JSON lines: a header naming the product, the
// format and the schema version; then, for each table, a line naming it
// and its columns followed by one line per row (an array of values); then
// an end line counting tables and rows, so that a file cut short is told
// from a whole one. A value is null, a boolean, a number, a string, or
// {"b":"base64"} for bytes (photos, documents).

// BackupProduct and BackupFormat mark a Rencontres backup.
const (
	BackupProduct = "rencontres"
	BackupFormat  = 1
)

// backupHeader is a backup's first line.
type backupHeader struct {
	Product string    `json:"product"`
	Format  int       `json:"format"`
	Schema  int64     `json:"schema"`
	From    string    `json:"from"` // sqlite or postgres
	Created time.Time `json:"created"`
}

// backupLine is every other line: a table's start, a row, or the end.
type backupLine struct {
	Table   string            `json:"table,omitempty"`
	Columns []string          `json:"columns,omitempty"`
	Row     []json.RawMessage `json:"r,omitempty"`
	End     bool              `json:"end,omitempty"`
	Tables  int               `json:"tables,omitempty"`
	Rows    int64             `json:"rows,omitempty"`
}

// BackupStats says what a backup or a restore held.
type BackupStats struct {
	Schema int64
	Tables int
	Rows   int64
}

// Backup writes a consistent backup of the whole database to w while the
// database keeps serving. On SQLite the snapshot is SQLite's own (VACUUM
// INTO a file beside the database, read and then removed); on PostgreSQL
// it is one read-only repeatable-read transaction.
func (s *Store) Backup(ctx context.Context, w io.Writer, now time.Time) (*BackupStats, error) {
	schema, _, err := s.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	if s.dialect.name == "postgres" {
		tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		if err != nil {
			return nil, err
		}
		defer tx.Rollback()
		return dumpTables(ctx, tx, s.dialect.name, schema, w, now)
	}
	snap, err := s.sqliteSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer os.Remove(snap)
	db, err := sql.Open("sqlite", "file:"+snap+"?_pragma=query_only(1)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return dumpTables(ctx, tx, s.dialect.name, schema, w, now)
}

// sqliteSnapshot copies the database with VACUUM INTO, which reads it in
// one transaction: a consistent copy, however many writes are under way.
func (s *Store) sqliteSnapshot(ctx context.Context) (string, error) {
	var main string
	if err := s.db.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&main); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Dir(main), ".backup-*.db")
	if err != nil {
		return "", fmt.Errorf("backup: a snapshot beside the database: %w", err)
	}
	path := f.Name()
	f.Close()
	os.Remove(path) // VACUUM INTO wants to create the file
	// A connection of its own: the read pool is query-only, and the write
	// pool's one connection would keep writers waiting meanwhile, where
	// VACUUM INTO only reads.
	db, err := sql.Open("sqlite", "file:"+main+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO $1", path); err != nil {
		os.Remove(path)
		return "", fmt.Errorf("backup: snapshot: %w", err)
	}
	return path, nil
}

// userTables lists the tables a backup holds, by name: every table but
// the migrations' own, SQLite's and the full-text indexes (virtual
// tables and their shadows), which the restore rebuilds.
func userTables(ctx context.Context, q querier, dialect string) ([]string, error) {
	var query string
	if dialect == "postgres" {
		query = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	} else {
		query = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	}
	names, err := strings1(ctx, q, query)
	if err != nil {
		return nil, err
	}
	var virtual []string
	if dialect != "postgres" {
		if virtual, err = strings1(ctx, q, `SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'`); err != nil {
			return nil, err
		}
	}
	// The tables that triggers write come last, so that a restore leaves
	// them as the backup has them.
	var out, last []string
next:
	for _, n := range names {
		if n == "goose_db_version" {
			continue
		}
		for _, v := range virtual {
			if n == v || strings.HasPrefix(n, v+"_") {
				continue next
			}
		}
		if seededTables[n] {
			last = append(last, n)
		} else {
			out = append(out, n)
		}
	}
	return append(out, last...), nil
}

// strings1 reads a one-column query of strings.
func strings1(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// dumpTables writes every table of q, its rows in a stable order.
func dumpTables(ctx context.Context, q querier, dialect string, schema int64, w io.Writer, now time.Time) (*BackupStats, error) {
	tables, err := userTables(ctx, q, dialect)
	if err != nil {
		return nil, err
	}
	zw := gzip.NewWriter(w)
	bw := bufio.NewWriterSize(zw, 64<<10)
	enc := json.NewEncoder(bw)
	if err := enc.Encode(backupHeader{Product: BackupProduct, Format: BackupFormat, Schema: schema, From: dialect, Created: now.UTC()}); err != nil {
		return nil, err
	}
	st := &BackupStats{Schema: schema, Tables: len(tables)}
	for _, t := range tables {
		n, err := dumpTable(ctx, q, t, enc)
		if err != nil {
			return nil, fmt.Errorf("backup: table %s: %w", t, err)
		}
		st.Rows += n
	}
	if err := enc.Encode(backupLine{End: true, Tables: st.Tables, Rows: st.Rows}); err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	return st, zw.Close()
}

func dumpTable(ctx context.Context, q querier, table string, enc *json.Encoder) (int64, error) {
	// The table's name comes from the catalogue, never from outside.
	rows, err := q.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	if err := enc.Encode(backupLine{Table: table, Columns: cols}); err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	line := backupLine{Row: make([]json.RawMessage, len(cols))}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			if line.Row[i], err = encodeValue(v); err != nil {
				return n, fmt.Errorf("column %s: %w", cols[i], err)
			}
		}
		if err := enc.Encode(line); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// encodeValue writes a value as the backup holds it.
func encodeValue(v any) (json.RawMessage, error) {
	switch x := v.(type) {
	case nil:
		return json.RawMessage("null"), nil
	case []byte:
		return json.Marshal(map[string]string{"b": base64.StdEncoding.EncodeToString(x)})
	case time.Time:
		return json.Marshal(x.UTC().Format(time.RFC3339Nano))
	case int64, int32, int, float64, float32, bool, string:
		return json.Marshal(x)
	}
	return nil, fmt.Errorf("a value of type %T", v)
}
