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

// The search terms of the organisations, which the directory's search
// reads (see orgsearch.go): how they are built and kept up to date.

// maxTermRunes bounds a stored term: a longer query is looked up by its
// first maxTermRunes runes, then checked against search_text.
const maxTermRunes = 24

// termColumns is the number of columns of organisation_terms.
const termColumns = 8

// orgOrder is the order of organisations of the same tier, stored with each
// term so that a search orders its matches without reading the
// organisations: towns before larger areas, then the most populous first.
func orgOrder(kindRank int, population int64) int64 {
	return int64(kindRank)*1e11 + (1e11 - 1 - min(max(population, 0), 1e11-1))
}

// searchVersion changes when the forms or the terms built from them do, so
// that the next migration rebuilds every organisation's terms.
const searchVersion = "2:"

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
		b.WriteString("INSERT INTO organisation_terms (term, org_id, pos, tier, ord, country, kind, prev) VALUES ")
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			k := termColumns * i
			fmt.Fprintf(&b, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", k+1, k+2, k+3, k+4, k+5, k+6, k+7, k+8)
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
		batch = append(batch, t.text, t.org, t.pos, termTier(t.pos), orgOrder(t.r.kindRank, t.r.o.Population), string(t.r.o.Country), string(t.r.o.Kind), t.prev)
		if len(batch) == termColumns*perInsert {
			if err := flush(); err != nil {
				return fmt.Errorf("search terms: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("search terms: %w", err)
	}
	// The library's terms hold the names of the practices' authorities.
	return reindexPracticesOf(ctx, tx, staleIDs)
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

// Optimize brings the planner's statistics (of the directory's and the
// library's search tables) and, on PostgreSQL, the
// visibility map up to date after a bulk write such as the reference
// import: without a VACUUM, PostgreSQL reads every search term's row from
// the heap instead of answering from the index alone, which made a broad
// query (« saint », 4,485 matches) ten times slower than on SQLite.
func (s *Store) Optimize(ctx context.Context) error {
	if s.dialect.name == "postgres" {
		_, err := s.writer().ExecContext(ctx, "VACUUM (ANALYZE) organisations, organisation_terms, practice_index, practice_terms, practice_sdgs")
		return err
	}
	// The library's tables are analysed outright: PRAGMA optimize leaves
	// alone a table no query has read yet, as after a bulk load.
	for _, q := range []string{"ANALYZE practice_index", "ANALYZE practice_terms", "ANALYZE practice_sdgs", "PRAGMA optimize"} {
		if _, err := s.writer().ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
