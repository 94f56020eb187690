package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The adoption of a declaration (issue 16, part 3): the committee freezes
// the text and chooses how it is adopted; in plenary it records each
// registered authority's vote, or each authority's contact endorses it
// until a deadline; then the committee records the adoption, after which
// the text changes only by dated corrections (declaration_correct.go).
// It reads the declarations table of migration 36 itself, the columns the
// adoption needs, so that it stands apart from the draft's store.

var _ rencontres.AdoptionService = (*Store)(nil)

// adoptState is what the adoption reads of a declaration.
type adoptState struct {
	id, edition, rev int64
	state            rencontres.DeclarationState
	mode             rencontres.AdoptionMode
	endorseUntil     *time.Time
}

// adoptDecl reads a declaration's state. Inside a transaction, lock first
// locks the row (an update that changes nothing) so that a freeze, a vote
// and the adoption of the same text are made one after the other on
// PostgreSQL too, each seeing what the other wrote.
func (s *Store) adoptDecl(ctx context.Context, id int64, lock bool) (*adoptState, error) {
	if lock {
		if _, err := s.writer().ExecContext(ctx, "UPDATE declarations SET rev = rev WHERE id = $1", id); err != nil {
			return nil, err
		}
	}
	var d adoptState
	var until sql.NullString
	err := s.reader().QueryRowContext(ctx, `SELECT id, edition_id, rev, state, adoption_mode, endorse_until
		FROM declarations WHERE id = $1`, id).Scan(&d.id, &d.edition, &d.rev, &d.state, &d.mode, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("declaration")
	}
	if err != nil {
		return nil, err
	}
	d.endorseUntil = parseNullTS(until)
	return &d, nil
}

// errDeclState is the error of a step taken in the wrong state: field
// names the form's input.
func errDeclState(d *adoptState, want rencontres.DeclarationState, field string) error {
	key := map[rencontres.DeclarationState]string{
		rencontres.DeclarationDraft:   "adoption.error_not_draft",
		rencontres.DeclarationFrozen:  "adoption.error_not_frozen",
		rencontres.DeclarationAdopted: "adoption.error_not_adopted",
	}[want]
	return &rencontres.Error{Code: rencontres.ECONFLICT, Key: key, Field: field,
		Message: fmt.Sprintf("the declaration is %s, not %s", d.state, want), Args: map[string]any{"State": string(d.state)}}
}

// FreezeDeclaration ends the draft: no more edits nor amendments. It is
// refused while amendments are proposed and undecided (the committee
// decides them first: accepting one after the freeze would change a text
// the authorities are adopting), unless the committee names each of them
// in leave: those it does not take up stay proposed, never decided, and
// the pages show them "not decided before the text was frozen" (a
// committee out of time leaves them so, knowingly, one by one, so that an
// amendment proposed after it read the list is not left unseen). It is
// refused while a segment is marked "translation
// to check" or lacks French or Japanese (both languages are adopted
// together), and when the text has no segment. An endorsement needs its
// deadline, in the future; a vote has none.
func (s *Store) FreezeDeclaration(ctx context.Context, declID int64, mode rencontres.AdoptionMode, endorseUntil *time.Time, leave []int64, now time.Time) error {
	var errs []error
	switch mode {
	case rencontres.AdoptionVote:
		endorseUntil = nil
	case rencontres.AdoptionEndorsement:
		if endorseUntil == nil {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "endorse_until", Message: "the endorsement deadline is required"})
		} else if !endorseUntil.After(now) {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "adoption.error_endorse_until_past", Field: "endorse_until", Message: "the endorsement deadline must be in the future"})
		}
	default:
		errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "adoption.error_mode", Field: "mode",
			Message: fmt.Sprintf("unknown adoption mode %q: vote or endorsement", mode), Args: map[string]any{"Mode": string(mode)}})
	}
	if err := rencontres.Join(errs...); err != nil {
		return err
	}
	return s.InTx(ctx, func(s *Store) error {
		d, err := s.adoptDecl(ctx, declID, true)
		if err != nil {
			return err
		}
		if d.state != rencontres.DeclarationDraft {
			return errDeclState(d, rencontres.DeclarationDraft, "mode")
		}
		pending, err := queryIDs(ctx, s.reader(), `SELECT id FROM declaration_amendments
			WHERE declaration_id = $1 AND state = 'proposed' ORDER BY id`, declID)
		if err != nil {
			return err
		}
		pending = slices.DeleteFunc(pending, func(id int64) bool { return slices.Contains(leave, id) })
		if len(pending) > 0 {
			errs = append(errs, &rencontres.Error{Code: rencontres.ECONFLICT, Key: "adoption.error_amendments_pending", Field: "mode",
				Message: fmt.Sprintf("amendments still to decide: %s", numberList(pending)),
				Args:    map[string]any{"Amendments": numberList(pending)}})
		}
		segs, err := s.adoptSegments(ctx, declID)
		if err != nil {
			return err
		}
		if len(segs) == 0 {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "adoption.error_empty", Field: "mode", Message: "the declaration has no text"})
		}
		var unchecked, missing []int64
		for i, sg := range segs {
			if sg.NeedsCheck() {
				unchecked = append(unchecked, int64(i+1))
			}
			if strings.TrimSpace(sg.Text[rencontres.French]) == "" || strings.TrimSpace(sg.Text[rencontres.Japanese]) == "" {
				missing = append(missing, int64(i+1))
			}
		}
		if len(unchecked) > 0 {
			errs = append(errs, &rencontres.Error{Code: rencontres.ECONFLICT, Key: "adoption.error_translation_to_check", Field: "mode",
				Message: fmt.Sprintf("segments whose translation is to check: %s", numberList(unchecked)),
				Args:    map[string]any{"Segments": numberList(unchecked)}})
		}
		if len(missing) > 0 {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "adoption.error_language_missing", Field: "mode",
				Message: fmt.Sprintf("segments without their French or Japanese text: %s", numberList(missing)),
				Args:    map[string]any{"Segments": numberList(missing)}})
		}
		if err := rencontres.Join(errs...); err != nil {
			return err
		}
		var until any
		if endorseUntil != nil {
			until = ts(*endorseUntil)
		}
		if _, err = s.writer().ExecContext(ctx, `UPDATE declarations SET state = 'frozen', adoption_mode = $2, endorse_until = $3,
			frozen_at = $4, amend_opens = NULL, amend_closes = NULL, updated_at = $4 WHERE id = $1`, declID, string(mode), until, ts(now)); err != nil {
			return err
		}
		return s.enqueueDeclarationMails(ctx, d.edition, DeclarationMail{Declaration: declID, What: NoticeFrozen},
			declarationNoticeKey(NoticeFrozen, declID), time.Time{}, now)
	})
}

// numberList writes ids as "#3, #5".
func numberList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("#%d", id)
	}
	return strings.Join(parts, ", ")
}

// Adoptions lists the votes or endorsements recorded, by authority key.
func (s *Store) Adoptions(ctx context.Context, declID int64) ([]*rencontres.Adoption, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT o.key, o.name, o.kana, o.country, a.choice, COALESCE(a.user_id, 0), a.created_at
		FROM declaration_adoptions a JOIN organisations o ON o.id = a.org_id
		WHERE a.declaration_id = $1 ORDER BY o.key`, declID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.Adoption{}
	for rows.Next() {
		var a rencontres.Adoption
		var at string
		if err := rows.Scan(&a.OrgKey, &a.OrgName, &a.OrgKana, &a.Country, &a.Choice, &a.UserID, &at); err != nil {
			return nil, err
		}
		a.At, _ = parseTS(at)
		out = append(out, &a)
	}
	return out, rows.Err()
}

// adoptingOrg returns the id of an authority registered for the edition
// (a delegation at it with someone not withdrawn): only those vote and
// endorse.
func (s *Store) adoptingOrg(ctx context.Context, editionID int64, orgKey string) (int64, error) {
	id, err := orgID(ctx, s.reader(), orgKey)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM delegations d WHERE d.event_id = $1 AND d.org_id = $2
		AND EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = d.id AND r.status <> 'withdrawn')`, editionID, id).Scan(&n); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "adoption.error_not_registered", Field: "organisation",
			Message: fmt.Sprintf("%s is not registered for this edition", orgKey), Args: map[string]any{"Key": orgKey}}
	}
	return id, nil
}

// RecordVote records an authority's vote in plenary, for, against or
// abstain, one per authority: recorded again, it replaces the earlier one
// until the adoption.
func (s *Store) RecordVote(ctx context.Context, declID int64, orgKey string, choice rencontres.AdoptionChoice, by int64, now time.Time) error {
	switch choice {
	case rencontres.VoteFor, rencontres.VoteAgainst, rencontres.VoteAbstain:
	default:
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "adoption.error_vote_choice", Field: "choice",
			Message: fmt.Sprintf("unknown vote %q: for, against or abstain", choice), Args: map[string]any{"Choice": string(choice)}}
	}
	return s.InTx(ctx, func(s *Store) error {
		d, err := s.adoptDecl(ctx, declID, true)
		if err != nil {
			return err
		}
		if d.state != rencontres.DeclarationFrozen {
			return errDeclState(d, rencontres.DeclarationFrozen, "choice")
		}
		if d.mode != rencontres.AdoptionVote {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "adoption.error_not_vote", Field: "choice", Message: "this declaration is adopted by endorsement, not by vote"}
		}
		org, err := s.adoptingOrg(ctx, d.edition, orgKey)
		if err != nil {
			return err
		}
		_, err = s.writer().ExecContext(ctx, `INSERT INTO declaration_adoptions (declaration_id, org_id, choice, user_id, created_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (declaration_id, org_id) DO UPDATE SET choice = excluded.choice, user_id = excluded.user_id, created_at = excluded.created_at`,
			declID, org, string(choice), nullID(by), ts(now))
		return err
	})
}

// EndorseDeclaration records an authority's endorsement, signed by one of
// its contacts (by), once, before the deadline.
func (s *Store) EndorseDeclaration(ctx context.Context, declID int64, orgKey string, by int64, now time.Time) error {
	return s.InTx(ctx, func(s *Store) error {
		d, err := s.adoptDecl(ctx, declID, true)
		if err != nil {
			return err
		}
		if d.state != rencontres.DeclarationFrozen {
			return errDeclState(d, rencontres.DeclarationFrozen, "organisation")
		}
		if d.mode != rencontres.AdoptionEndorsement {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "adoption.error_not_endorsement", Field: "organisation", Message: "this declaration is adopted by vote, not by endorsement"}
		}
		if d.endorseUntil != nil && !now.Before(*d.endorseUntil) {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "adoption.error_endorsement_closed", Field: "organisation", Message: "the endorsement deadline has passed",
				Args: map[string]any{"Deadline": *d.endorseUntil}}
		}
		org, err := s.adoptingOrg(ctx, d.edition, orgKey)
		if err != nil {
			return err
		}
		var n int
		if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM user_organisations WHERE user_id = $1 AND org_id = $2", by, org).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "adoption.error_not_contact", Field: "organisation",
				Message: fmt.Sprintf("only a contact of %s endorses for it", orgKey), Args: map[string]any{"Key": orgKey}}
		}
		res, err := s.writer().ExecContext(ctx, `INSERT INTO declaration_adoptions (declaration_id, org_id, choice, user_id, created_at)
			VALUES ($1, $2, 'endorse', $3, $4) ON CONFLICT (declaration_id, org_id) DO NOTHING`, declID, org, nullID(by), ts(now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "adoption.error_already_endorsed", Field: "organisation",
				Message: fmt.Sprintf("%s has already endorsed this declaration", orgKey), Args: map[string]any{"Key": orgKey}}
		}
		return nil
	})
}

// AdoptDeclaration records the adoption of a frozen text: by vote, when
// more authorities voted for than against (abstentions not counted); by
// endorsement, when at least one authority endorsed it (the adoption ends
// the endorsements, even before their deadline). The text adopted is the
// current one (adopted_rev) and is immutable from then on.
func (s *Store) AdoptDeclaration(ctx context.Context, declID int64, by int64, now time.Time) error {
	return s.InTx(ctx, func(s *Store) error {
		d, err := s.adoptDecl(ctx, declID, true)
		if err != nil {
			return err
		}
		if d.state != rencontres.DeclarationFrozen {
			return errDeclState(d, rencontres.DeclarationFrozen, "adopt")
		}
		var forN, against, endorse int
		if err := s.reader().QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN choice = 'for' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN choice = 'against' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN choice = 'endorse' THEN 1 ELSE 0 END), 0)
			FROM declaration_adoptions WHERE declaration_id = $1`, declID).Scan(&forN, &against, &endorse); err != nil {
			return err
		}
		switch d.mode {
		case rencontres.AdoptionVote:
			if forN <= against {
				return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "adoption.error_no_majority", Field: "adopt",
					Message: fmt.Sprintf("%d for and %d against: adoption needs more votes for than against", forN, against),
					Args:    map[string]any{"For": forN, "Against": against}}
			}
		case rencontres.AdoptionEndorsement:
			if endorse == 0 {
				return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "adoption.error_no_endorsement", Field: "adopt", Message: "no authority has endorsed the declaration yet"}
			}
		}
		if _, err = s.writer().ExecContext(ctx, `UPDATE declarations SET state = 'adopted', adopted_at = $2, adopted_rev = rev, updated_at = $2
			WHERE id = $1`, declID, ts(now)); err != nil {
			return err
		}
		if err := s.EnqueueWebhook(ctx, rencontres.HookDeclarationAdopted, map[string]any{"id": declID, "edition_id": d.edition,
			"adoption_mode": d.mode, "for": forN, "against": against, "endorsements": endorse, "adopted_at": now.UTC()}, now); err != nil {
			return err
		}
		return s.enqueueDeclarationMails(ctx, d.edition, DeclarationMail{Declaration: declID, What: NoticeAdopted},
			declarationNoticeKey(NoticeAdopted, declID), time.Time{}, now)
	})
}

// personalAdoptions lists the votes and endorsements an account signed or
// recorded, for its personal data.
func (s *Store) personalAdoptions(ctx context.Context, userID int64) ([]*rencontres.DeclarationAdoptionData, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT a.declaration_id, o.key, o.name, o.kana, o.country, a.choice, a.created_at
		FROM declaration_adoptions a JOIN organisations o ON o.id = a.org_id
		WHERE a.user_id = $1 ORDER BY a.declaration_id, o.key`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.DeclarationAdoptionData{}
	for rows.Next() {
		a := &rencontres.DeclarationAdoptionData{}
		var at string
		if err := rows.Scan(&a.DeclarationID, &a.OrgKey, &a.OrgName, &a.OrgKana, &a.Country, &a.Choice, &at); err != nil {
			return nil, err
		}
		a.UserID = userID
		a.At, _ = parseTS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// CancelDeclarationMail cancels the emails still queued about a
// declaration: its amendments' decisions and its notices to the
// registered authorities' contacts. The demo's declaration was amended
// and adopted in the past, and nobody is told again.
func (s *Store) CancelDeclarationMail(ctx context.Context, declID int64) error {
	ids, err := queryIDs(ctx, s.reader(), "SELECT id FROM declaration_amendments WHERE declaration_id = $1", declID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := s.writer().ExecContext(ctx, `UPDATE mail_outbox SET status = 'cancelled'
			WHERE kind = $1 AND status = 'queued' AND unique_key LIKE $2`, AmendmentMailKind, "amendment-%:"+strconv.FormatInt(id, 10)+":%"); err != nil {
			return err
		}
	}
	for _, what := range []string{NoticePeriod, NoticeFrozen, NoticeAdopted, NoticeCorrected} {
		if _, err := s.writer().ExecContext(ctx, `UPDATE mail_outbox SET status = 'cancelled'
			WHERE kind = $1 AND status = 'queued' AND unique_key LIKE $2`, DeclarationMailKind, declarationNoticeKey(what, declID)+":%"); err != nil {
			return err
		}
	}
	return nil
}

// MoveDeclaration gives the declaration of one edition to another that
// has none: the server's tests free the 7th edition of the demo's adopted
// declaration to draft one there.
func (s *Store) MoveDeclaration(ctx context.Context, fromEdition, toEdition int64) error {
	_, err := s.writer().ExecContext(ctx, "UPDATE declarations SET edition_id = $1 WHERE edition_id = $2", toEdition, fromEdition)
	return err
}
