package letter

import (
	"sync"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Data is what one recipient's letter is filled with. Translated values
// (rencontres.Text) are read in the template's language, so the same Data
// fills the French and the Japanese letter.
type Data struct {
	// Date is the letter's date: « Paris, le 11 juillet 2023 ».
	Date      rencontres.Date `json:"date"`
	Recipient Recipient       `json:"recipient"`
	// Event is what the letter is about: the edition (« 8e Rencontres …,
	// du 18 au 21 novembre 2024, à Shizuoka »).
	Event Event `json:"event"`
	// Meeting is the meeting the reader is invited to when it is not the
	// event itself: a steering committee's meeting held within the RAICT.
	Meeting Event `json:"meeting"`
	// Within is the event the meeting is held within, when it is: the
	// RAICT a steering committee meets at. Zero otherwise.
	Within Event `json:"within,omitzero"`
	// Deadline is the instant answers close, shown as a day in the zone of
	// the meeting (or of the event when there is no meeting).
	Deadline time.Time `json:"deadline"`
	// Link is the recipient's personal registration link.
	Link string `json:"link"`
	// CallLink is the page of the call for proposals the mailing points
	// to, in the recipient's language; empty when it points to none.
	CallLink string `json:"call_link,omitempty"`
	// Attached, when not nil, is what is sent with the letter, named in
	// its language: the « PJ : » list is then these rather than the
	// template's lines, so that it lists what the reader has.
	Attached []rencontres.Text `json:"attached,omitempty"`
}

// Recipient is the person a letter is addressed to.
type Recipient struct {
	// Civility is "mme", "m" or "" (unknown), as rencontres.Civilities.
	Civility string `json:"civility"`
	// GivenName and FamilyName are in Latin script: a romanised Japanese
	// name reads Kenji MORI in French and English letters.
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	// NameJa is the name in Japanese script, family name first, with a
	// space: 森 健二. Japanese letters prefer it.
	NameJa    string          `json:"name_ja,omitempty"`
	Function  rencontres.Text `json:"function,omitempty"`
	Authority rencontres.Text `json:"authority,omitempty"`
	// AddressForm is the form of address the secretariat keeps for them
	// (« Monsieur le Maire »); set, it wins over the one built from the
	// civility and function, in a letter of its script (see address).
	AddressForm string `json:"address_form,omitempty"`
}

// Event is an edition or a meeting as a letter names it.
type Event struct {
	// Number is an edition's number (8 for the 8th Rencontres), 0 for a
	// meeting; with it Title is the series' name and the title reads
	// « 8e Rencontres franco-japonaises… », 第8回日仏自治体交流会議.
	Number int             `json:"number,omitempty"`
	Title  rencontres.Text `json:"title"`
	Start  rencontres.Date `json:"start"`
	End    rencontres.Date `json:"end"`
	// From and To are the hours, zero when unknown; they are shown on the
	// clock of Zone.
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Zone is the event's IANA time zone: Europe/Paris, Asia/Tokyo.
	Zone  string          `json:"zone"`
	Venue rencontres.Text `json:"venue,omitempty"`
	City  rencontres.Text `json:"city,omitempty"`
}

// EventData turns a domain event into what a letter shows of it: the
// series' short name for an edition, the title for a meeting, and the
// clock times read in the event's own zone. City is left to the caller
// (the host authority's name).
func EventData(e *rencontres.Event) Event {
	ev := Event{Number: e.Number, Title: e.Title, Start: e.Start, End: e.End, Zone: e.TimeZone, Venue: e.Venue}
	if e.Number > 0 && !e.SeriesShort.IsZero() {
		ev.Title = e.SeriesShort
	}
	loc := e.Location()
	clock := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", e.Start.String()+" "+s, loc)
		if err != nil {
			return time.Time{}
		}
		return t
	}
	if e.StartTime != "" && e.EndTime != "" {
		ev.From, ev.To = clock(e.StartTime), clock(e.EndTime)
	}
	return ev
}

// location is the event's zone; an unknown zone leaves times on their own
// clock.
func (e *Event) location() *time.Location {
	if e.Zone == "" {
		return nil
	}
	if loc, ok := zones.Load(e.Zone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(e.Zone)
	if err != nil {
		return nil
	}
	zones.Store(e.Zone, loc)
	return loc
}

// zones caches loaded time zones: time.LoadLocation reads the zone
// database each time, and a mail merge asks thousands of times.
var zones sync.Map

// deadlineDay is the day of the deadline in the meeting's zone, or the
// event's.
func (d *Data) deadlineDay() rencontres.Date {
	if d.Deadline.IsZero() {
		return rencontres.Date{}
	}
	t := d.Deadline
	for _, e := range []*Event{&d.Meeting, &d.Event} {
		if loc := e.location(); loc != nil {
			return rencontres.DateOf(t.In(loc))
		}
	}
	return rencontres.DateOf(t)
}
