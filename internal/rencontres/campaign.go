package rencontres

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// CampaignStatus is where a mailing stands.
type CampaignStatus string

// Campaign statuses: a draft is edited and previewed; once sent, its
// letters are fixed and its messages leave through the outbox; a cancelled
// campaign sends nothing more.
const (
	CampaignDraft     CampaignStatus = "draft"
	CampaignSending   CampaignStatus = "sending"
	CampaignCancelled CampaignStatus = "cancelled"
)

// RecipientFilter chooses a campaign's recipients: the contacts of the
// authorities that match every criterion given, plus the authorities named.
// The directory holds tens of thousands of authorities; only those with a
// contact can receive a letter, so a filter by country or kind reaches the
// network, not every commune of France.
type RecipientFilter struct {
	Countries []Country `json:"countries,omitempty"`
	Kinds     []OrgKind `json:"kinds,omitempty"`
	// Committees keeps the authorities with a seat on one of these
	// committees, and adds the accounts that sit on them.
	Committees []int64 `json:"committees,omitempty"`
	// PastEvents keeps the authorities that sent a delegation to one of
	// these events: past participants.
	PastEvents []int64 `json:"past_events,omitempty"`
	// Organisations are authorities named one by one, by key; one without
	// a contact is reported, not skipped silently.
	Organisations []string `json:"organisations,omitempty"`
	// Extra are people not yet in the directory, one a line: "address;
	// authority key; name; language" (name and language optional). Those
	// written to become their authority's contacts, so that their personal
	// link signs them in.
	Extra []string `json:"extra,omitempty"`
	// Registrants, when set, writes to registered people of the
	// campaign's event instead of the authorities' contacts, each with a
	// link to their own page; it is not combined with the criteria above.
	Registrants *RegistrantFilter `json:"registrants,omitempty"`
}

// Empty reports whether the filter chooses nobody.
func (f *RecipientFilter) Empty() bool {
	return len(f.Countries) == 0 && len(f.Kinds) == 0 && len(f.Committees) == 0 && len(f.PastEvents) == 0 && len(f.Organisations) == 0 &&
		len(f.Extra) == 0 && f.Registrants.Empty()
}

// ForRegistrants reports whether the filter writes to registered people.
func (f *RecipientFilter) ForRegistrants() bool { return f.Registrants != nil }

// CheckRegistrants refuses a filter that mixes registered people with
// the directory's criteria: one campaign writes to one kind of reader.
func (f *RecipientFilter) CheckRegistrants() error {
	if f.Registrants == nil {
		return nil
	}
	if len(f.Countries)+len(f.Kinds)+len(f.Committees)+len(f.PastEvents)+len(f.Organisations)+len(f.Extra) > 0 {
		return &Error{Code: EINVALID, Key: "error.campaign_registrants_mixed", Field: "filter.registrants",
			Message: "a campaign writes either to registered people or to the authorities' contacts, not both"}
	}
	if f.Registrants.Empty() {
		return &Error{Code: EINVALID, Key: "error.campaign_registrants_empty", Field: "filter.registrants",
			Message: "choose the registered people: all, or by session, status, country or need of interpretation"}
	}
	return nil
}

// extraSeparators are what may separate the parts of an extra line: the
// ASCII semicolon, and the full-width one a Japanese keyboard types (the
// Japanese hint shows it). Full-width spaces around the parts are trimmed
// like any other space.
var extraSeparators = strings.NewReplacer("；", ";")

// ParseExtra reads the people a filter adds by hand, one a line: "address;
// authority key; name; language", with ";" or "；". A line that cannot be
// read is a problem naming its number; blank lines are skipped.
func (f *RecipientFilter) ParseExtra() ([]*Recipient, []Problem) {
	var out []*Recipient
	var problems []Problem
	for i, line := range f.Extra {
		n := i + 1
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(extraSeparators.Replace(line), ";")
		for len(parts) < 4 {
			parts = append(parts, "")
		}
		for j := range parts {
			parts[j] = strings.TrimSpace(parts[j])
		}
		email, err := NormaliseEmail(parts[0])
		if err != nil {
			problems = append(problems, Problem{Email: parts[0], Line: n, Key: "campaign.problem_extra_address",
				Args: map[string]any{"Line": n, "Value": parts[0]}, Message: fmt.Sprintf("line %d: %q is not an email address", n, parts[0])})
			continue
		}
		if parts[1] == "" {
			problems = append(problems, Problem{Email: email, Line: n, Key: "campaign.problem_extra_organisation",
				Args: map[string]any{"Line": n}, Message: fmt.Sprintf("line %d: give the authority's key after the address", n)})
			continue
		}
		lang := French
		if parts[3] != "" {
			l, ok := ParseLang(parts[3])
			if !ok {
				problems = append(problems, Problem{Email: email, Line: n, Key: "campaign.problem_extra_lang",
					Args: map[string]any{"Line": n, "Value": parts[3]}, Message: fmt.Sprintf("line %d: unknown language %q", n, parts[3])})
				continue
			}
			lang = l
		}
		out = append(out, &Recipient{Email: email, OrgKey: parts[1], Name: parts[2], Lang: lang, Line: n})
	}
	return out, problems
}

// Campaign is a letter sent to many: written once per language, merged for
// each recipient, sent by email with the letter as PDF and the event's
// documents, each with a personal link to the registration form.
type Campaign struct {
	ID      int64          `json:"id"`
	EventID int64          `json:"event_id"`
	Name    string         `json:"name"`
	Status  CampaignStatus `json:"status"`
	// Letters are the templates, by language, as internal/letter reads
	// them; the service checks them.
	Letters map[Lang]json.RawMessage `json:"letters"`
	Filter  RecipientFilter          `json:"filter"`
	// Documents are the ids of the event's documents attached to every
	// email.
	Documents []int64 `json:"documents"`
	// ReminderDays are how many days before the registration deadline a
	// reminder goes to those who have not answered: [7, 2].
	ReminderDays []int `json:"reminder_days"`
	// LetterDate is the date printed on the letters; zero, the day they
	// are sent.
	LetterDate Date       `json:"letter_date,omitempty"`
	CreatedBy  int64      `json:"created_by,omitempty"`
	Created    time.Time  `json:"created"`
	Updated    time.Time  `json:"updated"`
	Launched   *time.Time `json:"launched,omitempty"`
	Cancelled  *time.Time `json:"cancelled,omitempty"`
}

// MaxReminders bounds a campaign's reminders.
const MaxReminders = 4

// Validate checks what the domain knows of a campaign: a name, reminders
// between one and ninety days, no day twice. Every fault is told at once
// (see Join). The letters are checked by the letter package.
func (c *Campaign) Validate() error {
	var errs []error
	switch {
	case c.Name == "":
		errs = append(errs, &Error{Code: EINVALID, Key: "error.required", Field: "name", Message: "required"})
	case len([]rune(c.Name)) > MaxNameLen:
		errs = append(errs, &Error{Code: EINVALID, Key: "error.too_long", Field: "name", Message: "too long", Args: map[string]any{"Max": MaxNameLen}})
	}
	if len(c.ReminderDays) > MaxReminders {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.too_many_reminders", Field: "reminder_days", Message: fmt.Sprintf("%d reminders at most", MaxReminders),
			Args: map[string]any{"Max": MaxReminders}})
	} else {
		for i, d := range c.ReminderDays {
			if d < 1 || d > 90 || slices.Contains(c.ReminderDays[:i], d) {
				errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_reminder_day", Field: "reminder_days",
					Message: fmt.Sprintf("%d: a reminder leaves 1 to 90 days before the deadline, once", d), Args: map[string]any{"Value": d}})
				break
			}
		}
	}
	return Join(errs...)
}

// RecipientState is where a recipient stands: the state of their letter in
// the outbox, unless they answered.
type RecipientState string

// Recipient states. Registered and declined are answers and win over the
// state of the message.
const (
	RecipientQueued     RecipientState = "queued"
	RecipientSent       RecipientState = "sent"
	RecipientFailed     RecipientState = "failed"
	RecipientCancelled  RecipientState = "cancelled"
	RecipientRegistered RecipientState = "registered"
	RecipientDeclined   RecipientState = "declined"
)

// RecipientStates lists the states in the order a campaign page counts
// them.
var RecipientStates = []RecipientState{RecipientQueued, RecipientSent, RecipientFailed, RecipientCancelled, RecipientRegistered, RecipientDeclined}

// Recipient is one person a campaign writes to: an authority's contact.
type Recipient struct {
	ID         int64  `json:"id"`
	CampaignID int64  `json:"campaign_id,omitempty"`
	UserID     int64  `json:"user_id,omitempty"`
	Email      string `json:"email"`
	Civility   string `json:"civility,omitempty"`
	Name       string `json:"name"`
	NameJa     string `json:"name_ja,omitempty"`
	Function   string `json:"function,omitempty"`
	// AddressForm is the form of address letters use for them, when the
	// secretariat wrote one (« Monsieur le Maire »).
	AddressForm string `json:"address_form,omitempty"`
	Lang        Lang   `json:"lang"`
	OrgKey      string `json:"organisation,omitempty"`
	// OrgName is the authority's name in each language.
	OrgName Text           `json:"organisation_name,omitempty"`
	Country Country        `json:"country,omitempty"`
	State   RecipientState `json:"state,omitempty"`
	// Answer is the mail server's last answer when the letter failed or
	// waits for another attempt.
	Answer   string     `json:"answer,omitempty"`
	Attempts int        `json:"attempts,omitempty"`
	Sent     *time.Time `json:"sent,omitempty"`
	Opened   *time.Time `json:"opened,omitempty"`
	Declined *time.Time `json:"declined,omitempty"`
	// Reminders counts the reminders queued for them.
	Reminders int `json:"reminders,omitempty"`
	// Line is the line of the filter's extra people that names them.
	Line int `json:"line,omitempty"`
	// RegistrationID is the registration a campaign to registered people
	// chose them for: their link opens their own page of the event.
	RegistrationID int64 `json:"registration_id,omitempty"`
}

// Problem is why a recipient cannot be written to as the campaign stands:
// no address, an address that is not one, a field the letter needs that
// they lack. Problems are listed before anything is sent.
type Problem struct {
	OrgKey string `json:"organisation,omitempty"`
	Email  string `json:"email,omitempty"`
	Name   string `json:"name,omitempty"`
	// Line is the line of the filter's extra people at fault, if any.
	Line int `json:"line,omitempty"`
	// Key is the message's key, Args its arguments; Message in English.
	Key     string         `json:"key"`
	Args    map[string]any `json:"args,omitempty"`
	Message string         `json:"message"`
}

// CampaignCounts counts a campaign's recipients by state.
type CampaignCounts map[RecipientState]int
