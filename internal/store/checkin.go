package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// SeatCounts counts an event's seats: the event's, then each session's
// that takes choices.
func (s *Store) SeatCounts(ctx context.Context, eventID int64) (*rencontres.SeatCounts, error) {
	c := &rencontres.SeatCounts{Sessions: map[int64]rencontres.Count{}}
	if err := s.reader().QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN checked_in_at IS NOT NULL AND status <> 'withdrawn' THEN 1 ELSE 0 END), 0)
		FROM registrations WHERE event_id = $1`, eventID).Scan(&c.Event.Confirmed, &c.Event.Waitlisted, &c.CheckedIn); err != nil {
		return nil, err
	}
	// Counted from the sessions' index of choices (session, status), not
	// by joining every registration of the event: a registration chooses
	// sessions of its own event only.
	rows, err := s.reader().QueryContext(ctx, `SELECT c.session_id, SUM(CASE WHEN c.status = 'confirmed' THEN 1 ELSE 0 END),
		SUM(CASE WHEN c.status = 'waitlisted' THEN 1 ELSE 0 END)
		FROM registration_choices c WHERE c.session_id IN (SELECT id FROM programme_sessions WHERE edition_id = $1) GROUP BY c.session_id`, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n rencontres.Count
		if err := rows.Scan(&id, &n.Confirmed, &n.Waitlisted); err != nil {
			return nil, err
		}
		c.Sessions[id] = n
	}
	return c, rows.Err()
}

// aloud and on a phone's keypad (Crockford's base 32).
func badgeCode() string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	b := make([]byte, 10)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// RegistrationByCode finds a registration of an event by its badge code.
func (s *Store) RegistrationByCode(ctx context.Context, eventID int64, code string) (*rencontres.Registration, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	var id int64
	err := s.reader().QueryRowContext(ctx, "SELECT id FROM registrations WHERE event_id = $1 AND code = $2", eventID, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &rencontres.Error{Code: rencontres.ENOTFOUND, Key: "error.badge_unknown", Field: "code",
			Message: fmt.Sprintf("no badge %q at this event", code), Args: map[string]any{"Value": code}}
	}
	if err != nil {
		return nil, err
	}
	return s.Registration(ctx, eventID, id)
}

// CheckIn marks the holder of a badge present, once: a badge that does
// not exist, was withdrawn or was already used says so.
func (s *Store) CheckIn(ctx context.Context, eventID int64, code string, now time.Time) (*rencontres.Registration, error) {
	var r *rencontres.Registration
	err := s.InTx(ctx, func(s *Store) error {
		var err error
		if r, err = s.RegistrationByCode(ctx, eventID, code); err != nil {
			return err
		}
		switch {
		case r.Status == rencontres.Withdrawn:
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.badge_withdrawn", Field: "code", Message: "this registration was withdrawn",
				Args: map[string]any{"Name": r.DisplayName(rencontres.French)}}
		case r.CheckedIn != nil:
			e, _ := s.Event(ctx, eventID)
			at := r.CheckedIn.UTC()
			if e != nil {
				at = at.In(e.Location())
			}
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.badge_used", Field: "code", Message: "this badge was already used",
				Args: map[string]any{"Name": r.DisplayName(rencontres.French), "At": at}}
		}
		res, err := s.writer().ExecContext(ctx, "UPDATE registrations SET checked_in_at = $2 WHERE id = $1 AND checked_in_at IS NULL", r.ID, ts(now))
		if err := oneRow(res, err, "registration"); err != nil {
			return err
		}
		t := now.UTC()
		r.CheckedIn = &t
		return nil
	})
	return r, err
}
