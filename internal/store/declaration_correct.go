package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The corrections of an adopted declaration: the adopted text changes no
// more, but for a correction the committee records with its date and
// reason, which changes one or more segments at once (one rev of the
// declaration, a version with action "correction" for each segment).

// adoptSegments reads the live segments of a declaration in order, as the
// adoption checks and corrects them.
func (s *Store) adoptSegments(ctx context.Context, declID int64) ([]*rencontres.Segment, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT id, position, kind, text, version, check_langs
		FROM declaration_segments WHERE declaration_id = $1 AND deleted_at IS NULL ORDER BY position, id`, declID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*rencontres.Segment
	for rows.Next() {
		var sg rencontres.Segment
		var check string
		if err := rows.Scan(&sg.ID, &sg.Position, &sg.Kind, &sg.Text, &sg.Version, &check); err != nil {
			return nil, err
		}
		sg.Check = rencontres.ParseCheck(check)
		out = append(out, &sg)
	}
	return out, rows.Err()
}

// CorrectDeclaration changes segments of an adopted text as one dated
// correction with its reason. Each segment names the version it was
// corrected from (a conflict otherwise, nothing saved) and keeps both its
// French and Japanese; a segment given unchanged is left alone, and a
// correction that changes nothing is refused.
func (s *Store) CorrectDeclaration(ctx context.Context, declID int64, segs []*rencontres.Segment, reason rencontres.Text, by int64, now time.Time) (*rencontres.DeclarationCorrection, error) {
	var errs []error
	reason = trimText(reason)
	if err := reason.Validate("reason", true); err != nil {
		errs = append(errs, err)
	}
	if len(segs) == 0 {
		errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "adoption.error_correction_empty", Field: "segments", Message: "a correction changes at least one segment"})
	}
	for _, sg := range segs {
		sg.Text = trimText(sg.Text)
		field := fmt.Sprintf("segment_%d", sg.ID)
		if err := sg.Text.Validate(field, false); err != nil {
			errs = append(errs, err)
		}
		for _, l := range rencontres.DeclarationLangs {
			if sg.Text[l] == "" {
				errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "adoption.error_language_required", Field: field + "_" + string(l),
					Message: fmt.Sprintf("segment %d: the %s text is required", sg.ID, l), Args: map[string]any{"Lang": string(l)}})
			}
		}
	}
	if err := rencontres.Join(errs...); err != nil {
		return nil, err
	}
	var c *rencontres.DeclarationCorrection
	err := s.InTx(ctx, func(s *Store) error {
		d, err := s.adoptDecl(ctx, declID, true)
		if err != nil {
			return err
		}
		if d.state != rencontres.DeclarationAdopted {
			return errDeclState(d, rencontres.DeclarationAdopted, "segments")
		}
		current, err := s.adoptSegments(ctx, declID)
		if err != nil {
			return err
		}
		byID := map[int64]*rencontres.Segment{}
		for _, sg := range current {
			byID[sg.ID] = sg
		}
		var changed []*rencontres.Segment
		for _, sg := range segs {
			cur := byID[sg.ID]
			if cur == nil {
				return &rencontres.Error{Code: rencontres.ENOTFOUND, Key: "adoption.error_segment_gone", Field: fmt.Sprintf("segment_%d", sg.ID),
					Message: fmt.Sprintf("segment %d is not in this declaration", sg.ID), Args: map[string]any{"Segment": sg.ID}}
			}
			if sg.Version != cur.Version {
				return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "adoption.error_correction_conflict", Field: fmt.Sprintf("segment_%d", sg.ID),
					Message: fmt.Sprintf("segment %d was corrected by someone else since you read it", sg.ID), Args: map[string]any{"Segment": sg.ID}}
			}
			if sameTrimmedText(sg.Text, cur.Text) {
				continue
			}
			changed = append(changed, &rencontres.Segment{ID: cur.ID, Position: cur.Position, Kind: cur.Kind, Text: sg.Text, Version: cur.Version + 1})
		}
		if len(changed) == 0 {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "adoption.error_correction_unchanged", Field: "segments", Message: "the correction changes nothing"}
		}
		c = &rencontres.DeclarationCorrection{Reason: reason, ByUser: by, At: now.UTC()}
		if err := s.writer().QueryRowContext(ctx, "UPDATE declarations SET rev = rev + 1, updated_at = $2 WHERE id = $1 RETURNING rev",
			declID, ts(now)).Scan(&c.Rev); err != nil {
			return err
		}
		if err := s.writer().QueryRowContext(ctx, `INSERT INTO declaration_corrections (declaration_id, rev, reason, by_user, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, declID, c.Rev, reason, nullID(by), ts(now)).Scan(&c.ID); err != nil {
			return err
		}
		for _, sg := range changed {
			if _, err := s.writer().ExecContext(ctx, `UPDATE declaration_segments SET text = $2, version = $3, check_langs = '', updated_by = $4, updated_at = $5
				WHERE id = $1`, sg.ID, sg.Text, sg.Version, nullID(by), ts(now)); err != nil {
				return err
			}
			if _, err := s.writer().ExecContext(ctx, `INSERT INTO declaration_versions
				(declaration_id, segment_id, rev, version, action, position, kind, text, check_langs, deleted, correction_id, by_user, created_at)
				VALUES ($1, $2, $3, $4, 'correction', $5, $6, $7, '', FALSE, $8, $9, $10)`,
				declID, sg.ID, c.Rev, sg.Version, sg.Position, string(sg.Kind), sg.Text, c.ID, nullID(by), ts(now)); err != nil {
				return err
			}
		}
		return s.enqueueDeclarationMails(ctx, d.edition, DeclarationMail{Declaration: declID, What: NoticeCorrected, Correction: c.ID},
			declarationNoticeKey(NoticeCorrected, declID, c.ID), time.Time{}, now)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// trimText trims every language of t and drops the empty ones.
func trimText(t rencontres.Text) rencontres.Text {
	out := rencontres.Text{}
	for l, v := range t {
		if v = strings.TrimSpace(v); v != "" {
			out[l] = v
		}
	}
	return out
}

// sameTrimmedText reports whether two texts say the same in every language.
func sameTrimmedText(a, b rencontres.Text) bool {
	for _, l := range rencontres.Langs {
		if strings.TrimSpace(a[l]) != strings.TrimSpace(b[l]) {
			return false
		}
	}
	return true
}

// Corrections lists the corrections of a declaration, oldest first.
func (s *Store) Corrections(ctx context.Context, declID int64) ([]*rencontres.DeclarationCorrection, error) {
	var n int
	if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM declarations WHERE id = $1", declID).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, rencontres.NotFound("declaration")
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT id, rev, reason, COALESCE(by_user, 0), created_at
		FROM declaration_corrections WHERE declaration_id = $1 ORDER BY rev, id`, declID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.DeclarationCorrection{}
	for rows.Next() {
		var c rencontres.DeclarationCorrection
		var at string
		if err := rows.Scan(&c.ID, &c.Rev, &c.Reason, &c.ByUser, &at); err != nil {
			return nil, err
		}
		c.At, _ = parseTS(at)
		out = append(out, &c)
	}
	return out, rows.Err()
}
