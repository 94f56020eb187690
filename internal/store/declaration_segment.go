package store

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The writes of the draft's segments: save (create, edit, move), confirm a
// translation, delete, restore; each one transaction that raises the
// declaration's rev, raises the segment's version against the version the
// editor read (optimistic: a stale version is a *SegmentConflict carrying
// the current segment, nothing saved) and writes the version's row.

// draftFor reads a declaration in a transaction and refuses it unless it
// is a draft.
func (s *Store) draftFor(ctx context.Context, declID int64) (*rencontres.Declaration, error) {
	d, err := s.declarationHead(ctx, "d.id = $1", declID)
	if err != nil {
		return nil, err
	}
	if d.State != rencontres.DeclarationDraft {
		return nil, rencontres.ErrNotDraft(d.State)
	}
	return d, nil
}

// segmentOf reads one segment of a declaration, deleted or not.
func (s *Store) segmentOf(ctx context.Context, declID, segID int64) (*rencontres.Segment, error) {
	sg, err := scanSegment(s.reader().QueryRowContext(ctx, "SELECT "+segColumns+" FROM declaration_segments WHERE id = $1 AND declaration_id = $2", segID, declID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("segment")
	}
	return sg, err
}

// conflict is the error of a save against version when the segment is at
// another: it carries the segment as it stands.
func conflict(cur *rencontres.Segment) error {
	return &rencontres.SegmentConflict{
		Err: &rencontres.Error{Code: rencontres.ECONFLICT, Key: "declaration.err_conflict", Field: "version",
			Message: "someone else saved this segment in the meantime: compare the texts and save again"},
		Current: cur,
	}
}

// live reads a segment to be changed at version: not found, deleted
// (ECONFLICT "declaration.err_deleted") or stale (*SegmentConflict).
func (s *Store) live(ctx context.Context, declID, segID, version int64) (*rencontres.Segment, error) {
	cur, err := s.segmentOf(ctx, declID, segID)
	if err != nil {
		return nil, err
	}
	if cur.Deleted {
		return nil, &rencontres.Error{Code: rencontres.ECONFLICT, Key: "declaration.err_deleted", Message: "this segment has been deleted"}
	}
	if cur.Version != version {
		return nil, conflict(cur)
	}
	return cur, nil
}

// nextRev raises a declaration's rev and returns it.
func (s *Store) nextRev(ctx context.Context, declID int64, now time.Time) (int64, error) {
	var rev int64
	// Still a draft once the row is locked: a freeze committed since the
	// state was read wins, and the edit is refused rather than changing a
	// frozen text (PostgreSQL re-reads the row after the lock).
	err := s.writer().QueryRowContext(ctx, "UPDATE declarations SET rev = rev + 1, updated_at = $1 WHERE id = $2 AND state = 'draft' RETURNING rev", ts(now), declID).Scan(&rev)
	if errors.Is(err, sql.ErrNoRows) {
		var st rencontres.DeclarationState
		if err := s.reader().QueryRowContext(ctx, "SELECT state FROM declarations WHERE id = $1", declID).Scan(&st); err != nil {
			return 0, err
		}
		return 0, rencontres.ErrNotDraft(st)
	}
	return rev, err
}

// writeVersion records sg as it now stands as change rev.
func (s *Store) writeVersion(ctx context.Context, declID int64, sg *rencontres.Segment, action rencontres.VersionAction, rev, by int64, now time.Time) error {
	_, err := s.writer().ExecContext(ctx, `INSERT INTO declaration_versions
		(declaration_id, segment_id, rev, version, action, position, kind, text, check_langs, deleted, by_user, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		declID, sg.ID, rev, sg.Version, string(action), sg.Position, string(sg.Kind), sg.Text, rencontres.FormatCheck(sg.Check), sg.Deleted, nullID(by), ts(now))
	return err
}

// insertSegment writes a new segment at sg.Position as a change of its
// own.
func (s *Store) insertSegment(ctx context.Context, d *rencontres.Declaration, sg *rencontres.Segment, by int64, now time.Time) error {
	rev, err := s.nextRev(ctx, d.ID, now)
	if err != nil {
		return err
	}
	sg.Version, sg.Check, sg.UpdatedBy, sg.UpdatedAt, sg.Deleted, sg.DeletedAt = 1, rencontres.NextCheck(nil, sg.Text), by, now, false, nil
	if err := s.writer().QueryRowContext(ctx, `INSERT INTO declaration_segments (declaration_id, position, kind, text, version, check_langs, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, 1, $5, $6, $7) RETURNING id`, d.ID, sg.Position, string(sg.Kind), sg.Text, rencontres.FormatCheck(sg.Check), nullID(by), ts(now)).Scan(&sg.ID); err != nil {
		return err
	}
	d.Rev = rev
	return s.writeVersion(ctx, d.ID, sg, rencontres.VersionCreate, rev, by, now)
}

// updateSegment writes sg over the version it was read at (sg.Version,
// raised here) and records the change.
func (s *Store) updateSegment(ctx context.Context, declID int64, sg *rencontres.Segment, action rencontres.VersionAction, by int64, now time.Time) error {
	res, err := s.writer().ExecContext(ctx, `UPDATE declaration_segments SET position = $1, kind = $2, text = $3, version = version + 1, check_langs = $4,
		deleted_at = $5, updated_by = $6, updated_at = $7 WHERE id = $8 AND version = $9`,
		sg.Position, string(sg.Kind), sg.Text, rencontres.FormatCheck(sg.Check), nullTS(sg.DeletedAt), nullID(by), ts(now), sg.ID, sg.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		cur, err := s.segmentOf(ctx, declID, sg.ID)
		if err != nil {
			return err
		}
		return conflict(cur)
	}
	sg.Version++
	sg.UpdatedBy, sg.UpdatedAt = by, now
	rev, err := s.nextRev(ctx, declID, now)
	if err != nil {
		return err
	}
	return s.writeVersion(ctx, declID, sg, action, rev, by, now)
}

// placeAfter is the position of a segment placed after the live segment
// afterID (0: first), moving the others' positions when no gap is left.
// self is the segment being moved, 0 for a new one.
func (s *Store) placeAfter(ctx context.Context, declID, afterID, self int64) (int, error) {
	for attempt := 0; attempt < 2; attempt++ {
		segs, err := s.liveSegments(ctx, declID)
		if err != nil {
			return 0, err
		}
		prev, next, found := 0, -1, afterID == 0
		for i, sg := range segs {
			if sg.ID == self {
				continue
			}
			if found {
				next = segs[i].Position
				break
			}
			if sg.ID == afterID {
				prev, found = sg.Position, true
			}
		}
		if !found {
			return 0, &rencontres.Error{Code: rencontres.EINVALID, Key: "declaration.err_after", Field: "after", Message: "no such segment to place it after"}
		}
		if next < 0 {
			return prev + positionGap, nil
		}
		if next-prev > 1 {
			return prev + (next-prev)/2, nil
		}
		if err := s.renumber(ctx, declID); err != nil {
			return 0, err
		}
	}
	return 0, errors.New("store: no room between two segments after renumbering")
}

// renumber spreads the positions of a declaration positionGap apart: every
// position its segments and versions hold, mapped in order, so that every
// order the history records is kept.
func (s *Store) renumber(ctx context.Context, declID int64) error {
	seen := map[int]bool{}
	for _, q := range []string{"SELECT DISTINCT position FROM declaration_segments WHERE declaration_id = $1",
		"SELECT DISTINCT position FROM declaration_versions WHERE declaration_id = $1"} {
		rows, err := s.reader().QueryContext(ctx, q, declID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var p int
			if err := rows.Scan(&p); err != nil {
				rows.Close()
				return err
			}
			seen[p] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	all := make([]int, 0, len(seen))
	for p := range seen {
		all = append(all, p)
	}
	sort.Ints(all)
	// Through negative positions, so that no new position is taken for an
	// old one still to be moved.
	for i, p := range all {
		for _, table := range []string{"declaration_segments", "declaration_versions"} {
			if _, err := s.writer().ExecContext(ctx, "UPDATE "+table+" SET position = $1 WHERE declaration_id = $2 AND position = $3",
				-(i+1)*positionGap, declID, p); err != nil {
				return err
			}
		}
	}
	for _, table := range []string{"declaration_segments", "declaration_versions"} {
		if _, err := s.writer().ExecContext(ctx, "UPDATE "+table+" SET position = -position WHERE declaration_id = $1 AND position < 0", declID); err != nil {
			return err
		}
	}
	return nil
}

// SaveSegment creates a segment (s.ID 0, placed after the segment afterID,
// 0 the start) or changes one read at s.Version: its text and kind, and
// its place when afterID is not 0 (after the segment afterID, or first
// when afterID is -1). The text is checked by rencontres.ValidateSegment
// and its translation marks set by rencontres.NextCheck. A save that
// changes nothing writes nothing.
func (s *Store) SaveSegment(ctx context.Context, declID int64, sg *rencontres.Segment, afterID int64, by int64, now time.Time) error {
	now = now.UTC().Truncate(time.Second)
	return s.InTx(ctx, func(s *Store) error {
		d, err := s.draftFor(ctx, declID)
		if err != nil {
			return err
		}
		sg.Text = rencontres.CleanSegmentText(sg.Text)
		if sg.ID == 0 {
			if sg.Kind == "" {
				sg.Kind = rencontres.SegmentParagraph
			}
			if err := rencontres.ValidateSegment(sg, nil); err != nil {
				return err
			}
			if afterID < 0 {
				afterID = 0
			}
			if sg.Position, err = s.placeAfter(ctx, declID, afterID, 0); err != nil {
				return err
			}
			return s.insertSegment(ctx, d, sg, by, now)
		}
		cur, err := s.live(ctx, declID, sg.ID, sg.Version)
		if err != nil {
			return err
		}
		if sg.Kind == "" {
			sg.Kind = cur.Kind
		}
		if err := rencontres.ValidateSegment(sg, cur); err != nil {
			return err
		}
		sg.Position = cur.Position
		moved := false
		if afterID != 0 {
			if afterID == sg.ID {
				return &rencontres.Error{Code: rencontres.EINVALID, Key: "declaration.err_after", Field: "after", Message: "a segment cannot be placed after itself"}
			}
			if afterID < 0 {
				afterID = 0
			}
			if !s.samePlace(ctx, declID, sg.ID, afterID) {
				if sg.Position, err = s.placeAfter(ctx, declID, afterID, sg.ID); err != nil {
					return err
				}
				moved = true
			}
		}
		textChanged := !sameText(sg.Text, cur.Text) || sg.Kind != cur.Kind
		if !textChanged && !moved {
			*sg = *cur
			return nil
		}
		sg.Check = rencontres.NextCheck(cur, sg.Text)
		action := rencontres.VersionEdit
		if !textChanged {
			action = rencontres.VersionMove
		}
		return s.updateSegment(ctx, declID, sg, action, by, now)
	})
}

// samePlace reports whether the segment already follows afterID (0: is
// first) among the live segments.
func (s *Store) samePlace(ctx context.Context, declID, segID, afterID int64) bool {
	segs, err := s.liveSegments(ctx, declID)
	if err != nil {
		return false
	}
	var prev int64
	for _, sg := range segs {
		if sg.ID == segID {
			return prev == afterID
		}
		prev = sg.ID
	}
	return false
}

func sameText(a, b rencontres.Text) bool {
	for _, l := range rencontres.Langs {
		if a[l] != b[l] {
			return false
		}
	}
	return true
}

// ConfirmTranslation clears the mark of lang on a segment read at version,
// its text unchanged, as a new version.
func (s *Store) ConfirmTranslation(ctx context.Context, declID, segID, version int64, lang rencontres.Lang, by int64, now time.Time) error {
	now = now.UTC().Truncate(time.Second)
	return s.InTx(ctx, func(s *Store) error {
		if _, err := s.draftFor(ctx, declID); err != nil {
			return err
		}
		cur, err := s.live(ctx, declID, segID, version)
		if err != nil {
			return err
		}
		if cur.Text[lang] == "" {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "declaration.err_confirm_missing", Field: "lang", Message: "this language has no text yet: write it"}
		}
		var check []rencontres.Lang
		marked := false
		for _, l := range cur.Check {
			if l == lang {
				marked = true
			} else {
				check = append(check, l)
			}
		}
		if !marked {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "declaration.err_confirm_unmarked", Field: "lang", Message: "this language is not marked to check"}
		}
		cur.Check = check
		return s.updateSegment(ctx, declID, cur, rencontres.VersionConfirm, by, now)
	})
}

// DeleteSegment deletes a segment read at version: it keeps its row and
// its history, and the deletion is a version.
func (s *Store) DeleteSegment(ctx context.Context, declID, segID, version int64, by int64, now time.Time) error {
	now = now.UTC().Truncate(time.Second)
	return s.InTx(ctx, func(s *Store) error {
		if _, err := s.draftFor(ctx, declID); err != nil {
			return err
		}
		cur, err := s.live(ctx, declID, segID, version)
		if err != nil {
			return err
		}
		cur.Deleted, cur.DeletedAt = true, &now
		return s.updateSegment(ctx, declID, cur, rencontres.VersionDelete, by, now)
	})
}

// RestoreVersion makes an earlier version of a segment its text (and
// kind, and marks) again, as a new version; a deleted segment comes back
// at the place it had then.
func (s *Store) RestoreVersion(ctx context.Context, declID, versionID int64, by int64, now time.Time) error {
	now = now.UTC().Truncate(time.Second)
	return s.InTx(ctx, func(s *Store) error {
		if _, err := s.draftFor(ctx, declID); err != nil {
			return err
		}
		v, err := s.versionByID(ctx, declID, versionID)
		if err != nil {
			return err
		}
		cur, err := s.segmentOf(ctx, declID, v.SegmentID)
		if err != nil {
			return err
		}
		if v.Version == cur.Version {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "declaration.err_restore_current", Message: "this version is the current one"}
		}
		cur.Text, cur.Kind, cur.Check = v.Text, v.Kind, v.Check
		if cur.Deleted {
			cur.Position = v.Position
		}
		cur.Deleted, cur.DeletedAt = false, nil
		return s.updateSegment(ctx, declID, cur, rencontres.VersionRestore, by, now)
	})
}
