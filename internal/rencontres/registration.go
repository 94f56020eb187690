package rencontres

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// QuestionKind is the kind of answer a question takes.
type QuestionKind string

// Kinds of question.
const (
	TextQuestion   QuestionKind = "text"
	ChoiceQuestion QuestionKind = "choice"
	YesNoQuestion  QuestionKind = "yesno"
	NumberQuestion QuestionKind = "number"
	DateQuestion   QuestionKind = "date"
)

// QuestionKinds lists every kind.
var QuestionKinds = []QuestionKind{TextQuestion, ChoiceQuestion, YesNoQuestion, NumberQuestion, DateQuestion}

// Option is one answer of a choice question.
type Option struct {
	Value string `json:"value"`
	Label Text   `json:"label"`
}

// Condition shows a question only when another's answer is Equals.
type Condition struct {
	Question string `json:"question"`
	Equals   string `json:"equals"`
}

// Question is a question a registration form asks beyond the standard
// ones, in three languages.
type Question struct {
	Key      string       `json:"key"` // stable name of the answer, a slug
	Label    Text         `json:"label"`
	Kind     QuestionKind `json:"kind"`
	Required bool         `json:"required"`
	Options  []Option     `json:"options,omitempty"`
	ShowIf   *Condition   `json:"show_if,omitempty"`
}

// RegistrationForm is how an event takes registrations.
type RegistrationForm struct {
	EventID int64     `json:"event_id"`
	Opens   time.Time `json:"opens"`
	// Deadline is the instant registration closes; it is shown in the
	// event's zone and in the reader's.
	Deadline time.Time `json:"deadline"`
	// Capacity is the number of seats at the event; 0 is no limit.
	Capacity int `json:"capacity"`
	// MaxChoices is how many of the sessions that take choices a person
	// may choose; Ranked asks them in order of preference.
	MaxChoices int    `json:"max_choices"`
	Ranked     bool   `json:"ranked"`
	Contact    string `json:"contact,omitempty"` // whom to write to after the deadline
	// SenderName is the display name of the event's emails (the
	// instance's when empty); ReplyTo, where answers to them go (Contact
	// when empty).
	SenderName string     `json:"sender_name,omitempty"`
	ReplyTo    string     `json:"reply_to,omitempty"`
	Questions  []Question `json:"questions"`
}

// ValidateSender checks the sender name and Reply-To address of an
// event's or a series' emails: a name of plain words (no address, no
// quotes, no line break that would forge a header) and an address.
func ValidateSender(senderName, replyTo string) []error {
	var errs []error
	if strings.ContainsAny(senderName, "<>\"\r\n@") || len([]rune(senderName)) > 100 {
		errs = append(errs, &Error{Code: EINVALID, Key: "sending.bad_sender_name", Field: "sender_name",
			Message: "a sender name is plain words, 100 characters at most, without < > \" @ or line breaks"})
	}
	if replyTo != "" {
		if _, err := emailIn(replyTo, "reply_to"); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// Open reports whether the form takes registrations at t.
func (f *RegistrationForm) Open(t time.Time) bool {
	return !t.Before(f.Opens) && t.Before(f.Deadline)
}

// Validate checks a form: dates in order, questions with keys, labels and
// options, and conditions on earlier questions.
func (f *RegistrationForm) Validate() error {
	var errs []error
	switch {
	case f.Opens.IsZero() || f.Deadline.IsZero():
		errs = append(errs, &Error{Code: EINVALID, Key: "error.required", Field: "deadline", Message: "give the opening and the deadline"})
	case !f.Deadline.After(f.Opens):
		errs = append(errs, &Error{Code: EINVALID, Key: "error.end_before_start", Field: "deadline", Message: "the deadline is before the opening"})
	}
	if f.Capacity < 0 {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.negative", Field: "capacity", Message: "must not be negative"})
	}
	if f.MaxChoices < 0 || f.MaxChoices > 10 {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_max_choices", Field: "max_choices", Message: "0 to 10 choices"})
	}
	if f.Contact != "" {
		if _, err := emailIn(f.Contact, "contact"); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, ValidateSender(f.SenderName, f.ReplyTo)...)
	seen := map[string]*Question{}
	for i := range f.Questions {
		if err := f.validateQuestion(i, seen); err != nil {
			errs = append(errs, err)
		}
		seen[f.Questions[i].Key] = &f.Questions[i]
	}
	// Every fault is reported at once (see Join), one per question.
	return Join(errs...)
}

// validateQuestion checks the i-th question given the earlier ones.
func (f *RegistrationForm) validateQuestion(i int, seen map[string]*Question) error {
	q := &f.Questions[i]
	field := fmt.Sprintf("questions[%d]", i)
	switch {
	case !slugRE.MatchString(q.Key) || slices.Contains(standardKeys, q.Key):
		return &Error{Code: EINVALID, Key: "error.bad_question_key", Field: field, Message: fmt.Sprintf("question key %q: use lower-case letters, digits and hyphens, not a standard field", q.Key), Args: map[string]any{"Value": q.Key}}
	case seen[q.Key] != nil:
		return &Error{Code: EINVALID, Key: "error.duplicate_question", Field: field, Message: fmt.Sprintf("question key %q is used twice", q.Key), Args: map[string]any{"Value": q.Key}}
	case !slices.Contains(QuestionKinds, q.Kind):
		return &Error{Code: EINVALID, Key: "error.bad_kind", Field: field, Message: fmt.Sprintf("unknown question kind %q", q.Kind)}
	case q.Kind == ChoiceQuestion && len(q.Options) < 2:
		return &Error{Code: EINVALID, Key: "error.question_options", Field: field, Message: "a choice needs two options at least"}
	}
	if err := q.Label.Validate(field, true); err != nil {
		return err
	}
	for _, o := range q.Options {
		if o.Value == "" || o.Label.Validate(field, true) != nil {
			return &Error{Code: EINVALID, Key: "error.question_options", Field: field, Message: "every option needs a value and a label"}
		}
	}
	if c := q.ShowIf; c != nil && seen[c.Question] == nil {
		return &Error{Code: EINVALID, Key: "error.bad_condition", Field: field, Message: fmt.Sprintf("the condition names %q, which is not an earlier question", c.Question), Args: map[string]any{"Value": c.Question}}
	}
	return nil
}

// standardKeys are the fields every registration has; extra questions use
// other keys.
var standardKeys = []string{"civility", "given-name", "family-name", "name-ja", "kana", "function", "elected", "email", "lang", "dietary", "accessibility", "interpretation"}

// Shown reports whether question q is asked, given the answers so far.
func (f *RegistrationForm) Shown(q *Question, answers map[string]string) bool {
	return q.ShowIf == nil || answers[q.ShowIf.Question] == q.ShowIf.Equals
}

// CheckAnswers checks the answers to the extra questions: required ones
// given, choices among the options, numbers and dates well formed; answers
// to hidden or unknown questions are dropped. Errors name the question as
// "answers.<key>", and every question at fault is reported (see Join).
func (f *RegistrationForm) CheckAnswers(answers map[string]string) (map[string]string, error) {
	out := map[string]string{}
	var errs []error
	for i := range f.Questions {
		q := &f.Questions[i]
		if !f.Shown(q, out) {
			continue
		}
		v := strings.TrimSpace(answers[q.Key])
		field := "answers." + q.Key
		if v == "" {
			if q.Required {
				errs = append(errs, &Error{Code: EINVALID, Key: "error.answer_required", Field: field, Message: "this question needs an answer"})
			}
			continue
		}
		switch q.Kind {
		case ChoiceQuestion:
			if !slices.ContainsFunc(q.Options, func(o Option) bool { return o.Value == v }) {
				errs = append(errs, &Error{Code: EINVALID, Key: "error.answer_choice", Field: field, Message: fmt.Sprintf("%q is not one of the options", v), Args: map[string]any{"Value": v}})
				continue
			}
		case YesNoQuestion:
			if v != "yes" && v != "no" {
				errs = append(errs, &Error{Code: EINVALID, Key: "error.answer_yesno", Field: field, Message: "answer yes or no"})
				continue
			}
		case NumberQuestion:
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				errs = append(errs, &Error{Code: EINVALID, Key: "error.answer_number", Field: field, Message: fmt.Sprintf("%q is not a number", v), Args: map[string]any{"Value": v}})
				continue
			}
		case DateQuestion:
			if _, err := ParseDate(v); err != nil {
				errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_date_value", Field: field, Message: err.Error(), Args: map[string]any{"Value": v}})
				continue
			}
		case TextQuestion:
			if utf8.RuneCountInString(v) > 2000 {
				errs = append(errs, &Error{Code: EINVALID, Key: "error.too_long", Field: field, Message: "too long", Args: map[string]any{"Max": 2000, "Field": q.Label}})
				continue
			}
		}
		out[q.Key] = v
	}
	if err := Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// SeatStatus is where a person stands for a seat at an event or a session.
type SeatStatus string

// Seat statuses.
const (
	Confirmed  SeatStatus = "confirmed"
	Waitlisted SeatStatus = "waitlisted"
	Withdrawn  SeatStatus = "withdrawn"
)

// Choice is a session a person chose, with its rank and its seat.
type Choice struct {
	SessionID int64      `json:"session"`
	Rank      int        `json:"rank"`
	Status    SeatStatus `json:"status,omitempty"`
	// Position is the place on the session's waiting list, from 1.
	Position int  `json:"waitlist_position,omitempty"`
	Title    Text `json:"title,omitempty"`
}

// Civilities a person may give.
var Civilities = []string{"", "mme", "m"}

// Registration is one person registered for an event by their authority's
// delegation.
type Registration struct {
	ID           int64      `json:"id"`
	EventID      int64      `json:"event_id"`
	DelegationID int64      `json:"delegation_id"`
	OrgKey       string     `json:"organisation"`
	Status       SeatStatus `json:"status"`
	// Position is the place on the event's waiting list, from 1.
	Position       int               `json:"waitlist_position,omitempty"`
	Civility       string            `json:"civility,omitempty"`
	GivenName      string            `json:"given_name"`
	FamilyName     string            `json:"family_name"`
	NameJa         string            `json:"name_ja,omitempty"`
	Kana           string            `json:"kana,omitempty"`
	Function       string            `json:"function,omitempty"`
	Elected        bool              `json:"elected"`
	Email          string            `json:"email"`
	Lang           Lang              `json:"lang"`
	Dietary        string            `json:"dietary,omitempty"`
	Accessibility  string            `json:"accessibility,omitempty"`
	Interpretation bool              `json:"interpretation"`
	Answers        map[string]string `json:"answers,omitempty"`
	Choices        []Choice          `json:"choices,omitempty"`
	Code           string            `json:"code,omitempty"`
	CheckedIn      *time.Time        `json:"checked_in,omitempty"`
	Created        time.Time         `json:"created"`
	// Country and kind of the authority, for lists and filters.
	Country Country `json:"country,omitempty"`
	OrgKind OrgKind `json:"organisation_kind,omitempty"`
}

// DisplayName is the person's name as a badge prints it: Japanese name
// for a Japanese reader when there is one, else given name and FAMILY
// name.
func (r *Registration) DisplayName(l Lang) string {
	if l == Japanese && r.NameJa != "" {
		return r.NameJa
	}
	return r.GivenName + " " + strings.ToUpper(r.FamilyName)
}

// Validate checks the standard fields of a registration and reports every
// field at fault, the first fault of each, so that the form shows them all
// at once (see Join).
func (r *Registration) Validate() error {
	r.GivenName, r.FamilyName = strings.TrimSpace(r.GivenName), strings.TrimSpace(r.FamilyName)
	r.NameJa, r.Kana, r.Function = strings.TrimSpace(r.NameJa), strings.TrimSpace(r.Kana), strings.TrimSpace(r.Function)
	var errs []error
	if !slices.Contains(Civilities, r.Civility) {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_civility", Field: "civility", Message: "unknown civility"})
	}
	for _, f := range []struct{ name, v string }{{"given_name", r.GivenName}, {"family_name", r.FamilyName}, {"name_ja", r.NameJa},
		{"kana", r.Kana}, {"function", r.Function}, {"dietary", r.Dietary}, {"accessibility", r.Accessibility}} {
		switch {
		case f.v == "" && (f.name == "given_name" || f.name == "family_name"):
			errs = append(errs, &Error{Code: EINVALID, Key: "error.required", Field: f.name, Message: "required"})
		case utf8.RuneCountInString(f.v) > MaxNameLen:
			errs = append(errs, &Error{Code: EINVALID, Key: "error.too_long", Field: f.name, Message: "too long", Args: map[string]any{"Max": MaxNameLen}})
		case f.name == "kana" && r.Kana != "" && !isKana(r.Kana):
			errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_kana", Field: "kana", Message: "the reading must be in kana"})
		}
	}
	email, err := emailIn(r.Email, "email")
	if err != nil {
		errs = append(errs, err)
	} else {
		r.Email = email
	}
	if _, ok := ParseLang(string(r.Lang)); !ok {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.unknown_language", Field: "lang", Message: "unknown language", Args: map[string]any{"Lang": r.Lang}})
	}
	return Join(errs...)
}

// emailIn checks an address given in field.
func emailIn(s, field string) (string, error) {
	email, err := NormaliseEmail(s)
	if e, ok := err.(*Error); ok {
		e.Field = field
	}
	return email, err
}

// RegistrationFilter selects an event's registrations.
type RegistrationFilter struct {
	EventID      int64
	DelegationID int64
	OrgKey       string
	Country      Country
	OrgKind      OrgKind
	Elected      *bool
	SessionID    int64
	Status       SeatStatus // "" is every status but withdrawn
	Query        string
}

// Delegation is an authority's registrations for an event.
type Delegation struct {
	ID      int64           `json:"id"`
	EventID int64           `json:"event_id"`
	OrgKey  string          `json:"organisation"`
	People  []*Registration `json:"people"`
}

// Promotion is a person given a seat they were waiting for: at the event
// (SessionID 0) or at a session.
type Promotion struct {
	RegistrationID int64
	SessionID      int64
}

// Count is the number of seats taken and of people waiting.
type Count struct {
	Confirmed  int `json:"confirmed"`
	Waitlisted int `json:"waitlisted"`
}

// SeatCounts are an event's counts, and each session's.
type SeatCounts struct {
	Event     Count           `json:"event"`
	CheckedIn int             `json:"checked_in"`
	Sessions  map[int64]Count `json:"sessions"`
}
