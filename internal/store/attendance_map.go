package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Participations lists, for every edition of every series (or for the
// edition of the id, when not 0), the
// authorities that took part: its host, the organisations it names (hosts,
// co-organisers) and the authorities of its delegations with at least one
// person not withdrawn. Institutions are left out.
func (s *Store) Participations(ctx context.Context, editionID int64) ([]rencontres.Participation, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT DISTINCT o.key, se.slug, e.id, e.number, o.kind FROM (
			SELECT id AS edition_id, host_id AS org_id FROM editions WHERE host_id IS NOT NULL
			UNION SELECT edition_id, org_id FROM edition_organisations
			UNION SELECT d.event_id, d.org_id FROM delegations d
				WHERE EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = d.id AND r.status <> 'withdrawn')
		) x JOIN editions e ON e.id = x.edition_id JOIN series se ON se.id = e.series_id
		JOIN organisations o ON o.id = x.org_id
		WHERE $1 = 0 OR e.id = $1
		ORDER BY se.slug, e.number, o.key`, editionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rencontres.Participation
	for rows.Next() {
		var p rencontres.Participation
		var kind rencontres.OrgKind
		if err := rows.Scan(&p.OrgKey, &p.Series, &p.EditionID, &p.Number, &kind); err != nil {
			return nil, err
		}
		if kind.IsAuthority() {
			out = append(out, p)
		}
	}
	return out, rows.Err()
}

// OrganisationsByKey returns the organisations of the keys that exist,
// by key.
func (s *Store) OrganisationsByKey(ctx context.Context, keys []string) (map[string]*rencontres.Organisation, error) {
	orgs := map[string]*rencontres.Organisation{}
	return orgs, s.loadOrgs(ctx, orgs, keys)
}

// MapPartnerships lists every partnership as AllPartnerships does, most
// recently signed first, with what the map reads of each side and of the
// region or prefecture it lies in (key, kind, country, code, names,
// parent, position) and nothing else: the twinning map reads thousands of
// them each time one changes. Two queries: the partnerships with their
// sides' ids, then every side and its parents up to the top, each once,
// joined by id in Go.
func (s *Store) MapPartnerships(ctx context.Context) ([]*rencontres.Partnership, error) {
	type sides struct{ a, b int64 }
	// The sides are read meanwhile on another connection (not inside a
	// transaction, which has one): the two reads take about as long, and
	// neither needs the other.
	type read struct {
		orgs map[int64]*mapOrg
		err  error
	}
	var sidesRead chan read
	if s.tx == nil {
		sidesRead = make(chan read, 1)
		go func() {
			orgs, err := s.mapOrgs(ctx)
			sidesRead <- read{orgs, err}
		}()
	}
	readSides := func() (map[int64]*mapOrg, error) {
		if sidesRead == nil {
			return s.mapOrgs(ctx)
		}
		r := <-sidesRead
		return r.orgs, r.err
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT id, kind, kind_label, year, year_ended, state, org_a, org_b FROM partnerships`)
	if err != nil {
		readSides()
		return nil, err
	}
	var out []*rencontres.Partnership
	var ids []sides
	for rows.Next() {
		pa := &rencontres.Partnership{}
		var sd sides
		if err := rows.Scan(&pa.ID, &pa.Kind, &pa.KindLabel, &pa.Year, &pa.YearEnded, &pa.State, &sd.a, &sd.b); err != nil {
			rows.Close()
			readSides()
			return nil, err
		}
		out = append(out, pa)
		ids = append(ids, sd)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		readSides()
		return nil, err
	}
	orgs, err := readSides()
	if err != nil {
		return nil, err
	}
	area := func(o *mapOrg) *rencontres.Organisation {
		for range 5 {
			if o == nil {
				return nil
			}
			if o.Kind == rencontres.Region || o.Kind == rencontres.Prefecture {
				return o.Organisation
			}
			o = orgs[o.parent]
		}
		return nil
	}
	type sorted struct {
		pa   *rencontres.Partnership
		a, b *mapOrg
	}
	list := make([]sorted, 0, len(out))
	for i, pa := range out {
		a, b := orgs[ids[i].a], orgs[ids[i].b]
		if a == nil || b == nil {
			// A side deleted between the two reads, and the partnership
			// with it: the map's version has changed, the next render
			// reads again.
			continue
		}
		pa.OrgA, pa.OrgB, pa.A, pa.B = a.Organisation, b.Organisation, a.Key, b.Key
		pa.AreaA, pa.AreaB = area(a), area(b)
		list = append(list, sorted{pa, a, b})
	}
	// Sorted here rather than by the database, which would look up both
	// sides' sort names again: sort names are folded, so byte order is
	// the order both databases gave (SQLite's BINARY, PostgreSQL's C).
	slices.SortFunc(list, func(x, y sorted) int {
		return cmp.Or(cmp.Compare(y.pa.Year, x.pa.Year), strings.Compare(x.a.sortName, y.a.sortName),
			strings.Compare(x.b.sortName, y.b.sortName), cmp.Compare(x.pa.ID, y.pa.ID))
	})
	out = out[:0]
	for _, x := range list {
		out = append(out, x.pa)
	}
	return out, nil
}

// mapOrg is an organisation as the map reads it, with its parent's id.
type mapOrg struct {
	*rencontres.Organisation
	parent   int64
	sortName string
}

// mapOrgs reads, by id, every side of a partnership and its parents up to
// the top, once each, with the columns the map reads: the sides in one
// query, then their parents (a few hundred) a level at a time.
func (s *Store) mapOrgs(ctx context.Context) (map[int64]*mapOrg, error) {
	orgs := map[int64]*mapOrg{}
	where, args := "WHERE o.id IN (SELECT org_a FROM partnerships UNION SELECT org_b FROM partnerships)", []any(nil)
	for level := 0; level < 8; level++ {
		if err := s.readMapOrgs(ctx, orgs, where, args...); err != nil {
			return nil, err
		}
		args = args[:0]
		seen := map[int64]bool{}
		for _, o := range orgs {
			if o.parent != 0 && orgs[o.parent] == nil && !seen[o.parent] {
				seen[o.parent] = true
				args = append(args, o.parent)
			}
		}
		if len(args) == 0 {
			break
		}
		marks := make([]string, len(args))
		for i := range marks {
			marks[i] = "$" + strconv.Itoa(i+1)
		}
		where = "WHERE o.id IN (" + strings.Join(marks, ", ") + ")"
	}
	for _, o := range orgs {
		if p := orgs[o.parent]; p != nil {
			o.ParentKey = p.Key
		}
	}
	return orgs, nil
}

func (s *Store) readMapOrgs(ctx context.Context, orgs map[int64]*mapOrg, where string, args ...any) error {
	rows, err := s.reader().QueryContext(ctx, `SELECT o.id, o.key, o.kind, o.country, o.code, o.name, COALESCE(o.parent_id, 0), o.lat, o.lng, o.sort_name
		FROM organisations o `+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		o := &mapOrg{Organisation: &rencontres.Organisation{}}
		var lat, lng sql.NullFloat64
		if err := rows.Scan(&o.ID, &o.Key, &o.Kind, &o.Country, &o.Code, &o.Name, &o.parent, &lat, &lng, &o.sortName); err != nil {
			return err
		}
		if lat.Valid && lng.Valid {
			o.Lat, o.Lng = &lat.Float64, &lng.Float64
		}
		orgs[o.ID] = o
	}
	return rows.Err()
}

// MapVersion is the twinning map's version: a number raised, in the same
// transaction, by every write to what the map draws (migration 00029's
// triggers), so that a copy of the map's data read after the number is
// current as long as the number stays the same, whichever instance wrote.
func (s *Store) MapVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.reader().QueryRowContext(ctx, "SELECT version FROM data_versions WHERE name = 'map'").Scan(&v)
	return v, err
}
