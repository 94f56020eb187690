package store

import (
	"context"

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
