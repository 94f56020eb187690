package store

import (
	"context"
	"database/sql"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// MeetingsOf implements rencontres.MeetingAgenda: the meetings of an
// authority as last published (none before the first publication), in
// time order.
func (s *Store) MeetingsOf(ctx context.Context, eventID int64, orgKey string) ([]*rencontres.Meeting, error) {
	set, err := s.MeetingSettings(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if set.State == rencontres.MeetingsUnpublished {
		return []*rencontres.Meeting{}, nil
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT q.id, f.key, t.key, q.shown_start, q.shown_end, q.shown_table, q.shown_interpreter`+meetingRequestFrom+`
		WHERE q.event_id = $1 AND (f.key = $2 OR t.key = $2) AND q.shown_start IS NOT NULL ORDER BY q.shown_start, q.id`, eventID, orgKey)
	if err != nil {
		return nil, err
	}
	type row struct {
		m        *rencontres.Meeting
		from, to string
	}
	var found []row
	for rows.Next() {
		m := &rencontres.Meeting{EventID: eventID, Final: set.State == rencontres.MeetingsFinal}
		var r row
		var start, end sql.NullString
		if err := rows.Scan(&m.RequestID, &r.from, &r.to, &start, &end, &m.Table, &m.Interpreter); err != nil {
			rows.Close()
			return nil, err
		}
		if t := tsPtr(start); t != nil {
			m.Start = *t
		}
		if t := tsPtr(end); t != nil {
			m.End = *t
		}
		r.m = m
		found = append(found, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]*rencontres.Meeting, 0, len(found))
	for _, r := range found {
		partner := r.to
		if r.to == orgKey {
			partner = r.from
		}
		if r.m.Partner, err = s.Organisation(ctx, partner); err != nil {
			return nil, err
		}
		// The secretariat's notes are no part of an agenda.
		r.m.Partner.Notes = ""
		out = append(out, r.m)
	}
	return out, nil
}
