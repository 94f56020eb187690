package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The network's list of partnerships, read a page at a time by keyset
// (internal/cursor) with its filters in SQL, and the counts of every
// filter's values summed from a table of counts (migration 00052):
// neither reads every partnership. Its order is the one partnerships
// gives, most recently signed first, then by the names of both sides; the
// keyset is (-year, a's sort name, b's sort name, id), every column
// ascending, which each partnership keeps and an index holds (migration
// 00051).

// partnershipJoin is where the filters look: a partnership and its sides.
const partnershipJoin = ` FROM partnerships pa JOIN organisations oa ON oa.id = pa.org_a JOIN organisations ob ON ob.id = pa.org_b`

// partnershipKeyCols is the list's keyset.
const partnershipKeyCols = "pa.year_desc, pa.sort_a, pa.sort_b, pa.id"

// listFrom is partnershipJoin when the condition where looks at
// the sides, and the partnerships alone when it does not: a page and its
// count then read the index of the list's order, or count one table.
func listFrom(where string) string {
	if strings.Contains(where, "oa.") || strings.Contains(where, "ob.") {
		return partnershipJoin
	}
	return " FROM partnerships pa"
}

// areaCase is the key of the region or prefecture the organisation a0 is,
// or lies in through its parents a1, a2 and a3 (a commune, its
// département, its region); NULL when there is none.
func areaCase() string {
	var when strings.Builder
	for i := range 4 {
		fmt.Fprintf(&when, " WHEN a%d.kind IN ('%s', '%s') THEN a%[1]d.key", i, rencontres.Region, rencontres.Prefecture)
	}
	return "CASE" + when.String() + " END"
}

// areaParents joins a0's parents, up to three.
const areaParents = ` LEFT JOIN organisations a1 ON a1.id = a0.parent_id LEFT JOIN organisations a2 ON a2.id = a1.parent_id
	LEFT JOIN organisations a3 ON a3.id = a2.parent_id`

// inArea is the ids of the organisations whose area is the one bound to
// the first $? (the same key at each $?): the area itself and the
// organisations under it, at most three levels down, whose walk up stops
// there. The filter looks them up in the partnerships' indexes of sides,
// where it computed each partnership's areas.
var inArea = `(WITH RECURSIVE under(id, depth) AS (SELECT id, 0 FROM organisations WHERE key = $?
		UNION ALL SELECT o.id, u.depth + 1 FROM organisations o JOIN under u ON o.parent_id = u.id WHERE u.depth < 3)
	SELECT a0.id FROM under JOIN organisations a0 ON a0.id = under.id` + areaParents + ` WHERE ` + areaCase() + ` = $?)`

// partnershipWhere is the condition of filter f on pa, oa and ob, its
// arguments from $1 on, leaving out the filter named skip so that a
// filter's own counts show what choosing another of its values gives.
// A country or an area matches either side.
func partnershipWhere(f rencontres.PartnershipFilter, skip string) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, vs ...any) {
		for _, v := range vs {
			args = append(args, v)
			cond = strings.Replace(cond, "$?", fmt.Sprintf("$%d", len(args)), 1)
		}
		conds = append(conds, cond)
	}
	if skip != "country" && f.Country != "" {
		add("$? IN (oa.country, ob.country)", string(f.Country))
	}
	if skip != "kind" && f.Kind != "" {
		add("pa.kind = $?", string(f.Kind))
	}
	if skip != "area" && f.Area != "" {
		add("(pa.org_a IN "+inArea+" OR pa.org_b IN "+inArea+")", f.Area, f.Area, f.Area, f.Area)
	}
	if skip != "decade" && f.Decade != 0 {
		add("pa.year >= $? AND pa.year < $?", f.Decade, f.Decade+10)
	}
	if skip != "state" && f.State != "" {
		add("pa.state = $?", string(f.State))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// partnershipKey is a partnership's place in the list, as a cursor holds
// it.
type partnershipKey struct {
	negYear int
	a, b    string
	id      int64
}

func (k partnershipKey) values() []any { return []any{k.negYear, k.a, k.b, k.id} }

// PartnershipPage reads one page of the partnerships filter f selects, in
// the list's order, with both sides and their areas; the head counts the
// whole filtered list.
func (s *Store) PartnershipPage(ctx context.Context, f rencontres.PartnershipFilter, req cursor.Request) ([]*rencontres.Partnership, cursor.Head, error) {
	var k partnershipKey
	has, err := req.Key(&k.negYear, &k.a, &k.b, &k.id)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	keys, err := s.partnershipKeys(ctx, f, has, k, req.Cmp(false), req.Order(false), req.Limit+1)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	keys, head := cursor.Cut(req, keys, partnershipKey.values)
	where, args := partnershipWhere(f, "")
	if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*)"+listFrom(where)+where, args...).Scan(&head.Total); err != nil {
		return nil, cursor.Head{}, err
	}
	page, err := s.partnershipsOf(ctx, keys)
	return page, head, err
}

// EachPartnership calls fn with every partnership filter f selects, in
// the list's order, a chunk of at most 500 at a time: an export or a
// whole list holds one chunk of rows read at once. fn must not keep the
// slice.
func (s *Store) EachPartnership(ctx context.Context, f rencontres.PartnershipFilter, fn func([]*rencontres.Partnership) error) error {
	var k partnershipKey
	for first := true; ; first = false {
		keys, err := s.partnershipKeys(ctx, f, !first, k, ">", "ASC", exportChunk)
		if err != nil {
			return err
		}
		if len(keys) == 0 {
			return nil
		}
		list, err := s.partnershipsOf(ctx, keys)
		if err != nil {
			return err
		}
		if err := fn(list); err != nil {
			return err
		}
		if len(keys) < exportChunk {
			return nil
		}
		k = keys[len(keys)-1]
	}
}

// partnershipKeys reads the keys of at most limit partnerships of filter
// f, beyond key k when has, comparing with cmp and ordering in dir.
func (s *Store) partnershipKeys(ctx context.Context, f rencontres.PartnershipFilter, has bool, k partnershipKey, cmp, dir string, limit int) ([]partnershipKey, error) {
	where, args := partnershipWhere(f, "")
	if has {
		n := len(args)
		args = append(args, k.values()...)
		cond := fmt.Sprintf("(%s) %s ($%d, $%d, $%d, $%d)", partnershipKeyCols, cmp, n+1, n+2, n+3, n+4)
		if where == "" {
			where = " WHERE " + cond
		} else {
			where += " AND " + cond
		}
	}
	args = append(args, limit)
	order := strings.ReplaceAll(partnershipKeyCols, ",", " "+dir+",") + " " + dir
	rows, err := s.reader().QueryContext(ctx, "SELECT "+partnershipKeyCols+listFrom(where)+where+
		fmt.Sprintf(" ORDER BY %s LIMIT $%d", order, len(args)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []partnershipKey
	for rows.Next() {
		var k partnershipKey
		if err := rows.Scan(&k.negYear, &k.a, &k.b, &k.id); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// partnershipsOf reads the partnerships of keys, in their order.
func (s *Store) partnershipsOf(ctx context.Context, keys []partnershipKey) ([]*rencontres.Partnership, error) {
	if len(keys) == 0 {
		return []*rencontres.Partnership{}, nil
	}
	ids := make(map[int64]bool, len(keys))
	for _, k := range keys {
		ids[k.id] = true
	}
	args, in := inList(ids)
	list, err := s.partnerships(ctx, " WHERE pa.id IN "+in, args...)
	if err != nil {
		return nil, err
	}
	at := make(map[int64]int, len(keys))
	for i, k := range keys {
		at[k.id] = i
	}
	slices.SortFunc(list, func(a, b *rencontres.Partnership) int { return cmp.Compare(at[a.ID], at[b.ID]) })
	return list, nil
}

// PartnershipFacets counts, for each filter, the partnerships each of its
// values selects among those the other filters keep; a partnership counts
// once for a country or an area both its sides share. Values are in
// order, areas by their country then their French name. The counts are
// sums over partnership_counts (migration 00052), a row per combination
// of the filters' values that triggers keep: a few hundred rows to read
// where the partnerships are a hundred thousand.
func (s *Store) PartnershipFacets(ctx context.Context, f rencontres.PartnershipFilter) (rencontres.PartnershipFacets, error) {
	var fc rencontres.PartnershipFacets
	for _, q := range []struct {
		filter string
		to     *[]rencontres.Facet
	}{
		{"country", &fc.Country},
		{"kind", &fc.Kind},
		{"area", &fc.Area},
		{"decade", &fc.Decade},
		{"state", &fc.State},
	} {
		query, args := facetQuery(f, q.filter)
		facets, err := s.facets(ctx, query, args)
		if err != nil {
			return fc, err
		}
		*q.to = facets
	}
	if len(fc.Area) == 0 {
		return fc, nil
	}
	orgs := map[string]*rencontres.Organisation{}
	keys := make([]string, len(fc.Area))
	for i, a := range fc.Area {
		keys[i] = a.Value
	}
	if err := s.loadOrgs(ctx, orgs, keys); err != nil {
		return fc, err
	}
	for i := range fc.Area {
		fc.Area[i].Org = orgs[fc.Area[i].Value]
	}
	slices.SortFunc(fc.Area, func(a, b rencontres.Facet) int {
		return cmp.Or(cmp.Compare(a.Org.Country, b.Org.Country), cmp.Compare(a.Org.Name.In(rencontres.French), b.Org.Name.In(rencontres.French)))
	})
	return fc, nil
}

// facetQuery is the query of the counts of a filter's values among the
// partnerships the other filters of f keep: filter is a column of
// partnership_counts, or country or area, which count both sides' values
// (side B's only where it differs from side A's). Empty values and
// unknown years do not count.
func facetQuery(f rencontres.PartnershipFilter, filter string) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "$?", fmt.Sprintf("$%d", len(args))))
	}
	if filter != "country" && f.Country != "" {
		add("$? IN (country_a, country_b)", string(f.Country))
	}
	if filter != "kind" && f.Kind != "" {
		add("kind = $?", string(f.Kind))
	}
	if filter != "area" && f.Area != "" {
		add("$? IN (area_a, area_b)", f.Area)
	}
	if filter != "decade" && f.Decade != 0 {
		add("decade = $?", f.Decade)
	}
	if filter != "state" && f.State != "" {
		add("state = $?", string(f.State))
	}
	where := func(more ...string) string {
		all := append(slices.Clone(conds), more...)
		if len(all) == 0 {
			return ""
		}
		return " WHERE " + strings.Join(all, " AND ")
	}
	switch filter {
	case "country", "area":
		a, b := filter+"_a", filter+"_b"
		return "SELECT v, CAST(SUM(n) AS INTEGER) FROM (SELECT " + a + " AS v, n FROM partnership_counts" + where(a+" <> ''") +
			" UNION ALL SELECT " + b + ", n FROM partnership_counts" + where(b+" <> ''", b+" <> "+a) + ") sides GROUP BY v", args
	case "decade":
		return "SELECT decade, CAST(SUM(n) AS INTEGER) FROM partnership_counts" + where("decade <> 0") + " GROUP BY decade", args
	}
	return "SELECT " + filter + ", CAST(SUM(n) AS INTEGER) FROM partnership_counts" + where() + " GROUP BY " + filter, args
}

// facets reads a facet's values and counts, the values as text in order.
func (s *Store) facets(ctx context.Context, query string, args []any) ([]rencontres.Facet, error) {
	rows, err := s.reader().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rencontres.Facet
	for rows.Next() {
		var v any
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return nil, err
		}
		switch v := v.(type) {
		case int64:
			out = append(out, rencontres.Facet{Value: strconv.FormatInt(v, 10), Count: n})
		case []byte:
			out = append(out, rencontres.Facet{Value: string(v), Count: n})
		case string:
			out = append(out, rencontres.Facet{Value: v, Count: n})
		default:
			return nil, fmt.Errorf("store: a facet's value of type %T", v)
		}
	}
	slices.SortFunc(out, func(a, b rencontres.Facet) int { return cmp.Compare(a.Value, b.Value) })
	return out, rows.Err()
}

// LastAgreementUpload is when the last agreement among the partnerships
// filter f selects was uploaded, zero when none has one: an export's date,
// which a workbook gives before its rows.
func (s *Store) LastAgreementUpload(ctx context.Context, f rencontres.PartnershipFilter) (time.Time, error) {
	where, args := partnershipWhere(f, "")
	var last sql.NullString
	err := s.reader().QueryRowContext(ctx, "SELECT MAX(ag.uploaded_at)"+partnershipJoin+
		" JOIN partnership_agreements ag ON ag.partnership_id = pa.id"+where, args...).Scan(&last)
	if err != nil || !last.Valid {
		return time.Time{}, err
	}
	return parseTS(last.String)
}
