package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The decisions on a call's proposals: recorded one by one, pending, then
// released together with their letters, the accepted ones entering the
// programme.

var errReleased = &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.decisions_released", Field: "call",
	Message: "the decisions of this call are released: they can no longer change"}

// SetDecision records the decision on a proposal, pending until the
// call's decisions are released. The other workshop of an AcceptedOther
// must be a workshop of the call's edition, and a session chosen a
// session of its programme.
func (s *Store) SetDecision(ctx context.Context, d *rencontres.ProposalVerdict, by int64, now time.Time) error {
	if err := d.Check(); err != nil {
		return err
	}
	return s.InTx(ctx, func(s *Store) error {
		callID, err := s.proposalCallID(ctx, d.ProposalID)
		if err != nil {
			return err
		}
		c, edition, err := s.reviewCall(ctx, callID)
		if err != nil {
			return err
		}
		if c.Released != nil {
			return errReleased
		}
		var state string
		if err := s.reader().QueryRowContext(ctx, "SELECT state FROM proposals WHERE id = $1", d.ProposalID).Scan(&state); err != nil {
			return err
		}
		if state != string(rencontres.ProposalSubmitted) {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.proposal_withdrawn", Field: "decision", Message: "this proposal was withdrawn"}
		}
		var errs []error
		var n int
		if d.Decision == rencontres.AcceptedOther {
			if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM edition_workshops WHERE edition_id = $1 AND seq = $2", edition, d.Workshop-1).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_workshop", Field: "workshop",
					Message: fmt.Sprintf("workshop %d is not a workshop of this edition", d.Workshop)})
			}
		}
		if d.SessionID != 0 {
			if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM programme_sessions WHERE edition_id = $1 AND id = $2", edition, d.SessionID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_session", Field: "session_id",
					Message: fmt.Sprintf("session %d is not a session of this edition's programme", d.SessionID)})
			}
		}
		if err := rencontres.Join(errs...); err != nil {
			return err
		}
		var workshop sql.NullInt64
		if d.Decision == rencontres.AcceptedOther {
			workshop = workshopSeq(d.Workshop)
		}
		note := d.Note
		if note == nil {
			note = rencontres.Text{}
		}
		decided := sql.NullString{String: ts(now), Valid: d.Decision != rencontres.Undecided}
		_, err = s.writer().ExecContext(ctx, `UPDATE proposals SET decision = $2, decision_workshop = $3, decision_note = $4, decided_by = $5,
			decided_at = $6, session_id = $7, updated_at = $8 WHERE id = $1`,
			d.ProposalID, string(d.Decision), workshop, note, nullID(by), decided, nullID(d.SessionID), ts(now))
		return err
	})
}

// SetLetters keeps the call's decision letters, until the release.
func (s *Store) SetLetters(ctx context.Context, callID int64, letters map[rencontres.ProposalDecision]rencontres.Text) error {
	if err := rencontres.CheckLetters(letters); err != nil {
		return err
	}
	return s.InTx(ctx, func(s *Store) error {
		c, _, err := s.reviewCall(ctx, callID)
		if err != nil {
			return err
		}
		if c.Released != nil {
			return errReleased
		}
		if letters == nil {
			letters = map[rencontres.ProposalDecision]rencontres.Text{}
		}
		b, _ := json.Marshal(letters)
		_, err = s.writer().ExecContext(ctx, "UPDATE calls SET letters = $2, updated_at = $3 WHERE id = $1", callID, string(b), ts(time.Now()))
		return err
	})
}

// workshopTitles returns the titles of an edition's workshops by seq.
func (s *Store) workshopTitles(ctx context.Context, edition int64) (map[int]rencontres.Text, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT seq, title FROM edition_workshops WHERE edition_id = $1", edition)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]rencontres.Text{}
	for rows.Next() {
		var seq int
		var t rencontres.Text
		if err := rows.Scan(&seq, &t); err != nil {
			return nil, err
		}
		out[seq] = t
	}
	return out, rows.Err()
}

// proposalWorkshop is the workshop a decided proposal goes to: the other
// one of AcceptedOther, else its own; ok is false when it names none.
func (s *Store) proposalWorkshop(ctx context.Context, p *rencontres.Proposal) (seq int, ok bool, err error) {
	var own, other sql.NullInt64
	if err := s.reader().QueryRowContext(ctx, "SELECT workshop, decision_workshop FROM proposals WHERE id = $1", p.ID).Scan(&own, &other); err != nil {
		return 0, false, err
	}
	if p.Decision == rencontres.AcceptedOther && other.Valid {
		return int(other.Int64), true, nil
	}
	return int(own.Int64), own.Valid, nil
}

// decisionLetters fills the call's letter for a proposal's decision for
// its contact and for its lead authority's main contact, each in their
// language: the same address is written to once.
func (s *Store) decisionLetters(ctx context.Context, c *rencontres.Call, p *rencontres.Proposal, workshops map[int]rencontres.Text) ([]*rencontres.DecisionLetter, error) {
	type to struct {
		email, name string
		lang        rencontres.Lang
	}
	var tos []to
	var leadName rencontres.Text
	var country string
	lead := p.Lead()
	if lead != "" {
		if err := s.reader().QueryRowContext(ctx, "SELECT name, country FROM organisations WHERE key = $1", lead).Scan(&leadName, &country); err != nil {
			return nil, err
		}
	}
	fallback := rencontres.French
	if country == string(rencontres.Japan) {
		fallback = rencontres.Japanese
	}
	if p.ContactEmail != "" {
		t := to{email: p.ContactEmail, name: p.ContactName, lang: fallback}
		var lang string
		err := s.reader().QueryRowContext(ctx, "SELECT lang FROM users WHERE email = $1 AND NOT erased", strings.ToLower(p.ContactEmail)).Scan(&lang)
		if err == nil {
			if l, ok := rencontres.ParseLang(lang); ok {
				t.lang = l
			}
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		tos = append(tos, t)
	}
	if lead != "" {
		var t to
		var lang string
		err := s.reader().QueryRowContext(ctx, `SELECT u.email, u.name, u.lang FROM user_organisations uo JOIN users u ON u.id = uo.user_id
			JOIN organisations o ON o.id = uo.org_id WHERE o.key = $1 AND uo.main_contact AND uo.removed_at IS NULL AND NOT u.erased AND NOT u.disabled`, lead).Scan(&t.email, &t.name, &lang)
		if err == nil && !strings.EqualFold(t.email, p.ContactEmail) {
			t.lang = fallback
			if l, ok := rencontres.ParseLang(lang); ok {
				t.lang = l
			}
			tos = append(tos, t)
		} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	seq, hasWorkshop, err := s.proposalWorkshop(ctx, p)
	if err != nil {
		return nil, err
	}
	comments, err := s.commentsToAuthors(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	var out []*rencontres.DecisionLetter
	for _, t := range tos {
		text := c.Letters[p.Decision]
		values := map[string]string{"authority": leadName.In(t.lang), "title": p.Title.In(t.lang)}
		if hasWorkshop {
			values["workshop"] = workshops[seq].In(t.lang)
		}
		var parts []string
		if n := p.DecisionNote.In(t.lang); n != "" {
			parts = append(parts, n)
		}
		values["comments"] = strings.Join(append(parts, comments...), "\n\n")
		subject, body := rencontres.FillLetter(text.In(t.lang), values)
		out = append(out, &rencontres.DecisionLetter{ProposalID: p.ID, Decision: p.Decision, ToEmail: t.email, ToName: t.name, Lang: t.lang,
			Subject: subject, Body: body})
	}
	return out, nil
}

// commentsToAuthors are the reviews' comments meant for the authors, in
// the order they were written; the comments for the committee stay there.
func (s *Store) commentsToAuthors(ctx context.Context, proposalID int64) ([]string, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT comment_authors FROM reviews WHERE proposal_id = $1 AND comment_authors <> ''
		ORDER BY submitted_at, user_id`, proposalID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
