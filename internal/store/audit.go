package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// auditWhere is the condition of the entries matching f, with its
// arguments numbered from $1.
func auditWhere(f rencontres.AuditFilter) ([]string, []any) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.ActorEmail != "" {
		add("actor_email = $%d", strings.ToLower(f.ActorEmail))
	}
	if f.Action != "" {
		add("action = $%d", f.Action)
	}
	if f.ObjectType != "" {
		add("object_type = $%d", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = $%d", f.ObjectID)
	}
	if !f.Since.IsZero() {
		add("at >= $%d", ts(f.Since))
	}
	if !f.Until.IsZero() {
		add("at < $%d", ts(f.Until))
	}
	return where, args
}

func whereClause(where []string) string {
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

const auditColumns = "SELECT id, at, COALESCE(actor_id, 0), actor_email, action, object_type, object_id, ip, detail FROM audit_log"

// AuditLog lists entries matching f, newest first.
func (s *Store) AuditLog(ctx context.Context, f rencontres.AuditFilter) ([]*rencontres.AuditEntry, error) {
	where, args := auditWhere(f)
	limit := f.Limit
	if limit <= 0 || limit > 10000 {
		limit = 500
	}
	args = append(args, limit)
	rows, err := s.reader().QueryContext(ctx, auditColumns+whereClause(where)+fmt.Sprintf(" ORDER BY at DESC, id DESC LIMIT $%d", len(args)), args...)
	if err != nil {
		return nil, err
	}
	return scanAudit(rows)
}

// AuditPage reads a page of the entries matching f, newest first by (at,
// id), with the number of entries matching f (f.Limit is not read: the
// request's is). Each filter has an index that starts with its column and
// ends with (at, id) (migration 48), so that a page reads its rows and
// no more.
func (s *Store) AuditPage(ctx context.Context, f rencontres.AuditFilter, r cursor.Request) ([]*rencontres.AuditEntry, cursor.Head, error) {
	where, args := auditWhere(f)
	var total int
	if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log"+whereClause(where), args...).Scan(&total); err != nil {
		return nil, cursor.Head{}, err
	}
	var at string
	var id int64
	has, err := r.Key(&at, &id)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	if has {
		args = append(args, at, id)
		where = append(where, fmt.Sprintf("(at, id) %s ($%d, $%d)", r.Cmp(true), len(args)-1, len(args)))
	}
	args = append(args, r.Limit+1)
	dir := r.Order(true)
	rows, err := s.reader().QueryContext(ctx, auditColumns+whereClause(where)+
		fmt.Sprintf(" ORDER BY at %s, id %s LIMIT $%d", dir, dir, len(args)), args...)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	list, err := scanAudit(rows)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	page, h := cursor.Cut(r, list, func(e *rencontres.AuditEntry) []any { return []any{ts(e.At), e.ID} })
	h.Total = total
	return page, h, nil
}

// EachAudit calls fn with every entry matching f, newest first, as the
// rows are read: an export of the whole log holds one entry at a time.
// f.Limit is not read.
func (s *Store) EachAudit(ctx context.Context, f rencontres.AuditFilter, fn func(*rencontres.AuditEntry) error) error {
	where, args := auditWhere(f)
	rows, err := s.reader().QueryContext(ctx, auditColumns+whereClause(where)+" ORDER BY at DESC, id DESC", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAuditRow(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanAudit reads the rows of a query that selects id, at, actor_id,
// actor_email, action, object_type, object_id, ip and detail from
// audit_log, and closes them.
func scanAudit(rows *sql.Rows) ([]*rencontres.AuditEntry, error) {
	defer rows.Close()
	var out []*rencontres.AuditEntry
	for rows.Next() {
		e, err := scanAuditRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func scanAuditRow(rows scanner) (*rencontres.AuditEntry, error) {
	var e rencontres.AuditEntry
	var at, detail string
	if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.ActorEmail, &e.Action, &e.ObjectType, &e.ObjectID, &e.IP, &detail); err != nil {
		return nil, err
	}
	e.At, _ = parseTS(at)
	json.Unmarshal([]byte(detail), &e.Detail)
	return &e, nil
}
