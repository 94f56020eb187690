package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The directory's search: a table of terms, every suffix of every folded
// name form of an organisation (rencontres.SearchForms), with where the
// suffix starts. A query q is the range term >= q AND term < q's successor
// of the table's B-tree, the same on both databases; the best place any of
// an organisation's terms matched ranks it.
//
// Tiers of a match, best first, as stored in organisation_terms.pos and as
// computed by the query.
const (
	tierExact  = 0 // a whole name form (pos 0 stores a whole form)
	tierPrefix = 1 // the start of a name form
	tierWord   = 2 // the start of a word of a name
	tierInside = 3 // inside a word: kanji and kana compounds, mostly
)

// maxTermRunes bounds a stored term: a longer query is looked up by its
// first maxTermRunes runes, then checked against search_text.
const maxTermRunes = 24

// termColumns is the number of columns of organisation_terms.
const termColumns = 7

// orgOrder is the order of organisations of the same tier, stored with each
// term so that a search orders its matches without reading the
// organisations: towns before larger areas, then the most populous first.
func orgOrder(kindRank int, population int64) int64 {
	return int64(kindRank)*1e11 + (1e11 - 1 - min(max(population, 0), 1e11-1))
}

// searchVersion changes when the forms or the terms built from them do, so
// that the next migration rebuilds every organisation's terms.
const searchVersion = "2:"

// Organisations lists organisations matching f, best matches first, with the
// total number of matches; a query's matches are counted up to
// rencontres.SearchCountBound+1 (see OrgFilter.Total).
func (s *Store) Organisations(ctx context.Context, f rencontres.OrgFilter) ([]*rencontres.Organisation, int, error) {
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	q := rencontres.FoldQuery(f.Query)
	if q == "" {
		return s.listOrganisations(ctx, f, limit)
	}
	// The best tier any term of an organisation reached, a whole form equal
	// to the query being an exact match; the terms carry their
	// organisation's country, kind and order, so that the matches are
	// filtered, counted and ordered without reading the organisations.
	exact := arg(q)
	lo := q
	join := ""
	if utf8.RuneCountInString(q) > maxTermRunes {
		lo = string([]rune(q)[:maxTermRunes])
		join = " JOIN organisations o ON o.id = t.org_id AND o.search_text LIKE " + arg(likePattern(q))
	}
	low := arg(lo)
	where := []string{"t.term >= " + low, "t.term < " + arg(successor(lo))}
	if f.Country != "" {
		where = append(where, "t.country = "+arg(string(f.Country)))
	}
	if f.Kind != "" {
		where = append(where, "t.kind = "+arg(string(f.Kind)))
	}
	hits := `SELECT t.org_id, CASE WHEN t.pos = 0 AND t.term = ` + exact + ` THEN 0 WHEN t.pos = 0 THEN 1 ELSE t.pos END AS tier,
		t.ord, t.prev FROM organisation_terms t` + join + ` WHERE ` + strings.Join(where, " AND ")
	// One query for the page and the number of matches. An organisation
	// may match by several terms: the matching terms are ordered by tier
	// and the first of each organisation kept, which gives its best tier;
	// ordering the terms costs less than grouping them by organisation
	// first. An organisation is counted by its first term in the range,
	// the one whose prev (the organisation's term just before it) is
	// outside: counting distinct organisations took four times as long.
	// Only the page's organisations are read. Matches are counted up to
	// one past rencontres.SearchCountBound: the exact count of a broad
	// query (« s », « saint ») was most of its cost, and a reader wants
	// its best matches, not the thousandth page.
	offset := max(f.Offset, 0)
	query := "WITH hits AS (" + hits + "), best AS (SELECT org_id, tier, ord FROM hits ORDER BY tier, ord, org_id LIMIT $%d)" +
		" SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM hits WHERE prev < " + low + " LIMIT " + fmt.Sprint(rencontres.SearchCountBound+1) + ") c), " + orgColumns + " FROM best JOIN organisations o ON o.id = best.org_id" +
		" LEFT JOIN organisations p ON p.id = o.parent_id ORDER BY best.tier, best.ord, best.org_id"
	query = fmt.Sprintf(query, len(args)+1)
	for rowsWanted := 2*(offset+limit) + 16; ; rowsWanted *= 4 {
		out, total, n, err := s.searchPage(ctx, query, append(args, rowsWanted), offset, limit)
		if err != nil || len(out) == limit || n < rowsWanted || offset >= total && total <= rencontres.SearchCountBound {
			return out, total, err
		}
	}
}

// searchPage runs a search query and keeps, of the organisations it
// returns, the first of each, past offset, up to limit; with the number of
// matches and of rows read.
func (s *Store) searchPage(ctx context.Context, query string, args []any, offset, limit int) ([]*rencontres.Organisation, int, int, error) {
	rows, err := s.reader().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, 0, err
	}
	defer rows.Close()
	var out []*rencontres.Organisation
	seen := map[int64]bool{}
	total, n := 0, 0
	for rows.Next() {
		n++
		o, err := scanOrg(rows, &total)
		if err != nil {
			return nil, 0, 0, err
		}
		if seen[o.ID] {
			continue
		}
		seen[o.ID] = true
		if len(seen) > offset && len(out) < limit {
			out = append(out, o)
		}
	}
	return out, total, n, rows.Err()
}

// listOrganisations lists the directory in name order, without a query.
func (s *Store) listOrganisations(ctx context.Context, f rencontres.OrgFilter, limit int) ([]*rencontres.Organisation, int, error) {
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
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM organisations o"+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	query := "SELECT " + orgColumns + orgFrom + cond + " ORDER BY o.sort_name, o.id LIMIT " + arg(limit) + " OFFSET " + arg(max(f.Offset, 0))
	rows, err := s.reader().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*rencontres.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, o)
	}
	return out, total, rows.Err()
}

// successor returns the smallest string greater than every string that
// starts with q: q with its last rune incremented.
func successor(q string) string {
	r, n := utf8.DecodeLastRuneInString(q)
	next := r + 1
	if next == 0xD800 { // skip the surrogates, which UTF-8 cannot encode
		next = 0xE000
	}
	return q[:len(q)-n] + string(next)
}

// reindexOrganisations brings the search columns (search_text, sort_name,
// kind_rank) and the search terms of the organisations with the given ids
// up to date with their names, code and kind; nil ids means every
// organisation. Every path that creates an organisation or changes its
// names, code, kana or kind calls it in the same transaction. Organisations
// whose search input did not change are left alone, which makes a re-import
// cheap.
func reindexOrganisations(ctx context.Context, tx querier, ids []int64) error {
	type row struct {
		id              int64
		o               rencontres.Organisation
		indexed, search string
		sortName        string
		kindRank        int
		fingerprint     string
	}
	var stale []row
	read := func(cond string, args ...any) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, kind, country, code, name, kana, population, search_text, sort_name, kind_rank, search_indexed
			FROM organisations`+cond, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.o.Kind, &r.o.Country, &r.o.Code, &r.o.Name, &r.o.Kana, &r.o.Population,
				&r.search, &r.sortName, &r.kindRank, &r.indexed); err != nil {
				return err
			}
			search, sortName := searchColumns(&r.o)
			// The terms hold the kind, country and order of their
			// organisation too: what they were built from.
			fp := fmt.Sprintf("%s%s|%s|%s|%d", searchVersion, r.o.Kind, r.o.Country, search, r.o.Population)
			if r.indexed == fp && r.search == search && r.sortName == sortName && r.kindRank == kindRank(r.o.Kind) {
				continue
			}
			r.search, r.sortName, r.kindRank, r.fingerprint = search, sortName, kindRank(r.o.Kind), fp
			stale = append(stale, r)
		}
		return rows.Err()
	}
	if ids == nil {
		if err := read(""); err != nil {
			return err
		}
	}
	for chunk := range chunks(ids, 500) {
		args, in := placeholders(nil, chunk)
		if err := read(" WHERE id IN "+in, args...); err != nil {
			return err
		}
	}
	if len(stale) == 0 {
		return nil
	}
	upd, err := prepare(ctx, tx, `UPDATE organisations SET search_text = $2, sort_name = $3, kind_rank = $4, search_indexed = $5 WHERE id = $1`)
	if err != nil {
		return err
	}
	defer upd.Close()
	staleIDs := make([]int64, len(stale))
	for i, r := range stale {
		staleIDs[i] = r.id
		if _, err := upd.ExecContext(ctx, r.id, r.search, r.sortName, r.kindRank, r.fingerprint); err != nil {
			return fmt.Errorf("search columns of organisation %d: %w", r.id, err)
		}
	}
	for chunk := range chunks(staleIDs, 500) {
		args, in := placeholders(nil, chunk)
		if _, err := tx.ExecContext(ctx, "DELETE FROM organisation_terms WHERE org_id IN "+in, args...); err != nil {
			return err
		}
	}
	// Terms go in by a hundred rows per prepared statement: one statement
	// per row is slow on PostgreSQL, and SQLite looks a numbered parameter
	// up in a list, so that a thousand rows per statement spent most of
	// the import in its parser.
	const perInsert = 100
	values := func(n int) string {
		var b strings.Builder
		b.WriteString("INSERT INTO organisation_terms (term, org_id, pos, ord, country, kind, prev) VALUES ")
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			k := termColumns * i
			fmt.Fprintf(&b, "($%d, $%d, $%d, $%d, $%d, $%d, $%d)", k+1, k+2, k+3, k+4, k+5, k+6, k+7)
		}
		return b.String()
	}
	ins, err := prepare(ctx, tx, values(perInsert))
	if err != nil {
		return err
	}
	defer ins.Close()
	batch := make([]any, 0, termColumns*perInsert)
	flush := func() error {
		var err error
		if len(batch) == termColumns*perInsert {
			_, err = ins.ExecContext(ctx, batch...)
		} else if len(batch) > 0 {
			_, err = tx.ExecContext(ctx, values(len(batch)/termColumns), batch...)
		}
		batch = batch[:0]
		return err
	}
	// In the order of the index: inserts in random order into a B-tree larger
	// than SQLite's page cache made the first import of the reference data
	// fifteen times slower.
	type term struct {
		text, prev string
		org        int64
		pos        int
		r          *row
	}
	var all []term
	for i := range stale {
		r := &stale[i]
		terms := orgTerms(&r.o)
		texts := slices.Sorted(maps.Keys(terms))
		for k, t := range texts {
			prev := ""
			if k > 0 {
				prev = texts[k-1]
			}
			all = append(all, term{t, prev, r.id, terms[t], r})
		}
	}
	slices.SortFunc(all, func(a, b term) int {
		if c := strings.Compare(a.text, b.text); c != 0 {
			return c
		}
		return cmp.Compare(a.org, b.org)
	})
	for _, t := range all {
		batch = append(batch, t.text, t.org, t.pos, orgOrder(t.r.kindRank, t.r.o.Population), string(t.r.o.Country), string(t.r.o.Kind), t.prev)
		if len(batch) == termColumns*perInsert {
			if err := flush(); err != nil {
				return fmt.Errorf("search terms: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("search terms: %w", err)
	}
	return nil
}

// orgTerms returns the terms of an organisation with the best tier each
// starts at: the suffixes of every name form that start a word or a kanji
// or kana, cut to maxTermRunes; the whole official code (a code is
// searched by its start).
func orgTerms(o *rencontres.Organisation) map[string]int {
	terms := map[string]int{}
	put := func(term string, pos int) {
		if old, ok := terms[term]; !ok || pos < old {
			terms[term] = pos
		}
	}
	code := rencontres.FoldSearch(o.Code)
	for _, form := range rencontres.SearchForms(o) {
		if form == code {
			put(cut(form), tierExact)
			continue
		}
		runes := []rune(form)
		for i, r := range runes {
			// Latin words are searched by their start, kanji and kana
			// (written without spaces) by any part.
			if r == ' ' || i > 0 && runes[i-1] != ' ' && !rencontres.IsCJK(r) {
				continue
			}
			end := min(i+maxTermRunes, len(runes))
			term := strings.TrimRight(string(runes[i:end]), " ")
			switch {
			case i == 0 && end == len(runes):
				put(term, tierExact)
			case i == 0:
				put(term, tierPrefix)
			case runes[i-1] == ' ':
				put(term, tierWord)
			default:
				put(term, tierInside)
			}
		}
	}
	return terms
}

func cut(s string) string {
	if utf8.RuneCountInString(s) <= maxTermRunes {
		return s
	}
	return string([]rune(s)[:maxTermRunes])
}

// searchColumns returns what the search reads beside the terms and what the
// default order reads: every folded name form, each behind a space, and
// the folded Latin name.
func searchColumns(o *rencontres.Organisation) (search, sortName string) {
	search = " " + o.SearchText() + " "
	return search, rencontres.FoldSearch(o.Name.In(rencontres.French))
}

// chunks yields ids by at most n.
func chunks(ids []int64, n int) func(func([]int64) bool) {
	return func(yield func([]int64) bool) {
		for len(ids) > 0 {
			k := min(n, len(ids))
			if !yield(ids[:k]) {
				return
			}
			ids = ids[k:]
		}
	}
}

// prepare prepares a statement on a transaction or a database.
func prepare(ctx context.Context, q querier, query string) (*sql.Stmt, error) {
	if p, ok := q.(interface {
		PrepareContext(context.Context, string) (*sql.Stmt, error)
	}); ok {
		return p.PrepareContext(ctx, query)
	}
	return nil, fmt.Errorf("cannot prepare on %T", q)
}

// Optimize brings the planner's statistics and, on PostgreSQL, the
// visibility map up to date after a bulk write such as the reference
// import: without a VACUUM, PostgreSQL reads every search term's row from
// the heap instead of answering from the index alone, which made a broad
// query (« saint », 4,485 matches) ten times slower than on SQLite.
func (s *Store) Optimize(ctx context.Context) error {
	if s.dialect.name == "postgres" {
		_, err := s.writer().ExecContext(ctx, "VACUUM (ANALYZE) organisations, organisation_terms")
		return err
	}
	_, err := s.writer().ExecContext(ctx, "PRAGMA optimize")
	return err
}
