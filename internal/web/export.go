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
	h := w.Header()
	h.Set("Content-Type", export.ContentType(format))
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	return t.Write(w, format)
}

// exportFormat is the format ?format= asks for, "" for the page itself.
func exportFormat(r *http.Request) string {
	if f := r.URL.Query().Get("format"); export.ContentType(f) != "" {
		return f
	}
	return ""
}

// registrationsTable reads what the registrations' exports need besides
// the people: the form's questions and the authorities' names.
func (s *Site) registrationsTable(r *http.Request, p *Page, e *rencontres.Event, people []*rencontres.Registration) (*export.Registrations, export.Reader, error) {
	d, err := export.LoadRegistrations(r.Context(), s.regs, s.svc, e, people)
	return d, export.Reader{P: p.P}, err
}

// exportRegistrations sends the registrations listed as CSV or Excel.
func (s *Site) exportRegistrations(w http.ResponseWriter, r *http.Request, p *Page, e *rencontres.Event, people []*rencontres.Registration, format string) error {
	d, rd, err := s.registrationsTable(r, p, e, people)
	if err != nil {
		return err
	}
	return sendTable(w, fmt.Sprintf("registrations-%d.%s", e.ID, format), format, d.Table(rd))
}

// exportAttendance sends a session's attendance list as CSV or Excel.
func (s *Site) exportAttendance(w http.ResponseWriter, r *http.Request, p *Page, e *rencontres.Event, a *rencontres.Attendance, format string) error {
	d, rd, err := s.registrationsTable(r, p, e, export.Attendees(a))
	if err != nil {
		return err
	}
	return sendTable(w, fmt.Sprintf("attendance-%d-%d.%s", e.ID, a.Session.ID, format), format, d.AttendanceTable(rd, a))
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
