package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// SaveCommittee creates an edition's committee of a kind, or updates the
// one it has, keeping its id; with members given, they replace its seats.
func (s *Store) SaveCommittee(ctx context.Context, c *rencontres.Committee) error {
	if err := c.Validate(); err != nil {
		return err
	}
	for _, m := range c.Members {
		if err := m.Validate(); err != nil {
			return err
		}
	}
	return s.InTx(ctx, func(s *Store) error {
		var n int
		if err := s.writer().QueryRowContext(ctx, "SELECT COUNT(*) FROM editions WHERE id = $1", c.EditionID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_event", Field: "edition_id", Message: "unknown edition", Args: map[string]any{"ID": c.EditionID}}
		}
		if err := s.writer().QueryRowContext(ctx, `INSERT INTO committees (edition_id, kind, name) VALUES ($1, $2, $3)
			ON CONFLICT (edition_id, kind) DO UPDATE SET name = excluded.name RETURNING id`,
			c.EditionID, c.Kind, c.Name).Scan(&c.ID); err != nil {
			return err
		}
		if c.Members == nil {
			return nil
		}
		if _, err := s.writer().ExecContext(ctx, "DELETE FROM committee_seats WHERE committee_id = $1", c.ID); err != nil {
			return err
		}
		for _, m := range c.Members {
			if err := s.insertSeat(ctx, c.ID, m); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) insertSeat(ctx context.Context, committeeID int64, m *rencontres.CommitteeSeat) error {
	var org sql.NullInt64
	if m.OrgKey != "" {
		id, err := orgID(ctx, s.writer(), m.OrgKey)
		if err != nil {
			return err
		}
		org = nullID(id)
	}
	return s.writer().QueryRowContext(ctx, `INSERT INTO committee_seats (committee_id, seq, person, role, function, org_id, mandate_start, mandate_end,
		person_ja, kana)
		VALUES ($1, (SELECT COALESCE(MAX(seq), -1) + 1 FROM committee_seats WHERE committee_id = $1), $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		committeeID, m.Person, m.Role, m.Function, org, m.MandateStart, m.MandateEnd, m.PersonJa, m.Kana).Scan(&m.ID)
}

// AddSeat gives a person a seat on a committee.
func (s *Store) AddSeat(ctx context.Context, committeeID int64, m *rencontres.CommitteeSeat) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.InTx(ctx, func(s *Store) error {
		var n int
		if err := s.writer().QueryRowContext(ctx, "SELECT COUNT(*) FROM committees WHERE id = $1", committeeID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return rencontres.NotFound("committee")
		}
		return s.insertSeat(ctx, committeeID, m)
	})
}

// DeleteSeat removes a seat.
func (s *Store) DeleteSeat(ctx context.Context, committeeID, seatID int64) error {
	res, err := s.writer().ExecContext(ctx, "DELETE FROM committee_seats WHERE id = $1 AND committee_id = $2", seatID, committeeID)
	return oneRow(res, err, "seat")
}

// Committees lists every committee with the edition it prepares, its
// members and its meetings, the latest edition's first.
func (s *Store) Committees(ctx context.Context) ([]*rencontres.CommitteeRef, error) {
	refs, err := s.AllCommittees(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*rencontres.CommitteeRef, 0, len(refs))
	for _, r := range refs {
		c, err := s.Committee(ctx, r.Committee.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// moveMeetings is migration 7: committee meetings, kept until then as two
// UTC instants, become events with days and clock times in their own zone,
// which SQL alone cannot compute; "raict/8" becomes the id of the event
// they were held within.
func moveMeetings(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT m.committee_id, c.edition_id, m.title, m.starts_at, m.ends_at, m.time_zone, m.venue, m.within
		FROM committee_meetings m JOIN committees c ON c.id = m.committee_id ORDER BY m.committee_id, m.seq`)
	if err != nil {
		return err
	}
	type meeting struct {
		committee, edition int64
		title, venue       rencontres.Text
		start, end, zone   string
		within             string
	}
	var all []meeting
	for rows.Next() {
		var m meeting
		if err := rows.Scan(&m.committee, &m.edition, &m.title, &m.start, &m.end, &m.zone, &m.venue, &m.within); err != nil {
			rows.Close()
			return err
		}
		all = append(all, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, m := range all {
		start, err1 := time.Parse(time.RFC3339, m.start)
		end, err2 := time.Parse(time.RFC3339, m.end)
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		e, err := rencontres.MeetingAt(m.title, start, end, m.zone)
		if err != nil {
			return err
		}
		if end.After(time.Now()) {
			e.Status = rencontres.Planned
		}
		var within sql.NullInt64
		if m.within != "" {
			err := tx.QueryRowContext(ctx, `SELECT e.id FROM editions e JOIN series s ON s.id = e.series_id
				WHERE s.slug || '/' || CAST(e.number AS TEXT) = $1`, m.within).Scan(&within)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO events (kind, title, edition_id, committee_id, within_id, venue, time_zone,
			start_date, end_date, start_time, end_time, status) VALUES ('committee_meeting', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			e.Title, m.edition, m.committee, within, m.venue, e.TimeZone, e.Start, e.End, nullText(e.StartTime), nullText(e.EndTime), e.Status); err != nil {
			return err
		}
	}
	return nil
}

// moveMeetingsBack undoes migration 7.
func moveMeetingsBack(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT v.id, v.committee_id, v.title, v.time_zone, v.start_date, v.end_date,
		COALESCE(v.start_time, ''), COALESCE(v.end_time, ''), v.venue, COALESCE(s.slug || '/' || CAST(e.number AS TEXT), '')
		FROM events v LEFT JOIN editions e ON e.id = v.within_id LEFT JOIN series s ON s.id = e.series_id
		WHERE v.kind = 'committee_meeting' AND v.committee_id IS NOT NULL ORDER BY v.start_date, v.id`)
	if err != nil {
		return err
	}
	type row struct {
		committee int64
		e         rencontres.Event
		within    string
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.e.ID, &r.committee, &r.e.Title, &r.e.TimeZone, &r.e.Start, &r.e.End, &r.e.StartTime, &r.e.EndTime, &r.e.Venue, &r.within); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i, r := range all {
		start, end := r.e.StartsAt(), r.e.StartsAt()
		if r.e.TimeKnown() {
			end = r.e.EndsAt()
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO committee_meetings (committee_id, seq, title, starts_at, ends_at, time_zone, venue, within)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, r.committee, i, r.e.Title, start.UTC().Format(time.RFC3339),
			end.UTC().Format(time.RFC3339), r.e.TimeZone, r.e.Venue, r.within); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM events WHERE kind = 'committee_meeting'")
	return err
}
