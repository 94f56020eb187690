// Package meetingmail renders, when they leave the outbox, the emails of
// an edition's one-to-one meetings (issue 17): a request to the requested
// authority's contacts, its answer to the requesting authority's, and the
// placement of a meeting or its change to both, each in the recipient
// contact's language, with the link to the authority's meetings page.
package meetingmail

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// Mailer renders the meetings' emails.
type Mailer struct {
	st      *store.Store
	cat     *i18n.Catalogue
	baseURL string
	from    mail.Address
}

// Handle registers the renderer of the meetings' emails with the outbox.
func Handle(ob *outbox.Worker, st *store.Store, cat *i18n.Catalogue, baseURL string, from mail.Address) *Mailer {
	m := &Mailer{st: st, cat: cat, baseURL: strings.TrimSuffix(baseURL, "/"), from: from}
	if m.from.Email == "" {
		m.from = mail.DefaultFrom
	}
	ob.Handle(store.MeetingMailKind, m.Render)
	return m
}

// Render renders one queued email; a request since deleted sends nothing.
func (m *Mailer) Render(ctx context.Context, q *rencontres.QueuedMail) (*mail.Message, error) {
	var mm store.MeetingMail
	if err := json.Unmarshal(q.Payload, &mm); err != nil {
		return nil, err
	}
	switch mm.What {
	case "request", "accepted", "declined", "placed", "changed":
	default:
		return nil, fmt.Errorf("meeting mail: unknown kind %q", mm.What)
	}
	req, err := m.st.MeetingRequest(ctx, mm.Event, mm.Request)
	if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	e, err := m.st.Event(ctx, mm.Event)
	if err != nil {
		return nil, err
	}
	own, err := m.st.Organisation(ctx, mm.Org)
	if err != nil {
		return nil, err
	}
	other, err := m.st.Organisation(ctx, req.Other(mm.Org))
	if err != nil {
		return nil, err
	}
	l := q.Lang
	if _, ok := rencontres.ParseLang(string(l)); !ok {
		l = rencontres.French
	}
	pt := m.cat.Printer(l)
	title := e.Title.In(l)
	if e.Kind == rencontres.EditionEvent && !e.Title.Has(l) {
		title = pt.EditionTitleText(e.Number, e.SeriesShort)
	}
	args := []any{"Authority", other.Name.In(l), "Org", own.Name.In(l), "Event", title}
	var b strings.Builder
	b.WriteString(pt.T("meetings.mail_hello", "Name", q.ToName) + "\n\n")
	b.WriteString(pt.T("meetings.mail_body_"+mm.What, args...) + "\n")
	if mm.What == "request" && req.Message != "" {
		b.WriteString("\n" + pt.T("meetings.mail_message") + "\n" + pt.Quote(req.Message) + "\n")
	}
	if mm.What == "placed" || mm.What == "changed" {
		// The placement the email tells is the one published with it.
		meetings, err := m.st.MeetingsOf(ctx, e.ID, mm.Org)
		if err != nil {
			return nil, err
		}
		var at *rencontres.Meeting
		for _, x := range meetings {
			if x.RequestID == req.ID {
				at = x
			}
		}
		if at == nil {
			b.WriteString("\n" + pt.T("meetings.mail_unplaced") + "\n")
		} else {
			loc := e.Location()
			start, end := at.Start.In(loc), at.End.In(loc)
			when := pt.InZone(pt.LongDate(rencontres.DateOf(start))+", "+pt.TimeRange(start, end), e.TimeZone)
			b.WriteString("\n" + pt.T("meetings.mail_at", "When", when, "Table", at.Table) + "\n")
			if at.Interpreter {
				b.WriteString(pt.T("meetings.mail_interpreter") + "\n")
			}
			if !at.Final {
				b.WriteString(pt.T("meetings.mail_provisional") + "\n")
			}
		}
	}
	link := fmt.Sprintf("%s/%s/events/%d/meetings?org=%s", m.baseURL, l, e.ID, mm.Org)
	b.WriteString("\n" + pt.T("meetings.mail_link") + "\n" + link + "\n")
	msg := &mail.Message{
		To:      []mail.Address{{Name: q.ToName, Email: q.ToEmail}},
		Subject: pt.T("meetings.mail_subject_"+mm.What, args...),
		Text:    b.String(),
		ID:      fmt.Sprintf("meeting-%d-%d", req.ID, q.ID),
		Headers: map[string]string{"X-Rencontres-Kind": "meeting-" + mm.What},
	}
	if msg.From, msg.ReplyTo, err = m.sender(ctx, e.ID); err != nil {
		return nil, err
	}
	return msg, nil
}

// sender is the From and Reply-To of the edition's emails, as its
// registration's.
func (m *Mailer) sender(ctx context.Context, eventID int64) (mail.Address, *mail.Address, error) {
	var set mail.SenderSettings
	f, err := m.st.RegistrationForm(ctx, eventID)
	switch {
	case err == nil:
		set.SenderName, set.ReplyTo, set.Contact = f.SenderName, f.ReplyTo, f.Contact
	case rencontres.ErrorCode(err) != rencontres.ENOTFOUND:
		return mail.Address{}, nil, err
	}
	if set.SeriesSenderName, set.SeriesReplyTo, err = m.st.SeriesSender(ctx, eventID); err != nil {
		return mail.Address{}, nil, err
	}
	from, replyTo := mail.EventSender(m.from, set)
	return from, replyTo, nil
}
