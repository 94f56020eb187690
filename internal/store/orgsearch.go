package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The directory's search: a table of terms, every suffix of every folded
// name form of an organisation (rencontres.SearchForms, built in
// orgindex.go), with where the suffix starts. A query q is the range
// term >= q AND term < q's successor of a B-tree, the same on both
// databases; the best place any of an organisation's terms matched ranks
// it, then its order (orgOrder, stored with each term), then its id.
//
// Tiers of a match, best first. organisation_terms.pos stores where a term
// starts (0 a whole form, 1 the start of one, 2 a word, 3 inside a word);
// organisation_terms.tier the tier it ranks in apart from exactness (1 for
// pos 0 and 1, else pos): a whole form equal to the query is exact.
//
// Ordering every match of a broad query (« s » 9,605 organisations,
// « saint » 4,485) to pick its best page made a search's cost grow with its
// breadth. A search reads instead a bounded number of index entries
// whatever its breadth, one tier at a time, as if every match were ordered
// by (tier, ord, org_id) and each organisation kept at its first row:
//
//   - it counts, up to tierBound+1, the exact matches (term = q, pos 0,
//     by the primary key) and the matching terms of each tier
//     (organisation_terms_tier_range: tier, term), and the matching
//     organisations up to rencontres.SearchCountBound+1 (the total);
//   - a tier of at most tierBound matching terms is read by its range and
//     ordered: a few hundred rows at most. A tier of more is read in rank
//     order (organisation_terms_tier_rank: tier, ord, org_id), each entry
//     checked against the range, and the read stops at the rows wanted: at
//     least tierBound in every (tier's size) entries match, so that a page
//     costs a few thousand entries at worst (« s » reads some 800);
//   - organisations are kept in that order, each at its best tier, and a
//     tier is read to its end before the next one counts; a read cut short
//     whose organisations, matching by several terms, leave the page short
//     is read again with four times more rows;
//   - the first statement counts and reads the tiers the page needs (the
//     counts decide, inside the statement, which reads run), so that a
//     search takes two statements, that one and the reading of the page's
//     organisations, and rarely more.
//
// The pages, at any offset, are those of ordering every match:
// TestSearchMatchesAPlainOrdering compares the two.
const (
	tierExact  = 0 // a whole name form (pos 0 stores a whole form)
	tierPrefix = 1 // the start of a name form
	tierWord   = 2 // the start of a word of a name
	tierInside = 3 // inside a word: kanji and kana compounds, mostly
)

// tierBound is how many matching terms of a tier a search counts: a tier
// with at most that many is read by its range, a tier with more in rank
// order (see above).
const tierBound = 500

// termTier returns the tier stored with a term starting at pos.
func termTier(pos int) int {
	return max(pos, tierPrefix)
}

// Organisations lists organisations matching f, best matches first, with the
// total number of matches; a query's matches are counted up to
// rencontres.SearchCountBound+1 (see OrgFilter.Total).
func (s *Store) Organisations(ctx context.Context, f rencontres.OrgFilter) ([]*rencontres.Organisation, int, error) {
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	q := rencontres.FoldQuery(f.Query)
	if q == "" {
		return s.listOrganisations(ctx, f, limit)
	}
	ts := termSearch{s: s, q: q, lo: q, country: string(f.Country), kind: string(f.Kind)}
	if utf8.RuneCountInString(q) > maxTermRunes {
		// Looked up by its first runes, then checked against search_text.
		ts.lo, ts.long = string([]rune(q)[:maxTermRunes]), true
	}
	offset := max(f.Offset, 0)
	total, ids, err := ts.ranked(ctx, offset+limit)
	if err != nil || offset >= len(ids) {
		return nil, total, err
	}
	out, err := s.organisationsByID(ctx, ids[offset:])
	return out, total, err
}

// termSearch is a query's range of terms with its filters.
type termSearch struct {
	s             *Store
	q, lo         string // the folded query, and the term range it starts
	long          bool   // q is longer than a term: lo is its start
	country, kind string
}

// sqlArgs numbers the arguments of a statement as they are added, a value
// added again reusing its number.
type sqlArgs []string

func (a *sqlArgs) add(v string) string {
	i := slices.Index(*a, v)
	if i < 0 {
		*a = append(*a, v)
		i = len(*a) - 1
	}
	return fmt.Sprintf("$%d", i+1)
}

func (a sqlArgs) values() []any {
	out := make([]any, len(a))
	for i, v := range a {
		out[i] = v
	}
	return out
}

// where returns the conditions on the terms t of the range with the
// filters; term is how the term is read (see readTerms).
func (ts *termSearch) where(args *sqlArgs, term string) string {
	c := term + " >= " + args.add(ts.lo) + " AND " + term + " < " + args.add(successor(ts.lo))
	if ts.country != "" {
		c += " AND t.country = " + args.add(ts.country)
	}
	if ts.kind != "" {
		c += " AND t.kind = " + args.add(ts.kind)
	}
	if ts.long {
		c += " AND EXISTS (SELECT 1 FROM organisations o WHERE o.id = t.org_id AND o.search_text LIKE " + args.add(likePattern(ts.q)) + ")"
	}
	return c
}

// exactWhere returns the conditions of an exact match, a whole form equal
// to the query, with the filters.
func (ts *termSearch) exactWhere(args *sqlArgs) string {
	c := "t.term = " + args.add(ts.q) + " AND t.pos = 0"
	if ts.country != "" {
		c += " AND t.country = " + args.add(ts.country)
	}
	if ts.kind != "" {
		c += " AND t.kind = " + args.add(ts.kind)
	}
	return c
}

// indexed forces the index a read uses on SQLite; PostgreSQL's reads are
// shaped so that its planner has one good choice (see readTerms).
func (ts *termSearch) indexed(index string) string {
	if ts.s.dialect.name == "postgres" {
		return ""
	}
	return " INDEXED BY " + index
}

// counted is what a search's first statement counts: the exact matches and
// the matching terms of each tier, each up to tierBound+1, and the
// matching organisations up to rencontres.SearchCountBound+1.
type counted struct {
	tiers [4]int
	total int
}

// countsSQL returns the definition of the table counts, one row of the
// columns c0 to c3 and total of counted (on PostgreSQL, the tiers are
// counted by one subquery run for each tier, which plans faster). An
// organisation is counted by its first term in the range, the one whose
// prev (the organisation's term just before it) is outside: counting
// distinct organisations took four times as long.
func (ts *termSearch) countsSQL(args *sqlArgs, pg bool) string {
	bounded := func(from, where string, bound int) string {
		return fmt.Sprintf("(SELECT COUNT(*) FROM (SELECT 1 FROM organisation_terms t%s WHERE %s LIMIT %d) c)", from, where, bound+1)
	}
	exact := "0" // no stored term is as long as a long query
	if !ts.long {
		exact = bounded("", ts.exactWhere(args), tierBound)
	}
	var tiers []string
	if !pg {
		for tier := tierPrefix; tier <= tierInside; tier++ {
			tiers = append(tiers, bounded(ts.indexed("organisation_terms_tier_range"),
				fmt.Sprintf("t.tier = %d AND %s", tier, ts.where(args, "t.term")), tierBound)+fmt.Sprint(" AS c", tier))
		}
	}
	lo := args.add(ts.lo)
	total := bounded("", ts.where(args, "t.term")+" AND t.prev < "+lo, rencontres.SearchCountBound)
	if !pg {
		return "counts AS MATERIALIZED (SELECT " + exact + " AS c0, " + strings.Join(tiers, ", ") + ", " + total + " AS total)"
	}
	perTier := bounded("", "t.tier = v.tier AND "+ts.where(args, "t.term"), tierBound)
	return "tiers AS MATERIALIZED (SELECT v.tier, " + perTier + " AS n FROM (VALUES (1), (2), (3)) v(tier)), " +
		"counts AS MATERIALIZED (SELECT " + exact + " AS c0, MAX(CASE WHEN tier = 1 THEN n END) AS c1, MAX(CASE WHEN tier = 2 THEN n END) AS c2, " +
		"MAX(CASE WHEN tier = 3 THEN n END) AS c3, " + total + " AS total FROM tiers)"
}

// hit is a matching term: its organisation in the tier it ranks in.
type hit struct {
	tier     int
	ord, org int64
}

// readSQL returns a statement reading the first n matching terms of a tier
// in rank order (ord, org_id), as readTerms does.
func (ts *termSearch) readSQL(args *sqlArgs, tier int, rank bool, n int, tierIs string) string {
	return fmt.Sprintf("SELECT %d AS tier, org_id, ord FROM (%s) r", tier, ts.readTerms(args, tier, rank, n, tierIs))
}

// readTerms returns a query of the first n matching terms of a tier in
// rank order (ord, org_id): by the exact term for tierExact, by the tier's
// range when rank is false, else in the tier's rank order. tierIs, when
// not empty, is the tier the read looks for instead of tier: an expression
// on the counts of the first statement that gives tier 0, which has no
// terms, for a read that is not to run. A condition on the counts outside
// the read would be checked, on SQLite, on each row the read gives, after
// reading them.
//
// PostgreSQL's planner is kept to the read chosen by expressions that no
// index serves: the range read orders by ord + 0, so that it does not
// read the rank-order index hoping to find the range's rows early (a whole
// tier when they are few); the rank-order read compares the term with an
// empty string appended, so that it does not read the tier's range and
// order it. SQLite is told which index to use.
func (ts *termSearch) readTerms(args *sqlArgs, tier int, rank bool, n int, tierIs string) string {
	var from, where string
	order := "t.ord + 0" // no index serves it: see above
	if tierIs == "" {
		tierIs = fmt.Sprint(tier)
	}
	switch {
	case tier == tierExact:
		where = ts.exactWhere(args)
	case !rank:
		from = ts.indexed("organisation_terms_tier_range")
		where = "t.tier = " + tierIs + " AND " + ts.where(args, "t.term")
	default:
		term := "t.term || ''"
		if ts.s.dialect.name != "postgres" {
			term = "t.term"
		}
		from = ts.indexed("organisation_terms_tier_rank")
		where = "t.tier = " + tierIs + " AND " + ts.where(args, term)
		order = "t.ord"
	}
	return fmt.Sprintf("SELECT t.org_id, t.ord FROM organisation_terms t%s WHERE %s ORDER BY %s, t.org_id LIMIT %d", from, where, order, n)
}

// readInRankOrder tells whether a tier of count matching terms is read in
// rank order when n rows of it are wanted: when it has more than
// tierBound, unless n is as many (a page far from the first).
func readInRankOrder(tier, count, n int) bool {
	return tier != tierExact && count > tierBound && n <= tierBound
}

// batch returns the tiers one statement reads from tier from on, to fill
// a page short of short organisations: the first that has matches, and
// the next ones while the terms counted before them cannot fill it.
func batch(counts [4]int, from, short int) []int {
	var tiers []int
	for tier, rows := from, 0; tier <= tierInside && (len(tiers) == 0 || rows < short); tier++ {
		if counts[tier] > 0 {
			tiers = append(tiers, tier)
			rows += counts[tier]
		}
	}
	return tiers
}

// first runs a search's first statement: the counts, and the first n rows
// of the tiers batch(counts, tierExact, need) reads, each read as
// readInRankOrder says; the counts, computed once, decide in the
// statement which reads run, the others being cut before reading a row.
// Most searches need no other statement but the reading of their page.
func (ts *termSearch) first(ctx context.Context, need, n int) (counted, []hit, error) {
	query, args := ts.firstSQL(need, n)
	var c counted
	hits, err := ts.query(ctx, query, args, func(h hit) {
		switch h.tier {
		case -1:
			c.tiers[0], c.tiers[1] = int(h.org), int(h.ord)
		case -2:
			c.tiers[2], c.tiers[3] = int(h.org), int(h.ord)
		case -3:
			c.total = int(h.org)
		}
	})
	return c, hits, err
}

// firstSQL returns the first statement of a search and its arguments: the
// counts as rows of negative tiers, then the reads. Each read of a tier
// looks for the tier the counts choose for it (see readTerms): on SQLite
// one read per tier and way of reading; on PostgreSQL, which plans such a
// statement at each run (a dozen reads took three times as long to plan as
// to run), one read per way of reading, run for each tier by a lateral
// join on a table of the tiers and what the counts chose for them.
func (ts *termSearch) firstSQL(need, n int) (string, sqlArgs) {
	var args sqlArgs
	pg := ts.s.dialect.name == "postgres"
	query := "WITH " + ts.countsSQL(&args, pg)
	parts := []string{"SELECT -1, c0, c1 FROM counts", "SELECT -2, c2, c3 FROM counts", "SELECT -3, total, 0 FROM counts",
		ts.readSQL(&args, tierExact, false, n, "")} // a few rows at most: always read
	var choices []string
	before := "c0"
	for tier := tierPrefix; tier <= tierInside; tier++ {
		c := fmt.Sprint("c", tier)
		cond := fmt.Sprintf("%s > 0 AND (%s = 0 OR %s < %d)", c, before, before, need)
		before += " + " + c
		byRange, byRank := cond, "FALSE"
		if readInRankOrder(tier, tierBound+1, n) {
			byRange, byRank = fmt.Sprintf("%s AND %s <= %d", cond, c, tierBound), fmt.Sprintf("%s AND %s > %d", cond, c, tierBound)
		}
		if pg {
			choices = append(choices, fmt.Sprintf("SELECT %d AS tier, CASE WHEN %s THEN %d ELSE 0 END AS by_range, CASE WHEN %s THEN %d ELSE 0 END AS by_rank FROM counts",
				tier, byRange, tier, byRank, tier))
			continue
		}
		choice := func(cond string) string {
			return fmt.Sprintf("(SELECT CASE WHEN %s THEN %d ELSE 0 END FROM counts)", cond, tier)
		}
		parts = append(parts, ts.readSQL(&args, tier, false, n, choice(byRange)))
		if byRank != "FALSE" {
			parts = append(parts, ts.readSQL(&args, tier, true, n, choice(byRank)))
		}
	}
	if pg {
		query += ", choices AS MATERIALIZED (" + strings.Join(choices, " UNION ALL ") + ")"
		lateral := "SELECT ch.tier, r.org_id, r.ord FROM choices ch CROSS JOIN LATERAL (%s) r"
		parts = append(parts, fmt.Sprintf(lateral, ts.readTerms(&args, tierPrefix, false, n, "ch.by_range")))
		if readInRankOrder(tierPrefix, tierBound+1, n) {
			parts = append(parts, fmt.Sprintf(lateral, ts.readTerms(&args, tierPrefix, true, n, "ch.by_rank")))
		}
	}
	return query + " " + strings.Join(parts, " UNION ALL "), args
}

// read returns the first n matching terms of each of the tiers.
func (ts *termSearch) read(ctx context.Context, counts [4]int, tiers []int, n int) ([]hit, error) {
	var args sqlArgs
	var parts []string
	for _, tier := range tiers {
		parts = append(parts, ts.readSQL(&args, tier, readInRankOrder(tier, counts[tier], n), n, ""))
	}
	return ts.query(ctx, strings.Join(parts, " UNION ALL "), args, nil)
}

// query runs a statement of hits, passes those of a negative tier (the
// counts of the first statement) to other, and returns the others in the
// order of (tier, ord, org_id).
func (ts *termSearch) query(ctx context.Context, query string, args sqlArgs, other func(hit)) ([]hit, error) {
	rows, err := ts.s.searcher().QueryContext(ctx, query, args.values()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []hit
	for rows.Next() {
		var h hit
		if err := rows.Scan(&h.tier, &h.org, &h.ord); err != nil {
			return nil, err
		}
		if h.tier < 0 {
			other(h)
			continue
		}
		hits = append(hits, h)
	}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.tier, b.tier), cmp.Compare(a.ord, b.ord), cmp.Compare(a.org, b.org))
	})
	return hits, rows.Err()
}

// ranked returns the number of matches and the first need matching
// organisations, best first: each at its best tier, in the order of
// (tier, ord, org_id). A tier is read to its end before the next one
// counts; a tier whose read was cut at n rows and left the page short is
// read again with four times more rows.
func (ts *termSearch) ranked(ctx context.Context, need int) (int, []int64, error) {
	n := 2*need + 16
	c, hits, err := ts.first(ctx, need, n)
	if err != nil {
		return 0, nil, err
	}
	var ids []int64
	seen := map[int64]bool{}
	from, grow := tierExact, 1
	for tiers, fromFirst := batch(c.tiers, from, need), true; len(tiers) > 0; tiers, fromFirst = batch(c.tiers, from, need-len(ids)), false {
		if !fromFirst { // else read by the first statement
			n = grow * (2*(need-len(ids)) + 16)
			if hits, err = ts.read(ctx, c.tiers, tiers, n); err != nil {
				return 0, nil, err
			}
		}
		for _, tier := range tiers {
			i, _ := slices.BinarySearchFunc(hits, tier, func(h hit, t int) int { return cmp.Compare(h.tier, t) })
			j, _ := slices.BinarySearchFunc(hits, tier+1, func(h hit, t int) int { return cmp.Compare(h.tier, t) })
			mark := len(ids)
			for _, h := range hits[i:j] {
				if !seen[h.org] {
					seen[h.org] = true
					ids = append(ids, h.org)
				}
			}
			if len(ids) >= need {
				return c.total, ids[:need], nil
			}
			if j-i == n { // cut short: more rows of this tier
				for _, id := range ids[mark:] {
					delete(seen, id)
				}
				ids = ids[:mark]
				grow *= 4
				break
			}
			from = tier + 1
		}
	}
	return c.total, ids, nil
}

// organisationsByID reads the organisations with the given ids, in that
// order.
func (s *Store) organisationsByID(ctx context.Context, ids []int64) ([]*rencontres.Organisation, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	// On PostgreSQL one array rather than a list of ids: the same text
	// whatever the page's length, which PostgreSQL plans once.
	args, in := []any{ids}, " = ANY($1)"
	if s.dialect.name != "postgres" {
		args, in = placeholders(nil, ids)
		in = " IN " + in
	}
	rows, err := s.searcher().QueryContext(ctx, "SELECT "+orgColumns+orgFrom+" WHERE o.id"+in, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := map[int64]*rencontres.Organisation{}
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		byID[o.ID] = o
	}
	out := make([]*rencontres.Organisation, 0, len(ids))
	for _, id := range ids {
		if o := byID[id]; o != nil {
			out = append(out, o)
		}
	}
	return out, rows.Err()
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
