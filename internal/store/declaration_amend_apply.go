package store

import (
	"context"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// applyAmendment changes the text as an accepted amendment says, against
// the segment g it was written for (still at its base version): one new
// version naming the amendment, the declaration's rev raised.
func (s *Store) applyAmendment(ctx context.Context, a *rencontres.Amendment, g *rencontres.Segment, by int64, now time.Time) error {
	rev, err := s.nextRev(ctx, a.DeclarationID, now)
	if err != nil {
		return err
	}
	v := &rencontres.SegmentVersion{Rev: rev, Action: rencontres.VersionAmendment, AmendmentID: a.ID, ByUser: by, At: now}
	switch a.Kind {
	case rencontres.AmendChange:
		text, check := amendedText(a.Text, g)
		res, err := s.writer().ExecContext(ctx, `UPDATE declaration_segments SET text = $3, version = version + 1, check_langs = $4, updated_by = $5,
			updated_at = $6 WHERE id = $1 AND version = $2 AND deleted_at IS NULL`, g.ID, g.Version, text, rencontres.FormatCheck(check), nullID(by), ts(now))
		if err := oneRow(res, err, "segment"); err != nil {
			return err
		}
		v.SegmentID, v.Version, v.Position, v.Kind, v.Text, v.Check = g.ID, g.Version+1, g.Position, g.Kind, text, check
	case rencontres.AmendDelete:
		res, err := s.writer().ExecContext(ctx, `UPDATE declaration_segments SET deleted_at = $3, version = version + 1, updated_by = $4, updated_at = $3
			WHERE id = $1 AND version = $2 AND deleted_at IS NULL`, g.ID, g.Version, ts(now), nullID(by))
		if err := oneRow(res, err, "segment"); err != nil {
			return err
		}
		v.SegmentID, v.Version, v.Position, v.Kind, v.Text, v.Check, v.Deleted = g.ID, g.Version+1, g.Position, g.Kind, g.Text, g.Check, true
	case rencontres.AmendAddAfter:
		pos, err := s.placeAfter(ctx, a.DeclarationID, g.ID, 0)
		if err != nil {
			return err
		}
		kind := a.NewKind
		if kind == "" {
			kind = rencontres.SegmentParagraph
		}
		text := rencontres.Text{}
		for l, t := range a.Text {
			text[l] = t
		}
		if err := s.writer().QueryRowContext(ctx, `INSERT INTO declaration_segments (declaration_id, position, kind, text, version, check_langs,
			updated_by, updated_at) VALUES ($1, $2, $3, $4, 1, '', $5, $6) RETURNING id`, a.DeclarationID, pos, kind, text, nullID(by), ts(now)).
			Scan(&v.SegmentID); err != nil {
			return err
		}
		v.Version, v.Position, v.Kind, v.Text = 1, pos, kind, text
	}
	return s.writeAmendmentVersion(ctx, a.DeclarationID, v)
}

// amendedText is a segment's text once changed by an amendment: its French
// and Japanese; its English too when the amendment has one, else the
// segment's English stays, marked to check.
func amendedText(t rencontres.Text, g *rencontres.Segment) (rencontres.Text, []rencontres.Lang) {
	out := rencontres.Text{}
	for l, v := range t {
		out[l] = v
	}
	var check []rencontres.Lang
	if !out.Has(rencontres.English) && g.Text.Has(rencontres.English) {
		out[rencontres.English] = g.Text[rencontres.English]
		check = append(check, rencontres.English)
	}
	return out, check
}

// writeAmendmentVersion records a segment as an accepted amendment left it.
func (s *Store) writeAmendmentVersion(ctx context.Context, declID int64, v *rencontres.SegmentVersion) error {
	return s.writer().QueryRowContext(ctx, `INSERT INTO declaration_versions (declaration_id, segment_id, rev, version, action, position, kind, text,
		check_langs, deleted, amendment_id, by_user, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		declID, v.SegmentID, v.Rev, v.Version, v.Action, v.Position, v.Kind, v.Text, rencontres.FormatCheck(v.Check), v.Deleted, nullID(v.AmendmentID),
		nullID(v.ByUser), ts(v.At)).Scan(&v.ID)
}
