package mail

// An event's emails, whether a campaign's letters or registration's
// confirmations, come from the instance's address (--mail-from) under the
// sender name the event's registration settings give, else the instance's;
// answers go to the event's Reply-To, else its registration contact, so
// that they reach the secretariat rather than a mailbox nobody reads. Both
// call EventSender, so that the two kinds of email never disagree.

// EventSender returns the From and Reply-To of an event's emails: from is
// zero, leaving the transport's sender, when the event names no sender or
// the instance has no address of its own; replyTo is nil when the event
// gives neither a Reply-To nor a contact.
func EventSender(instance Address, senderName, replyTo, contact string) (from Address, reply *Address) {
	if senderName != "" && instance.Email != "" {
		from = Address{Name: senderName, Email: instance.Email}
	}
	if replyTo == "" {
		replyTo = contact
	}
	if replyTo != "" {
		reply = &Address{Name: senderName, Email: replyTo}
	}
	return from, reply
}
