package export

import (
	"context"
	"io"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Source reads an event's registrations a chunk at a time, for exports
// whose memory must not grow with the list (issue 18).
type Source interface {
	FormReader
	// RegistrationExtent gives what a file needs before its first row:
	// the keys of every answer given in the filtered list, and the date
	// of its last registration.
	RegistrationExtent(ctx context.Context, f rencontres.RegistrationFilter) ([]string, time.Time, error)
	EachRegistration(ctx context.Context, f rencontres.RegistrationFilter, fn func([]*rencontres.Registration) error) error
	EachAttendee(ctx context.Context, eventID, sessionID int64, fn func([]rencontres.Attendee) error) error
}

// startStream reads the form and the extent of the list with filter f.
func startStream(ctx context.Context, src Source, e *rencontres.Event, f rencontres.RegistrationFilter) (*Registrations, error) {
	d, err := loadForm(ctx, src, e)
	if err != nil {
		return nil, err
	}
	keys, latest, err := src.RegistrationExtent(ctx, f)
	if err != nil {
		return nil, err
	}
	d.setAnswerKeys(keys)
	d.latest = latest
	return d, nil
}

// StreamRegistrations writes the export of event e's registrations with
// filter f in format ("csv" or "xlsx") for rd, row by row as they are
// read: the same file as Table's, its columns sized on the first 500 rows.
func StreamRegistrations(ctx context.Context, w io.Writer, format string, rd Reader, src Source, orgs OrgReader, e *rencontres.Event, f rencontres.RegistrationFilter) error {
	d, err := startStream(ctx, src, e, f)
	if err != nil {
		return err
	}
	t := d.table(rd, "export.sheet_registrations")
	var keys []string
	t.Columns, keys = d.columns(rd)
	out := NewWriter(w, format, t)
	if err := src.EachRegistration(ctx, f, func(list []*rencontres.Registration) error {
		if err := d.loadOrgs(ctx, orgs, list); err != nil {
			return err
		}
		for _, r := range list {
			if err := out.Row(d.row(rd, r, keys)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	return out.Close()
}

// StreamAttendance writes the export of a session's attendance list in
// format for rd, row by row as they are read.
func StreamAttendance(ctx context.Context, w io.Writer, format string, rd Reader, src Source, orgs OrgReader, e *rencontres.Event, sessionID int64) error {
	d, err := startStream(ctx, src, e, rencontres.RegistrationFilter{EventID: e.ID, SessionID: sessionID})
	if err != nil {
		return err
	}
	t, keys := d.attendanceHead(rd)
	out := NewWriter(w, format, t)
	if err := src.EachAttendee(ctx, e.ID, sessionID, func(list []rencontres.Attendee) error {
		for _, p := range list {
			if err := d.loadOrgs(ctx, orgs, []*rencontres.Registration{p.Registration}); err != nil {
				return err
			}
			if err := out.Row(d.attendeeRow(rd, p, keys)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	return out.Close()
}
