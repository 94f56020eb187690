package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// A participant's own page (issue 17): their registrations found by their
// account's address, and their personal feed's secret addresses.

// MyRegistrations implements rencontres.ParticipantService: the
// registrations not withdrawn whose address is the account's, newest
// event first, with their choices.
func (s *Store) MyRegistrations(ctx context.Context, userID int64) ([]*rencontres.Registration, error) {
	out, err := scanRegistrations(s.reader().QueryContext(ctx, "SELECT "+registrationColumns+registrationFrom+` JOIN users u ON u.email = LOWER(r.email)
		WHERE u.id = $1 AND r.status <> 'withdrawn' ORDER BY r.event_id DESC, r.id`, userID))
	if err != nil {
		return nil, err
	}
	if err := s.loadChoicesOf(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// MyRegistration implements rencontres.ParticipantService.
func (s *Store) MyRegistration(ctx context.Context, eventID, userID int64) (*rencontres.Registration, error) {
	var id int64
	err := s.reader().QueryRowContext(ctx, `SELECT r.id FROM registrations r JOIN users u ON u.email = LOWER(r.email)
		WHERE u.id = $1 AND r.event_id = $2 AND r.status <> 'withdrawn' AND NOT u.erased ORDER BY r.id LIMIT 1`, userID, eventID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("registration")
	}
	if err != nil {
		return nil, err
	}
	return s.Registration(ctx, eventID, id)
}

const feedTokenColumns = "id, user_id, event_id, created_at, revoked_at"

func scanFeedToken(row scanner) (*rencontres.FeedToken, error) {
	var t rencontres.FeedToken
	var created string
	var revoked sql.NullString
	if err := row.Scan(&t.ID, &t.UserID, &t.EventID, &created, &revoked); err != nil {
		return nil, err
	}
	t.Created, _ = parseTS(created)
	t.Revoked = parseNullTS(revoked)
	return &t, nil
}

// NewFeedToken implements rencontres.ParticipantService: in one
// transaction, the earlier address stops working and the new one starts.
func (s *Store) NewFeedToken(ctx context.Context, userID, eventID int64, hash string, now time.Time) (*rencontres.FeedToken, error) {
	t := &rencontres.FeedToken{UserID: userID, EventID: eventID, Created: now.UTC()}
	err := s.InTx(ctx, func(s *Store) error {
		if err := s.RevokeFeedToken(ctx, userID, eventID, now); err != nil {
			return err
		}
		return s.writer().QueryRowContext(ctx, `INSERT INTO feed_tokens (user_id, event_id, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			userID, eventID, hash, ts(now)).Scan(&t.ID)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// RevokeFeedToken implements rencontres.ParticipantService; revoking when
// there is no working address does nothing.
func (s *Store) RevokeFeedToken(ctx context.Context, userID, eventID int64, now time.Time) error {
	_, err := s.writer().ExecContext(ctx, "UPDATE feed_tokens SET revoked_at = $3 WHERE user_id = $1 AND event_id = $2 AND revoked_at IS NULL",
		userID, eventID, ts(now))
	return err
}

// ActiveFeedToken implements rencontres.ParticipantService.
func (s *Store) ActiveFeedToken(ctx context.Context, userID, eventID int64, now time.Time) (*rencontres.FeedToken, error) {
	t, err := scanFeedToken(s.reader().QueryRowContext(ctx, "SELECT "+feedTokenColumns+` FROM feed_tokens
		WHERE user_id = $1 AND event_id = $2 AND revoked_at IS NULL AND created_at > $3 ORDER BY id DESC LIMIT 1`,
		userID, eventID, ts(now.Add(-rencontres.FeedTokenLifetime))))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return t, err
}

// FeedTokenByHash implements rencontres.ParticipantService. An address of
// an erased or disabled account, or of one no longer registered, is
// refused by the caller, which checks the registration.
func (s *Store) FeedTokenByHash(ctx context.Context, hash string, now time.Time) (*rencontres.FeedToken, error) {
	t, err := scanFeedToken(s.reader().QueryRowContext(ctx, "SELECT "+feedTokenColumns+` FROM feed_tokens
		WHERE token_hash = $1 AND revoked_at IS NULL AND created_at > $2`, hash, ts(now.Add(-rencontres.FeedTokenLifetime))))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("feed")
	}
	return t, err
}

// feedTokens lists a person's feed addresses, for their data export.
func (s *Store) feedTokens(ctx context.Context, userID int64) ([]*rencontres.FeedToken, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+feedTokenColumns+" FROM feed_tokens WHERE user_id = $1 ORDER BY id", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.FeedToken{}
	for rows.Next() {
		t, err := scanFeedToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RegistrantAudience resolves a filter of registered people to those a
// campaign of the event writes to, each address once, in the order of
// the order of submission; and, as problems, those whose account is
// disabled, who are not written to. The filter's faults (a session not of
// the event, an unknown status or country) are told, all at once.
func (s *Store) RegistrantAudience(ctx context.Context, eventID int64, f *rencontres.RegistrantFilter) ([]*rencontres.Recipient, []rencontres.Problem, error) {
	if err := s.checkRegistrantFilter(ctx, eventID, f); err != nil {
		return nil, nil, err
	}
	regs, err := s.Registrations(ctx, rencontres.RegistrationFilter{EventID: eventID})
	if err != nil {
		return nil, nil, err
	}
	var out []*rencontres.Recipient
	var problems []rencontres.Problem
	seen := map[string]bool{}
	for _, r := range regs {
		if !f.Matches(r) || seen[r.Email] {
			continue
		}
		seen[r.Email] = true
		rec := &rencontres.Recipient{Email: r.Email, Civility: r.Civility, Name: r.DisplayName(rencontres.French), NameJa: r.NameJa,
			Function: r.Function, Lang: r.Lang, OrgKey: r.OrgKey, Country: r.Country, RegistrationID: r.ID}
		if rec.Lang == "" {
			rec.Lang = rencontres.French
		}
		if err := s.reader().QueryRowContext(ctx, "SELECT name FROM organisations WHERE key = $1", r.OrgKey).Scan(&rec.OrgName); err != nil {
			return nil, nil, err
		}
		u, err := s.UserByEmail(ctx, r.Email)
		switch {
		case err == nil && (u.Disabled || u.Erased):
			problems = append(problems, rencontres.Problem{OrgKey: r.OrgKey, Email: r.Email, Name: rec.Name, Key: "campaign.problem_disabled_account",
				Message: "this person's account is disabled"})
			continue
		case err == nil:
			rec.UserID = u.ID
		case rencontres.ErrorCode(err) != rencontres.ENOTFOUND:
			return nil, nil, err
		}
		out = append(out, rec)
	}
	return out, problems, nil
}

// checkRegistrantFilter tells the faults of a filter of registered people
// against its event's sessions.
func (s *Store) checkRegistrantFilter(ctx context.Context, eventID int64, f *rencontres.RegistrantFilter) error {
	ids, err := s.ids(ctx, "SELECT id FROM programme_sessions WHERE edition_id = $1", eventID)
	if err != nil {
		return err
	}
	sessions := map[int64]bool{}
	for _, id := range ids {
		sessions[id] = true
	}
	return f.Check(sessions)
}

// registrantFaults are the faults of a campaign's filter of registered
// people: mixed with the directory's criteria, choosing nobody, naming a
// session, status or country that is not one.
func (s *Store) registrantFaults(ctx context.Context, c *rencontres.Campaign) ([]error, error) {
	if !c.Filter.ForRegistrants() {
		return nil, nil
	}
	if err := c.Filter.CheckRegistrants(); err != nil {
		return []error{err}, nil
	}
	if err := s.checkRegistrantFilter(ctx, c.EventID, c.Filter.Registrants); err != nil {
		if rencontres.ErrorCode(err) != rencontres.EINVALID {
			return nil, err
		}
		return []error{err}, nil
	}
	return nil, nil
}

// participantAccount gives a registered person written to without an
// account one, as a participant bound to no authority: their link to
// their own page then signs them in by email.
func (s *Store) participantAccount(ctx context.Context, r *rencontres.Recipient) error {
	u := &rencontres.User{Email: r.Email, Name: r.Name, NameJa: r.NameJa, Lang: r.Lang, Role: rencontres.Participant}
	if err := s.InviteUser(ctx, u, ""); err != nil {
		return err
	}
	r.UserID = u.ID
	return nil
}
