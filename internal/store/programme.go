package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// SaveRoom creates or updates a room of an edition.
func (s *Store) SaveRoom(ctx context.Context, editionID int64, r *rencontres.Room) error {
	var negative error
	if r.Capacity < 0 {
		negative = &rencontres.Error{Code: rencontres.EINVALID, Key: "error.negative", Field: "capacity", Message: "must not be negative"}
	}
	if err := rencontres.Join(r.Name.Validate("name", true), negative); err != nil {
		return err
	}
	if r.ID == 0 {
		return s.writer().QueryRowContext(ctx, "INSERT INTO rooms (edition_id, name, capacity) VALUES ($1, $2, $3) RETURNING id",
			editionID, r.Name, r.Capacity).Scan(&r.ID)
	}
	_, err := s.writer().ExecContext(ctx, "UPDATE rooms SET name = $3, capacity = $4 WHERE id = $1 AND edition_id = $2", r.ID, editionID, r.Name, r.Capacity)
	return err
}

// Rooms lists an edition's rooms.
func (s *Store) Rooms(ctx context.Context, editionID int64) ([]*rencontres.Room, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT id, name, capacity FROM rooms WHERE edition_id = $1 ORDER BY id", editionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*rencontres.Room
	for rows.Next() {
		var r rencontres.Room
		if err := rows.Scan(&r.ID, &r.Name, &r.Capacity); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// SaveSession creates or updates a programme session, refusing it when
// its room is taken at that time or one of its speakers is somewhere else
// then; the error names the other session.
func (s *Store) SaveSession(ctx context.Context, ses *rencontres.Session) error {
	if err := ses.Validate(); err != nil {
		return err
	}
	return s.InTx(ctx, func(s *Store) error {
		var locked int64
		if err := s.writer().QueryRowContext(ctx, s.dialect.lockEdition, ses.EditionID).Scan(&locked); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return rencontres.NotFound("edition")
			}
			return err
		}
		ev, err := s.Event(ctx, ses.EditionID)
		if err != nil {
			return err
		}
		if !ev.Start.IsZero() && (ses.Start.Before(ev.StartsAt()) || ses.End.After(ev.EndsAt())) {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.outside_event", Field: "start",
				Message: fmt.Sprintf("the session is outside the event's days, %s to %s", ev.Start, ev.End),
				Args:    map[string]any{"Start": ev.Start, "End": ev.End}}
		}
		start, end := ts(ses.Start), ts(ses.End)
		var room sql.NullInt64
		if ses.RoomID != 0 {
			var n int
			if err := s.writer().QueryRowContext(ctx, "SELECT COUNT(*) FROM rooms WHERE id = $1 AND edition_id = $2", ses.RoomID, ses.EditionID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_room", Field: "room", Message: fmt.Sprintf("room %d is not a room of this edition", ses.RoomID)}
			}
			room = sql.NullInt64{Int64: ses.RoomID, Valid: true}
			var other rencontres.Text
			err := s.writer().QueryRowContext(ctx, `SELECT title FROM programme_sessions
				WHERE edition_id = $1 AND room_id = $2 AND id <> $3 AND starts_at < $4 AND ends_at > $5 ORDER BY starts_at LIMIT 1`,
				ses.EditionID, ses.RoomID, ses.ID, end, start).Scan(&other)
			if err == nil {
				return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.room_taken", Field: "room",
					Message: fmt.Sprintf("the room is taken then by %q", other.In(rencontres.English)), Args: map[string]any{"Other": other}}
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		for i, sp := range ses.Speakers {
			var other rencontres.Text
			err := s.writer().QueryRowContext(ctx, `SELECT ps.title FROM session_speakers sp JOIN programme_sessions ps ON ps.id = sp.session_id
				WHERE ps.edition_id = $1 AND sp.person_key = $2 AND ps.id <> $3 AND ps.starts_at < $4 AND ps.ends_at > $5 ORDER BY ps.starts_at LIMIT 1`,
				ses.EditionID, rencontres.FoldSearch(sp.Person), ses.ID, end, start).Scan(&other)
			if err == nil {
				return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.speaker_busy", Field: fmt.Sprintf("speakers[%d]", i),
					Message: fmt.Sprintf("%s speaks then in %q", sp.Person, other.In(rencontres.English)), Args: map[string]any{"Person": sp.Person, "Other": other}}
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		sdgs, _ := json.Marshal(ses.SDGs)
		if ses.SDGs == nil {
			sdgs = []byte("[]")
		}
		if ses.ID == 0 {
			if err := s.writer().QueryRowContext(ctx, `INSERT INTO programme_sessions
				(edition_id, kind, title, description, starts_at, ends_at, room_id, sdgs, interpretation, capacity)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
				ses.EditionID, ses.Kind, ses.Title, ses.Description, start, end, room, string(sdgs), ses.Interpretation, ses.Capacity).Scan(&ses.ID); err != nil {
				return err
			}
		} else {
			res, err := s.writer().ExecContext(ctx, `UPDATE programme_sessions SET kind = $3, title = $4, description = $5, starts_at = $6,
				ends_at = $7, room_id = $8, sdgs = $9, interpretation = $10, capacity = $11 WHERE id = $1 AND edition_id = $2`,
				ses.ID, ses.EditionID, ses.Kind, ses.Title, ses.Description, start, end, room, string(sdgs), ses.Interpretation, ses.Capacity)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return rencontres.NotFound("session")
			}
			if _, err := s.writer().ExecContext(ctx, "DELETE FROM session_speakers WHERE session_id = $1", ses.ID); err != nil {
				return err
			}
		}
		for i, sp := range ses.Speakers {
			var org sql.NullInt64
			if sp.OrgKey != "" {
				id, err := orgID(ctx, s.tx, sp.OrgKey)
				if err != nil {
					return err
				}
				org = sql.NullInt64{Int64: id, Valid: true}
			}
			if _, err := s.writer().ExecContext(ctx, `INSERT INTO session_speakers (session_id, seq, person, person_key, role, org_id, person_ja)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, ses.ID, i, sp.Person, rencontres.FoldSearch(sp.Person), sp.Role, org, sp.PersonJa); err != nil {
				return err
			}
		}
		return nil
	})
}

// Sessions lists an edition's programme in time order, with speakers.
func (s *Store) Sessions(ctx context.Context, editionID int64) ([]*rencontres.Session, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT id, kind, title, description, starts_at, ends_at, COALESCE(room_id, 0), sdgs, interpretation, capacity
		FROM programme_sessions WHERE edition_id = $1 ORDER BY starts_at, id`, editionID)
	if err != nil {
		return nil, err
	}
	var out []*rencontres.Session
	byID := map[int64]*rencontres.Session{}
	for rows.Next() {
		ses := &rencontres.Session{EditionID: editionID}
		var start, end, sdgs string
		if err := rows.Scan(&ses.ID, &ses.Kind, &ses.Title, &ses.Description, &start, &end, &ses.RoomID, &sdgs, &ses.Interpretation, &ses.Capacity); err != nil {
			rows.Close()
			return nil, err
		}
		if ses.Start, err = parseTS(start); err == nil {
			ses.End, err = parseTS(end)
		}
		if err == nil {
			err = json.Unmarshal([]byte(sdgs), &ses.SDGs)
		}
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("session %d: %w", ses.ID, err)
		}
		out = append(out, ses)
		byID[ses.ID] = ses
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.reader().QueryContext(ctx, `SELECT sp.session_id, sp.person, sp.role, COALESCE(o.key, ''), sp.person_ja FROM session_speakers sp
		JOIN programme_sessions ps ON ps.id = sp.session_id LEFT JOIN organisations o ON o.id = sp.org_id
		WHERE ps.edition_id = $1 ORDER BY sp.session_id, sp.seq`, editionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var sp rencontres.Speaker
		if err := rows.Scan(&id, &sp.Person, &sp.Role, &sp.OrgKey, &sp.PersonJa); err != nil {
			return nil, err
		}
		if ses := byID[id]; ses != nil {
			ses.Speakers = append(ses.Speakers, sp)
		}
	}
	return out, rows.Err()
}

// DeleteProgrammeSession removes a session from an edition's programme.
func (s *Store) DeleteProgrammeSession(ctx context.Context, editionID, id int64) error {
	res, err := s.writer().ExecContext(ctx, "DELETE FROM programme_sessions WHERE id = $1 AND edition_id = $2", id, editionID)
	return oneRow(res, err, "session")
}
