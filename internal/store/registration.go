package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// SaveRegistrationForm opens an event to registration, or changes how it
// takes them. Raising a capacity fills the seats it frees from the waiting
// lists; the promotions are returned, to be told.
func (s *Store) SaveRegistrationForm(ctx context.Context, f *rencontres.RegistrationForm) ([]rencontres.Promotion, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if f.Questions == nil {
		f.Questions = []rencontres.Question{}
	}
	questions, _ := json.Marshal(f.Questions)
	var promoted []rencontres.Promotion
	err := s.InTx(ctx, func(s *Store) error {
		if err := s.lockEvent(ctx, f.EventID); err != nil {
			return err
		}
		if _, err := s.writer().ExecContext(ctx, `INSERT INTO registration_forms (event_id, opens_at, deadline, capacity, max_choices, ranked, contact, questions, sender_name, reply_to)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (event_id) DO UPDATE SET opens_at = excluded.opens_at, deadline = excluded.deadline, capacity = excluded.capacity,
				max_choices = excluded.max_choices, ranked = excluded.ranked, contact = excluded.contact, questions = excluded.questions,
				sender_name = excluded.sender_name, reply_to = excluded.reply_to`,
			f.EventID, ts(f.Opens), ts(f.Deadline), f.Capacity, f.MaxChoices, f.Ranked, f.Contact, string(questions), f.SenderName, f.ReplyTo); err != nil {
			return err
		}
		var err error
		promoted, err = s.fill(ctx, f.EventID)
		return err
	})
	return promoted, err
}

// RegistrationForm returns how an event takes registrations.
func (s *Store) RegistrationForm(ctx context.Context, eventID int64) (*rencontres.RegistrationForm, error) {
	f := &rencontres.RegistrationForm{EventID: eventID}
	var opens, deadline, questions string
	err := s.reader().QueryRowContext(ctx, `SELECT opens_at, deadline, capacity, max_choices, ranked, contact, questions, sender_name, reply_to
		FROM registration_forms WHERE event_id = $1`, eventID).Scan(&opens, &deadline, &f.Capacity, &f.MaxChoices, &f.Ranked, &f.Contact, &questions,
		&f.SenderName, &f.ReplyTo)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("registration_form")
	}
	if err != nil {
		return nil, err
	}
	f.Opens, _ = parseTS(opens)
	f.Deadline, _ = parseTS(deadline)
	if err := json.Unmarshal([]byte(questions), &f.Questions); err != nil {
		return nil, fmt.Errorf("registration form %d: %w", eventID, err)
	}
	return f, nil
}

// lockEvent serialises, until the end of the transaction, every writer of
// an event's seats: two submissions never both take the last one.
func (s *Store) lockEvent(ctx context.Context, eventID int64) error {
	var id int64
	err := s.writer().QueryRowContext(ctx, s.dialect.lockEvent, eventID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return rencontres.NotFound("event")
	}
	return err
}

// choiceKinds are the sessions a person chooses among.
var choiceKinds = []rencontres.SessionKind{rencontres.WorkshopKind, rencontres.MicroWorkshop, rencontres.Visit, rencontres.CountryGroup}

// checkChoices checks a person's choices against the event's sessions and
// the form, and numbers their ranks 1, 2, 3 in the order given.
func (s *Store) checkChoices(ctx context.Context, f *rencontres.RegistrationForm, r *rencontres.Registration) error {
	if len(r.Choices) == 0 {
		return nil
	}
	if len(r.Choices) > f.MaxChoices {
		return tooManyChoices(f)
	}
	sessions, err := s.sessionKinds(ctx, r.EventID)
	if err != nil {
		return err
	}
	return choicesAmong(sessions, f, r)
}

func tooManyChoices(f *rencontres.RegistrationForm) error {
	return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.too_many_choices", Field: "choices",
		Message: fmt.Sprintf("choose %d sessions at most", f.MaxChoices), Args: map[string]any{"Max": f.MaxChoices}}
}

// choicesAmong is checkChoices once the event's sessions are read.
func choicesAmong(sessions []rencontres.Session, f *rencontres.RegistrationForm, r *rencontres.Registration) error {
	if len(r.Choices) > f.MaxChoices {
		return tooManyChoices(f)
	}
	seen := map[int64]bool{}
	for i := range r.Choices {
		c := &r.Choices[i]
		j := slices.IndexFunc(sessions, func(ses rencontres.Session) bool { return ses.ID == c.SessionID })
		if j < 0 || !slices.Contains(choiceKinds, sessions[j].Kind) {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_choice", Field: fmt.Sprintf("choices[%d]", i),
				Message: fmt.Sprintf("session %d is not one to choose at this event", c.SessionID), Args: map[string]any{"Value": c.SessionID}}
		}
		if seen[c.SessionID] {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.duplicate_choice", Field: fmt.Sprintf("choices[%d]", i),
				Message: "a session is chosen twice", Args: map[string]any{"Title": sessions[j].Title}}
		}
		seen[c.SessionID] = true
		c.Rank = i + 1
	}
	return nil
}

// sessionKinds lists an event's sessions with their kind and title only:
// what checking a person's choices needs, read at every registration.
func (s *Store) sessionKinds(ctx context.Context, eventID int64) ([]rencontres.Session, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT id, kind, title FROM programme_sessions WHERE edition_id = $1", eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rencontres.Session
	for rows.Next() {
		var ses rencontres.Session
		if err := rows.Scan(&ses.ID, &ses.Kind, &ses.Title); err != nil {
			return nil, err
		}
		out = append(out, ses)
	}
	return out, rows.Err()
}

// Register registers a person for an event in their authority's
// delegation, with their choices, and gives them the seats still free, in
// the order of submission; the others wait. Outside the form's dates only
// the secretariat (anyTime) may register. The promotions of others, if any,
// are returned to be told.
func (s *Store) Register(ctx context.Context, r *rencontres.Registration, now time.Time, anyTime bool) ([]rencontres.Promotion, error) {
	// The faults of the person's fields are reported with those of the
	// answers, once the form is known to be open.
	invalid := r.Validate()
	var promoted []rencontres.Promotion
	err := s.InTx(ctx, func(s *Store) error {
		if err := s.admit(ctx, r, now, anyTime, invalid); err != nil {
			return err
		}
		org, err := orgID(ctx, s.writer(), r.OrgKey)
		if err != nil {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_organisation", Field: "organisation", Message: "unknown organisation", Args: map[string]any{"Key": r.OrgKey}}
		}
		if err := s.writer().QueryRowContext(ctx, `INSERT INTO delegations (event_id, org_id, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (event_id, org_id) DO UPDATE SET event_id = excluded.event_id RETURNING id`, r.EventID, org, ts(now)).Scan(&r.DelegationID); err != nil {
			return err
		}
		if err := s.emailFree(ctx, r); err != nil {
			return err
		}
		answers, _ := json.Marshal(r.Answers)
		// A newcomer waits at the end of the list, then fill gives the seat
		// if one is free.
		r.Code, r.Created, r.Status = badgeCode(), now.UTC(), rencontres.Waitlisted
		if err := s.writer().QueryRowContext(ctx, `INSERT INTO registrations (event_id, delegation_id, status, civility, given_name, family_name,
			name_ja, kana, function, elected, email, lang, dietary, accessibility, interpretation, answers, code, created_at, updated_at, position, search)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18,
				COALESCE((SELECT position FROM registrations WHERE event_id = $1 AND status = 'waitlisted' ORDER BY id DESC LIMIT 1), 0) + 1, $19) RETURNING id`,
			r.EventID, r.DelegationID, r.Status, r.Civility, r.GivenName, r.FamilyName, r.NameJa, r.Kana, r.Function, r.Elected,
			r.Email, r.Lang, r.Dietary, r.Accessibility, r.Interpretation, string(answers), r.Code, ts(now), searchKey(r)).Scan(&r.ID); err != nil {
			return err
		}
		if err := s.insertChoices(ctx, r, nil); err != nil {
			return err
		}
		if promoted, err = s.fill(ctx, r.EventID); err != nil {
			return err
		}
		promoted = slices.DeleteFunc(promoted, func(p rencontres.Promotion) bool { return p.RegistrationID == r.ID })
		got, err := s.Registration(ctx, r.EventID, r.ID)
		if err != nil {
			return err
		}
		*r = *got
		return nil
	})
	return promoted, err
}

// admit checks a submission against the event's form (its dates, the
// answers, the choices), then locks the event's seats for the rest of the
// transaction. invalid holds the faults of the person's own fields, which
// are reported together with those of the answers.
func (s *Store) admit(ctx context.Context, r *rencontres.Registration, now time.Time, anyTime bool, invalid error) error {
	f, err := s.openForm(ctx, r.EventID, now, anyTime)
	if err != nil {
		return err
	}
	answers, err := f.CheckAnswers(r.Answers)
	if err := rencontres.Join(invalid, err); err != nil {
		return err
	}
	r.Answers = answers
	if err := s.checkChoices(ctx, f, r); err != nil {
		return err
	}
	return s.lockEvent(ctx, r.EventID)
}

// openForm returns the event's form if it takes registrations now.
func (s *Store) openForm(ctx context.Context, eventID int64, now time.Time, anyTime bool) (*rencontres.RegistrationForm, error) {
	f, err := s.RegistrationForm(ctx, eventID)
	if err != nil || anyTime {
		return formOpen(f, err, nil, now, anyTime)
	}
	// Dates in messages are on the clock of the event.
	var loc *time.Location
	if e, err := s.Event(ctx, eventID); err == nil {
		loc = e.Location()
	}
	return formOpen(f, nil, loc, now, anyTime)
}

// formOpen is openForm once the form (or the error of reading it) and the
// event's clock are known.
func formOpen(f *rencontres.RegistrationForm, err error, loc *time.Location, now time.Time, anyTime bool) (*rencontres.RegistrationForm, error) {
	if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
		return nil, &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.registration_not_open", Message: "this event does not take registrations"}
	}
	if err != nil {
		return nil, err
	}
	if anyTime {
		return f, nil
	}
	opens, deadline := f.Opens, f.Deadline
	if loc != nil {
		opens, deadline = opens.In(loc), deadline.In(loc)
	}
	if now.Before(opens) {
		return nil, &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.registration_not_yet", Message: "registration is not open yet",
			Args: map[string]any{"Opens": opens}}
	}
	if !now.Before(deadline) {
		return nil, &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.registration_closed", Message: "registration is closed",
			Args: map[string]any{"Deadline": deadline, "Contact": f.Contact}}
	}
	return f, nil
}

// emailFree refuses a second registration of the same address at an
// event, naming the delegation it is in.
func (s *Store) emailFree(ctx context.Context, r *rencontres.Registration) error {
	var other int64
	err := s.writer().QueryRowContext(ctx, `SELECT id FROM registrations WHERE event_id = $1 AND email = $2 AND status <> 'withdrawn' AND id <> $3`,
		r.EventID, r.Email, r.ID).Scan(&other)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.already_registered", Field: "email",
		Message: fmt.Sprintf("%s is already registered for this event", r.Email), Args: map[string]any{"Value": r.Email}}
}

// insertChoices adds r's choices, each waiting at the end of its
// session's list, except those in keep, which keep their seat and place
// (and take r's names, which may have changed).
func (s *Store) insertChoices(ctx context.Context, r *rencontres.Registration, keep map[int64]bool) error {
	family, given := nameKey(r.FamilyName), nameKey(r.GivenName)
	for _, c := range r.Choices {
		if keep[c.SessionID] {
			if _, err := s.writer().ExecContext(ctx, `UPDATE registration_choices SET rank = $3, family_key = $4, given_key = $5 WHERE registration_id = $1 AND session_id = $2`,
				r.ID, c.SessionID, c.Rank, family, given); err != nil {
				return err
			}
			continue
		}
		if _, err := s.writer().ExecContext(ctx, `INSERT INTO registration_choices (registration_id, session_id, rank, status, seq, position, family_key, given_key)
			VALUES ($1, $2, $3, 'waitlisted', (SELECT COALESCE(MAX(seq), 0) + 1 FROM registration_choices WHERE session_id = $2),
				COALESCE((SELECT position FROM registration_choices WHERE session_id = $2 AND status = 'waitlisted' ORDER BY seq DESC LIMIT 1), 0) + 1, $4, $5)`,
			r.ID, c.SessionID, c.Rank, family, given); err != nil {
			return err
		}
	}
	return nil
}

// nameKey is a name as a session's attendance list sorts it: folded as
// the directory's search folds (lower case, without accents, katakana as
// hiragana: "Élodie" beside "Eloi", not after "Zoé"), the order of the
// attendance sheets (rencontres.Attendances), the same whatever the
// database and its locale.
func nameKey(name string) string { return rencontres.FoldSearch(name) }

// searchKey is what a registrations list's search looks in: the names,
// Japanese name, kana and address, folded as the query is (searchText).
func searchKey(r *rencontres.Registration) string {
	return rencontres.FoldSearch(strings.Join([]string{r.GivenName, r.FamilyName, r.NameJa, r.Kana, r.Email}, " "))
}

// UpdateRegistration changes a person's details and choices. Choices kept
// keep their seat and place; choices dropped free theirs for those waiting;
// new ones wait at the end of their list, then get a seat if one is free.
func (s *Store) UpdateRegistration(ctx context.Context, r *rencontres.Registration, now time.Time, anyTime bool) ([]rencontres.Promotion, error) {
	// The faults of the person's fields are reported with those of the
	// answers, once the form is known to be open.
	invalid := r.Validate()
	var promoted []rencontres.Promotion
	err := s.InTx(ctx, func(s *Store) error {
		if err := s.admit(ctx, r, now, anyTime, invalid); err != nil {
			return err
		}
		old, err := s.Registration(ctx, r.EventID, r.ID)
		if err != nil {
			return err
		}
		if old.Status == rencontres.Withdrawn {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.registration_withdrawn", Message: "this registration was withdrawn"}
		}
		if old.DelegationID != r.DelegationID && r.DelegationID != 0 {
			return rencontres.NotFound("registration")
		}
		if err := s.emailFree(ctx, r); err != nil {
			return err
		}
		answers, _ := json.Marshal(r.Answers)
		if _, err := s.writer().ExecContext(ctx, `UPDATE registrations SET civility = $2, given_name = $3, family_name = $4, name_ja = $5, kana = $6,
			function = $7, elected = $8, email = $9, lang = $10, dietary = $11, accessibility = $12, interpretation = $13, answers = $14, updated_at = $15,
			search = $16 WHERE id = $1`, r.ID, r.Civility, r.GivenName, r.FamilyName, r.NameJa, r.Kana, r.Function, r.Elected, r.Email, r.Lang,
			r.Dietary, r.Accessibility, r.Interpretation, string(answers), ts(now), searchKey(r)); err != nil {
			return err
		}
		keep := map[int64]bool{}
		for _, c := range old.Choices {
			if slices.ContainsFunc(r.Choices, func(n rencontres.Choice) bool { return n.SessionID == c.SessionID }) {
				keep[c.SessionID] = true
			} else if err := s.dropChoice(ctx, r.ID, c.SessionID); err != nil {
				return err
			}
		}
		if err := s.insertChoices(ctx, r, keep); err != nil {
			return err
		}
		if promoted, err = s.fill(ctx, r.EventID); err != nil {
			return err
		}
		promoted = slices.DeleteFunc(promoted, func(p rencontres.Promotion) bool { return p.RegistrationID == r.ID })
		got, err := s.Registration(ctx, r.EventID, r.ID)
		if err != nil {
			return err
		}
		*r = *got
		return nil
	})
	return promoted, err
}

// Withdraw withdraws a registration: its seats go to those waiting, who
// are returned to be told.
func (s *Store) Withdraw(ctx context.Context, eventID, id int64, now time.Time, anyTime bool) ([]rencontres.Promotion, error) {
	var promoted []rencontres.Promotion
	err := s.InTx(ctx, func(s *Store) error {
		if _, err := s.openForm(ctx, eventID, now, anyTime); err != nil {
			return err
		}
		if err := s.lockEvent(ctx, eventID); err != nil {
			return err
		}
		res, err := s.writer().ExecContext(ctx, `UPDATE registrations SET status = 'withdrawn', position = 0, withdrawn_at = $3, updated_at = $3
			WHERE id = $1 AND event_id = $2 AND status <> 'withdrawn'`, id, eventID, ts(now))
		if err := oneRow(res, err, "registration"); err != nil {
			return err
		}
		if err := s.renumberEvent(ctx, eventID); err != nil {
			return err
		}
		sessions, err := s.ids(ctx, "SELECT session_id FROM registration_choices WHERE registration_id = $1", id)
		if err != nil {
			return err
		}
		for _, session := range sessions {
			if err := s.dropChoice(ctx, id, session); err != nil {
				return err
			}
		}
		promoted, err = s.fill(ctx, eventID)
		return err
	})
	return promoted, err
}

const registrationColumns = `r.id, r.event_id, r.delegation_id, o.key, o.country, o.kind, r.status, r.civility, r.given_name, r.family_name,
	r.name_ja, r.kana, r.function, r.elected, r.email, r.lang, r.dietary, r.accessibility, r.interpretation, r.answers, r.code,
	r.checked_in_at, r.created_at, r.position`

const registrationFrom = ` FROM registrations r` + registrationOrgs

// registrationOrgs joins the delegations d and authorities o of the
// registrations r.
const registrationOrgs = ` JOIN delegations d ON d.id = r.delegation_id JOIN organisations o ON o.id = d.org_id`

// scanRegistrations reads the registrations a query gave, and closes its
// rows.
func scanRegistrations(rows *sql.Rows, err error) ([]*rencontres.Registration, error) {
	return scanAll(rows, err, scanRegistration)
}

func scanRegistration(row scanner) (*rencontres.Registration, error) {
	var r rencontres.Registration
	var answers, created string
	var checked sql.NullString
	if err := row.Scan(&r.ID, &r.EventID, &r.DelegationID, &r.OrgKey, &r.Country, &r.OrgKind, &r.Status, &r.Civility, &r.GivenName, &r.FamilyName,
		&r.NameJa, &r.Kana, &r.Function, &r.Elected, &r.Email, &r.Lang, &r.Dietary, &r.Accessibility, &r.Interpretation, &answers, &r.Code,
		&checked, &created, &r.Position); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil {
		return nil, err
	}
	r.Created, _ = parseTS(created)
	r.CheckedIn = parseNullTS(checked)
	return &r, nil
}

// Registrations lists an event's registrations in the order of
// submission, with their choices.
func (s *Store) Registrations(ctx context.Context, f rencontres.RegistrationFilter) ([]*rencontres.Registration, error) {
	where, args, _ := s.dialect.registrationWhere(f)
	rows, err := s.reader().QueryContext(ctx, "SELECT "+registrationColumns+registrationFrom+" WHERE "+where+" ORDER BY r.id", args...)
	all, err := scanRegistrations(rows, err)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*rencontres.Registration, len(all))
	for _, r := range all {
		byID[r.ID] = r
	}
	return all, s.loadChoices(ctx, f.EventID, byID)
}

func (s *Store) loadChoices(ctx context.Context, eventID int64, byID map[int64]*rencontres.Registration) error {
	if len(byID) == 0 {
		return nil
	}
	// A few registrations (one just written) are read by id; a whole list
	// by event, in one query either way.
	where, args := "r.event_id = $1", []any{eventID}
	if len(byID) <= 100 {
		var in string
		args, in = inList(byID)
		where = "c.registration_id IN " + in
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT c.registration_id, c.session_id, c.rank, c.status, ps.title, c.position
		FROM registration_choices c JOIN registrations r ON r.id = c.registration_id JOIN programme_sessions ps ON ps.id = c.session_id
		WHERE `+where+` ORDER BY c.registration_id, c.rank`, args...)
	return addChoices(rows, err, byID)
}

// Registration returns one registration of an event.
func (s *Store) Registration(ctx context.Context, eventID, id int64) (*rencontres.Registration, error) {
	r, err := scanRegistration(s.reader().QueryRowContext(ctx, "SELECT "+registrationColumns+registrationFrom+" WHERE r.id = $1 AND r.event_id = $2", id, eventID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("registration")
	}
	if err != nil {
		return nil, err
	}
	return r, s.loadChoices(ctx, eventID, map[int64]*rencontres.Registration{r.ID: r})
}

// addChoices adds the choices rows read (registration id, session, rank,
// status, title, position) to their registrations in byID.
func addChoices(rows *sql.Rows, err error, byID map[int64]*rencontres.Registration) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c rencontres.Choice
		if err := rows.Scan(&id, &c.SessionID, &c.Rank, &c.Status, &c.Title, &c.Position); err != nil {
			return err
		}
		if r := byID[id]; r != nil {
			r.Choices = append(r.Choices, c)
		}
	}
	return rows.Err()
}
