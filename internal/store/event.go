package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

const eventColumns = `v.id, v.kind, v.title, COALESCE(se.slug, ''), COALESCE(ed.number, 0), COALESCE(ed.year, 0), COALESCE(se.short_name, '{}'), COALESCE(v.edition_id, 0),
	COALESCE(v.committee_id, 0), COALESCE(v.within_id, 0), v.venue, v.address, v.time_zone, v.start_date, v.end_date,
	COALESCE(v.start_time, ''), COALESCE(v.end_time, ''), v.status, v.published, v.minutes, COALESCE(h.key, ''),
	CASE WHEN EXISTS (SELECT 1 FROM event_date_changes dc WHERE dc.event_id = v.id) THEN 1 ELSE 0 END`

// eventFrom joins an event to its edition's series, number and host: an
// edition's own, for an edition.
const eventFrom = ` FROM events v LEFT JOIN editions ed ON ed.id = v.id LEFT JOIN series se ON se.id = ed.series_id
	LEFT JOIN organisations h ON h.id = ed.host_id`

// scanEvent scans an event, and whether it has date changes to read
// (most have none: their reading is then skipped).
func scanEvent(row scanner) (*rencontres.Event, bool, error) {
	var e rencontres.Event
	var changed int
	err := row.Scan(&e.ID, &e.Kind, &e.Title, &e.Series, &e.Number, &e.Year, &e.SeriesShort, &e.EditionID, &e.CommitteeID, &e.WithinID,
		&e.Venue, &e.Address, &e.TimeZone, &e.Start, &e.End, &e.StartTime, &e.EndTime, &e.Status, &e.Published, &e.Minutes, &e.Host, &changed)
	if err != nil {
		return nil, false, err
	}
	e.DateChanges = []rencontres.DateChange{}
	return &e, changed == 1, nil
}

// Events lists events in order of their first day, each with its history
// of date changes.
func (s *Store) Events(ctx context.Context, f rencontres.EventFilter) ([]*rencontres.Event, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+eventColumns+eventFrom+`
		WHERE ($1 = '' OR v.kind = $1) AND ($2 = 0 OR v.edition_id = $2) AND ($3 = 0 OR v.committee_id = $3)
		AND ($4 = '' OR v.end_date >= $4) AND ($5 = '' OR v.start_date <= $5)
		ORDER BY COALESCE(v.start_date, CAST(ed.year AS TEXT)), v.id`,
		string(f.Kind), f.EditionID, f.CommitteeID, f.From.String(), f.To.String())
	if err != nil {
		return nil, err
	}
	return s.scanEvents(ctx, rows, true)
}

// scanEvents scans the events of rows, in order, and reads the date
// changes of those that have some when changes is set.
func (s *Store) scanEvents(ctx context.Context, rows *sql.Rows, changes bool) ([]*rencontres.Event, error) {
	var out []*rencontres.Event
	changed := map[int64]*rencontres.Event{}
	for rows.Next() {
		e, c, err := scanEvent(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
		if c && changes {
			changed[e.ID] = e
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.loadDateChanges(ctx, changed)
}

func (s *Store) loadDateChanges(ctx context.Context, byID map[int64]*rencontres.Event) error {
	if len(byID) == 0 {
		return nil
	}
	ids, in := inList(byID)
	return s.dateChanges(ctx, ids, in, func(id int64, c rencontres.DateChange) {
		byID[id].DateChanges = append(byID[id].DateChanges, c)
	})
}

// dateChanges reads the date changes of the events in the IN list, in
// order, handing each to add.
func (s *Store) dateChanges(ctx context.Context, ids []any, in string, add func(id int64, c rencontres.DateChange)) error {
	rows, err := s.reader().QueryContext(ctx, `SELECT event_id, from_start, from_end, to_start, to_end, decided_on, reason, kind
		FROM event_date_changes WHERE event_id IN `+in+` ORDER BY event_id, seq`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c rencontres.DateChange
		if err := rows.Scan(&id, &c.FromStart, &c.FromEnd, &c.ToStart, &c.ToEnd, &c.DecidedOn, &c.Reason, &c.Kind); err != nil {
			return err
		}
		add(id, c)
	}
	return rows.Err()
}

// inList returns the keys of m as bound parameters and the "($1, $2…)" list
// naming them.
func inList[T any](m map[int64]T) ([]any, string) {
	ids := make([]any, 0, len(m))
	marks := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
		marks = append(marks, fmt.Sprintf("$%d", len(ids)))
	}
	return ids, "(" + strings.Join(marks, ", ") + ")"
}

// Event returns one event with its date changes and the event it is held
// within.
func (s *Store) Event(ctx context.Context, id int64) (*rencontres.Event, error) {
	var e *rencontres.Event
	var ok bool
	var err error
	if s.reads != nil && s.tx == nil {
		e, ok, err = s.reads.events.get(ctx, id)
	} else {
		var got map[int64]*rencontres.Event
		got, err = s.events(ctx, []int64{id})
		e, ok = got[id]
	}
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, rencontres.NotFound("event")
	}
	return e, nil
}

// events reads the events of ids, each with its date changes and the
// event it is held within.
func (s *Store) events(ctx context.Context, ids []int64) (map[int64]*rencontres.Event, error) {
	out, err := s.eventsByID(ctx, ids, true)
	if err != nil {
		return nil, err
	}
	var within []int64
	for _, e := range out {
		if e.WithinID != 0 && !slices.Contains(within, e.WithinID) {
			within = append(within, e.WithinID)
		}
	}
	if len(within) == 0 {
		return out, nil
	}
	outer, err := s.eventsByID(ctx, within, false)
	if err != nil {
		return nil, err
	}
	for _, e := range out {
		if e.WithinID != 0 {
			w := outer[e.WithinID]
			if w == nil {
				return nil, fmt.Errorf("event %d: the event it is held within (%d) is gone", e.ID, e.WithinID)
			}
			e.Within = cloneEvent(w) // each its own, if several are within it
		}
	}
	return out, nil
}

// eventsByID reads the events of ids, with their date changes if changes.
func (s *Store) eventsByID(ctx context.Context, ids []int64, changes bool) (map[int64]*rencontres.Event, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.reader().QueryContext(ctx, "SELECT "+eventColumns+eventFrom+" WHERE v.id IN "+in(0, len(args)), args...)
	if err != nil {
		return nil, err
	}
	list, err := s.scanEvents(ctx, rows, changes)
	out := make(map[int64]*rencontres.Event, len(list))
	for _, e := range list {
		out[e.ID] = e
	}
	return out, err
}

// cloneEvent copies an event for another request.
func cloneEvent(e *rencontres.Event) *rencontres.Event {
	c := *e
	c.Title, c.SeriesShort, c.Venue, c.Minutes = maps.Clone(e.Title), maps.Clone(e.SeriesShort), maps.Clone(e.Venue), maps.Clone(e.Minutes)
	c.DateChanges = slices.Clone(e.DateChanges)
	if e.Within != nil {
		c.Within = cloneEvent(e.Within)
	}
	return &c
}

// checkEventLinks checks what an event points to: its committee (whose
// edition it then prepares), its edition, and the event it is held within,
// whose days must contain its own.
func (s *Store) checkEventLinks(ctx context.Context, e *rencontres.Event) error {
	if e.Kind == rencontres.CommitteeMeeting && e.CommitteeID == 0 {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "committee_id", Message: "a committee meeting needs its committee"}
	}
	if e.CommitteeID != 0 {
		err := s.reader().QueryRowContext(ctx, "SELECT edition_id FROM committees WHERE id = $1", e.CommitteeID).Scan(&e.EditionID)
		if errors.Is(err, sql.ErrNoRows) {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_committee", Field: "committee_id", Message: "unknown committee", Args: map[string]any{"ID": e.CommitteeID}}
		}
		if err != nil {
			return err
		}
	}
	if e.EditionID != 0 && e.Kind != rencontres.EditionEvent {
		var n int
		if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM editions WHERE id = $1", e.EditionID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_event", Field: "edition_id", Message: "unknown edition", Args: map[string]any{"ID": e.EditionID}}
		}
	}
	if e.WithinID == 0 {
		return nil
	}
	if e.WithinID == e.ID {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.within_itself", Field: "within_id", Message: "an event cannot be held within itself"}
	}
	host, err := s.Event(ctx, e.WithinID)
	if err != nil {
		if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_event", Field: "within_id", Message: "unknown event", Args: map[string]any{"ID": e.WithinID}}
		}
		return err
	}
	if host.WithinID != 0 {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.within_nested", Field: "within_id", Message: "the host event is itself held within another"}
	}
	if !host.Start.IsZero() && !e.Start.IsZero() && (e.Start.Before(host.Start) || host.End.Before(e.End)) {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.outside_host", Field: "start",
			Message: fmt.Sprintf("the event's days are outside its host's, %s to %s", host.Start, host.End),
			Args:    map[string]any{"Start": host.Start, "End": host.End}}
	}
	return nil
}

// SaveEvent creates an event (ID 0) or updates one. When an update changes
// its days, the change joins its history with the kind and reason of move
// (a postponement when nil), and a planned event postponed to later days
// becomes postponed; a correction leaves its status alone. Editions are created by SaveEdition,
// then edited here like any event.
func (s *Store) SaveEvent(ctx context.Context, e *rencontres.Event, move *rencontres.DateChange) error {
	if err := e.Validate(); err != nil {
		return err
	}
	change := rencontres.DateChange{Kind: rencontres.Postponement}
	if move != nil {
		change.Reason = move.Reason
		if move.Kind != "" {
			change.Kind = move.Kind
		}
	}
	if !rencontres.ValidDateChangeKind(change.Kind) {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "date_change.bad_kind", Field: "date_change", Message: fmt.Sprintf("unknown kind of date change %q", change.Kind)}
	}
	if err := change.Reason.Validate("reason", false); err != nil {
		return err
	}
	return s.InTx(ctx, func(s *Store) error {
		if err := s.checkEventLinks(ctx, e); err != nil {
			return err
		}
		if e.ID == 0 && e.Kind == rencontres.EditionEvent {
			return s.createEdition(ctx, e)
		}
		if e.ID == 0 {
			return s.writer().QueryRowContext(ctx, `INSERT INTO events (kind, title, edition_id, committee_id, within_id, venue, address,
				time_zone, start_date, end_date, start_time, end_time, status, published, minutes)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
				e.Kind, e.Title, nullID(e.EditionID), nullID(e.CommitteeID), nullID(e.WithinID), e.Venue, e.Address, e.TimeZone,
				e.Start, e.End, nullText(e.StartTime), nullText(e.EndTime), e.Status, e.Published, e.Minutes).Scan(&e.ID)
		}
		old, err := s.Event(ctx, e.ID)
		if err != nil {
			return err
		}
		if old.Kind != e.Kind {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.kind_fixed", Field: "kind", Message: "an event's kind cannot change"}
		}
		if e.Kind == rencontres.EditionEvent {
			e.EditionID = e.ID
		}
		moved := !old.Start.IsZero() && (old.Start != e.Start || old.End != e.End)
		if moved && change.Kind == rencontres.Postponement && old.Status == rencontres.Planned && e.Status == rencontres.Planned && old.Start.Before(e.Start) {
			e.Status = rencontres.Postponed
		}
		if _, err := s.writer().ExecContext(ctx, `UPDATE events SET title = $2, edition_id = $3, committee_id = $4, within_id = $5,
			venue = $6, address = $7, time_zone = $8, start_date = $9, end_date = $10, start_time = $11, end_time = $12,
			status = $13, published = $14, minutes = $15 WHERE id = $1`,
			e.ID, e.Title, nullID(e.EditionID), nullID(e.CommitteeID), nullID(e.WithinID), e.Venue, e.Address, e.TimeZone,
			e.Start, e.End, nullText(e.StartTime), nullText(e.EndTime), e.Status, e.Published, e.Minutes); err != nil {
			return err
		}
		if e.Kind == rencontres.EditionEvent && e.Host != old.Host {
			if err := s.setHost(ctx, e); err != nil {
				return err
			}
		}
		e.DateChanges = old.DateChanges
		if moved {
			c := rencontres.DateChange{Kind: change.Kind, FromStart: old.Start, FromEnd: old.End, ToStart: e.Start, ToEnd: e.End,
				DecidedOn: rencontres.DateOf(time.Now().In(e.Location())), Reason: change.Reason}
			if _, err := s.writer().ExecContext(ctx, `INSERT INTO event_date_changes
				(event_id, seq, from_start, from_end, to_start, to_end, decided_on, reason, kind)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				e.ID, len(old.DateChanges), c.FromStart, c.FromEnd, c.ToStart, c.ToEnd, c.DecidedOn, c.Reason, c.Kind); err != nil {
				return err
			}
			e.DateChanges = append(e.DateChanges, c)
		}
		return nil
	})
}

// createEdition creates the next edition of a series (or the one numbered
// e.Number), refusing a number already taken.
func (s *Store) createEdition(ctx context.Context, e *rencontres.Event) error {
	se, err := s.Series(ctx, e.Series)
	if err != nil {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_series", Field: "series", Message: "unknown series"}
	}
	if e.Number == 0 {
		e.Number = se.Editions + 1
	}
	if _, err := s.Edition(ctx, e.Series, e.Number); err == nil {
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.edition_exists", Field: "number", Message: "this edition exists already", Args: map[string]any{"Number": e.Number}}
	}
	if e.Year == 0 {
		e.Year = e.Start.Year
	}
	ed := &rencontres.Edition{SeriesSlug: e.Series, Number: e.Number, Year: e.Year, Venue: e.Venue, Start: e.Start, End: e.End,
		TimeZone: e.TimeZone, Status: e.Status, HostKey: e.Host}
	if err := s.SaveEdition(ctx, ed); err != nil {
		if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
			return unknownHost(e.Host)
		}
		return err
	}
	e.ID, e.EditionID = ed.ID, ed.ID
	// What SaveEdition does not know of an event: its address, hours and
	// the title typed for it.
	_, err = s.writer().ExecContext(ctx, "UPDATE events SET title = $2, address = $3, start_time = $4, end_time = $5 WHERE id = $1",
		e.ID, e.Title, e.Address, nullText(e.StartTime), nullText(e.EndTime))
	return err
}

// setHost gives an edition the host authority named by e.Host, or none.
func (s *Store) setHost(ctx context.Context, e *rencontres.Event) error {
	var host sql.NullInt64
	if e.Host != "" {
		id, err := orgID(ctx, s.writer(), e.Host)
		if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
			return unknownHost(e.Host)
		}
		if err != nil {
			return err
		}
		host = sql.NullInt64{Int64: id, Valid: true}
	}
	_, err := s.writer().ExecContext(ctx, "UPDATE editions SET host_id = $2 WHERE id = $1", e.ID, host)
	return err
}

func unknownHost(key string) error {
	return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_organisation", Field: "host",
		Message: fmt.Sprintf("organisation %q not found", key), Args: map[string]any{"Key": key}}
}

// SetPublished publishes an event's programme, or withdraws it.
func (s *Store) SetPublished(ctx context.Context, id int64, published bool) error {
	res, err := s.writer().ExecContext(ctx, "UPDATE events SET published = $2 WHERE id = $1", id, published)
	return oneRow(res, err, "event")
}

// SaveMinutes records a meeting's minutes.
func (s *Store) SaveMinutes(ctx context.Context, id int64, minutes rencontres.Text) error {
	if err := minutes.Validate("minutes", false); err != nil {
		return err
	}
	res, err := s.writer().ExecContext(ctx, "UPDATE events SET minutes = $2 WHERE id = $1", id, minutes)
	return oneRow(res, err, "event")
}

func oneRow(res sql.Result, err error, what string) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return rencontres.NotFound(what)
	}
	return nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func nullText(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// PreviousEdition returns the edition before number in its series, or nil.
func (s *Store) PreviousEdition(ctx context.Context, series string, number int) (*rencontres.Edition, error) {
	if number <= 1 {
		return nil, nil
	}
	e, err := s.Edition(ctx, series, number-1)
	if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
		return nil, nil
	}
	return e, err
}
