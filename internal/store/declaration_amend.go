package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The amendments of a declaration (issue 16): proposed by the contacts of
// the authorities registered for the edition during the amendment period,
// translated by the secretariat, supported by other authorities, withdrawn
// by their authority while nobody supports them, and decided by the
// committee (declaration_amend_decide.go). Every write is one transaction.

// MaxAmendmentText is the longest text, justification or reason of an
// amendment, in characters per language.
const MaxAmendmentText = 10000

const amendmentColumns = `a.id, a.declaration_id, a.segment_id, a.base_version, a.kind, a.new_kind, COALESCE(o.key, ''), COALESCE(o.name, '{}'),
	COALESCE(a.author_id, 0), a.lang, a.text, a.justification, a.state, a.reason, COALESCE(a.merged_into, 0), COALESCE(a.decided_by, 0),
	a.decided_at, a.created_at, a.updated_at`

const amendmentFrom = ` FROM declaration_amendments a LEFT JOIN organisations o ON o.id = a.org_id`

func scanAmendment(row scanner) (*rencontres.Amendment, error) {
	var a rencontres.Amendment
	var orgName rencontres.Text
	var decided sql.NullString
	var created, updated string
	if err := row.Scan(&a.ID, &a.DeclarationID, &a.SegmentID, &a.BaseVersion, &a.Kind, &a.NewKind, &a.OrgKey, &orgName, &a.AuthorID, &a.Lang,
		&a.Text, &a.Justification, &a.State, &a.Reason, &a.MergedInto, &a.DecidedBy, &decided, &created, &updated); err != nil {
		return nil, err
	}
	if a.OrgKey != "" {
		a.OrgName = orgName
	}
	a.DecidedAt = tsPtr(decided)
	a.CreatedAt, _ = parseTS(created)
	a.UpdatedAt, _ = parseTS(updated)
	a.Supporters = []string{}
	return &a, nil
}

// amendmentsWhere reads amendments with their supporters, in order of
// proposal.
func (s *Store) amendmentsWhere(ctx context.Context, where string, args ...any) ([]*rencontres.Amendment, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+amendmentColumns+amendmentFrom+" WHERE "+where+" ORDER BY a.id", args...)
	if err != nil {
		return nil, err
	}
	var out []*rencontres.Amendment
	byID := map[int64]*rencontres.Amendment{}
	for rows.Next() {
		a, err := scanAmendment(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
		byID[a.ID] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return []*rencontres.Amendment{}, nil
	}
	ids := make([]int64, 0, len(out))
	for _, a := range out {
		ids = append(ids, a.ID)
	}
	in, inArgs := idList(ids)
	srows, err := s.reader().QueryContext(ctx, `SELECT s.amendment_id, o.key FROM declaration_supports s JOIN organisations o ON o.id = s.org_id
		WHERE s.amendment_id IN `+in+` ORDER BY s.created_at, o.key`, inArgs...)
	if err != nil {
		return nil, err
	}
	defer srows.Close()
	for srows.Next() {
		var id int64
		var key string
		if err := srows.Scan(&id, &key); err != nil {
			return nil, err
		}
		byID[id].Supporters = append(byID[id].Supporters, key)
	}
	return out, srows.Err()
}

// idList is an IN list of ids and its arguments, from $1.
func idList(ids []int64) (string, []any) {
	parts := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		parts[i], args[i] = fmt.Sprintf("$%d", i+1), id
	}
	return "(" + strings.Join(parts, ", ") + ")", args
}

// Amendments lists a declaration's amendments, in order of proposal.
func (s *Store) Amendments(ctx context.Context, declID int64) ([]*rencontres.Amendment, error) {
	return s.amendmentsWhere(ctx, "a.declaration_id = $1", declID)
}

// Amendment reads one amendment with its supporters.
func (s *Store) Amendment(ctx context.Context, id int64) (*rencontres.Amendment, error) {
	out, err := s.amendmentsWhere(ctx, "a.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, rencontres.NotFound("amendment")
	}
	return out[0], nil
}

// amendDecl is what an amendment checks of its declaration.
type amendDecl struct {
	id, editionID int64
	state         rencontres.DeclarationState
	opens, closes *time.Time
}

func (s *Store) amendDeclaration(ctx context.Context, id int64) (*amendDecl, error) {
	var d amendDecl
	var opens, closes sql.NullString
	err := s.reader().QueryRowContext(ctx, "SELECT id, edition_id, state, amend_opens, amend_closes FROM declarations WHERE id = $1", id).
		Scan(&d.id, &d.editionID, &d.state, &opens, &closes)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("declaration")
	}
	d.opens, d.closes = tsPtr(opens), tsPtr(closes)
	return &d, err
}

// amendSegment reads a segment of a declaration as it now stands, deleted
// or not.
func (s *Store) amendSegment(ctx context.Context, declID, segID int64) (*rencontres.Segment, error) {
	var g rencontres.Segment
	var check, updated string
	var deleted sql.NullString
	var by sql.NullInt64
	err := s.reader().QueryRowContext(ctx, `SELECT id, position, kind, text, version, check_langs, deleted_at, updated_by, updated_at
		FROM declaration_segments WHERE id = $1 AND declaration_id = $2`, segID, declID).
		Scan(&g.ID, &g.Position, &g.Kind, &g.Text, &g.Version, &check, &deleted, &by, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("segment")
	}
	if err != nil {
		return nil, err
	}
	g.Check, g.UpdatedBy, g.DeletedAt = rencontres.ParseCheck(check), by.Int64, tsPtr(deleted)
	g.Deleted = g.DeletedAt != nil
	g.UpdatedAt, _ = parseTS(updated)
	return &g, nil
}

// periodError tells why amendments cannot be proposed at now.
func periodError(d *amendDecl, now time.Time) *rencontres.Error {
	switch {
	case d.state != rencontres.DeclarationDraft:
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "amendment.error_frozen", Message: "the text is frozen: no more amendments"}
	case d.opens == nil || d.closes == nil:
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "amendment.error_no_period", Message: "no amendment period is open"}
	case now.Before(*d.opens):
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "amendment.error_not_open", Message: "the amendment period has not opened yet",
			Args: map[string]any{"Opens": *d.opens}}
	case !now.Before(*d.closes):
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "amendment.error_closed", Message: "the amendment period is over",
			Args: map[string]any{"Closes": *d.closes}}
	}
	return nil
}

// segmentGone is the error of an amendment to a segment deleted or never
// in the declaration.
func segmentGone() *rencontres.Error {
	return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "amendment.error_segment_gone", Field: "segment",
		Message: "this segment no longer exists"}
}

// rebaseError is the error of an amendment written against a version of
// its segment that has since changed: it must be re-based on the current
// text, which it carries (Args: Base, the version written against, and
// Version, the current one).
func rebaseError(g *rencontres.Segment, base int64) error {
	return &rencontres.SegmentConflict{Current: g, Err: &rencontres.Error{Code: rencontres.ECONFLICT, Key: "amendment.error_rebase", Field: "text",
		Message: fmt.Sprintf("the segment has changed since version %d (now %d): the amendment must be re-based on its current text", base, g.Version),
		Args:    map[string]any{"Base": base, "Version": g.Version}}}
}

// registered checks that an authority is registered for the edition and
// returns its id.
func (s *Store) registeredOrg(ctx context.Context, editionID int64, key, field string) (int64, error) {
	keys, err := s.RegisteredOrgs(ctx, editionID)
	if err != nil {
		return 0, err
	}
	var id int64
	if slices.Contains(keys, key) {
		err = s.reader().QueryRowContext(ctx, "SELECT id FROM organisations WHERE key = $1", key).Scan(&id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
	}
	if id == 0 {
		return 0, &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "amendment.error_not_registered", Field: field,
			Message: fmt.Sprintf("%q is not an authority registered for this edition", key), Args: map[string]any{"Key": key}}
	}
	return id, nil
}

// checkAmendmentText checks the languages and lengths of a text of an
// amendment, keeping only the languages written.
func checkAmendmentText(t rencontres.Text, field string) (rencontres.Text, error) {
	out := rencontres.Text{}
	for l, v := range t {
		if _, ok := rencontres.ParseLang(string(l)); !ok {
			return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_language", Field: field,
				Message: fmt.Sprintf("unknown language %q", l), Args: map[string]any{"Lang": string(l)}}
		}
		v = strings.TrimSpace(v)
		if utf8.RuneCountInString(v) > MaxAmendmentText {
			return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.too_long", Field: field, Message: "too long",
				Args: map[string]any{"Max": MaxAmendmentText}}
		}
		if v != "" {
			out[l] = v
		}
	}
	return out, nil
}

// checkProposal checks what the author wrote, every fault at once.
func checkProposal(a *rencontres.Amendment) error {
	var errs []error
	if !slices.Contains(rencontres.AmendmentKinds, a.Kind) {
		errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_kind", Field: "kind",
			Message: fmt.Sprintf("unknown kind of amendment %q", a.Kind), Args: map[string]any{"Kind": string(a.Kind)}})
	}
	if a.Lang != rencontres.French && a.Lang != rencontres.Japanese {
		errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_lang", Field: "lang",
			Message: "an amendment is written in French or in Japanese"})
	}
	var err error
	if a.Text, err = checkAmendmentText(a.Text, "text"); err != nil {
		errs = append(errs, err)
	} else if a.Kind == rencontres.AmendDelete {
		a.Text = rencontres.Text{}
	} else if slices.Contains(rencontres.AmendmentKinds, a.Kind) && !a.Text.Has(a.Lang) {
		errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_text_required", Field: "text",
			Message: "the proposed text is required"})
	}
	if a.Justification, err = checkAmendmentText(a.Justification, "justification"); err != nil {
		errs = append(errs, err)
	} else if a.Justification.IsZero() {
		errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_justification_required", Field: "justification",
			Message: "a justification is required"})
	}
	switch {
	case a.Kind != rencontres.AmendAddAfter:
		a.NewKind = ""
	case a.NewKind == "":
		a.NewKind = rencontres.SegmentParagraph
	case !slices.Contains(rencontres.SegmentKinds, a.NewKind):
		errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_new_kind", Field: "new_kind",
			Message: fmt.Sprintf("unknown kind of segment %q", a.NewKind), Args: map[string]any{"Kind": string(a.NewKind)}})
	}
	return rencontres.Join(errs...)
}

// ProposeAmendment records an amendment of an authority registered for the
// edition (a.OrgKey), within the period, to a live segment, against the
// version its author read (a.BaseVersion; 0 takes the current one): when
// the segment has changed since, it must be re-based (*SegmentConflict
// with the current text). Nothing is saved on any fault.
func (s *Store) ProposeAmendment(ctx context.Context, a *rencontres.Amendment, by int64, now time.Time) error {
	if err := checkProposal(a); err != nil {
		return err
	}
	now = now.UTC()
	return s.InTx(ctx, func(s *Store) error {
		d, err := s.amendDeclaration(ctx, a.DeclarationID)
		if err != nil {
			return err
		}
		if err := periodError(d, now); err != nil {
			return err
		}
		orgID, err := s.registeredOrg(ctx, d.editionID, a.OrgKey, "organisation")
		if err != nil {
			return err
		}
		g, err := s.amendSegment(ctx, d.id, a.SegmentID)
		if rencontres.ErrorCode(err) == rencontres.ENOTFOUND || (err == nil && g.Deleted) {
			return segmentGone()
		}
		if err != nil {
			return err
		}
		if a.BaseVersion == 0 {
			a.BaseVersion = g.Version
		}
		if a.BaseVersion != g.Version {
			return rebaseError(g, a.BaseVersion)
		}
		a.State, a.AuthorID, a.CreatedAt, a.UpdatedAt = rencontres.AmendmentProposed, by, now, now
		a.Reason, a.MergedInto, a.DecidedBy, a.DecidedAt, a.Supporters = rencontres.Text{}, 0, 0, nil, []string{}
		err = s.writer().QueryRowContext(ctx, `INSERT INTO declaration_amendments (declaration_id, segment_id, base_version, kind, new_kind, org_id,
			author_id, lang, text, justification, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'proposed', $11, $11)
			RETURNING id`, d.id, g.ID, a.BaseVersion, a.Kind, a.NewKind, orgID, nullID(by), a.Lang, a.Text, a.Justification, ts(now)).Scan(&a.ID)
		if err != nil {
			return err
		}
		return s.reader().QueryRowContext(ctx, "SELECT name FROM organisations WHERE id = $1", orgID).Scan(&a.OrgName)
	})
}

// proposedAmendment reads an amendment still to decide, with its
// declaration, in the caller's transaction.
func (s *Store) proposedAmendment(ctx context.Context, id int64) (*rencontres.Amendment, *amendDecl, error) {
	a, err := s.Amendment(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.amendDeclaration(ctx, a.DeclarationID)
	if err != nil {
		return nil, nil, err
	}
	if a.State != rencontres.AmendmentProposed {
		return nil, nil, &rencontres.Error{Code: rencontres.ECONFLICT, Key: "amendment.error_decided", Message: fmt.Sprintf("the amendment is %s", a.State),
			Args: map[string]any{"State": string(a.State)}}
	}
	if d.state != rencontres.DeclarationDraft {
		return nil, nil, &rencontres.Error{Code: rencontres.ECONFLICT, Key: "amendment.error_frozen", Message: "the text is frozen: no more amendments"}
	}
	return a, d, nil
}

// TranslateAmendment supplies the text of an amendment in another
// language before its decision.
func (s *Store) TranslateAmendment(ctx context.Context, id int64, lang rencontres.Lang, text string, by int64, now time.Time) error {
	if _, ok := rencontres.ParseLang(string(lang)); !ok {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_language", Field: "lang",
			Message: fmt.Sprintf("unknown language %q", lang), Args: map[string]any{"Lang": string(lang)}}
	}
	t, err := checkAmendmentText(rencontres.Text{lang: text}, "text")
	if err != nil {
		return err
	}
	if !t.Has(lang) {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_text_required", Field: "text", Message: "the proposed text is required"}
	}
	return s.InTx(ctx, func(s *Store) error {
		a, _, err := s.proposedAmendment(ctx, id)
		if err != nil {
			return err
		}
		if a.Kind == rencontres.AmendDelete {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_nothing_to_translate", Field: "text",
				Message: "a deletion has no text to translate"}
		}
		if a.Text == nil {
			a.Text = rencontres.Text{}
		}
		a.Text[lang] = t[lang]
		res, err := s.writer().ExecContext(ctx, "UPDATE declaration_amendments SET text = $2, updated_at = $3 WHERE id = $1 AND state = 'proposed'",
			id, a.Text, ts(now))
		return oneRow(res, err, "amendment")
	})
}

// SupportAmendment records that another authority registered for the
// edition supports an amendment, during the period, once.
func (s *Store) SupportAmendment(ctx context.Context, id int64, orgKey string, by int64, now time.Time) error {
	return s.InTx(ctx, func(s *Store) error {
		a, d, err := s.proposedAmendment(ctx, id)
		if err != nil {
			return err
		}
		if err := periodError(d, now); err != nil {
			return err
		}
		if orgKey == a.OrgKey {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_support_own", Field: "organisation",
				Message: "an authority does not support its own amendment"}
		}
		orgID, err := s.registeredOrg(ctx, d.editionID, orgKey, "organisation")
		if err != nil {
			return err
		}
		if slices.Contains(a.Supporters, orgKey) {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "amendment.error_supported", Field: "organisation",
				Message: "this authority already supports the amendment"}
		}
		_, err = s.writer().ExecContext(ctx, "INSERT INTO declaration_supports (amendment_id, org_id, user_id, created_at) VALUES ($1, $2, $3, $4)",
			id, orgID, nullID(by), ts(now))
		return err
	})
}

// WithdrawSupport withdraws an authority's support of an amendment still
// to decide.
func (s *Store) WithdrawSupport(ctx context.Context, id int64, orgKey string, now time.Time) error {
	return s.InTx(ctx, func(s *Store) error {
		a, _, err := s.proposedAmendment(ctx, id)
		if err != nil {
			return err
		}
		if !slices.Contains(a.Supporters, orgKey) {
			return &rencontres.Error{Code: rencontres.ENOTFOUND, Key: "amendment.error_not_supported", Field: "organisation",
				Message: "this authority does not support the amendment"}
		}
		_, err = s.writer().ExecContext(ctx, `DELETE FROM declaration_supports WHERE amendment_id = $1
			AND org_id = (SELECT id FROM organisations WHERE key = $2)`, id, orgKey)
		return err
	})
}

// WithdrawAmendment withdraws an amendment nobody supports (its
// authority's contacts decide; the handler checks who).
func (s *Store) WithdrawAmendment(ctx context.Context, id int64, by int64, now time.Time) error {
	return s.InTx(ctx, func(s *Store) error {
		a, _, err := s.proposedAmendment(ctx, id)
		if err != nil {
			return err
		}
		if a.OrgKey == "" {
			return &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "error.forbidden", Message: "forbidden"}
		}
		if len(a.Supporters) > 0 {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "amendment.error_withdraw_supported",
				Message: "the amendment has supporters: it can no longer be withdrawn", Args: map[string]any{"Count": len(a.Supporters)}}
		}
		res, err := s.writer().ExecContext(ctx, "UPDATE declaration_amendments SET state = 'withdrawn', updated_at = $2 WHERE id = $1 AND state = 'proposed'",
			id, ts(now))
		return oneRow(res, err, "amendment")
	})
}
