package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
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
}

type batchOrg struct {
	id      int64
	country rencontres.Country
	kind    rencontres.OrgKind
}

// readSeats locks the event and reads what deciding subs needs: the form,
// the seats of the event and of its sessions, which of the batch's
// addresses are already registered, the authorities. It returns nil when
// the waiting lists have seats to give: fill, in the per-submission path,
// must give them first.
func (s *Store) readSeats(ctx context.Context, event int64, subs []*Submission) (*seatState, error) {
	st := &seatState{event: event, seats: map[int64]*sessionSeats{}, emails: map[string]bool{}, orgs: map[string]batchOrg{}, seqs: map[*Submission][]int{}}
	var emails, orgs []any
	needLoc := false
	for _, sub := range subs {
		if sub.Err != nil || sub.Replayed {
			continue
		}
		sub.invalid = sub.R.Validate()
		emails = append(emails, sub.R.Email)
		if !slices.Contains(orgs, any(sub.R.OrgKey)) {
			orgs = append(orgs, sub.R.OrgKey)
		}
		needLoc = needLoc || !sub.AnyTime
	}
	t0 := time.Now()
	defer func() { dbg("readSeats", t0) }()
	if err := s.lockEvent(ctx, event); err != nil {
		if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
			return nil, nil
		}
		return nil, err
	}
	if len(emails) == 0 {
		return st, nil
	}
	st.form, st.formErr = s.RegistrationForm(ctx, event)
	if st.formErr != nil {
		if rencontres.ErrorCode(st.formErr) != rencontres.ENOTFOUND {
			return nil, st.formErr
		}
		return st, nil // every one refused: the event takes no registrations
	}
	if needLoc {
		e, err := s.Event(ctx, event)
		if err != nil {
			return nil, err
		}
		st.loc = e.Location()
	}
	dbg("form+event", t0)
	st.capacity = st.form.Capacity
	var waiting int
	if err := s.bulk().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'confirmed'),
		(SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'waitlisted'),
		COALESCE((SELECT position FROM registrations WHERE event_id = $1 AND status = 'waitlisted' ORDER BY id DESC LIMIT 1), 0)`, event).Scan(
		&st.confirmed, &waiting, &st.lastPos); err != nil {
		return nil, err
	}
	if waiting > 0 && (st.capacity == 0 || st.confirmed < st.capacity) {
		return nil, nil
	}
	if err := s.scanRows(ctx, `SELECT ps.id, ps.kind, ps.title, CASE WHEN ps.capacity > 0 THEN ps.capacity ELSE COALESCE(rm.capacity, 0) END,
			(SELECT COUNT(*) FROM registration_choices c WHERE c.session_id = ps.id AND c.status = 'confirmed'),
			(SELECT COALESCE(MAX(seq), 0) FROM registration_choices c WHERE c.session_id = ps.id),
			COALESCE((SELECT position FROM registration_choices c WHERE c.session_id = ps.id AND c.status = 'waitlisted' ORDER BY seq DESC LIMIT 1), 0),
			EXISTS (SELECT 1 FROM registration_choices c JOIN registrations r ON r.id = c.registration_id
				WHERE c.session_id = ps.id AND c.status = 'waitlisted' AND r.status = 'confirmed')
		FROM programme_sessions ps LEFT JOIN rooms rm ON rm.id = ps.room_id WHERE ps.edition_id = $1`, []any{event}, func(scan func(...any) error) error {
		x := &sessionSeats{}
		if err := scan(&x.ID, &x.Kind, &x.Title, &x.capacity, &x.taken, &x.seq, &x.lastPos, &x.starved); err != nil {
			return err
		}
		st.sessions = append(st.sessions, x.Session)
		st.seats[x.ID] = x
		return nil
	}); err != nil {
		return nil, err
	}
	dbg("sessions", t0)
	for _, x := range st.seats {
		if x.starved && (x.capacity == 0 || x.taken < x.capacity) {
			return nil, nil
		}
	}
	if err := s.scanRows(ctx, `SELECT email FROM registrations WHERE event_id = $1 AND status <> 'withdrawn' AND email IN `+in(1, len(emails)),
		append([]any{event}, emails...), func(scan func(...any) error) error {
			var email string
			err := scan(&email)
			st.emails[email] = true
			return err
		}); err != nil {
		return nil, err
	}
	return st, s.scanRows(ctx, "SELECT id, key, country, kind FROM organisations WHERE key IN "+in(0, len(orgs)), orgs, func(scan func(...any) error) error {
		var o batchOrg
		var key string
		err := scan(&o.id, &key, &o.country, &o.kind)
		st.orgs[key] = o
		return err
	})
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

// writeBatch writes the registrations decided, with their delegations and
// choices: three statements for the batch.
func (s *Store) writeBatch(ctx context.Context, st *seatState, accepted []*Submission) error {
	if len(accepted) == 0 {
		return nil
	}
	// The delegations, in the order of their authorities' ids whatever
	// the instance.
	firstOf := map[int64]*Submission{}
	var orgIDs []int64
	for _, sub := range accepted {
		id := st.orgs[sub.R.OrgKey].id
		if firstOf[id] == nil {
			firstOf[id] = sub
			orgIDs = append(orgIDs, id)
		}
	}
	slices.Sort(orgIDs)
	var args []any
	var rows []string
	for _, id := range orgIDs {
		args = append(args, st.event, id, ts(firstOf[id].Now))
		rows = append(rows, fmt.Sprintf("($%d, $%d, $%d)", len(args)-2, len(args)-1, len(args)))
	}
	delegation := map[int64]int64{}
	if err := s.scanRows(ctx, `INSERT INTO delegations (event_id, org_id, created_at) VALUES `+strings.Join(rows, ", ")+`
		ON CONFLICT (event_id, org_id) DO UPDATE SET event_id = excluded.event_id RETURNING id, org_id`, args, func(scan func(...any) error) error {
		var id, org int64
		err := scan(&id, &org)
		delegation[org] = id
		return err
	}); err != nil {
		return err
	}
	args, rows = args[:0], rows[:0]
	byCode := map[string]*rencontres.Registration{}
	for _, sub := range accepted {
		r := sub.R
		r.DelegationID = delegation[st.orgs[r.OrgKey].id]
		byCode[r.Code] = r
		args = append(args, r.EventID, r.DelegationID, r.Status, r.Civility, r.GivenName, r.FamilyName, r.NameJa, r.Kana, r.Function, r.Elected,
			r.Email, r.Lang, r.Dietary, r.Accessibility, r.Interpretation, batchJSON(r.Answers), r.Code, ts(r.Created), r.Position)
		n := len(args) - 19
		rows = append(rows, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)",
			n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9, n+10, n+11, n+12, n+13, n+14, n+15, n+16, n+17, n+18, n+18, n+19))
	}
	if err := s.scanRows(ctx, `INSERT INTO registrations (event_id, delegation_id, status, civility, given_name, family_name,
			name_ja, kana, function, elected, email, lang, dietary, accessibility, interpretation, answers, code, created_at, updated_at, position)
		VALUES `+strings.Join(rows, ", ")+` RETURNING id, code`, args, func(scan func(...any) error) error {
		var id int64
		var code string
		if err := scan(&id, &code); err != nil {
			return err
		}
		if r := byCode[code]; r != nil {
			r.ID = id
		}
		return nil
	}); err != nil {
		return err
	}
	// The waiting list is in the order of ids: the rows must have taken
	// theirs in the order of submission.
	for i := 1; i < len(accepted); i++ {
		if accepted[i].R.ID <= accepted[i-1].R.ID {
			return errors.New("store: a batch's registrations took their ids out of order")
		}
	}
	args, rows = args[:0], rows[:0]
	for _, sub := range accepted {
		for i, c := range sub.R.Choices {
			args = append(args, sub.R.ID, c.SessionID, c.Rank, c.Status, st.seqs[sub][i], c.Position)
			n := len(args)
			rows = append(rows, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d)", n-5, n-4, n-3, n-2, n-1, n))
		}
	}
	if len(rows) == 0 {
		return nil
	}
	_, err := s.bulk().ExecContext(ctx, `INSERT INTO registration_choices (registration_id, session_id, rank, status, seq, position) VALUES `+
		strings.Join(rows, ", "), args...)
	return err
}

func dbg(what string, t0 time.Time) {
	if os.Getenv("REGDEBUG") != "" {
		fmt.Fprintf(os.Stderr, "  %s %v\n", what, time.Since(t0))
	}
}
