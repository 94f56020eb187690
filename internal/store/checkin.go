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
// that takes choices. Both are sums over the kept tallies (migration
// 00055), a few rows a delegation or session however many registrations.
func (s *Store) SeatCounts(ctx context.Context, eventID int64) (*rencontres.SeatCounts, error) {
	c := &rencontres.SeatCounts{Sessions: map[int64]rencontres.Count{}}
	if err := s.reader().QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN status = 'confirmed' THEN n ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN n ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status <> 'withdrawn' THEN checked_in ELSE 0 END), 0)
		FROM registration_tallies WHERE event_id = $1`, eventID).Scan(&c.Event.Confirmed, &c.Event.Waitlisted, &c.CheckedIn); err != nil {
		return nil, err
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT t.session_id, SUM(CASE WHEN t.status = 'confirmed' THEN t.n ELSE 0 END),
		SUM(CASE WHEN t.status = 'waitlisted' THEN t.n ELSE 0 END)
		FROM session_tallies t JOIN programme_sessions ps ON ps.id = t.session_id WHERE ps.edition_id = $1
		GROUP BY t.session_id HAVING SUM(t.n) > 0`, eventID)
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

// badgeCode makes a badge's code: ten characters easy to read out
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
