package store

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// OrganisationsPage reads a page of the directory by cursor (f.Limit and
// f.Offset are not read: the request's limit is), with the number of
// matches (see OrgFilter.Total).
//
// Without a query the directory is in name order, and pages by keyset on
// (sort_name, id) within its filters: a page costs the same at any depth.
// A search by name ranks its matches by relevance, a rank no column holds;
// its cursor is the place of a row in that ranking, and a page reads the
// ranking up to its end, as the search reads its matches a bounded number
// of index entries at a time (see orgsearch.go) and counts them up to
// rencontres.SearchCountBound. A search's pages may shift when the
// directory changes between two of them; the directory's own, not.
func (s *Store) OrganisationsPage(ctx context.Context, f rencontres.OrgFilter, r cursor.Request) ([]*rencontres.Organisation, cursor.Head, error) {
	q := rencontres.FoldQuery(f.Query)
	if q == "" {
		return s.listOrganisationsPage(ctx, f, r)
	}
	var pos int
	has, err := r.Key(&pos)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	if has && pos < 0 {
		return nil, cursor.Head{}, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_cursor", Field: map[bool]string{true: "before", false: "after"}[r.Backward()],
			Message: "this cursor was not given by this list; start again from its first page"}
	}
	start, end := 0, r.Limit
	switch {
	case has && r.Backward():
		start, end = max(pos-r.Limit, 0), pos
	case has:
		start, end = pos+1, pos+1+r.Limit
	}
	ts := termSearch{s: s, q: q, lo: q, country: string(f.Country), kind: string(f.Kind)}
	if utf8.RuneCountInString(q) > maxTermRunes {
		ts.lo, ts.long = string([]rune(q)[:maxTermRunes]), true
	}
	total, ids, err := ts.ranked(ctx, end+1)
	h := cursor.Head{Total: total, Limit: r.Limit}
	if err != nil || start >= len(ids) {
		return nil, h, err
	}
	page := ids[start:min(end, len(ids))]
	out, err := s.organisationsByID(ctx, page)
	if err != nil {
		return nil, h, err
	}
	if len(page) > 0 {
		if start > 0 {
			h.Prev = cursor.Encode(start)
		}
		if len(ids) > start+len(page) {
			h.Next = cursor.Encode(start + len(page) - 1)
		}
	}
	return out, h, nil
}

// listOrganisationsPage reads a page of the directory in name order,
// without a query, by keyset on (sort_name, id).
func (s *Store) listOrganisationsPage(ctx context.Context, f rencontres.OrgFilter, r cursor.Request) ([]*rencontres.Organisation, cursor.Head, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Country != "" {
		where = append(where, "o.country = "+arg(string(f.Country)))
	}
	if f.Kind != "" {
		where = append(where, "o.kind = "+arg(string(f.Kind)))
	}
	var total int
	if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM organisations o"+whereClause(where), args...).Scan(&total); err != nil {
		return nil, cursor.Head{}, err
	}
	var name string
	var id int64
	has, err := r.Key(&name, &id)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	if has {
		where = append(where, "(o.sort_name, o.id) "+r.Cmp(false)+" ("+arg(name)+", "+arg(id)+")")
	}
	dir := r.Order(false)
	query := "SELECT o.sort_name, " + orgColumns + orgFrom + whereClause(where) +
		" ORDER BY o.sort_name " + dir + ", o.id " + dir + " LIMIT " + arg(r.Limit+1)
	rows, err := s.reader().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	defer rows.Close()
	type row struct {
		sortName string
		o        *rencontres.Organisation
	}
	var list []row
	for rows.Next() {
		var x row
		if x.o, err = scanOrg(rows, &x.sortName); err != nil {
			return nil, cursor.Head{}, err
		}
		list = append(list, x)
	}
	if err := rows.Err(); err != nil {
		return nil, cursor.Head{}, err
	}
	list, h := cursor.Cut(r, list, func(x row) []any { return []any{x.sortName, x.o.ID} })
	h.Total = total
	out := make([]*rencontres.Organisation, len(list))
	for i, x := range list {
		out[i] = x.o
	}
	return out, h, nil
}
