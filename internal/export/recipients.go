package export

import (
	"io"
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
	t := recipientColumns(rd)
	for _, rec := range list {
		for _, p := range []*time.Time{rec.Sent, rec.Opened, rec.Declined} {
			if p != nil && p.After(t.Modified) {
				t.Modified = *p
			}
		}
		t.Rows = append(t.Rows, recipientRow(rd, rec, zone))
	}
	return t
}

// StreamRecipients writes the table Recipients makes, in format, with the
// recipients each gives a chunk at a time as a store reads them: memory
// stays flat however long the mailing. modified is the latest sending,
// opening or refusal among them, which the workbook's properties give
// before its rows.
func StreamRecipients(w io.Writer, format string, rd Reader, zone *time.Location, modified time.Time, each func(fn func([]*rencontres.Recipient) error) error) error {
	t := recipientColumns(rd)
	t.Modified = modified
	return t.Stream(w, format, func(yield func([]any) error) error {
		return each(func(list []*rencontres.Recipient) error {
			for _, rec := range list {
				if err := yield(recipientRow(rd, rec, zone)); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// recipientColumns is the recipients' table without its rows.
func recipientColumns(rd Reader) *Table {
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
	return t
}

// recipientRow is a recipient's row, its dates in zone.
func recipientRow(rd Reader, rec *rencontres.Recipient, zone *time.Location) []any {
	at := func(p *time.Time) any {
		if p == nil {
			return nil
		}
		return p.In(zone)
	}
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
	return []any{rec.ID, state, rec.OrgName.In(rd.P.Lang), rec.OrgKey, country, rec.Name, rec.NameJa, rec.Email, lang,
		at(rec.Sent), at(rec.Opened), at(rec.Declined), rec.Reminders, rec.Attempts, rec.Answer}
}
