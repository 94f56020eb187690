package export

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Reader is whom a table is written for. A page's reader gets the
// headers, statuses and yes/no in their language; the API's client (API)
// gets stable keys and codes, with names still in its language.
type Reader struct {
	P   *i18n.Printer
	API bool
}

// Country is how a column names a country: its code for the API, else its
// name in the reader's language (France and Japan as the catalogues name
// them, any other country as the Unicode CLDR does).
func (rd Reader) Country(c rencontres.Country) string {
	switch {
	case rd.API || c == "":
		return string(c)
	case c == rencontres.France || c == rencontres.Japan:
		return rd.P.T("country." + string(c))
	}
	return rencontres.CountryName(c, rd.P.Lang)
}

// FormReader reads an event's registration form.
type FormReader interface {
	RegistrationForm(ctx context.Context, eventID int64) (*rencontres.RegistrationForm, error)
}

// OrgReader reads an authority by its key.
type OrgReader interface {
	Organisation(ctx context.Context, key string) (*rencontres.Organisation, error)
}

// Registrations is what the exports of an event's registrations read:
// the event (its zone), its form's questions (the extra answers' columns)
// and the authorities named (their names where a key would be).
type Registrations struct {
	Event     *rencontres.Event
	Questions []rencontres.Question
	Orgs      map[string]*rencontres.Organisation
	People    []*rencontres.Registration
	zone      *time.Location
	// others are the keys of answers to questions the form no longer
	// asks, sorted; latest is the last registration's date, the
	// workbook's.
	others []string
	latest time.Time
}

// LoadRegistrations reads the form and the authorities of people, who
// registered for event e.
func LoadRegistrations(ctx context.Context, forms FormReader, orgs OrgReader, e *rencontres.Event, people []*rencontres.Registration) (*Registrations, error) {
	d, err := loadForm(ctx, forms, e)
	if err != nil {
		return nil, err
	}
	d.People = people
	d.peopleExtent()
	return d, d.loadOrgs(ctx, orgs, people)
}

// held finds the extent of People when the export was built with them
// and not by LoadRegistrations or a stream.
func (d *Registrations) held() {
	if d.others == nil && d.People != nil {
		d.peopleExtent()
	}
}

// peopleExtent finds the answer keys and the last date of the people
// held: a list held whole, not streamed.
func (d *Registrations) peopleExtent() {
	var keys []string
	for _, r := range d.People {
		for k := range r.Answers {
			keys = append(keys, k)
		}
		if r.Created.After(d.latest) {
			d.latest = r.Created
		}
	}
	d.setAnswerKeys(keys)
}

// loadForm starts the export of event e's registrations with its form's
// questions.
func loadForm(ctx context.Context, forms FormReader, e *rencontres.Event) (*Registrations, error) {
	d := &Registrations{Event: e, Orgs: map[string]*rencontres.Organisation{}}
	form, err := forms.RegistrationForm(ctx, e.ID)
	switch {
	case rencontres.ErrorCode(err) == rencontres.ENOTFOUND:
	case err != nil:
		return nil, err
	default:
		d.Questions = form.Questions
	}
	return d, nil
}

// setAnswerKeys keeps, of the keys of the answers given, those of
// questions the form no longer asks: a column each after the form's.
func (d *Registrations) setAnswerKeys(keys []string) {
	d.others = nil
	for _, k := range keys {
		if !slices.ContainsFunc(d.Questions, func(q rencontres.Question) bool { return q.Key == k }) && !slices.Contains(d.others, k) {
			d.others = append(d.others, k)
		}
	}
	slices.Sort(d.others)
	if d.others == nil {
		d.others = []string{}
	}
}

// loadOrgs reads the authorities of people not read yet.
func (d *Registrations) loadOrgs(ctx context.Context, orgs OrgReader, people []*rencontres.Registration) error {
	for _, r := range people {
		if _, ok := d.Orgs[r.OrgKey]; ok || r.OrgKey == "" {
			continue
		}
		o, err := orgs.Organisation(ctx, r.OrgKey)
		if err != nil && rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			return err
		}
		d.Orgs[r.OrgKey] = o
	}
	return nil
}

// location is the event's time zone, in which its dates are written.
func (d *Registrations) location() *time.Location {
	if d.zone == nil {
		d.zone = Zone(d.Event)
	}
	return d.zone
}

// registrationKeys are the keys of the standard columns, in order; the
// extra questions' columns come between choices and code.
var registrationKeys = []string{"id", "status", "waitlist_position", "organisation_name", "organisation", "country", "organisation_kind",
	"civility", "given_name", "family_name", "name_ja", "kana", "function", "elected", "email", "lang", "dietary", "accessibility",
	"interpretation", "choices"}

// columns are the registrations' columns for rd: the standard ones, one
// per extra question in the form's order (answers to questions the form
// no longer asks after them, by key), then the badge's code and the date
// of registration.
func (d *Registrations) columns(rd Reader) ([]Column, []string) {
	var cols []Column
	add := func(key, title string) {
		if rd.API {
			title = ""
		}
		cols = append(cols, Column{Key: key, Title: title})
	}
	for _, k := range registrationKeys {
		title := k
		if k == "id" {
			title = "number" // go-i18n reserves "id"
		}
		add(k, rd.P.T("export."+title))
	}
	var keys []string
	for _, q := range d.Questions {
		keys = append(keys, q.Key)
		add("answers."+q.Key, q.Label.In(rd.P.Lang))
	}
	d.held()
	for _, k := range d.others {
		add("answers."+k, k)
	}
	add("code", rd.P.T("export.code"))
	add("created", rd.P.T("export.created"))
	return cols, append(keys, d.others...)
}

// row is one registration's values, in the order of columns.
func (d *Registrations) row(rd Reader, r *rencontres.Registration, answerKeys []string) []any {
	word := func(prefix, code string) string {
		if rd.API || code == "" {
			return code
		}
		return rd.P.T(prefix + code)
	}
	country := rd.Country(r.Country)
	orgName := ""
	if o := d.Orgs[r.OrgKey]; o != nil {
		orgName = o.Name.In(rd.P.Lang)
	}
	row := []any{r.ID, word("reg_status.", string(r.Status)), position(r.Position), orgName, r.OrgKey, country,
		word("kind.", string(r.OrgKind)), word("civility.", r.Civility), r.GivenName, r.FamilyName, r.NameJa, r.Kana, r.Function,
		r.Elected, r.Email, word("lang.", string(r.Lang)), r.Dietary, r.Accessibility, r.Interpretation, d.choices(rd, r)}
	for _, k := range answerKeys {
		row = append(row, d.answer(rd, k, r.Answers[k]))
	}
	return append(row, r.Code, r.Created.In(d.location()))
}

// position is a place on a waiting list, or nothing for a seat.
func position(n int) any {
	if n > 0 {
		return n
	}
	return nil
}

// choices writes the sessions a person chose, in order of preference:
// « 1. Atelier tourisme — inscrit·e » for a reader, 1:Atelier
// tourisme:confirmed for the API.
func (d *Registrations) choices(rd Reader, r *rencontres.Registration) string {
	var out []string
	for _, c := range r.Choices {
		if rd.API {
			out = append(out, fmt.Sprintf("%d:%s:%s", c.Rank, c.Title.In(rencontres.French), c.Status))
			continue
		}
		s := fmt.Sprintf("%d. %s — %s", c.Rank, c.Title.In(rd.P.Lang), rd.P.T("reg_status."+string(c.Status)))
		if c.Position > 0 {
			s += " (" + rd.P.T("registration.position", "N", c.Position) + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

// answer is an answer to an extra question as a typed value: a number, a
// day, yes or no; a choice's option in the reader's language (its value
// for the API).
func (d *Registrations) answer(rd Reader, key, v string) any {
	if v == "" {
		return nil
	}
	i := slices.IndexFunc(d.Questions, func(q rencontres.Question) bool { return q.Key == key })
	if i < 0 {
		return v
	}
	q := d.Questions[i]
	switch q.Kind {
	case rencontres.YesNoQuestion:
		if v == "yes" || v == "no" {
			return v == "yes"
		}
	case rencontres.NumberQuestion:
		if n, err := strconv.ParseFloat(v, 64); err == nil {
			return n
		}
	case rencontres.DateQuestion:
		if day, err := rencontres.ParseDate(v); err == nil {
			return day
		}
	case rencontres.ChoiceQuestion:
		if j := slices.IndexFunc(q.Options, func(o rencontres.Option) bool { return o.Value == v }); j >= 0 && !rd.API {
			return q.Options[j].Label.In(rd.P.Lang)
		}
	}
	return v
}

// table starts a table for rd: its words, its sheet's name and its date.
func (d *Registrations) table(rd Reader, sheet string) *Table {
	d.held()
	t := &Table{Modified: d.latest}
	if !rd.API {
		t.Yes, t.No, t.Sheet = rd.P.T("export.yes"), rd.P.T("export.no"), rd.P.T(sheet)
	}
	return t
}

// Table is the export of the registrations, one row each.
func (d *Registrations) Table(rd Reader) *Table {
	t := d.table(rd, "export.sheet_registrations")
	var keys []string
	t.Columns, keys = d.columns(rd)
	for _, r := range d.People {
		t.Rows = append(t.Rows, d.row(rd, r, keys))
	}
	return t
}

// AttendanceTable is the export of a session's attendance list: the
// people with a seat then those waiting, each with their seat at the
// session and place on its waiting list before the registrations'
// columns.
func (d *Registrations) AttendanceTable(rd Reader, a *rencontres.Attendance) *Table {
	t, keys := d.attendanceHead(rd)
	for _, p := range slices.Concat(a.Seated, a.Waiting) {
		t.Rows = append(t.Rows, d.attendeeRow(rd, p, keys))
	}
	return t
}

// attendanceHead is the attendance list's table without rows: the seat at
// the session and the place on its waiting list, then the registrations'
// columns.
func (d *Registrations) attendanceHead(rd Reader) (*Table, []string) {
	t := d.table(rd, "export.sheet_attendance")
	cols, keys := d.columns(rd)
	seat, place := Column{Key: "seat"}, Column{Key: "session_waitlist_position"}
	if !rd.API {
		seat.Title, place.Title = rd.P.T("export.seat"), rd.P.T("export.session_waitlist_position")
	}
	t.Columns = slices.Concat([]Column{seat, place}, cols)
	return t, keys
}

// attendeeRow is one line of an attendance list.
func (d *Registrations) attendeeRow(rd Reader, p rencontres.Attendee, keys []string) []any {
	seatValue := string(p.Seat)
	if !rd.API {
		seatValue = rd.P.T("reg_status." + seatValue)
	}
	return slices.Concat([]any{seatValue, position(p.Place)}, d.row(rd, p.Registration, keys))
}

// Zone is an event's time zone, in which the dates that concern it are
// written; UTC when it names none that exists.
func Zone(e *rencontres.Event) *time.Location {
	if e != nil {
		if loc, err := time.LoadLocation(e.TimeZone); err == nil && e.TimeZone != "" {
			return loc
		}
	}
	return time.UTC
}

// Attendees are the people of an attendance list, seated then waiting.
func Attendees(a *rencontres.Attendance) []*rencontres.Registration {
	var out []*rencontres.Registration
	for _, p := range slices.Concat(a.Seated, a.Waiting) {
		out = append(out, p.Registration)
	}
	return out
}
