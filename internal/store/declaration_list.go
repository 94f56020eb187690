package store

import (
	"context"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The list of declarations (GET /api/v1/declarations) in a constant number
// of queries however many editions there are: every declaration at once,
// every edition's joint committee at once, and the editions an account
// takes part in at once, from which declaration.Readable keeps those the
// reader reads.

// takesPartSQL lists the editions the account $1 takes part in: those of
// the committees it sits on, those where an authority it is a contact of
// has a delegation with someone not withdrawn, and those where someone
// registered (not withdrawn) has its email. TakesPart asks it of one
// edition, EditionsTakenPart of all.
const takesPartSQL = `SELECT c.edition_id AS edition_id FROM committee_accounts ca JOIN committees c ON c.id = ca.committee_id
		WHERE ca.user_id = $1 AND c.edition_id IS NOT NULL
	UNION SELECT g.event_id FROM user_organisations uo JOIN delegations g ON g.org_id = uo.org_id
		WHERE uo.user_id = $1 AND EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = g.id AND r.status <> 'withdrawn')
	UNION SELECT r.event_id FROM registrations r JOIN users u ON u.email = LOWER(r.email)
		WHERE u.id = $1 AND r.status <> 'withdrawn'`

// Declarations lists every declaration without its segments, in the order
// of their editions (by first day, as Events lists them).
func (s *Store) Declarations(ctx context.Context) ([]*rencontres.Declaration, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+declColumns+declFrom+`
		LEFT JOIN editions ed ON ed.id = v.id
		ORDER BY COALESCE(v.start_date, CAST(ed.year AS TEXT)), v.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.Declaration{}
	for rows.Next() {
		d, err := scanDeclaration(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// JointCommittees maps each edition that has a joint committee to it (the
// first made, as JointCommittee reads it).
func (s *Store) JointCommittees(ctx context.Context) (map[int64]int64, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT edition_id, MIN(id) FROM committees
		WHERE kind = 'joint' AND edition_id IS NOT NULL GROUP BY edition_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var edition, committee int64
		if err := rows.Scan(&edition, &committee); err != nil {
			return nil, err
		}
		out[edition] = committee
	}
	return out, rows.Err()
}

// EditionsTakenPart lists the editions an account takes part in, as
// TakesPart tells of one.
func (s *Store) EditionsTakenPart(ctx context.Context, userID int64) ([]int64, error) {
	return queryIDs(ctx, s.reader(), "SELECT edition_id FROM ("+takesPartSQL+") t ORDER BY edition_id", userID)
}
