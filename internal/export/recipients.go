package export

import (
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// recipientKeys are the columns of a campaign's recipients.
var recipientKeys = []string{"id", "state", "organisation_name", "organisation", "country", "name", "name_ja", "email", "lang",
	"sent", "opened", "declined", "reminders", "attempts", "answer"}

// Recipients is the export of a campaign's recipients, with their
// state; the dates of sending, opening and declining are written in zone
// (the event's).
func Recipients(rd Reader, list []*rencontres.Recipient, zone *time.Location) *Table {
	t := &Table{}
	if !rd.API {
		t.Yes, t.No, t.Sheet = rd.P.T("export.yes"), rd.P.T("export.no"), rd.P.T("export.sheet_recipients")
	}
	for _, k := range recipientKeys {
		c := Column{Key: k}
		if !rd.API {
			c.Title = rd.P.T("export.recipient_" + k)
		}
		t.Columns = append(t.Columns, c)
	}
	at := func(p *time.Time) any {
		if p == nil {
			return nil
		}
		if p.After(t.Modified) {
			t.Modified = *p
		}
		return p.In(zone)
	}
	for _, rec := range list {
		state, country, lang := string(rec.State), string(rec.Country), string(rec.Lang)
		if !rd.API {
			if state != "" {
				state = rd.P.T("recipient_state." + state)
			}
			if lang != "" {
				lang = rd.P.T("lang." + lang)
			}
			country = rd.Country(rec.Country)
		}
		t.Rows = append(t.Rows, []any{rec.ID, state, rec.OrgName.In(rd.P.Lang), rec.OrgKey, country, rec.Name, rec.NameJa, rec.Email, lang,
			at(rec.Sent), at(rec.Opened), at(rec.Declined), rec.Reminders, rec.Attempts, rec.Answer})
	}
	return t
}
