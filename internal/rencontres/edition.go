package rencontres

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Rhythm is how often a series meets.
type Rhythm string

// Rhythms of a series.
const (
	Annual    Rhythm = "annual"
	Biennial  Rhythm = "biennial"
	Irregular Rhythm = "irregular"
)

// Series is a recurring event: the Rencontres franco-japonaises, the RAICT,
// or any other country group's meetings. Series are data, not code.
type Series struct {
	ID     int64  `json:"-"`
	Slug   string `json:"slug"`
	Name   Text   `json:"name"`
	Short  Text   `json:"short_name,omitempty"`
	Rhythm Rhythm `json:"rhythm"`
	// Alternating is set when editions alternate between the countries of
	// the series (France, then Japan, then France…).
	Alternating bool `json:"alternating"`
	Description Text `json:"description,omitempty"`
	Editions    int  `json:"editions"`
	// Organisations are the series' co-organisers and patrons, from the
	// directory.
	Organisations []EditionOrg `json:"organisations"`
	// SenderName and ReplyTo are those of its events' emails when an
	// event sets none (see mail.EventSender): the display name at the
	// instance's address, and where answers go.
	SenderName string `json:"sender_name,omitempty"`
	ReplyTo    string `json:"reply_to,omitempty"`
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// MaxSlugLen is the longest slug: it is part of every URL of the series.
const MaxSlugLen = 60

// SeriesRoles are the parts an organisation plays in a series.
var SeriesRoles = []EditionRole{CoOrganiser, Patron}

// Validate checks a series: its first problem, carrying every other
// (see Join), so that the API lists them all as the form shows them.
func (s *Series) Validate() error {
	var errs []error
	for _, e := range s.Problems() {
		errs = append(errs, e)
	}
	return Join(errs...)
}

// Problems lists every problem of a series, each naming its field, so that
// a form shows them all at once.
func (s *Series) Problems() []*Error {
	var out []*Error
	add := func(err error) {
		if e, ok := err.(*Error); ok && e != nil {
			out = append(out, e)
		}
	}
	switch {
	case s.Slug == "":
		add(&Error{Code: EINVALID, Key: "error.required", Field: "slug", Message: "a series needs a slug"})
	case len(s.Slug) > MaxSlugLen:
		add(&Error{Code: EINVALID, Key: "error.too_long", Field: "slug", Message: "slug too long", Args: map[string]any{"Max": MaxSlugLen}})
	case !slugRE.MatchString(s.Slug):
		add(&Error{Code: EINVALID, Key: "error.bad_slug", Field: "slug", Message: fmt.Sprintf("slug %q: use lower-case letters, digits and hyphens", s.Slug)})
	}
	add(s.Name.Validate("name", true))
	add(s.Short.Validate("short_name", false))
	switch s.Rhythm {
	case Annual, Biennial, Irregular:
	default:
		add(&Error{Code: EINVALID, Key: "error.bad_rhythm", Field: "rhythm", Message: fmt.Sprintf("unknown rhythm %q", s.Rhythm)})
	}
	add(s.Description.Validate("description", false))
	for _, err := range ValidateSender(s.SenderName, s.ReplyTo) {
		add(err)
	}
	for i, o := range s.Organisations {
		if !slices.Contains(SeriesRoles, o.Role) {
			add(&Error{Code: EINVALID, Key: "error.bad_role", Field: fmt.Sprintf("organisations[%d].role", i), Message: fmt.Sprintf("unknown role %q", o.Role)})
		}
		if o.OrgKey == "" {
			add(&Error{Code: EINVALID, Key: "error.required", Field: fmt.Sprintf("organisations[%d].organisation", i), Message: "an organisation's key is required"})
		}
	}
	return out
}

// Status is the state of an edition.
type Status string

// Edition statuses.
const (
	Planned   Status = "planned"
	Postponed Status = "postponed"
	Held      Status = "held"
	Cancelled Status = "cancelled"
)

// DateChangeKind says what a change of dates was.
type DateChangeKind string

// Kinds of date change: a postponement moved the event (the 7th
// Rencontres, twice); a correction fixed days typed wrong, and the event
// never was announced for them.
const (
	Postponement DateChangeKind = "postponement"
	Correction   DateChangeKind = "correction"
)

// DateChange records one change of an edition's dates: from what it had
// been announced for, to what was then decided. The 7th Rencontres moved
// twice.
type DateChange struct {
	Kind      DateChangeKind `json:"kind"`
	FromStart Date           `json:"from_start"`
	FromEnd   Date           `json:"from_end"`
	ToStart   Date           `json:"to_start"`
	ToEnd     Date           `json:"to_end"`
	// DecidedOn is when the move was announced, when known.
	DecidedOn Date `json:"decided_on,omitempty"`
	Reason    Text `json:"reason,omitempty"`
}

// IsCorrection reports whether the change fixed days typed wrong.
func (c DateChange) IsCorrection() bool { return c.Kind == Correction }

// ValidDateChangeKind reports whether k is a kind of date change.
func ValidDateChangeKind(k DateChangeKind) bool { return k == Postponement || k == Correction }

// Moves returns the changes that moved an event, leaving out corrections:
// the public history tells when an event was put off, not the typos fixed
// on its way.
func Moves(changes []DateChange) []DateChange {
	var out []DateChange
	for _, c := range changes {
		if !c.IsCorrection() {
			out = append(out, c)
		}
	}
	return out
}

// Figures are an edition's participation numbers. A nil field is unknown,
// which is not the same as zero.
type Figures struct {
	People        *int `json:"people,omitempty"`
	AuthoritiesFR *int `json:"authorities_fr,omitempty"`
	AuthoritiesJP *int `json:"authorities_jp,omitempty"`
	Interpreters  *int `json:"interpreters,omitempty"`
	Record        bool `json:"record"`
	Note          Text `json:"note,omitempty"`
}

// Authorities returns the number of authorities of both countries, or nil
// when either is unknown.
func (f Figures) Authorities() *int {
	if f.AuthoritiesFR == nil || f.AuthoritiesJP == nil {
		return nil
	}
	n := *f.AuthoritiesFR + *f.AuthoritiesJP
	return &n
}

// EditionRole is the part an organisation plays in an edition.
type EditionRole string

// Roles of organisations in an edition.
const (
	CoOrganiser EditionRole = "co_organiser"
	Patron      EditionRole = "patron"
	Partner     EditionRole = "partner"
)

// Workshop is one of an edition's parallel working sessions (分科会), kept
// at the level of detail the archive knows.
type Workshop struct {
	Title Text `json:"title"`
	Theme Text `json:"theme,omitempty"`
}

// Committee is a steering committee (COPIL) of an edition.
type Committee struct {
	ID        int64            `json:"id"`
	EditionID int64            `json:"edition_id"`
	Kind      string           `json:"kind"` // french, japanese, joint
	Name      Text             `json:"name"`
	Members   []*CommitteeSeat `json:"members,omitempty"`
	Meetings  []*Event         `json:"meetings,omitempty"`
}

// CommitteeKinds are the committees an edition may have.
var CommitteeKinds = []string{"french", "japanese", "joint"}

// Validate checks a committee.
func (c *Committee) Validate() error {
	if !slices.Contains(CommitteeKinds, c.Kind) {
		return &Error{Code: EINVALID, Key: "error.bad_kind", Field: "kind", Message: fmt.Sprintf("unknown committee kind %q", c.Kind)}
	}
	return c.Name.Validate("name", true)
}

// SeatRoles are the roles of a committee seat, in the order a list shows
// them.
var SeatRoles = []string{"chair", "vice_chair", "member", "secretariat"}

// CommitteeSeat is a person's seat on a committee: who, for which
// authority, in which role, for which mandate.
type CommitteeSeat struct {
	ID     int64  `json:"id"`
	Person string `json:"person"` // display name, given name then FAMILY name
	// PersonJa is the name in Japanese script, family name first, and
	// Kana its reading: Japanese pages show a Japanese member by them.
	PersonJa     string `json:"person_ja,omitempty"`
	Kana         string `json:"kana,omitempty"`
	Role         string `json:"role"` // chair, vice_chair, member, secretariat
	Function     Text   `json:"function,omitempty"`
	OrgKey       string `json:"organisation,omitempty"`
	MandateStart Date   `json:"mandate_start,omitempty"`
	MandateEnd   Date   `json:"mandate_end,omitempty"`
}

// Validate checks a seat.
func (m *CommitteeSeat) Validate() error {
	var errs []error
	add := func(e *Error) { errs = append(errs, e) }
	name := strings.TrimSpace(m.Person)
	switch {
	case name == "":
		add(&Error{Code: EINVALID, Key: "error.required", Field: "person", Message: "a seat needs a person"})
	case utf8.RuneCountInString(name) > MaxNameLen:
		add(&Error{Code: EINVALID, Key: "error.too_long", Field: "person", Message: "name too long", Args: map[string]any{"Max": MaxNameLen}})
	}
	if utf8.RuneCountInString(m.PersonJa) > MaxNameLen {
		add(&Error{Code: EINVALID, Key: "error.too_long", Field: "person_ja", Message: "name too long", Args: map[string]any{"Max": MaxNameLen}})
	}
	switch {
	case utf8.RuneCountInString(m.Kana) > MaxNameLen:
		add(&Error{Code: EINVALID, Key: "error.too_long", Field: "kana", Message: "reading too long", Args: map[string]any{"Max": MaxNameLen}})
	case m.Kana != "" && !isKana(m.Kana):
		add(&Error{Code: EINVALID, Key: "error.bad_kana", Field: "kana", Message: "the reading must be in kana"})
	}
	if !slices.Contains(SeatRoles, m.Role) {
		add(&Error{Code: EINVALID, Key: "error.bad_role", Field: "role", Message: fmt.Sprintf("unknown role %q", m.Role)})
	}
	if !m.MandateEnd.IsZero() && m.MandateEnd.Before(m.MandateStart) {
		add(&Error{Code: EINVALID, Key: "error.end_before_start", Field: "mandate_end", Message: "the mandate ends before it starts"})
	}
	// Every fault is told at once (see Join).
	return Join(append(errs, m.Function.Validate("function", false))...)
}

// Edition is one occurrence of a series.
type Edition struct {
	ID         int64  `json:"event_id"`
	SeriesSlug string `json:"series"`
	Number     int    `json:"number"`
	// Year is always known; the dates may not be (an edition announced for
	// "autumn 2026", a cancelled one whose days were never fixed).
	Year          int           `json:"year"`
	HostKey       string        `json:"host,omitempty"`
	Host          *Organisation `json:"-"`
	Venue         Text          `json:"venue,omitempty"`
	Start         Date          `json:"start"`
	End           Date          `json:"end"`
	TimeZone      string        `json:"time_zone"`
	Theme         Text          `json:"theme,omitempty"`
	Status        Status        `json:"status"`
	Published     bool          `json:"programme_published"`
	Declaration   Text          `json:"declaration,omitempty"`
	Summary       Text          `json:"summary,omitempty"`
	Figures       Figures       `json:"figures"`
	DateChanges   []DateChange  `json:"date_changes"`
	Organisations []EditionOrg  `json:"organisations,omitempty"`
	Workshops     []Workshop    `json:"workshops,omitempty"`
	Committees    []*Committee  `json:"committees,omitempty"`
}

// Moves are the edition's date changes that moved it, for the public
// history.
func (e *Edition) Moves() []DateChange { return Moves(e.DateChanges) }

// EditionOrg is an organisation and the role it plays in an edition.
type EditionOrg struct {
	Role   EditionRole   `json:"role"`
	OrgKey string        `json:"organisation"`
	Org    *Organisation `json:"-"`
}

// Location returns the edition's time zone, or UTC if it does not load.
func (e *Edition) Location() *time.Location {
	if loc, err := time.LoadLocation(e.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// Validate checks an edition's own rules: dates in order, a time zone that
// exists, a known status, date changes that chain.
func (e *Edition) Validate() error {
	switch {
	case e.Number < 1:
		return &Error{Code: EINVALID, Key: "error.bad_number", Field: "number", Message: "edition number must be 1 or more"}
	case e.Year < 1900 || e.Year > 2100:
		return &Error{Code: EINVALID, Key: "error.bad_year", Field: "year", Message: fmt.Sprintf("year %d out of range", e.Year)}
	case e.Start.IsZero() && (e.Status == Held || e.Status == Postponed):
		return &Error{Code: EINVALID, Key: "error.required", Field: "start", Message: "a held or postponed edition needs its dates"}
	case !e.Start.IsZero() && e.Start.Year != e.Year:
		return &Error{Code: EINVALID, Key: "error.year_mismatch", Field: "start", Message: fmt.Sprintf("the start date is not in %d", e.Year)}
	case e.End.IsZero() != e.Start.IsZero():
		return &Error{Code: EINVALID, Key: "error.required", Field: "end", Message: "give both the start and the end date, or neither"}
	case !e.End.IsZero() && e.End.Before(e.Start):
		return &Error{Code: EINVALID, Key: "error.end_before_start", Field: "end", Message: "the end date is before the start date"}
	}
	if _, err := time.LoadLocation(e.TimeZone); err != nil || e.TimeZone == "" || e.TimeZone == "Local" {
		return &Error{Code: EINVALID, Key: "error.bad_time_zone", Field: "time_zone", Message: fmt.Sprintf("unknown time zone %q", e.TimeZone), Args: map[string]any{"Zone": e.TimeZone}}
	}
	switch e.Status {
	case Planned, Postponed, Held, Cancelled:
	default:
		return &Error{Code: EINVALID, Key: "error.bad_status", Field: "status", Message: fmt.Sprintf("unknown status %q", e.Status)}
	}
	for i, c := range e.DateChanges {
		if c.Kind != "" && !ValidDateChangeKind(c.Kind) {
			return &Error{Code: EINVALID, Key: "date_change.bad_kind", Field: fmt.Sprintf("date_changes[%d].kind", i), Message: fmt.Sprintf("unknown kind of date change %q", c.Kind)}
		}
		if c.ToEnd.Before(c.ToStart) || c.FromEnd.Before(c.FromStart) {
			return &Error{Code: EINVALID, Key: "error.end_before_start", Field: fmt.Sprintf("date_changes[%d]", i), Message: "the end date is before the start date"}
		}
		if i > 0 && e.DateChanges[i-1].ToStart != c.FromStart {
			return &Error{Code: EINVALID, Key: "error.date_changes_chain", Field: fmt.Sprintf("date_changes[%d]", i), Message: "a date change must start from the dates the previous one set"}
		}
	}
	if n := len(e.DateChanges); n > 0 && e.DateChanges[n-1].ToStart != e.Start {
		return &Error{Code: EINVALID, Key: "error.date_changes_chain", Field: "date_changes", Message: "the last date change must end on the edition's dates"}
	}
	return e.Theme.Validate("theme", false)
}

// EditionFilter selects editions.
type EditionFilter struct {
	Series  string
	HostKey string
}

// SeriesService reads the series and their editions.
type SeriesService interface {
	AllSeries(ctx context.Context) ([]*Series, error)
	Series(ctx context.Context, slug string) (*Series, error)
	Editions(ctx context.Context, f EditionFilter) ([]*Edition, error)
	Edition(ctx context.Context, series string, number int) (*Edition, error)
}

// SeriesWriter creates and edits series: the secretariat's first step on
// an empty product.
type SeriesWriter interface {
	// CreateSeries refuses a slug already taken.
	CreateSeries(ctx context.Context, se *Series) error
	// UpdateSeries replaces the series named slug, whose slug stays.
	UpdateSeries(ctx context.Context, slug string, se *Series) error
}
