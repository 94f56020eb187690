package campaign

import (
	"github.com/rencontres/rencontres/internal/mail"
)

// An event's emails come from the instance's address (--mail-from) under
// the sender name its registration settings give, else the instance's;
// answers go to the event's Reply-To, else its registration contact, so
// that they reach the secretariat rather than a mailbox nobody reads.

// from is the sender of the event's emails; zero leaves the transport's.
func (s *Service) from(ec *eventContext) mail.Address {
	if ec.form == nil || ec.form.SenderName == "" || s.From.Email == "" {
		return mail.Address{}
	}
	return mail.Address{Name: ec.form.SenderName, Email: s.From.Email}
}

// replyTo is where answers to the event's emails go; nil for nowhere set.
func (ec *eventContext) replyTo() *mail.Address {
	if a := ec.secretariat(); a != "" {
		name := ""
		if ec.form != nil {
			name = ec.form.SenderName
		}
		return &mail.Address{Name: name, Email: a}
	}
	return nil
}

// secretariat is the address to write to about the event: its Reply-To,
// else its registration contact; empty for none.
func (ec *eventContext) secretariat() string {
	if ec.form == nil {
		return ""
	}
	if ec.form.ReplyTo != "" {
		return ec.form.ReplyTo
	}
	return ec.form.Contact
}
