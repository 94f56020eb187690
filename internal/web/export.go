package web

import (
	"fmt"
	"net/http"

	"github.com/rencontres/rencontres/internal/api"
	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The pages' exports: the same tables as the API's, with headers, names
// and words in the reader's language.

// exportFormat is the format ?format= asks for, "" for the page itself.
func exportFormat(r *http.Request) string {
	if f := r.URL.Query().Get("format"); export.ContentType(f) != "" {
		return f
	}
	return ""
}

// exportRegistrations sends an event's registrations with filter f as CSV
// or Excel, written as they are read.
func (s *Site) exportRegistrations(w http.ResponseWriter, r *http.Request, p *Page, e *rencontres.Event, f rencontres.RegistrationFilter, format string) error {
	export.SetAttachment(w, fmt.Sprintf("registrations-%d.%s", e.ID, format), format)
	return export.StreamRegistrations(r.Context(), w, format, export.Reader{P: p.P}, s.regs, s.svc, e, f)
}

// exportAttendance sends a session's attendance list as CSV or Excel,
// written as it is read.
func (s *Site) exportAttendance(w http.ResponseWriter, r *http.Request, p *Page, e *rencontres.Event, sessionID int64, format string) error {
	export.SetAttachment(w, fmt.Sprintf("attendance-%d-%d.%s", e.ID, sessionID, format), format)
	return export.StreamAttendance(r.Context(), w, format, export.Reader{P: p.P}, s.regs, s.svc, e, sessionID)
}

// exportRecipients sends a campaign's recipients in a state ("" for every
// one) as CSV or Excel, their dates in the zone of the campaign's event:
// a sent campaign's streamed from the database a chunk at a time, a
// draft's found whole from its audience.
func (s *Site) exportRecipients(w http.ResponseWriter, r *http.Request, p *Page, c *rencontres.Campaign, state, format string) error {
	ctx := r.Context()
	st, err := api.ParseRecipientState(state)
	if err != nil {
		return err
	}
	e, err := s.events.Event(ctx, c.EventID)
	if err != nil {
		return err
	}
	return api.SendRecipients(ctx, w, s.lists, s.camp, c, st, format, export.Reader{P: p.P}, export.Zone(e))
}
