package mail

import "cmp"

// An event's emails, whether a campaign's letters or registration's
// confirmations, come from the instance's address (--mail-from) under the
// sender name the event's registration settings give, else its series',
// else the instance's; answers go to the event's Reply-To, else its
// series', else its registration contact, so that they reach the
// secretariat rather than a mailbox nobody reads. Both call EventSender,
// so that the two kinds of email never disagree.

// SenderSettings are the settings an event's sender is chosen from, each
// empty when not set.
type SenderSettings struct {
	// SenderName and ReplyTo are the event's own (its registration
	// settings).
	SenderName, ReplyTo string
	// SeriesSenderName and SeriesReplyTo are its series'.
	SeriesSenderName, SeriesReplyTo string
	// Contact is the event's registration contact.
	Contact string
}

// EventSender returns the From and Reply-To of an event's emails: from is
// zero, leaving the transport's sender, when neither the event nor its
// series names a sender or the instance has no address of its own;
// replyTo is nil when none of the event, its series and its contact gives
// an address.
func EventSender(instance Address, s SenderSettings) (from Address, reply *Address) {
	name := cmp.Or(s.SenderName, s.SeriesSenderName)
	if name != "" && instance.Email != "" {
		from = Address{Name: name, Email: instance.Email}
	}
	if replyTo := cmp.Or(s.ReplyTo, s.SeriesReplyTo, s.Contact); replyTo != "" {
		reply = &Address{Name: name, Email: replyTo}
	}
	return from, reply
}

// Secretariat is the address to write to about an event: its Reply-To,
// else its series', else its registration contact; empty for none.
func (s SenderSettings) Secretariat() string {
	return cmp.Or(s.ReplyTo, s.SeriesReplyTo, s.Contact)
}
