package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// One-to-one meetings at an edition (issue 17, migration 00038): the
// secretariat's settings, the authorities' requests and answers. The
// schedule is meeting_schedule.go; an authority's agenda,
// meeting_agenda.go.

// MeetingMailKind is the outbox kind of the meetings' emails: deferred,
// rendered when sent (meetingmail.Mailer) from a MeetingMail payload in
// the recipient contact's language.
const MeetingMailKind = "meeting"

// MeetingMail is the payload of a meeting's email. What is "request" (to
// the requested authority), "accepted" or "declined" (to the requesting
// one), "placed" or "changed" (to both, at a publication).
type MeetingMail struct {
	Event   int64  `json:"event"`
	Request int64  `json:"request"`
	What    string `json:"what"`
	// Org is the authority whose contact receives it.
	Org string `json:"org"`
}

// MeetingSettings reads an event's settings, empty ones when none are
// saved.
func (s *Store) MeetingSettings(ctx context.Context, eventID int64) (*rencontres.MeetingSettings, error) {
	set := &rencontres.MeetingSettings{EventID: eventID, Ranges: []rencontres.SlotRange{}, Tables: []string{}}
	var ranges, tables string
	var deadline, scheduled, published sql.NullString
	err := s.reader().QueryRowContext(ctx, `SELECT ranges, tables, cap, deadline, state, scheduled_at, published_at
		FROM meeting_settings WHERE event_id = $1`, eventID).Scan(&ranges, &tables, &set.Cap, &deadline, &set.State, &scheduled, &published)
	if errors.Is(err, sql.ErrNoRows) {
		return set, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(ranges), &set.Ranges); err != nil {
		return nil, fmt.Errorf("meeting settings %d: %w", eventID, err)
	}
	if err := json.Unmarshal([]byte(tables), &set.Tables); err != nil {
		return nil, fmt.Errorf("meeting settings %d: %w", eventID, err)
	}
	set.Deadline, set.Scheduled, set.Published = tsPtr(deadline), tsPtr(scheduled), tsPtr(published)
	return set, nil
}

// meetingEdition reads the event of the meetings: an edition.
func (s *Store) meetingEdition(ctx context.Context, eventID int64) (*rencontres.Event, error) {
	e, err := s.Event(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if e.Kind != rencontres.EditionEvent {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "meetings.error_not_edition", Message: "one-to-one meetings are held at an edition"}
	}
	return e, nil
}

// SaveMeetingSettings implements rencontres.MeetingService. The state and
// the times of the schedule are not the form's: they stay as they are.
func (s *Store) SaveMeetingSettings(ctx context.Context, set *rencontres.MeetingSettings, by int64, now time.Time) error {
	e, err := s.meetingEdition(ctx, set.EventID)
	if err != nil {
		return err
	}
	if err := set.Validate(e); err != nil {
		return err
	}
	ranges, _ := json.Marshal(set.Ranges)
	tables, _ := json.Marshal(set.Tables)
	_, err = s.writer().ExecContext(ctx, `INSERT INTO meeting_settings (event_id, ranges, tables, cap, deadline, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (event_id) DO UPDATE SET ranges = $2, tables = $3, cap = $4, deadline = $5, updated_by = $6, updated_at = $7`,
		set.EventID, string(ranges), string(tables), set.Cap, nullTS(set.Deadline), nullID(by), ts(now))
	return err
}

const meetingRequestColumns = `q.id, q.event_id, f.key, t.key, q.message, q.state, q.created_at, q.answered_at,
	q.slot_start, q.slot_end, q.table_name, q.interpreter, q.unplaced, q.shown_start`

const meetingRequestFrom = ` FROM meeting_requests q JOIN organisations f ON f.id = q.from_org_id JOIN organisations t ON t.id = q.to_org_id`

func scanMeetingRequest(row scanner) (*rencontres.MeetingRequest, error) {
	q := &rencontres.MeetingRequest{}
	var created string
	var answered, start, end, shown sql.NullString
	if err := row.Scan(&q.ID, &q.EventID, &q.From, &q.To, &q.Message, &q.State, &created, &answered,
		&start, &end, &q.Table, &q.Interpreter, &q.Unplaced, &shown); err != nil {
		return nil, err
	}
	var err error
	if q.Created, err = parseTS(created); err != nil {
		return nil, err
	}
	q.Answered, q.Start, q.End, q.Shown = tsPtr(answered), tsPtr(start), tsPtr(end), tsPtr(shown)
	return q, nil
}

// MeetingRequests implements rencontres.MeetingService.
func (s *Store) MeetingRequests(ctx context.Context, eventID int64, orgKey string) ([]*rencontres.MeetingRequest, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+meetingRequestColumns+meetingRequestFrom+`
		WHERE q.event_id = $1 AND ($2 = '' OR f.key = $2 OR t.key = $2) ORDER BY q.created_at DESC, q.id DESC`, eventID, orgKey)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.MeetingRequest{}
	for rows.Next() {
		q, err := scanMeetingRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// MeetingRequest implements rencontres.MeetingService.
func (s *Store) MeetingRequest(ctx context.Context, eventID, id int64) (*rencontres.MeetingRequest, error) {
	q, err := scanMeetingRequest(s.reader().QueryRowContext(ctx, "SELECT "+meetingRequestColumns+meetingRequestFrom+
		" WHERE q.event_id = $1 AND q.id = $2", eventID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("meeting_request")
	}
	return q, err
}

// meetingOrg is the id of an authority registered for the event (a
// delegation with someone not withdrawn), or a fault on field.
func (s *Store) meetingOrg(ctx context.Context, eventID int64, key, field string) (int64, error) {
	var id int64
	err := s.reader().QueryRowContext(ctx, `SELECT o.id FROM organisations o JOIN delegations g ON g.org_id = o.id AND g.event_id = $1
		WHERE o.key = $2 AND EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = g.id AND r.status <> 'withdrawn')`, eventID, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, &rencontres.Error{Code: rencontres.EINVALID, Key: "meetings.error_not_registered", Field: field,
			Message: fmt.Sprintf("%q is not registered for this edition", key), Args: map[string]any{"Key": key}}
	}
	return id, err
}

// RequestMeeting implements rencontres.MeetingService: both authorities
// registered, no request between them yet either way, before the
// deadline; the request and its emails are written together.
func (s *Store) RequestMeeting(ctx context.Context, q *rencontres.MeetingRequest, by int64, now time.Time) error {
	if err := q.Validate(); err != nil {
		return err
	}
	return s.InTx(ctx, func(s *Store) error {
		if _, err := s.meetingEdition(ctx, q.EventID); err != nil {
			return err
		}
		var locked int64
		if err := s.writer().QueryRowContext(ctx, s.dialect.lockEvent, q.EventID).Scan(&locked); err != nil {
			return err
		}
		set, err := s.MeetingSettings(ctx, q.EventID)
		if err != nil {
			return err
		}
		if set.Deadline != nil && !now.Before(*set.Deadline) {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "meetings.error_deadline", Field: "to",
				Message: "the deadline for requests has passed", Args: map[string]any{"Deadline": *set.Deadline}}
		}
		from, ferr := s.meetingOrg(ctx, q.EventID, q.From, "from")
		to, terr := s.meetingOrg(ctx, q.EventID, q.To, "to")
		if err := rencontres.Join(ferr, terr); err != nil {
			return err
		}
		var n int
		if err := s.reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM meeting_requests WHERE event_id = $1
			AND ((from_org_id = $2 AND to_org_id = $3) OR (from_org_id = $3 AND to_org_id = $2))`, q.EventID, from, to).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "meetings.error_twice", Field: "to",
				Message: "a request between these authorities exists already", Args: map[string]any{"Key": q.To}}
		}
		q.State, q.Created = rencontres.RequestPending, now
		if err := s.writer().QueryRowContext(ctx, `INSERT INTO meeting_requests (event_id, from_org_id, to_org_id, message, state, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, q.EventID, from, to, q.Message, q.State, nullID(by), ts(now)).Scan(&q.ID); err != nil {
			return err
		}
		return s.queueMeetingMail(ctx, q, "request", now, q.To)
	})
}

// AnswerMeeting implements rencontres.MeetingService: a pending request
// only.
func (s *Store) AnswerMeeting(ctx context.Context, eventID, id int64, accept bool, by int64, now time.Time) (*rencontres.MeetingRequest, error) {
	var q *rencontres.MeetingRequest
	err := s.InTx(ctx, func(s *Store) error {
		var err error
		if q, err = s.MeetingRequest(ctx, eventID, id); err != nil {
			return err
		}
		if q.State != rencontres.RequestPending {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "meetings.error_answered", Field: "answer",
				Message: "this request has been answered already"}
		}
		q.State = rencontres.RequestDeclined
		if accept {
			q.State = rencontres.RequestAccepted
		}
		q.Answered = &now
		if _, err := s.writer().ExecContext(ctx, "UPDATE meeting_requests SET state = $2, answered_by = $3, answered_at = $4 WHERE id = $1",
			q.ID, q.State, nullID(by), ts(now)); err != nil {
			return err
		}
		return s.queueMeetingMail(ctx, q, string(q.State), now, q.From)
	})
	if err != nil {
		return nil, err
	}
	return q, nil
}

// queueMeetingMail queues, in the caller's transaction, the email of what
// to each current contact of the authorities orgs, in the contact's
// language. The unique key makes it once per request, event and contact.
func (s *Store) queueMeetingMail(ctx context.Context, q *rencontres.MeetingRequest, what string, now time.Time, orgs ...string) error {
	for _, org := range orgs {
		rows, err := s.reader().QueryContext(ctx, `SELECT u.id, u.email, u.name, u.name_ja, u.lang FROM user_organisations uo
			JOIN users u ON u.id = uo.user_id JOIN organisations o ON o.id = uo.org_id
			WHERE o.key = $1 AND uo.removed_at IS NULL AND NOT u.disabled AND NOT u.erased ORDER BY u.id`, org)
		if err != nil {
			return err
		}
		var msgs []*rencontres.QueuedMail
		for rows.Next() {
			var id int64
			var email, name, nameJA, lang string
			if err := rows.Scan(&id, &email, &name, &nameJA, &lang); err != nil {
				rows.Close()
				return err
			}
			l, ok := rencontres.ParseLang(lang)
			if !ok {
				l = rencontres.French
			}
			if l == rencontres.Japanese && nameJA != "" {
				name = nameJA
			}
			payload, _ := json.Marshal(MeetingMail{Event: q.EventID, Request: q.ID, What: what, Org: org})
			key := fmt.Sprintf("meeting-%s:%d:%d", what, q.ID, id)
			if what == "placed" || what == "changed" {
				// A change may be told more than once: once per publication.
				key += ":" + ts(now)
			}
			msgs = append(msgs, &rencontres.QueuedMail{Kind: MeetingMailKind, ToEmail: email, ToName: name, Lang: l, Payload: payload,
				Deferred: true, UniqueKey: key})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(msgs) > 0 {
			if err := s.EnqueueMail(ctx, now, msgs...); err != nil {
				return err
			}
		}
	}
	return nil
}

// personalMeetingRequests are the requests a person sent or answered.
func (s *Store) personalMeetingRequests(ctx context.Context, userID int64) ([]*rencontres.MeetingRequest, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+meetingRequestColumns+meetingRequestFrom+`
		WHERE q.created_by = $1 OR q.answered_by = $1 ORDER BY q.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.MeetingRequest{}
	for rows.Next() {
		q, err := scanMeetingRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// CancelMeetingMail cancels the emails still queued about an event's
// meeting requests: the demo's were made in the past, and its contacts
// are not told of them.
func (s *Store) CancelMeetingMail(ctx context.Context, eventID int64) error {
	ids, err := queryIDs(ctx, s.reader(), "SELECT id FROM meeting_requests WHERE event_id = $1", eventID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := s.writer().ExecContext(ctx, `UPDATE mail_outbox SET status = 'cancelled'
			WHERE kind = $1 AND status = 'queued' AND unique_key LIKE $2`, MeetingMailKind, "meeting-%:"+strconv.FormatInt(id, 10)+":%"); err != nil {
			return err
		}
	}
	return nil
}
