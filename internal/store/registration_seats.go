package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The set path's reading of an event's seats, its decisions in Go, and its
// writes (registration_batch.go).

// seatState is what a batch for one event reads once, under the event's
// lock, and keeps up to date as it decides each submission in turn.
type seatState struct {
	event    int64
	form     *rencontres.RegistrationForm
	formErr  error
	loc      *time.Location
	sessions []rencontres.Session
	seats    map[int64]*sessionSeats
	// capacity, confirmed and lastPos are the event's seats, those taken,
	// and the place of the last one waiting.
	capacity, confirmed, lastPos int
	emails                       map[string]bool
	orgs                         map[string]batchOrg
	// decided holds, by submission, its choices' places in their sessions'
	// order (seq), for writeBatch.
	seqs map[*Submission][]int
	// delegations are the event's delegations of the batch's authorities
	// (by authority id); regIDs and delegationIDs the ids taken under the
	// lock for the batch's new rows, in order.
	delegations           map[int64]int64
	regIDs, delegationIDs []int64
}

type batchOrg struct {
	id      int64
	country rencontres.Country
	kind    rencontres.OrgKind
}

// readBatch takes the keys of subs, locks the event and reads what
// deciding subs needs (the form, the seats of the event and of its
// sessions, which of the batch's addresses are already registered, the
// authorities) and what telling them needs, all in one pipeline. It
// returns no state when the event is gone or the waiting lists have seats
// to give: fill, in the per-submission path, must give them first.
func (s *Store) readBatch(ctx context.Context, event int64, subs []*Submission) (*seatState, *BatchInfo, error) {
	st := &seatState{event: event, seats: map[int64]*sessionSeats{}, emails: map[string]bool{}, orgs: map[string]batchOrg{}, seqs: map[*Submission][]int{},
		delegations: map[int64]int64{}}
	info := &BatchInfo{Contacts: map[string][]*rencontres.User{}}
	var emails, orgs []any
	var orgKeys []string
	for _, sub := range subs {
		sub.invalid = sub.R.Validate()
		emails = append(emails, sub.R.Email)
		if !slices.Contains(orgKeys, sub.R.OrgKey) {
			orgKeys = append(orgKeys, sub.R.OrgKey)
			orgs = append(orgs, sub.R.OrgKey)
		}
		if st.loc == nil && !sub.AnyTime {
			st.loc = sub.Loc
		}
	}
	steps, again := keySteps(subs)
	locked := false
	var waiting int
	var opens, deadline, questions string
	form := &rencontres.RegistrationForm{EventID: event}
	contacts := append([]any{string(rencontres.AuthorityContact)}, orgs...)
	steps = append(steps,
		step{query: s.dialect.lockEvent, args: []any{event}, row: func(scan func(...any) error) error {
			var id int64
			locked = true
			return scan(&id)
		}},
		step{query: `SELECT opens_at, deadline, capacity, max_choices, ranked, contact, questions, sender_name, reply_to
			FROM registration_forms WHERE event_id = $1`, args: []any{event}, row: func(scan func(...any) error) error {
			st.form = form
			return scan(&opens, &deadline, &form.Capacity, &form.MaxChoices, &form.Ranked, &form.Contact, &questions, &form.SenderName, &form.ReplyTo)
		}},
		// The seats taken are counted only when the event has a capacity
		// (they are then at most that many); without one, every person is
		// confirmed and counting them would cost a batch more the more
		// people are registered. Whether anyone waits is all the waiting
		// list needs.
		step{query: `SELECT CASE WHEN COALESCE((SELECT capacity FROM registration_forms WHERE event_id = $1), 0) > 0
				THEN (SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'confirmed') ELSE 0 END,
			CASE WHEN EXISTS (SELECT 1 FROM registrations WHERE event_id = $1 AND status = 'waitlisted') THEN 1 ELSE 0 END,
			COALESCE((SELECT position FROM registrations WHERE event_id = $1 AND status = 'waitlisted' ORDER BY id DESC LIMIT 1), 0)`, args: []any{event},
			row: func(scan func(...any) error) error { return scan(&st.confirmed, &waiting, &st.lastPos) }},
		// Whether someone with a seat at the event waits for a session
		// matters only while the session has free seats: a full workshop's
		// waiting list, which grows with every registration, is not read.
		step{query: `SELECT s.id, s.kind, s.title, s.cap, s.taken, s.seq, s.last_pos,
			CASE WHEN s.cap > 0 AND s.taken >= s.cap THEN FALSE ELSE EXISTS (SELECT 1 FROM registration_choices c JOIN registrations r ON r.id = c.registration_id
				WHERE c.session_id = s.id AND c.status = 'waitlisted' AND r.status = 'confirmed') END
			FROM (SELECT ps.id, ps.kind, ps.title, CASE WHEN ps.capacity > 0 THEN ps.capacity ELSE COALESCE(rm.capacity, 0) END AS cap,
				(SELECT COUNT(*) FROM registration_choices c WHERE c.session_id = ps.id AND c.status = 'confirmed') AS taken,
				(SELECT COALESCE(MAX(seq), 0) FROM registration_choices c WHERE c.session_id = ps.id) AS seq,
				COALESCE((SELECT position FROM registration_choices c WHERE c.session_id = ps.id AND c.status = 'waitlisted' ORDER BY seq DESC LIMIT 1), 0) AS last_pos
				FROM programme_sessions ps LEFT JOIN rooms rm ON rm.id = ps.room_id WHERE ps.edition_id = $1) s`, args: []any{event},
			row: func(scan func(...any) error) error {
				x := &sessionSeats{}
				if err := scan(&x.ID, &x.Kind, &x.Title, &x.capacity, &x.taken, &x.seq, &x.lastPos, &x.starved); err != nil {
					return err
				}
				st.sessions = append(st.sessions, x.Session)
				st.seats[x.ID] = x
				return nil
			}},
		// Each address is looked up on its own in the index of the
		// event's addresses: as one IN list, PostgreSQL with statistics
		// from before a burst would read the event's whole range. A plan
		// made once while the event was empty did the same for each
		// address; the batch connection makes its plans again as the
		// registrations grow (batchPlans).
		step{query: `SELECT v.column1, (SELECT 1 FROM registrations r WHERE r.event_id = $1 AND r.email = v.column1 AND r.status <> 'withdrawn')
			FROM (VALUES ` + values(1, len(emails)) + `) AS v`,
			args: append([]any{event}, emails...), row: func(scan func(...any) error) error {
				var email string
				var hit sql.NullInt64
				err := scan(&email, &hit)
				st.emails[email] = st.emails[email] || hit.Valid
				return err
			}},
		step{query: "SELECT id, key, country, kind FROM organisations WHERE key IN " + in(0, len(orgs)), args: orgs, row: func(scan func(...any) error) error {
			var o batchOrg
			var key string
			err := scan(&o.id, &key, &o.country, &o.kind)
			st.orgs[key] = o
			return err
		}},
		// The ids of the batch's new rows are taken under the lock, in
		// the order of the lock (so in the order of submission), for the
		// rows and what tells them to be written in one pipeline.
		step{query: `SELECT d.org_id, d.id FROM delegations d JOIN organisations o ON o.id = d.org_id
			WHERE d.event_id = $1 AND o.key IN ` + in(1, len(orgs)), args: append([]any{event}, orgs...), row: func(scan func(...any) error) error {
			var org, id int64
			err := scan(&org, &id)
			st.delegations[org] = id
			return err
		}},
		step{query: s.dialect.takeIDs("registrations"), args: []any{len(subs)}, row: func(scan func(...any) error) error {
			var id int64
			err := scan(&id)
			st.regIDs = append(st.regIDs, id)
			return err
		}},
		step{query: s.dialect.takeIDs("delegations"), args: []any{len(orgs)}, row: func(scan func(...any) error) error {
			var id int64
			err := scan(&id)
			st.delegationIDs = append(st.delegationIDs, id)
			return err
		}},
		step{query: `SELECT se.sender_name, se.reply_to FROM events v
			JOIN editions ed ON ed.id = COALESCE(v.edition_id, v.within_id) JOIN series se ON se.id = ed.series_id WHERE v.id = $1`, args: []any{event},
			row: func(scan func(...any) error) error { return scan(&info.SeriesSender, &info.SeriesReplyTo) }},
		step{query: `SELECT o.key, u.id, u.email, u.name, u.lang FROM users u JOIN user_organisations uo ON uo.user_id = u.id
			JOIN organisations o ON o.id = uo.org_id
			WHERE o.key IN ` + in(1, len(orgs)) + ` AND uo.removed_at IS NULL AND u.role = $1 AND NOT u.disabled AND NOT u.erased ORDER BY o.key, u.email`,
			args: contacts, row: func(scan func(...any) error) error {
				var key string
				u := &rencontres.User{}
				if err := scan(&key, &u.ID, &u.Email, &u.Name, &u.Lang); err != nil {
					return err
				}
				info.Contacts[key] = append(info.Contacts[key], u)
				return nil
			}},
		step{query: `SELECT ` + endpointColumns + ` FROM webhook_endpoints ORDER BY id`, row: func(scan func(...any) error) error {
			e, err := scanEndpoint(scanFunc(scan))
			if err == nil {
				info.Endpoints = append(info.Endpoints, e)
			}
			return err
		}},
	)
	if err := s.pipeline(ctx, steps...); err != nil {
		return nil, nil, err
	}
	if more := again(); more != nil {
		if err := s.pipeline(ctx, *more); err != nil {
			return nil, nil, err
		}
	}
	if !locked {
		return nil, nil, nil
	}
	if st.form == nil {
		st.formErr = rencontres.NotFound("registration_form")
		return st, info, nil // every one refused: the event takes no registrations
	}
	form.Opens, _ = parseTS(opens)
	form.Deadline, _ = parseTS(deadline)
	if err := json.Unmarshal([]byte(questions), &form.Questions); err != nil {
		return nil, nil, fmt.Errorf("registration form %d: %w", event, err)
	}
	info.Form, st.capacity = form, form.Capacity
	if waiting > 0 && (st.capacity == 0 || st.confirmed < st.capacity) {
		return nil, nil, nil
	}
	for _, x := range st.seats {
		if x.starved && (x.capacity == 0 || x.taken < x.capacity) {
			return nil, nil, nil
		}
	}
	if st.loc == nil && slices.ContainsFunc(subs, func(sub *Submission) bool { return !sub.AnyTime }) {
		e, err := s.Event(ctx, event)
		if err != nil {
			return nil, nil, err
		}
		st.loc = e.Location()
	}
	return st, info, nil
}

// decide decides one submission as Register would, after those before it:
// its refusal, or its seats and places, taken from the state.
func (st *seatState) decide(sub *Submission) error {
	r := sub.R
	f, err := formOpen(st.form, st.formErr, st.loc, sub.Now, sub.AnyTime)
	if err != nil {
		return err
	}
	answers, err := f.CheckAnswers(r.Answers)
	if err := rencontres.Join(sub.invalid, err); err != nil {
		return err
	}
	r.Answers = answers
	if len(r.Choices) > 0 {
		if err := choicesAmong(st.sessions, f, r); err != nil {
			return err
		}
	}
	org, ok := st.orgs[r.OrgKey]
	if !ok {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_organisation", Field: "organisation", Message: "unknown organisation", Args: map[string]any{"Key": r.OrgKey}}
	}
	if st.emails[r.Email] {
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.already_registered", Field: "email",
			Message: fmt.Sprintf("%s is already registered for this event", r.Email), Args: map[string]any{"Value": r.Email}}
	}
	st.emails[r.Email] = true
	r.Country, r.OrgKind = org.country, org.kind
	r.Code, r.Created, r.CheckedIn = badgeCode(), sub.Now.UTC(), nil
	r.Created, _ = parseTS(ts(r.Created)) // as it reads back
	if st.capacity == 0 || st.confirmed < st.capacity {
		r.Status, r.Position = rencontres.Confirmed, 0
		st.confirmed++
	} else {
		st.lastPos++
		r.Status, r.Position = rencontres.Waitlisted, st.lastPos
	}
	seqs := make([]int, len(r.Choices))
	for i := range r.Choices {
		c := &r.Choices[i]
		x := st.seats[c.SessionID]
		x.seq++
		seqs[i] = x.seq
		c.Title = x.Title
		if r.Status == rencontres.Confirmed && (x.capacity == 0 || x.taken < x.capacity) {
			c.Status, c.Position = rencontres.Confirmed, 0
			x.taken++
		} else {
			x.lastPos++
			c.Status, c.Position = rencontres.Waitlisted, x.lastPos
		}
	}
	st.seqs[sub] = seqs
	return nil
}

// writeBatch gives the registrations decided their ids, and those of
// their new delegations, and returns the statements that write them, after
// release (the keys of the refused): TellBatch sends them with what tells
// the registrations, in one pipeline.
func writeBatch(st *seatState, accepted []*Submission, release step) []step {
	slices.Sort(st.regIDs)
	slices.Sort(st.delegationIDs)
	// The new delegations, in the order of their authorities' ids
	// whatever the instance.
	firstOf := map[int64]*Submission{}
	var orgIDs []int64
	for _, sub := range accepted {
		id := st.orgs[sub.R.OrgKey].id
		if _, ok := st.delegations[id]; !ok && firstOf[id] == nil {
			firstOf[id] = sub
			orgIDs = append(orgIDs, id)
		}
	}
	slices.Sort(orgIDs)
	steps := []step{release}
	var rows [][]any
	for i, org := range orgIDs {
		st.delegations[org] = st.delegationIDs[i]
		rows = append(rows, []any{st.delegationIDs[i], st.event, org, ts(firstOf[org].Now)})
	}
	steps = append(steps, rowSteps("delegations", []string{"id", "event_id", "org_id", "created_at"}, rows, "")...)
	rows = nil
	var choices [][]any
	for i, sub := range accepted {
		r := sub.R
		r.ID, r.DelegationID = st.regIDs[i], st.delegations[st.orgs[r.OrgKey].id]
		rows = append(rows, []any{r.ID, r.EventID, r.DelegationID, r.Status, r.Civility, r.GivenName, r.FamilyName, r.NameJa, r.Kana, r.Function, r.Elected,
			r.Email, r.Lang, r.Dietary, r.Accessibility, r.Interpretation, batchJSON(r.Answers), r.Code, ts(r.Created), ts(r.Created), r.Position, searchKey(r)})
		for j, c := range r.Choices {
			choices = append(choices, []any{r.ID, c.SessionID, c.Rank, c.Status, st.seqs[sub][j], c.Position, nameKey(r.FamilyName), nameKey(r.GivenName)})
		}
	}
	steps = append(steps, rowSteps("registrations", []string{"id", "event_id", "delegation_id", "status", "civility", "given_name", "family_name",
		"name_ja", "kana", "function", "elected", "email", "lang", "dietary", "accessibility", "interpretation", "answers", "code", "created_at", "updated_at", "position", "search"}, rows, "")...)
	return append(steps, rowSteps("registration_choices", []string{"registration_id", "session_id", "rank", "status", "seq", "position", "family_key", "given_key"}, choices, "")...)
}
