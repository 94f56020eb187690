package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The draft's history (every saved change of a segment) and who takes part
// in an edition, and so reads its declaration before it is published.

const versionColumns = `x.id, x.segment_id, x.rev, x.version, x.action, x.position, x.kind, x.text, x.check_langs, x.deleted,
	COALESCE(x.amendment_id, 0), COALESCE(x.correction_id, 0), COALESCE(x.by_user, 0), CASE WHEN u.erased THEN '' ELSE COALESCE(u.name, '') END, x.created_at`

const versionFrom = ` FROM declaration_versions x LEFT JOIN users u ON u.id = x.by_user`

func scanVersion(row scanner) (*rencontres.SegmentVersion, error) {
	var v rencontres.SegmentVersion
	var check, at string
	if err := row.Scan(&v.ID, &v.SegmentID, &v.Rev, &v.Version, &v.Action, &v.Position, &v.Kind, &v.Text, &check, &v.Deleted,
		&v.AmendmentID, &v.CorrectionID, &v.ByUser, &v.ByName, &at); err != nil {
		return nil, err
	}
	v.Check = rencontres.ParseCheck(check)
	v.At, _ = parseTS(at)
	if v.Text == nil {
		v.Text = rencontres.Text{}
	}
	return &v, nil
}

func (s *Store) versions(ctx context.Context, where string, args ...any) ([]*rencontres.SegmentVersion, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+versionColumns+versionFrom+" WHERE "+where+" ORDER BY x.rev DESC, x.id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.SegmentVersion{}
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// versionByID reads one version of a declaration.
func (s *Store) versionByID(ctx context.Context, declID, id int64) (*rencontres.SegmentVersion, error) {
	v, err := scanVersion(s.reader().QueryRowContext(ctx, "SELECT "+versionColumns+versionFrom+" WHERE x.id = $1 AND x.declaration_id = $2", id, declID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("version")
	}
	return v, err
}

// SegmentHistory lists a segment's versions, newest first, each with its
// author's name while the account exists and is not erased.
func (s *Store) SegmentHistory(ctx context.Context, declID, segID int64) ([]*rencontres.SegmentVersion, error) {
	if _, err := s.segmentOf(ctx, declID, segID); err != nil {
		return nil, err
	}
	return s.versions(ctx, "x.declaration_id = $1 AND x.segment_id = $2", declID, segID)
}

// DeclarationHistory lists every version of a declaration, newest first.
func (s *Store) DeclarationHistory(ctx context.Context, declID int64) ([]*rencontres.SegmentVersion, error) {
	if _, err := s.declarationHead(ctx, "d.id = $1", declID); err != nil {
		return nil, err
	}
	return s.versions(ctx, "x.declaration_id = $1", declID)
}

// TakesPart reports whether an account takes part in an edition: it sits
// on one of its committees, it is the contact of an authority with a
// delegation at the edition with someone not withdrawn, or someone
// registered (not withdrawn) at the edition has its email.
func (s *Store) TakesPart(ctx context.Context, editionID, userID int64) (bool, error) {
	var n int
	err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM ("+takesPartSQL+") t WHERE t.edition_id = $2", userID, editionID).Scan(&n)
	return n > 0, err
}

// RegisteredOrgs lists the keys of the authorities with a delegation at
// the edition with someone not withdrawn, in order of key.
func (s *Store) RegisteredOrgs(ctx context.Context, editionID int64) ([]string, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT DISTINCT o.key FROM delegations g JOIN organisations o ON o.id = g.org_id
		WHERE g.event_id = $1 AND EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = g.id AND r.status <> 'withdrawn')
		ORDER BY o.key`, editionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// JointCommittee is the id of the edition's joint committee (the first
// made, should it have two), 0 when it has none.
func (s *Store) JointCommittee(ctx context.Context, editionID int64) (int64, error) {
	var id int64
	err := s.reader().QueryRowContext(ctx, "SELECT COALESCE(MIN(id), 0) FROM committees WHERE edition_id = $1 AND kind = 'joint'", editionID).Scan(&id)
	return id, err
}
