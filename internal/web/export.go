package web

import (
	"fmt"
	"net/http"

	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The pages' exports: the same tables as the API's, with headers, names
// and words in the reader's language.

// sendTable writes a table as an attachment in a format, "csv" or "xlsx".
func sendTable(w http.ResponseWriter, name, format string, t *export.Table) error {
	setAttachment(w, name, format)
	return t.Write(w, format)
}

// exportFormat is the format ?format= asks for, "" for the page itself.
func exportFormat(r *http.Request) string {
	if f := r.URL.Query().Get("format"); export.ContentType(f) != "" {
		return f
	}
	return ""
}

// setAttachment names the file a response is, in a format "csv" or
// "xlsx", before it is written.
func setAttachment(w http.ResponseWriter, name, format string) {
	h := w.Header()
	h.Set("Content-Type", export.ContentType(format))
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
}

// exportRegistrations sends an event's registrations with filter f as CSV
// or Excel, written as they are read.
func (s *Site) exportRegistrations(w http.ResponseWriter, r *http.Request, p *Page, e *rencontres.Event, f rencontres.RegistrationFilter, format string) error {
	setAttachment(w, fmt.Sprintf("registrations-%d.%s", e.ID, format), format)
	return export.StreamRegistrations(r.Context(), w, format, export.Reader{P: p.P}, s.regs, s.svc, e, f)
}

// exportAttendance sends a session's attendance list as CSV or Excel,
// written as it is read.
func (s *Site) exportAttendance(w http.ResponseWriter, r *http.Request, p *Page, e *rencontres.Event, sessionID int64, format string) error {
	setAttachment(w, fmt.Sprintf("attendance-%d-%d.%s", e.ID, sessionID, format), format)
	return export.StreamAttendance(r.Context(), w, format, export.Reader{P: p.P}, s.regs, s.svc, e, sessionID)
}

// exportRecipients sends a campaign's recipients as CSV or Excel, their
// dates in the zone of the campaign's event.
func (s *Site) exportRecipients(w http.ResponseWriter, r *http.Request, p *Page, c *rencontres.Campaign, list []*rencontres.Recipient, format string) error {
	e, err := s.events.Event(r.Context(), c.EventID)
	if err != nil {
		return err
	}
	return sendTable(w, fmt.Sprintf("campaign-%d-recipients.%s", c.ID, format), format, export.Recipients(export.Reader{P: p.P}, list, export.Zone(e)))
}
