package store

import (
	"context"
	"database/sql"
	"fmt"
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
// them on each render.
func (s *Store) MapPartnerships(ctx context.Context) ([]*rencontres.Partnership, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT pa.id, pa.kind, pa.kind_label, pa.year, pa.year_ended, pa.state, oa.key, ob.key
		FROM partnerships pa JOIN organisations oa ON oa.id = pa.org_a JOIN organisations ob ON ob.id = pa.org_b
		ORDER BY pa.year DESC, oa.sort_name, ob.sort_name, pa.id`)
	if err != nil {
		return nil, err
	}
	var out []*rencontres.Partnership
	for rows.Next() {
		pa := &rencontres.Partnership{}
		if err := rows.Scan(&pa.ID, &pa.Kind, &pa.KindLabel, &pa.Year, &pa.YearEnded, &pa.State, &pa.A, &pa.B); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, pa)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	orgs := map[string]*rencontres.Organisation{}
	if err := s.lightOrgs(ctx, orgs, `WHERE o.id IN (SELECT org_a FROM partnerships UNION SELECT org_b FROM partnerships)`); err != nil {
		return nil, err
	}
	// Their parents up to the region or prefecture, a level at a time.
	for level := 0; level < 4; level++ {
		var want []any
		seen := map[string]bool{}
		for _, o := range orgs {
			if o.ParentKey != "" && orgs[o.ParentKey] == nil && !seen[o.ParentKey] {
				seen[o.ParentKey] = true
				want = append(want, o.ParentKey)
			}
		}
		if len(want) == 0 {
			break
		}
		for len(want) > 0 {
			n := min(len(want), 500)
			marks := make([]string, n)
			for i := range marks {
				marks[i] = fmt.Sprintf("$%d", i+1)
			}
			if err := s.lightOrgs(ctx, orgs, "WHERE o.key IN ("+strings.Join(marks, ", ")+")", want[:n]...); err != nil {
				return nil, err
			}
			want = want[n:]
		}
	}
	for _, pa := range out {
		pa.OrgA, pa.OrgB = orgs[pa.A], orgs[pa.B]
		pa.AreaA, pa.AreaB = areaOf(orgs, pa.OrgA), areaOf(orgs, pa.OrgB)
	}
	return out, nil
}

// lightOrgs adds to orgs the organisations where selects, with the
// columns the map reads.
func (s *Store) lightOrgs(ctx context.Context, orgs map[string]*rencontres.Organisation, where string, args ...any) error {
	rows, err := s.reader().QueryContext(ctx, `SELECT o.key, o.kind, o.country, o.code, o.name, COALESCE(p.key, ''), o.lat, o.lng
		FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id `+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var o rencontres.Organisation
		var lat, lng sql.NullFloat64
		if err := rows.Scan(&o.Key, &o.Kind, &o.Country, &o.Code, &o.Name, &o.ParentKey, &lat, &lng); err != nil {
			return err
		}
		if lat.Valid && lng.Valid {
			o.Lat, o.Lng = &lat.Float64, &lng.Float64
		}
		orgs[o.Key] = &o
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
