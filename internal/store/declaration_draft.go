package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The draft of an edition's final declaration (issue 16): the declaration,
// its segments and their versions. Every saved change of a segment raises
// the declaration's rev and the segment's version and writes a row of
// declaration_versions holding the segment as it stood after it, so that
// the whole text at any change is read again (DeclarationAt). The
// segments' positions leave gaps (positionGap) so that an insertion
// rarely moves others; when none is left, renumber spreads every position
// of the declaration, in its segments and its versions alike, keeping
// every order the history holds.

var _ rencontres.DraftService = (*Store)(nil)

// positionGap is the distance between the positions of segments written
// one after another.
const positionGap = 1024

const declColumns = `d.id, d.edition_id, d.title, d.state, d.rev, d.amend_opens, d.amend_closes, d.adoption_mode, d.endorse_until,
	d.frozen_at, d.adopted_at, COALESCE(d.adopted_rev, 0), v.time_zone, d.created_at, d.updated_at`

const declFrom = ` FROM declarations d JOIN events v ON v.id = d.edition_id`

func scanDeclaration(row scanner) (*rencontres.Declaration, error) {
	var d rencontres.Declaration
	var opens, closes, endorse, frozen, adopted sql.NullString
	var created, updated string
	err := row.Scan(&d.ID, &d.EditionID, &d.Title, &d.State, &d.Rev, &opens, &closes, &d.Mode, &endorse,
		&frozen, &adopted, &d.AdoptedRev, &d.TimeZone, &created, &updated)
	if err != nil {
		return nil, err
	}
	d.AmendOpens, d.AmendCloses, d.EndorseUntil = tsPtr(opens), tsPtr(closes), tsPtr(endorse)
	d.FrozenAt, d.AdoptedAt = tsPtr(frozen), tsPtr(adopted)
	d.CreatedAt, _ = parseTS(created)
	d.UpdatedAt, _ = parseTS(updated)
	return &d, nil
}

const segColumns = `id, position, kind, text, version, check_langs, deleted_at, COALESCE(updated_by, 0), updated_at`

func scanSegment(row scanner) (*rencontres.Segment, error) {
	var sg rencontres.Segment
	var check, updated string
	var deleted sql.NullString
	if err := row.Scan(&sg.ID, &sg.Position, &sg.Kind, &sg.Text, &sg.Version, &check, &deleted, &sg.UpdatedBy, &updated); err != nil {
		return nil, err
	}
	sg.Check = rencontres.ParseCheck(check)
	sg.DeletedAt = tsPtr(deleted)
	sg.Deleted = sg.DeletedAt != nil
	sg.UpdatedAt, _ = parseTS(updated)
	if sg.Text == nil {
		sg.Text = rencontres.Text{}
	}
	return &sg, nil
}

// declarationHead reads a declaration without its segments.
func (s *Store) declarationHead(ctx context.Context, where string, arg int64) (*rencontres.Declaration, error) {
	d, err := scanDeclaration(s.reader().QueryRowContext(ctx, "SELECT "+declColumns+declFrom+" WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("declaration")
	}
	return d, err
}

// liveSegments reads a declaration's segments not deleted, in order.
func (s *Store) liveSegments(ctx context.Context, declID int64) ([]*rencontres.Segment, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+segColumns+` FROM declaration_segments
		WHERE declaration_id = $1 AND deleted_at IS NULL ORDER BY position, id`, declID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.Segment{}
	for rows.Next() {
		sg, err := scanSegment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sg)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rencontres.NumberArticles(out)
	return out, nil
}

func (s *Store) withSegments(ctx context.Context, d *rencontres.Declaration, err error) (*rencontres.Declaration, error) {
	if err != nil {
		return nil, err
	}
	d.Segments, err = s.liveSegments(ctx, d.ID)
	return d, err
}

// Declaration reads a declaration with its live segments in order,
// articles numbered.
func (s *Store) Declaration(ctx context.Context, id int64) (*rencontres.Declaration, error) {
	d, err := s.declarationHead(ctx, "d.id = $1", id)
	return s.withSegments(ctx, d, err)
}

// DeclarationOfEdition reads an edition's declaration.
func (s *Store) DeclarationOfEdition(ctx context.Context, editionID int64) (*rencontres.Declaration, error) {
	d, err := s.declarationHead(ctx, "d.edition_id = $1", editionID)
	return s.withSegments(ctx, d, err)
}

// DeclarationAt reads the text as it stood after change rev: each
// segment's last version at or before rev, unless it was deleted then.
// Segment.UpdatedAt and UpdatedBy are those of that version.
func (s *Store) DeclarationAt(ctx context.Context, id, rev int64) (*rencontres.Declaration, error) {
	d, err := s.declarationHead(ctx, "d.id = $1", id)
	if err != nil {
		return nil, err
	}
	if rev < 1 || rev > d.Rev {
		return nil, rencontres.NotFound("version")
	}
	d.Rev = rev
	rows, err := s.reader().QueryContext(ctx, `SELECT x.segment_id, x.position, x.kind, x.text, x.version, x.check_langs, COALESCE(x.by_user, 0), x.created_at
		FROM declaration_versions x
		WHERE x.declaration_id = $1 AND x.rev <= $2 AND x.deleted = FALSE
		AND x.version = (SELECT MAX(y.version) FROM declaration_versions y WHERE y.segment_id = x.segment_id AND y.rev <= $2)
		ORDER BY x.position, x.segment_id`, id, rev)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	d.Segments = []*rencontres.Segment{}
	for rows.Next() {
		var sg rencontres.Segment
		var check, at string
		if err := rows.Scan(&sg.ID, &sg.Position, &sg.Kind, &sg.Text, &sg.Version, &check, &sg.UpdatedBy, &at); err != nil {
			return nil, err
		}
		sg.Check = rencontres.ParseCheck(check)
		sg.UpdatedAt, _ = parseTS(at)
		d.Segments = append(d.Segments, &sg)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rencontres.NumberArticles(d.Segments)
	return d, nil
}

// StartDeclaration creates an edition's declaration, one per edition, its
// title the edition's when none is given, with the segments given in
// order (each a change of its own, revs 1, 2…).
func (s *Store) StartDeclaration(ctx context.Context, d *rencontres.Declaration, by int64, now time.Time) error {
	return s.InTx(ctx, func(s *Store) error {
		var kind, zone string
		var title, short rencontres.Text
		var number int
		err := s.reader().QueryRowContext(ctx, `SELECT v.kind, v.time_zone, v.title, COALESCE(ed.number, 0), COALESCE(se.short_name, '{}')
			FROM events v LEFT JOIN editions ed ON ed.id = v.id LEFT JOIN series se ON se.id = ed.series_id WHERE v.id = $1`, d.EditionID).
			Scan(&kind, &zone, &title, &number, &short)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && kind != string(rencontres.EditionEvent)) {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "declaration.err_edition", Field: "edition_id", Message: "no such edition"}
		}
		if err != nil {
			return err
		}
		var n int
		if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM declarations WHERE edition_id = $1", d.EditionID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "declaration.err_exists", Field: "edition_id", Message: "the edition already has its declaration"}
		}
		d.Title = rencontres.CleanSegmentText(d.Title)
		if err := d.Title.Validate("title", false); err != nil {
			return err
		}
		if d.Title.IsZero() {
			d.Title = defaultDeclarationTitle(title, number, short)
		}
		var faults []error
		for i, sg := range d.Segments {
			sg.Text = rencontres.CleanSegmentText(sg.Text)
			if sg.Kind == "" {
				sg.Kind = rencontres.SegmentParagraph
			}
			if err := rencontres.ValidateSegment(sg, nil); err != nil {
				for _, e := range err.(*rencontres.Error).All() {
					e := *e
					e.Field = fmt.Sprintf("segments[%d].%s", i, e.Field)
					faults = append(faults, &e)
				}
			}
		}
		if err := rencontres.Join(faults...); err != nil {
			return err
		}
		now = now.UTC().Truncate(time.Second)
		d.State, d.Rev, d.TimeZone, d.CreatedAt, d.UpdatedAt = rencontres.DeclarationDraft, 0, zone, now, now
		if err := s.writer().QueryRowContext(ctx, `INSERT INTO declarations (edition_id, title, state, rev, created_by, created_at, updated_at)
			VALUES ($1, $2, 'draft', 0, $3, $4, $4) RETURNING id`, d.EditionID, d.Title, nullID(by), ts(now)).Scan(&d.ID); err != nil {
			return err
		}
		for i, sg := range d.Segments {
			sg.ID, sg.Position = 0, (i+1)*positionGap
			if err := s.insertSegment(ctx, d, sg, by, now); err != nil {
				return err
			}
		}
		rencontres.NumberArticles(d.Segments)
		return nil
	})
}

// defaultDeclarationTitle is « Déclaration finale — 7e Rencontres… » in each
// language, from the edition's own title when it has one.
func defaultDeclarationTitle(title rencontres.Text, number int, short rencontres.Text) rencontres.Text {
	prefix := rencontres.Text{rencontres.French: "Déclaration finale", rencontres.Japanese: "最終宣言", rencontres.English: "Final declaration"}
	out := rencontres.Text{}
	for _, l := range rencontres.Langs {
		name := title.In(l)
		if name == "" && number > 0 {
			switch l {
			case rencontres.French:
				suffix := "e"
				if number == 1 {
					suffix = "re"
				}
				name = fmt.Sprintf("%d%s %s", number, suffix, short.In(l))
			case rencontres.Japanese:
				name = fmt.Sprintf("第%d回%s", number, short.In(l))
			default:
				name = fmt.Sprintf("%s %s", ordinalEN(number), short.In(l))
			}
		}
		name = strings.TrimSpace(name)
		switch {
		case name == "":
			out[l] = prefix[l]
		case l == rencontres.Japanese:
			out[l] = name + " " + prefix[l]
		default:
			out[l] = prefix[l] + " — " + name
		}
	}
	return out
}

func ordinalEN(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// SetAmendmentPeriod opens the amendment period of a draft (both
// instants, the deadline after the opening) or closes it (none).
func (s *Store) SetAmendmentPeriod(ctx context.Context, declID int64, opens, closes *time.Time, now time.Time) error {
	return s.InTx(ctx, func(s *Store) error {
		d, err := s.declarationHead(ctx, "d.id = $1", declID)
		if err != nil {
			return err
		}
		if d.State != rencontres.DeclarationDraft {
			return rencontres.ErrNotDraft(d.State)
		}
		switch {
		case (opens == nil) != (closes == nil):
			field := "amendments_open_at"
			if opens != nil {
				field = "amendments_close_at"
			}
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "declaration.err_period_both", Field: field, Message: "give both the opening and the deadline, or neither"}
		case opens != nil && !closes.After(*opens):
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "declaration.err_period_order", Field: "amendments_close_at", Message: "the deadline must come after the opening"}
		}
		if _, err = s.writer().ExecContext(ctx, "UPDATE declarations SET amend_opens = $1, amend_closes = $2, updated_at = $3 WHERE id = $4",
			nullTS(opens), nullTS(closes), ts(now.UTC()), declID); err != nil || opens == nil {
			return err
		}
		// The contacts are told when the period opens; set again with the
		// same opening, it tells nobody twice.
		var notBefore time.Time
		if opens.After(now) {
			notBefore = *opens
		}
		o := opens.UTC()
		return s.enqueueDeclarationMails(ctx, d.EditionID, DeclarationMail{Declaration: declID, What: NoticePeriod, Opens: &o},
			declarationNoticeKey(NoticePeriod, declID, o.Unix()), notBefore, now)
	})
}
