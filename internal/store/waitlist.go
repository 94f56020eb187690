package store

import (
	"context"
	"database/sql"
	"errors"
	"math"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The waiting lists: seats given to those waiting when seats free up, and
// the places on each list numbered again when someone leaves it.

// fill gives free seats to those waiting, first come first served: event
// seats in the order of registration, then each session's seats in the
// order of choice, among those with a seat at the event. It is called, with
// the event locked, after every change that may free or add seats.
func (s *Store) fill(ctx context.Context, eventID int64) ([]rencontres.Promotion, error) {
	var promoted []rencontres.Promotion
	var capacity int
	err := s.writer().QueryRowContext(ctx, "SELECT capacity FROM registration_forms WHERE event_id = $1", eventID).Scan(&capacity)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	limit := math.MaxInt32 // every one waiting
	if capacity > 0 {
		var confirmed int
		if err := s.writer().QueryRowContext(ctx, "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'confirmed'", eventID).Scan(&confirmed); err != nil {
			return nil, err
		}
		limit = max(capacity-confirmed, 0)
	}
	if limit != 0 {
		ids, err := s.ids(ctx, `SELECT id FROM registrations WHERE event_id = $1 AND status = 'waitlisted' ORDER BY id LIMIT $2`, eventID, limit)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if _, err := s.writer().ExecContext(ctx, "UPDATE registrations SET status = 'confirmed', position = 0 WHERE id = $1", id); err != nil {
				return nil, err
			}
			promoted = append(promoted, rencontres.Promotion{RegistrationID: id})
		}
		if len(ids) > 0 {
			if err := s.renumberEvent(ctx, eventID); err != nil {
				return nil, err
			}
		}
	}
	// Each session with someone waiting, with its capacity: its own, or
	// its room's, or none.
	rows, err := s.writer().QueryContext(ctx, `SELECT ps.id, CASE WHEN ps.capacity > 0 THEN ps.capacity ELSE COALESCE(rm.capacity, 0) END,
			(SELECT COUNT(*) FROM registration_choices c JOIN registrations r ON r.id = c.registration_id
				WHERE c.session_id = ps.id AND c.status = 'confirmed')
		FROM programme_sessions ps LEFT JOIN rooms rm ON rm.id = ps.room_id
		WHERE ps.edition_id = $1 AND EXISTS (SELECT 1 FROM registration_choices c WHERE c.session_id = ps.id AND c.status = 'waitlisted')`, eventID)
	if err != nil {
		return nil, err
	}
	type seats struct {
		session         int64
		capacity, taken int
	}
	var all []seats
	for rows.Next() {
		var x seats
		if err := rows.Scan(&x.session, &x.capacity, &x.taken); err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, x := range all {
		limit := math.MaxInt32
		if x.capacity > 0 {
			limit = max(x.capacity-x.taken, 0)
		}
		if limit == 0 {
			continue
		}
		ids, err := s.ids(ctx, `SELECT c.registration_id FROM registration_choices c JOIN registrations r ON r.id = c.registration_id
			WHERE c.session_id = $1 AND c.status = 'waitlisted' AND r.status = 'confirmed' ORDER BY c.seq LIMIT $2`, x.session, limit)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if _, err := s.writer().ExecContext(ctx, "UPDATE registration_choices SET status = 'confirmed', position = 0 WHERE registration_id = $1 AND session_id = $2",
				id, x.session); err != nil {
				return nil, err
			}
			promoted = append(promoted, rencontres.Promotion{RegistrationID: id, SessionID: x.session})
		}
		if len(ids) > 0 {
			if err := s.renumberSession(ctx, x.session); err != nil {
				return nil, err
			}
		}
	}
	return promoted, nil
}

// renumberEvent numbers again the places on an event's waiting list, after
// someone left it: only the places that changed are written.
func (s *Store) renumberEvent(ctx context.Context, eventID int64) error {
	_, err := s.writer().ExecContext(ctx, `UPDATE registrations SET position = w.pos
		FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS pos FROM registrations WHERE event_id = $1 AND status = 'waitlisted') AS w
		WHERE registrations.id = w.id AND registrations.position <> w.pos`, eventID)
	return err
}

// renumberSession numbers again the places on a session's waiting list.
func (s *Store) renumberSession(ctx context.Context, sessionID int64) error {
	_, err := s.writer().ExecContext(ctx, `UPDATE registration_choices SET position = w.pos
		FROM (SELECT registration_id, ROW_NUMBER() OVER (ORDER BY seq) AS pos FROM registration_choices WHERE session_id = $1 AND status = 'waitlisted') AS w
		WHERE registration_choices.session_id = $1 AND registration_choices.registration_id = w.registration_id AND registration_choices.position <> w.pos`, sessionID)
	return err
}

func (s *Store) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	return queryIDs(ctx, s.writer(), query, args...)
}

// queryIDs runs a query whose rows are one id each and returns them.
func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// dropChoice removes a person's choice of a session; those behind on its
// waiting list move up.
func (s *Store) dropChoice(ctx context.Context, registrationID, sessionID int64) error {
	if _, err := s.writer().ExecContext(ctx, "DELETE FROM registration_choices WHERE registration_id = $1 AND session_id = $2", registrationID, sessionID); err != nil {
		return err
	}
	return s.renumberSession(ctx, sessionID)
}
