package declaration

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

// Mailer renders, when they leave the outbox, the emails that tell an
// amendment's author (and the contacts who supported it) the committee's
// decision, in the recipient's language: what was decided, the amendment's
// text, the reason of a rejection, the link to the amendment; and the
// declaration's notices to the registered authorities' contacts
// (notice.go).
type Mailer struct {
	st      *store.Store
	cat     *i18n.Catalogue
	baseURL string
	// From is the instance's address (--mail-from).
	From mail.Address
}

// HandleMail registers the renderers of the amendments' emails and of the
// declaration's notices with the outbox.
func HandleMail(ob *outbox.Worker, st *store.Store, cat *i18n.Catalogue, baseURL string, from mail.Address) *Mailer {
	m := &Mailer{st: st, cat: cat, baseURL: strings.TrimSuffix(baseURL, "/"), From: from}
	if m.From.Email == "" {
		m.From = mail.DefaultFrom
	}
	ob.Handle(store.AmendmentMailKind, m.render)
	ob.Handle(store.DeclarationMailKind, m.renderNotice)
	return m
}

func (m *Mailer) render(ctx context.Context, q *rencontres.QueuedMail) (*mail.Message, error) {
	var am store.AmendmentMail
	if err := json.Unmarshal(q.Payload, &am); err != nil {
		return nil, err
	}
	a, err := m.st.Amendment(ctx, am.Amendment)
	if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d, err := m.st.Declaration(ctx, a.DeclarationID)
	if err != nil {
		return nil, err
	}
	l, pt := m.printer(q)
	what := am.What
	switch what {
	case "accepted", "rejected", "merged":
	default:
		return nil, fmt.Errorf("amendment mail: unknown decision %q", what)
	}
	title := d.Title.In(l)
	var b strings.Builder
	b.WriteString(pt.T("amendment.mail_hello", "Name", q.ToName) + "\n\n")
	body := "amendment.mail_body_" + what
	if am.Supporter {
		body = "amendment.mail_body_supported_" + what
	}
	b.WriteString(pt.T(body, "Org", a.OrgName.In(l), "Title", title) + "\n\n")
	b.WriteString(pt.T("amendment.mail_kind_"+string(a.Kind)) + "\n")
	if t := a.Text.In(l); t != "" {
		b.WriteString(pt.Quote(t) + "\n")
	}
	if what == "rejected" {
		b.WriteString("\n" + pt.T("amendment.mail_reason", "Reason", a.Reason.In(l)) + "\n")
	}
	link := fmt.Sprintf("%s/%s/amendments/%d", m.baseURL, l, a.ID)
	if what == "merged" && a.MergedInto != 0 {
		link = fmt.Sprintf("%s/%s/amendments/%d", m.baseURL, l, a.MergedInto)
		if into, err := m.st.Amendment(ctx, a.MergedInto); err == nil {
			b.WriteString("\n" + pt.T("amendment.mail_merged_text") + "\n" + pt.Quote(into.Text.In(l)) + "\n")
		}
	}
	b.WriteString("\n" + pt.T("amendment.mail_link") + "\n" + link + "\n")
	return m.message(ctx, q, d.EditionID, "amendment-"+what, fmt.Sprintf("amendment-%d-%d", a.ID, q.ID),
		pt.T("amendment.mail_subject_"+what, "Title", title), b.String())
}

// printer is the recipient's language (French when the one queued is
// unknown) and its printer.
func (m *Mailer) printer(q *rencontres.QueuedMail) (rencontres.Lang, *i18n.Printer) {
	l := q.Lang
	if _, ok := rencontres.ParseLang(string(l)); !ok {
		l = rencontres.French
	}
	return l, m.cat.Printer(l)
}

// message is the email to the queued recipient, from the edition's sender,
// kind its X-Rencontres-Kind.
func (m *Mailer) message(ctx context.Context, q *rencontres.QueuedMail, editionID int64, kind, id, subject, text string) (*mail.Message, error) {
	msg := &mail.Message{
		To:      []mail.Address{{Name: q.ToName, Email: q.ToEmail}},
		Subject: subject,
		Text:    text,
		ID:      id,
		Headers: map[string]string{"X-Rencontres-Kind": kind},
	}
	var err error
	if msg.From, msg.ReplyTo, err = m.sender(ctx, editionID); err != nil {
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
	from, replyTo := mail.EventSender(m.From, set)
	return from, replyTo, nil
}
