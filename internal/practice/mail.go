package practice

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// renderMail renders, when it leaves the outbox, the email that tells a
// proposal's contact it was received, changed or withdrawn, in the
// language of whoever made the change: the proposal as it then is, with
// its link and the call's deadline on the event's clock. A proposal erased
// meanwhile cancels the message.
func (s *Service) renderMail(ctx context.Context, m *rencontres.QueuedMail) (*mail.Message, error) {
	var pm store.ProposalMail
	if err := json.Unmarshal(m.Payload, &pm); err != nil {
		return nil, err
	}
	p, err := s.st.Proposal(ctx, pm.Proposal)
	if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c, err := s.st.Call(ctx, p.CallID)
	if err != nil {
		return nil, err
	}
	e, err := s.st.Event(ctx, c.EventID)
	if err != nil {
		return nil, err
	}
	workshops, err := s.st.EventWorkshops(ctx, c.EventID)
	if err != nil {
		return nil, err
	}
	l := m.Lang
	if _, ok := rencontres.ParseLang(string(l)); !ok {
		l = rencontres.French
	}
	pt := s.cat.Printer(l)
	what := pm.What
	if what != "changed" && what != "withdrawn" {
		what = "submitted"
	}
	title := p.Title.In(l)
	org := ""
	for _, o := range p.Orgs {
		if o.Role == rencontres.LeadProposer {
			org = o.Name.In(l)
		}
	}
	var b strings.Builder
	b.WriteString(pt.T("proposal.mail_hello", "Name", p.ContactName) + "\n\n")
	b.WriteString(pt.T("proposal.mail_body_"+what, "Call", c.Title.In(l), "Org", org, "Deadline", pt.DateTime(c.Deadline.In(e.Location()))) + "\n\n")
	line := func(label, value string) {
		if value != "" {
			b.WriteString(pt.T("registration.line", "Label", label, "Value", value) + "\n")
		}
	}
	line(pt.T("form_field.title"), title)
	if w, ok := rencontres.EditionWorkshop(workshops, p.Workshop); ok {
		line(pt.T("form_field.workshop"), w.Title.In(l))
	}
	var goals []string
	for _, n := range p.SDGs {
		goals = append(goals, fmt.Sprint(n))
	}
	line(pt.T("form_field.sdgs"), strings.Join(goals, ", "))
	var names []string
	for _, pr := range p.Presenters {
		names = append(names, pr.Person)
	}
	line(pt.T("form_field.presenters"), strings.Join(names, ", "))
	line(pt.T("proposal.documents"), fmt.Sprint(len(p.Documents)))
	if p.TranslationPending() && what != "withdrawn" {
		b.WriteString("\n" + pt.T("proposal.mail_translation_pending") + "\n")
	}
	b.WriteString("\n" + pt.T("proposal.mail_link") + "\n" + fmt.Sprintf("%s/%s/proposals/%d", s.baseURL, l, p.ID) + "\n")
	msg := &mail.Message{
		To:      []mail.Address{{Name: m.ToName, Email: m.ToEmail}},
		Subject: pt.T("proposal.mail_subject_"+what, "Title", title),
		Text:    b.String(),
		ID:      fmt.Sprintf("proposal-%d-%d", p.ID, m.ID),
		Headers: map[string]string{"X-Rencontres-Kind": "proposal-" + what},
	}
	if msg.From, msg.ReplyTo, err = s.sender(ctx, c.EventID); err != nil {
		return nil, err
	}
	return msg, nil
}

// sender is the From and Reply-To of an event's emails, as its
// registration's.
func (s *Service) sender(ctx context.Context, eventID int64) (mail.Address, *mail.Address, error) {
	var set mail.SenderSettings
	f, err := s.st.RegistrationForm(ctx, eventID)
	switch {
	case err == nil:
		set.SenderName, set.ReplyTo, set.Contact = f.SenderName, f.ReplyTo, f.Contact
	case rencontres.ErrorCode(err) != rencontres.ENOTFOUND:
		return mail.Address{}, nil, err
	}
	if set.SeriesSenderName, set.SeriesReplyTo, err = s.st.SeriesSender(ctx, eventID); err != nil {
		return mail.Address{}, nil, err
	}
	from, replyTo := mail.EventSender(s.From, set)
	return from, replyTo, nil
}
