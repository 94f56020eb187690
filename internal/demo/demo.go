// Package demo loads the demonstration dataset: the history of the
// Rencontres franco-japonaises and of the RAICT as the seed letters and
// public sources tell it, with fictitious people.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

//go:embed demo.json
var data []byte

// Dataset is the content of demo.json.
type Dataset struct {
	About         string                     `json:"about"`
	Organisations []*rencontres.Organisation `json:"organisations"`
	Partnerships  []*rencontres.Partnership  `json:"partnerships"`
	// PartnershipReports are answers to the état des lieux.
	PartnershipReports []*PartnershipReport `json:"partnership_reports"`
	// Contacts are fictitious authority contacts, for campaigns.
	Contacts  []*Contact  `json:"contacts"`
	Series    []*Series   `json:"series"`
	Editions  []*Edition  `json:"editions"`
	Campaigns []*Campaign `json:"campaigns"`
	// News are published news posts, each with a drawn photo.
	News []*NewsPost `json:"news"`
	// Practices are calls of past editions with their accepted, released
	// practices: the library's content.
	Practices []*PracticeCall `json:"practices"`
	// Calls are calls for good practices, with their proposals.
	Calls []*Call `json:"calls"`
	// Reviewers are committee members with accounts; Reviews, their
	// reviews of the calls' proposals.
	Reviewers []*Reviewer   `json:"reviewers"`
	Reviews   []*DemoReview `json:"reviews"`
}

// PartnershipReport is an authority's answer about one of its
// partnerships, named by its sides and kind, written by a contact named by
// address.
type PartnershipReport struct {
	A               string                      `json:"a"`
	B               string                      `json:"b"`
	Kind            rencontres.PartnershipKind  `json:"kind"`
	Organisation    string                      `json:"organisation"`
	Author          string                      `json:"author"`
	State           rencontres.PartnershipState `json:"state"`
	Created         time.Time                   `json:"created"`
	Reviewed        bool                        `json:"reviewed"`
	LastExchanges   string                      `json:"last_exchanges"`
	CurrentProjects string                      `json:"current_projects"`
}

// Contact is an authority's contact: an account, as the secretariat's
// invitation makes it.
type Contact struct {
	rencontres.User
	Organisation string `json:"organisation"`
	// Main makes them their authority's main contact; Removed, one of its
	// former contacts, whose past registration stays in its history.
	Main    bool `json:"main_contact"`
	Removed bool `json:"removed"`
}

// Campaign is a draft mailing about a meeting named by its key, with the
// standard letters of every language.
type Campaign struct {
	Name         string                     `json:"name"`
	Event        string                     `json:"event"`
	LetterDate   rencontres.Date            `json:"letter_date"`
	Filter       rencontres.RecipientFilter `json:"filter"`
	ReminderDays []int                      `json:"reminder_days"`
}

// Edition is an edition with its committees and, for some, its programme
// and its registrations.
type Edition struct {
	rencontres.Edition
	Committees   []*Committee  `json:"committees"`
	Programme    *Programme    `json:"programme"`
	Registration *Registration `json:"registration"`
}

// Registration is how an edition took registrations: its form and the
// delegations that answered it.
type Registration struct {
	Form        rencontres.RegistrationForm `json:"form"`
	Delegations []*Delegation               `json:"delegations"`
}

// Delegation is an authority's people, each as they were submitted.
type Delegation struct {
	Organisation string    `json:"organisation"`
	People       []*Person `json:"people"`
}

// Person is one registration: the standard fields and answers, the
// sessions chosen by their key in the programme, in order of preference,
// and the instant it was submitted, which decides who got a seat first.
type Person struct {
	rencontres.Registration
	Choices   []string  `json:"choices"`
	Submitted time.Time `json:"submitted"`
}

// Committee is a steering committee and the meetings the sources date.
type Committee struct {
	rencontres.Committee
	Meetings []*Meeting `json:"meetings"`
}

// Meeting is a committee meeting as the letters date it: two instants, the
// same one when only the day is known, and the event it was held within as
// "raict/11".
type Meeting struct {
	// Key names the meeting for the demo's campaigns.
	Key       string                   `json:"key"`
	Title     rencontres.Text          `json:"title"`
	Start     time.Time                `json:"start"`
	End       time.Time                `json:"end"`
	TimeZone  string                   `json:"time_zone"`
	Venue     rencontres.Text          `json:"venue"`
	Address   string                   `json:"address"`
	Within    string                   `json:"within"`
	Agenda    []*rencontres.AgendaItem `json:"agenda"`
	Decisions []*rencontres.Decision   `json:"decisions"`
	Minutes   rencontres.Text          `json:"minutes"`
	// Registration is the meeting's form, if it took answers online.
	Registration *rencontres.RegistrationForm `json:"registration"`
}

// Programme is an edition's programme: rooms named by a key the sessions
// use.
type Programme struct {
	Published bool `json:"published"`
	Rooms     []struct {
		Key string `json:"key"`
		rencontres.Room
	} `json:"rooms"`
	Sessions []struct {
		rencontres.Session
		// Key names the session for the registrations' choices.
		Key  string `json:"key"`
		Room string `json:"room"`
	} `json:"sessions"`
}

// Series is a series with the organisations every one of its editions has
// unless an edition lists its own (the co-organisers and patrons of the
// Rencontres franco-japonaises).
type Series struct {
	rencontres.Series
	Organisations []rencontres.EditionOrg `json:"organisations"`
}

// Parse reads the embedded dataset, refusing unknown fields so that a typo
// in the file is caught by the tests rather than silently dropped.
func Parse() (*Dataset, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Dataset
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("demo.json: %w", err)
	}
	return &d, nil
}

// Load stores the dataset when the database holds no series yet, all in one
// transaction, and reports whether it did. Running it again changes nothing.
func Load(ctx context.Context, st *store.Store) (bool, error) {
	d, err := Parse()
	if err != nil {
		return false, err
	}
	loaded := false
	err = st.InTx(ctx, func(st *store.Store) error {
		n, err := st.CountSeries(ctx)
		if err != nil || n > 0 {
			return err
		}
		if _, _, err := st.UpsertOrganisations(ctx, d.Organisations); err != nil {
			return fmt.Errorf("demo organisations: %w", err)
		}
		for _, c := range d.Contacts {
			c.Role = rencontres.AuthorityContact
			if err := st.InviteUser(ctx, &c.User, c.Organisation); err != nil {
				return fmt.Errorf("demo contact %s: %w", c.Email, err)
			}
			if err := demoMembership(ctx, st, c); err != nil {
				return fmt.Errorf("demo contact %s: %w", c.Email, err)
			}
		}
		ids := map[string]int64{}
		for _, p := range d.Partnerships {
			if err := st.UpsertPartnership(ctx, p); err != nil {
				return fmt.Errorf("demo partnership %s–%s: %w", p.A, p.B, err)
			}
			ids[p.A+" "+p.B+" "+string(p.Kind)] = p.ID
		}
		if err := loadReports(ctx, st, d.PartnershipReports, ids); err != nil {
			return err
		}
		defaults := map[string][]rencontres.EditionOrg{}
		for _, se := range d.Series {
			se.Series.Organisations = se.Organisations
			if err := st.SaveSeries(ctx, &se.Series); err != nil {
				return fmt.Errorf("demo series %s: %w", se.Slug, err)
			}
			defaults[se.Slug] = se.Organisations
		}
		for _, e := range d.Editions {
			if len(e.Organisations) == 0 {
				e.Organisations = defaults[e.SeriesSlug]
			}
			if err := st.SaveEdition(ctx, &e.Edition); err != nil {
				return fmt.Errorf("demo edition %s/%d: %w", e.SeriesSlug, e.Number, err)
			}
		}
		// Committees and programmes once every edition exists, since a
		// meeting may be held within a later one.
		meetings := map[string]int64{}
		sessionKeys := map[string]map[string]int64{}
		for _, e := range d.Editions {
			if err := loadCommittees(ctx, st, e, meetings); err != nil {
				return fmt.Errorf("demo committees of %s/%d: %w", e.SeriesSlug, e.Number, err)
			}
			sessions, err := loadProgramme(ctx, st, e)
			if err != nil {
				return fmt.Errorf("demo programme of %s/%d: %w", e.SeriesSlug, e.Number, err)
			}
			if err := loadRegistration(ctx, st, e, sessions); err != nil {
				return fmt.Errorf("demo registrations of %s/%d: %w", e.SeriesSlug, e.Number, err)
			}
			sessionKeys[e.SeriesSlug+"/"+strconv.Itoa(e.Number)] = sessions
		}
		for _, c := range d.Campaigns {
			if err := loadCampaign(ctx, st, c, meetings); err != nil {
				return fmt.Errorf("demo campaign %q: %w", c.Name, err)
			}
		}
		editions := map[string]int64{}
		for _, e := range d.Editions {
			editions[e.SeriesSlug+"/"+strconv.Itoa(e.Number)] = e.ID
		}
		if err := loadNews(ctx, st, d.News, editions, meetings); err != nil {
			return fmt.Errorf("demo news: %w", err)
		}
		if err := loadCalls(ctx, st, d.Calls, editions); err != nil {
			return fmt.Errorf("demo calls: %w", err)
		}
		if err := loadReviews(ctx, st, d.Reviewers, d.Reviews, editions); err != nil {
			return fmt.Errorf("demo reviews: %w", err)
		}
		if err := loadPractices(ctx, st, d.Practices, editions, sessionKeys); err != nil {
			return fmt.Errorf("demo practices: %w", err)
		}
		if err := loadDeclaration(ctx, st, editions); err != nil {
			return fmt.Errorf("demo declaration: %w", err)
		}
		if err := loadCooperation(ctx, st); err != nil {
			return err
		}
		if err := loadMeetings(ctx, st, editions); err != nil {
			return fmt.Errorf("demo meetings: %w", err)
		}
		loaded = true
		return nil
	})
	return loaded, err
}

// demoMembership makes a demo contact their authority's main contact, or
// one of its former contacts.
func demoMembership(ctx context.Context, st *store.Store, c *Contact) error {
	if c.Main {
		if err := st.SaveContact(ctx, c.Organisation, &c.User, true); err != nil {
			return err
		}
	}
	if c.Removed {
		return st.RemoveContact(ctx, c.Organisation, c.ID)
	}
	return nil
}

// loadCampaign stores a draft campaign with the standard letters.
func loadCampaign(ctx context.Context, st *store.Store, c *Campaign, meetings map[string]int64) error {
	id, ok := meetings[c.Event]
	if !ok {
		return fmt.Errorf("no meeting has the key %q", c.Event)
	}
	letters := map[rencontres.Lang]json.RawMessage{}
	for _, l := range rencontres.Langs {
		b, err := json.Marshal(letter.Default(l))
		if err != nil {
			return err
		}
		letters[l] = b
	}
	return st.SaveCampaign(ctx, &rencontres.Campaign{EventID: id, Name: c.Name, Letters: letters, Filter: c.Filter, ReminderDays: c.ReminderDays,
		LetterDate: c.LetterDate}, time.Now())
}

func loadCommittees(ctx context.Context, st *store.Store, e *Edition, meetings map[string]int64) error {
	for _, c := range e.Committees {
		c.EditionID = e.ID
		if c.Members == nil {
			c.Members = []*rencontres.CommitteeSeat{}
		}
		if err := st.SaveCommittee(ctx, &c.Committee); err != nil {
			return err
		}
		for _, m := range c.Meetings {
			ev, err := rencontres.MeetingAt(m.Title, m.Start, m.End, m.TimeZone)
			if err != nil {
				return err
			}
			ev.CommitteeID, ev.Venue, ev.Address = c.ID, m.Venue, m.Address
			if m.Within != "" {
				series, number, _ := strings.Cut(m.Within, "/")
				n, _ := strconv.Atoi(number)
				host, err := st.Edition(ctx, series, n)
				if err != nil {
					return fmt.Errorf("meeting within %s: %w", m.Within, err)
				}
				ev.WithinID = host.ID
			}
			if err := st.SaveEvent(ctx, ev, nil); err != nil {
				return fmt.Errorf("meeting %q: %w", m.Title.In(rencontres.French), err)
			}
			if m.Key != "" {
				meetings[m.Key] = ev.ID
			}
			if m.Registration != nil {
				m.Registration.EventID = ev.ID
				if _, err := st.SaveRegistrationForm(ctx, m.Registration); err != nil {
					return fmt.Errorf("form of %q: %w", m.Title.In(rencontres.French), err)
				}
			}
			if !m.Minutes.IsZero() {
				if err := st.SaveMinutes(ctx, ev.ID, m.Minutes); err != nil {
					return err
				}
			}
			for _, a := range m.Agenda {
				a.EventID = ev.ID
				if err := st.SaveAgendaItem(ctx, a); err != nil {
					return fmt.Errorf("agenda of %q: %w", m.Title.In(rencontres.French), err)
				}
			}
			for _, dec := range m.Decisions {
				dec.EventID = ev.ID
				if err := st.SaveDecision(ctx, dec); err != nil {
					return fmt.Errorf("decisions of %q: %w", m.Title.In(rencontres.French), err)
				}
			}
		}
	}
	return nil
}

// loadProgramme stores an edition's rooms and sessions and returns the
// sessions' ids by their key.
func loadProgramme(ctx context.Context, st *store.Store, e *Edition) (map[string]int64, error) {
	p := e.Programme
	if p == nil {
		return nil, nil
	}
	rooms := map[string]int64{}
	for _, r := range p.Rooms {
		if err := st.SaveRoom(ctx, e.ID, &r.Room); err != nil {
			return nil, err
		}
		rooms[r.Key] = r.ID
	}
	keys := map[string]int64{}
	for _, ses := range p.Sessions {
		ses.EditionID = e.ID
		if ses.Room != "" {
			id, ok := rooms[ses.Room]
			if !ok {
				return nil, fmt.Errorf("session %q: no room %q", ses.Title.In(rencontres.French), ses.Room)
			}
			ses.RoomID = id
		}
		if err := st.SaveSession(ctx, &ses.Session); err != nil {
			return nil, fmt.Errorf("session %q: %w", ses.Title.In(rencontres.French), err)
		}
		if ses.Key != "" {
			keys[ses.Key] = ses.ID
		}
	}
	return keys, st.SetPublished(ctx, e.ID, p.Published)
}

// loadRegistration opens an edition's form, then registers its people in
// the order they were submitted, through the store's own Register, on the
// clock of their submission: the form's dates, answers and choices are
// checked as they were then, and seats go first come, first served, the
// others waiting in order.
func loadRegistration(ctx context.Context, st *store.Store, e *Edition, sessions map[string]int64) error {
	reg := e.Registration
	if reg == nil {
		return nil
	}
	reg.Form.EventID = e.ID
	if _, err := st.SaveRegistrationForm(ctx, &reg.Form); err != nil {
		return fmt.Errorf("form: %w", err)
	}
	var people []*Person
	for _, d := range reg.Delegations {
		for _, p := range d.People {
			p.EventID, p.OrgKey = e.ID, d.Organisation
			for _, key := range p.Choices {
				id, ok := sessions[key]
				if !ok {
					return fmt.Errorf("%s %s chooses %q, which is no session's key", p.GivenName, p.FamilyName, key)
				}
				p.Registration.Choices = append(p.Registration.Choices, rencontres.Choice{SessionID: id})
			}
			people = append(people, p)
		}
	}
	slices.SortStableFunc(people, func(a, b *Person) int { return a.Submitted.Compare(b.Submitted) })
	for _, p := range people {
		if _, err := st.Register(ctx, &p.Registration, p.Submitted, false); err != nil {
			return fmt.Errorf("%s %s: %w", p.GivenName, p.FamilyName, err)
		}
	}
	return nil
}

// loadReports records the demo's answers to the état des lieux, the
// reviewed ones marked so at the time they were written.
func loadReports(ctx context.Context, st *store.Store, reports []*PartnershipReport, ids map[string]int64) error {
	for _, r := range reports {
		id := ids[r.A+" "+r.B+" "+string(r.Kind)]
		if id == 0 {
			return fmt.Errorf("demo report: no partnership %s–%s (%s)", r.A, r.B, r.Kind)
		}
		author, err := st.UserByEmail(ctx, r.Author)
		if err != nil {
			return fmt.Errorf("demo report by %s: %w", r.Author, err)
		}
		rep := &rencontres.PartnershipReport{PartnershipID: id, OrgKey: r.Organisation, State: r.State, LastExchanges: r.LastExchanges,
			CurrentProjects: r.CurrentProjects, AuthorID: author.ID, Created: r.Created}
		if err := st.ReportPartnership(ctx, rep); err != nil {
			return fmt.Errorf("demo report %s–%s: %w", r.A, r.B, err)
		}
		if r.Reviewed {
			if err := st.ReviewPartnershipReport(ctx, rep.ID, 0, r.Created.Add(48*time.Hour)); err != nil {
				return err
			}
		}
	}
	return nil
}
