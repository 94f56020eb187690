package campaign

import (
	"context"
	"path/filepath"
	"time"

	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// from is the sender of the event's emails; zero leaves the transport's.
func (s *Service) from(ec *eventContext) mail.Address {
	from, _ := ec.sender(s.From)
	return from
}

// replyTo is where answers to the event's emails go; nil for nowhere set.
func (ec *eventContext) replyTo() *mail.Address {
	_, reply := ec.sender(mail.Address{})
	return reply
}

// sender is the event's From and Reply-To, as registration's emails have
// them too.
func (ec *eventContext) sender(instance mail.Address) (mail.Address, *mail.Address) {
	return mail.EventSender(instance, ec.settings)
}

// senderSettings reads what an event's sender is chosen from: its
// registration settings (and deadline, zero without a form) and its
// series'.
func senderSettings(ctx context.Context, st *store.Store, eventID int64) (mail.SenderSettings, time.Time, error) {
	var out mail.SenderSettings
	var deadline time.Time
	f, err := st.RegistrationForm(ctx, eventID)
	switch {
	case err == nil:
		out.SenderName, out.ReplyTo, out.Contact, deadline = f.SenderName, f.ReplyTo, f.Contact, f.Deadline
	case rencontres.ErrorCode(err) != rencontres.ENOTFOUND:
		return out, deadline, err
	}
	out.SeriesSenderName, out.SeriesReplyTo, err = st.SeriesSender(ctx, eventID)
	return out, deadline, err
}

// letterFile names a recipient's letter after its authority, in the
// letter's language: « Lettre d’invitation — Ville de Nancy.pdf »; after
// the person when there is no authority.
func letterFile(p *i18n.Printer, r *rencontres.Recipient) string {
	who := r.OrgName.In(p.Lang)
	if who == "" {
		who = displayName(r)
	}
	return mail.SafeFilename(p.T("sending.letter_file", "Authority", who) + ".pdf")
}

// documentFile names an attached document after its title in the letter's
// language, keeping the extension of the file uploaded.
func documentFile(d *rencontres.Document, l rencontres.Lang) string {
	return mail.SafeFilename(d.TitleIn(l) + filepath.Ext(d.Name))
}
