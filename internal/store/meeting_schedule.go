package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/schedule"
)

// The schedule of an edition's one-to-one meetings: the accepted requests
// put to the scheduler (internal/schedule) with the slots, tables,
// interpreters, cap and each delegation's sessions, the result stored on
// the requests; then published to the authorities' agendas.

// ScheduleMeetings implements rencontres.MeetingService.
func (s *Store) ScheduleMeetings(ctx context.Context, eventID, by int64, now time.Time) (*rencontres.MeetingSchedule, error) {
	err := s.InTx(ctx, func(s *Store) error {
		e, err := s.meetingEdition(ctx, eventID)
		if err != nil {
			return err
		}
		var locked int64
		if err := s.writer().QueryRowContext(ctx, s.dialect.lockEvent, eventID).Scan(&locked); err != nil {
			return err
		}
		set, err := s.MeetingSettings(ctx, eventID)
		if err != nil {
			return err
		}
		slots := set.Slots(e.Location())
		var faults []error
		if len(slots) == 0 {
			faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "meetings.error_no_slots", Field: "ranges", Message: "give the slots of the meetings"})
		}
		if len(set.Tables) == 0 {
			faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "meetings.error_no_tables", Field: "tables", Message: "give one table at least"})
		}
		if err := rencontres.Join(faults...); err != nil {
			return err
		}
		all, err := s.MeetingRequests(ctx, eventID, "")
		if err != nil {
			return err
		}
		// The earliest requests first: the scheduler's order is theirs.
		var accepted []*rencontres.MeetingRequest
		for i := len(all) - 1; i >= 0; i-- {
			if all[i].State == rencontres.RequestAccepted {
				accepted = append(accepted, all[i])
			}
		}
		p, err := s.meetingProblem(ctx, eventID, set, slots, accepted)
		if err != nil {
			return err
		}
		res := schedule.Solve(p)
		if _, err := s.writer().ExecContext(ctx, `UPDATE meeting_requests SET slot_start = NULL, slot_end = NULL, table_name = '', interpreter = FALSE, unplaced = ''
			WHERE event_id = $1`, eventID); err != nil {
			return err
		}
		for _, pl := range res.Placed {
			if pl.Slot < 0 || pl.Slot >= len(slots) || pl.Table < 0 || pl.Table >= len(set.Tables) {
				return fmt.Errorf("schedule: request %d placed at slot %d, table %d, outside the settings", pl.Request, pl.Slot, pl.Table)
			}
			sl := slots[pl.Slot]
			if _, err := s.writer().ExecContext(ctx, `UPDATE meeting_requests SET slot_start = $2, slot_end = $3, table_name = $4, interpreter = $5
				WHERE id = $1 AND event_id = $6`, pl.Request, ts(sl.Start), ts(sl.End), set.Tables[pl.Table], pl.Interpreter, eventID); err != nil {
				return err
			}
		}
		for _, u := range res.Unplaced {
			if _, err := s.writer().ExecContext(ctx, "UPDATE meeting_requests SET unplaced = $2 WHERE id = $1 AND event_id = $3",
				u.Request, string(u.Reason), eventID); err != nil {
				return err
			}
		}
		_, err = s.writer().ExecContext(ctx, "UPDATE meeting_settings SET scheduled_at = $2, updated_by = $3, updated_at = $2 WHERE event_id = $1",
			eventID, ts(now), nullID(by))
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.MeetingSchedule(ctx, eventID)
}

// meetingProblem builds the scheduler's problem: a delegation per
// authority of the accepted requests, busy in the slots that overlap a
// session someone of it has a seat at, an interpreter for two authorities
// without a common language, and the earlier placements kept.
func (s *Store) meetingProblem(ctx context.Context, eventID int64, set *rencontres.MeetingSettings, slots []rencontres.Slot,
	accepted []*rencontres.MeetingRequest) (*schedule.Problem, error) {
	p := &schedule.Problem{Slots: len(slots), Cap: set.Cap, Busy: map[int][]int{}}
	for _, sl := range slots {
		p.Tables = append(p.Tables, len(set.Tables))
		p.Interpreters = append(p.Interpreters, sl.Interpreters)
	}
	index := map[string]int{}
	orgs := map[string]*rencontres.Organisation{}
	for _, q := range accepted {
		for _, k := range []string{q.From, q.To} {
			if _, ok := index[k]; ok {
				continue
			}
			o, err := s.Organisation(ctx, k)
			if err != nil {
				return nil, err
			}
			index[k], orgs[k] = len(index), o
		}
	}
	p.Delegations = len(index)
	rows, err := s.reader().QueryContext(ctx, `SELECT DISTINCT o.key, ps.starts_at, ps.ends_at FROM registration_choices c
		JOIN registrations r ON r.id = c.registration_id JOIN delegations g ON g.id = r.delegation_id
		JOIN organisations o ON o.id = g.org_id JOIN programme_sessions ps ON ps.id = c.session_id
		WHERE r.event_id = $1 AND r.status <> 'withdrawn' AND c.status = 'confirmed'`, eventID)
	if err != nil {
		return nil, err
	}
	busy := map[int]map[int]bool{}
	for rows.Next() {
		var key, start, end string
		if err := rows.Scan(&key, &start, &end); err != nil {
			rows.Close()
			return nil, err
		}
		d, ok := index[key]
		if !ok {
			continue
		}
		from, err1 := parseTS(start)
		to, err2 := parseTS(end)
		if err1 != nil || err2 != nil {
			continue
		}
		for i, sl := range slots {
			if sl.Start.Before(to) && from.Before(sl.End) {
				if busy[d] == nil {
					busy[d] = map[int]bool{}
				}
				busy[d][i] = true
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for d, m := range busy {
		for i := range m {
			p.Busy[d] = append(p.Busy[d], i)
		}
		slices.Sort(p.Busy[d])
	}
	for _, q := range accepted {
		need := rencontres.NeedInterpreter(orgs[q.From], orgs[q.To])
		p.Requests = append(p.Requests, schedule.Request{ID: q.ID, A: index[q.From], B: index[q.To], Interpreter: need})
		if q.Start == nil {
			continue
		}
		slot := slices.IndexFunc(slots, func(sl rencontres.Slot) bool { return sl.Start.Equal(*q.Start) })
		table := slices.Index(set.Tables, q.Table)
		if slot >= 0 && table >= 0 {
			p.Keep = append(p.Keep, schedule.Placement{Request: q.ID, Slot: slot, Table: table, Interpreter: need})
		}
	}
	return p, nil
}

// PublishMeetings implements rencontres.MeetingService.
func (s *Store) PublishMeetings(ctx context.Context, eventID int64, state rencontres.MeetingState, by int64, now time.Time) error {
	if state != rencontres.MeetingsProvisional && state != rencontres.MeetingsFinal {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "meetings.error_bad_state", Field: "state",
			Message: "publish the schedule as provisional or final", Args: map[string]any{"State": string(state)}}
	}
	return s.InTx(ctx, func(s *Store) error {
		if _, err := s.meetingEdition(ctx, eventID); err != nil {
			return err
		}
		set, err := s.MeetingSettings(ctx, eventID)
		if err != nil {
			return err
		}
		if set.Scheduled == nil {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "meetings.error_not_scheduled", Field: "state", Message: "run the schedule before publishing it"}
		}
		all, err := s.MeetingRequests(ctx, eventID, "")
		if err != nil {
			return err
		}
		for _, q := range all {
			var shownTable string
			var shownStart sql.NullString
			if err := s.reader().QueryRowContext(ctx, "SELECT shown_start, shown_table FROM meeting_requests WHERE id = $1", q.ID).Scan(&shownStart, &shownTable); err != nil {
				return err
			}
			was := tsPtr(shownStart)
			switch {
			case was == nil && q.Start == nil:
			case was == nil:
				err = s.queueMeetingMail(ctx, q, "placed", now, q.From, q.To)
			case q.Start == nil || !q.Start.Equal(*was) || q.Table != shownTable:
				err = s.queueMeetingMail(ctx, q, "changed", now, q.From, q.To)
			}
			if err != nil {
				return err
			}
		}
		if _, err := s.writer().ExecContext(ctx, `UPDATE meeting_requests SET shown_start = slot_start, shown_end = slot_end, shown_table = table_name,
			shown_interpreter = interpreter WHERE event_id = $1`, eventID); err != nil {
			return err
		}
		_, err = s.writer().ExecContext(ctx, "UPDATE meeting_settings SET state = $2, published_at = $3, updated_by = $4, updated_at = $3 WHERE event_id = $1",
			eventID, string(state), ts(now), nullID(by))
		return err
	})
}

// MeetingSchedule implements rencontres.MeetingService.
func (s *Store) MeetingSchedule(ctx context.Context, eventID int64) (*rencontres.MeetingSchedule, error) {
	e, err := s.meetingEdition(ctx, eventID)
	if err != nil {
		return nil, err
	}
	set, err := s.MeetingSettings(ctx, eventID)
	if err != nil {
		return nil, err
	}
	all, err := s.MeetingRequests(ctx, eventID, "")
	if err != nil {
		return nil, err
	}
	out := &rencontres.MeetingSchedule{Settings: set, Slots: set.Slots(e.Location()), Requests: []*rencontres.MeetingRequest{}}
	for _, q := range all {
		if q.State != rencontres.RequestAccepted {
			continue
		}
		out.Requests = append(out.Requests, q)
		switch {
		case q.Start != nil:
			out.Placed++
		case q.Unplaced != "":
			out.Unplaced++
		}
	}
	// Placed meetings in time and table order, then the others.
	slices.SortStableFunc(out.Requests, func(a, b *rencontres.MeetingRequest) int {
		switch {
		case a.Start == nil && b.Start == nil:
			return 0
		case a.Start == nil:
			return 1
		case b.Start == nil:
			return -1
		}
		if c := a.Start.Compare(*b.Start); c != 0 {
			return c
		}
		return compareTables(set.Tables, a.Table, b.Table)
	})
	return out, nil
}

func compareTables(tables []string, a, b string) int {
	return slices.Index(tables, a) - slices.Index(tables, b)
}
