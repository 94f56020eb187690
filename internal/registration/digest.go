package registration

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// digest is what a delegation's summary in the outbox names: it is
// rendered when it leaves, with the delegation as it is then.
type digest struct {
	Event int64  `json:"event"`
	Org   string `json:"org"`
	User  int64  `json:"user"`
}

// renderDigest renders a delegation's summary for one of its authority's
// contacts; nothing when the account no longer speaks for the authority.
func (s *Service) renderDigest(ctx context.Context, m *rencontres.QueuedMail) (*mail.Message, error) {
	var d digest
	if err := json.Unmarshal(m.Payload, &d); err != nil {
		return nil, err
	}
	u, err := s.st.User(ctx, d.User)
	if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled || u.Erased || !slices.Contains(u.OrgKeys, d.Org) {
		return nil, nil
	}
	e, err := s.st.Event(ctx, d.Event)
	if err != nil {
		return nil, err
	}
	people, err := s.st.Registrations(ctx, rencontres.RegistrationFilter{EventID: e.ID, OrgKey: d.Org})
	if err != nil {
		return nil, err
	}
	p := s.cat.Printer(u.Lang)
	title := s.title(e, u.Lang)
	var b strings.Builder
	for _, r := range people {
		b.WriteString(s.Summary(e, r, u.Lang))
		b.WriteString("\n")
	}
	if len(people) == 0 {
		b.WriteString(p.T("registration.delegation_empty") + "\n")
	}
	from, replyTo, err := s.sender(ctx, s.st, e.ID)
	if err != nil {
		return nil, err
	}
	return &mail.Message{
		From:    from,
		ReplyTo: replyTo,
		To:      []mail.Address{{Name: u.Name, Email: u.Email}},
		Subject: p.T("mail.reg_subject_delegation", "Event", title),
		Text: letter.Greeting(u.Lang, letter.PersonOf(u)) + "\n\n" +
			p.T("mail.reg_body_delegation", "Event", title, "To", s.to(e, u.Lang), "People", len(people)) + "\n\n" +
			b.String() + p.T("mail.reg_link_delegation") + "\n" + fmt.Sprintf("%s/%s/events/%d/delegation?org=%s", s.baseURL, u.Lang, e.ID, d.Org) + "\n",
		Headers: map[string]string{"X-Rencontres-Kind": digestKind},
	}, nil
}

// sender is the From and Reply-To of an event's emails, the same as its
// campaign's: the event's sender name, else its series', at the
// instance's address; answers to its Reply-To, else its series', else its
// registration contact. An event that sets none keeps the instance's
// sender and no Reply-To.
func (s *Service) sender(ctx context.Context, st *store.Store, eventID int64) (mail.Address, *mail.Address, error) {
	var set mail.SenderSettings
	f, err := st.RegistrationForm(ctx, eventID)
	switch {
	case err == nil:
		set.SenderName, set.ReplyTo, set.Contact = f.SenderName, f.ReplyTo, f.Contact
	case rencontres.ErrorCode(err) != rencontres.ENOTFOUND:
		return mail.Address{}, nil, err
	}
	if set.SeriesSenderName, set.SeriesReplyTo, err = st.SeriesSender(ctx, eventID); err != nil {
		return mail.Address{}, nil, err
	}
	from, replyTo := mail.EventSender(s.From, set)
	return from, replyTo, nil
}
