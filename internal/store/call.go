package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Calls for proposals (issue 15): the secretariat opens them on an event;
// proposals answer them (proposal.go). Workshop numbers are 1-based in Go
// and seqs of edition_workshops (0-based) in the tables: see
// rencontres.EditionWorkshop.

var _ rencontres.CallService = (*Store)(nil)

const callColumns = `id, event_id, kind, title, intro, opens_at, deadline, workshops, questions, categories, blind, visibility, min_reviews,
	review_opens, review_closes, authors_edit_in_review, decisions_at, letters, released_at, created_at, updated_at`

func scanCall(row scanner) (*rencontres.Call, error) {
	var c rencontres.Call
	var opens, deadline, created, updated, workshops, questions, categories, letters string
	var rOpens, rCloses, decisions, released sql.NullString
	err := row.Scan(&c.ID, &c.EventID, &c.Kind, &c.Title, &c.Intro, &opens, &deadline, &workshops, &questions, &categories, &c.Blind,
		&c.Visibility, &c.MinReviews, &rOpens, &rCloses, &c.AuthorsEditInReview, &decisions, &letters, &released, &created, &updated)
	if err != nil {
		return nil, err
	}
	c.Opens, _ = parseTS(opens)
	c.Deadline, _ = parseTS(deadline)
	c.Created, _ = parseTS(created)
	c.Updated, _ = parseTS(updated)
	c.ReviewOpens, c.ReviewCloses, c.DecisionsAt, c.Released = tsPtr(rOpens), tsPtr(rCloses), tsPtr(decisions), tsPtr(released)
	var seqs []int
	if err := json.Unmarshal([]byte(workshops), &seqs); err != nil {
		return nil, err
	}
	c.Workshops = make([]int, len(seqs))
	for i, s := range seqs {
		c.Workshops[i] = s + 1
	}
	if err := json.Unmarshal([]byte(questions), &c.Questions); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(categories), &c.Categories); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(letters), &c.Letters); err != nil {
		return nil, err
	}
	c.Questions, c.Categories = orEmpty(c.Questions), orEmpty(c.Categories)
	return &c, nil
}

// tsPtr reads an optional instant.
func tsPtr(s sql.NullString) *time.Time {
	if !s.Valid || s.String == "" {
		return nil
	}
	t, err := parseTS(s.String)
	if err != nil {
		return nil
	}
	return &t
}

// nullTS writes an optional instant.
func nullTS(t *time.Time) sql.NullString {
	if t == nil || t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: ts(*t), Valid: true}
}

// Calls lists an event's calls (every call when eventID is 0), newest
// deadline first.
func (s *Store) Calls(ctx context.Context, eventID int64) ([]*rencontres.Call, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+callColumns+" FROM calls WHERE $1 = 0 OR event_id = $1 ORDER BY deadline DESC, id DESC", eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.Call{}
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Call returns a call.
func (s *Store) Call(ctx context.Context, id int64) (*rencontres.Call, error) {
	c, err := scanCall(s.reader().QueryRowContext(ctx, "SELECT "+callColumns+" FROM calls WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("call")
	}
	return c, err
}

// editionOf is the edition an event belongs to: an edition's own, the
// edition a meeting prepares, or that of the event it is held within; 0
// when none.
func (s *Store) editionOf(ctx context.Context, e *rencontres.Event) (int64, error) {
	switch {
	case e.Kind == rencontres.EditionEvent:
		return e.ID, nil
	case e.EditionID != 0:
		return e.EditionID, nil
	case e.WithinID != 0:
		w, err := s.Event(ctx, e.WithinID)
		if err != nil {
			return 0, err
		}
		if w.Kind == rencontres.EditionEvent {
			return w.ID, nil
		}
		return w.EditionID, nil
	}
	return 0, nil
}

// EventWorkshops returns the workshops of an event's edition, which its
// calls may feed (none when the event belongs to no edition): workshop n
// is the n-th, from 1.
func (s *Store) EventWorkshops(ctx context.Context, eventID int64) ([]rencontres.Workshop, error) {
	e, err := s.Event(ctx, eventID)
	if err != nil {
		return nil, err
	}
	ed, err := s.editionOf(ctx, e)
	if err != nil || ed == 0 {
		return []rencontres.Workshop{}, err
	}
	rows, err := s.reader().QueryContext(ctx, "SELECT title, theme FROM edition_workshops WHERE edition_id = $1 ORDER BY seq", ed)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []rencontres.Workshop{}
	for rows.Next() {
		var w rencontres.Workshop
		if err := rows.Scan(&w.Title, &w.Theme); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// SaveCall creates a call (ID 0) or changes it, after checking it against
// its event: the workshops are the event's edition's. Every fault is
// reported at once; the decisions' release is not changed here.
func (s *Store) SaveCall(ctx context.Context, c *rencontres.Call, by int64) error {
	return s.InTx(ctx, func(s *Store) error {
		var faults []error
		workshops, err := s.EventWorkshops(ctx, c.EventID)
		switch {
		case rencontres.ErrorCode(err) == rencontres.ENOTFOUND:
			faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "call.err_event", Field: "event_id", Message: "no such event"})
		case err != nil:
			return err
		}
		if err := rencontres.Join(append([]error{c.Validate(len(workshops))}, faults...)...); err != nil {
			return err
		}
		if c.ID != 0 {
			old, err := s.Call(ctx, c.ID)
			if err != nil {
				return err
			}
			if old.EventID != c.EventID {
				return &rencontres.Error{Code: rencontres.EINVALID, Key: "call.err_moved", Field: "event_id", Message: "a call stays on its event"}
			}
		}
		seqs := make([]int, len(c.Workshops))
		for i, n := range c.Workshops {
			seqs[i] = n - 1
		}
		workshopsJSON, _ := json.Marshal(seqs)
		questions, _ := json.Marshal(c.Questions)
		categories, _ := json.Marshal(c.Categories)
		if c.Letters == nil {
			c.Letters = map[rencontres.ProposalDecision]rencontres.Text{}
		}
		letters, _ := json.Marshal(c.Letters)
		now := time.Now().UTC().Truncate(time.Second)
		c.Opens, c.Deadline = c.Opens.UTC(), c.Deadline.UTC()
		args := []any{c.EventID, c.Kind, c.Title, c.Intro, ts(c.Opens), ts(c.Deadline), string(workshopsJSON), string(questions), string(categories),
			c.Blind, c.Visibility, c.MinReviews, nullTS(c.ReviewOpens), nullTS(c.ReviewCloses), c.AuthorsEditInReview, nullTS(c.DecisionsAt),
			string(letters), ts(now)}
		if c.ID == 0 {
			c.Created, c.Updated = now, now
			return s.writer().QueryRowContext(ctx, `INSERT INTO calls (event_id, kind, title, intro, opens_at, deadline, workshops, questions, categories,
				blind, visibility, min_reviews, review_opens, review_closes, authors_edit_in_review, decisions_at, letters, updated_at, created_at, created_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, $19) RETURNING id`,
				append(args, nullID(by))...).Scan(&c.ID)
		}
		c.Updated = now
		res, err := s.writer().ExecContext(ctx, `UPDATE calls SET event_id = $1, kind = $2, title = $3, intro = $4, opens_at = $5, deadline = $6,
			workshops = $7, questions = $8, categories = $9, blind = $10, visibility = $11, min_reviews = $12, review_opens = $13, review_closes = $14,
			authors_edit_in_review = $15, decisions_at = $16, letters = $17, updated_at = $18 WHERE id = $19`, append(args, c.ID)...)
		return oneRow(res, err, "call")
	})
}

// DeleteCall removes a call that has no proposal yet: one that has is
// kept, with its proposals, until they are erased with it by retention.
func (s *Store) DeleteCall(ctx context.Context, id int64) error {
	return s.InTx(ctx, func(s *Store) error {
		var n int
		if err := s.writer().QueryRowContext(ctx, "SELECT COUNT(*) FROM proposals WHERE call_id = $1", id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "call.err_has_proposals", Message: "this call has proposals: it cannot be deleted",
				Args: map[string]any{"Count": n}}
		}
		res, err := s.writer().ExecContext(ctx, "DELETE FROM calls WHERE id = $1", id)
		return oneRow(res, err, "call")
	})
}

// CampaignCall is the call a campaign points to, nil when none.
func (s *Store) CampaignCall(ctx context.Context, campaignID int64) (*rencontres.Call, error) {
	c, err := scanCall(s.reader().QueryRowContext(ctx, "SELECT "+prefixed("c.", callColumns)+
		" FROM campaign_calls cc JOIN calls c ON c.id = cc.call_id WHERE cc.campaign_id = $1", campaignID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return c, err
}

// SetCampaignCall points a campaign to a call of its event (callID 0
// unsets).
func (s *Store) SetCampaignCall(ctx context.Context, campaignID, callID int64) error {
	return s.InTx(ctx, func(s *Store) error {
		var eventID int64
		err := s.writer().QueryRowContext(ctx, "SELECT event_id FROM campaigns WHERE id = $1", campaignID).Scan(&eventID)
		if errors.Is(err, sql.ErrNoRows) {
			return rencontres.NotFound("campaign")
		}
		if err != nil {
			return err
		}
		if _, err := s.writer().ExecContext(ctx, "DELETE FROM campaign_calls WHERE campaign_id = $1", campaignID); err != nil {
			return err
		}
		if callID == 0 {
			return nil
		}
		c, err := s.Call(ctx, callID)
		if err != nil || c.EventID != eventID {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "call.err_campaign_event", Field: "call", Message: "the call is not one of the campaign's event"}
		}
		_, err = s.writer().ExecContext(ctx, "INSERT INTO campaign_calls (campaign_id, call_id) VALUES ($1, $2)", campaignID, callID)
		return err
	})
}

// prefixed qualifies each column of a list with a table's alias.
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
