package declaration

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// renderNotice renders a notice to a registered authority's contact
// (store.DeclarationMail), in the recipient's language, from the
// declaration as it stands when the email leaves: the amendment period
// open (none when the period has changed or closed since: another notice
// tells the new one), the text frozen with the endorsement's deadline,
// the text adopted with its public page and PDF, a correction with its
// reason and what it changed.
func (m *Mailer) renderNotice(ctx context.Context, q *rencontres.QueuedMail) (*mail.Message, error) {
	var n store.DeclarationMail
	if err := json.Unmarshal(q.Payload, &n); err != nil {
		return nil, err
	}
	d, err := m.st.Declaration(ctx, n.Declaration)
	if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	l, pt := m.printer(q)
	title := d.Title.In(l)
	orgs, err := m.orgNames(ctx, n.Orgs, l)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString(pt.T("amendment.mail_hello", "Name", q.ToName) + "\n\n")
	declPath := fmt.Sprintf("%s/%s/declarations/%d", m.baseURL, l, d.ID)
	switch n.What {
	case store.NoticePeriod:
		if d.State != rencontres.DeclarationDraft || d.AmendOpens == nil || d.AmendCloses == nil || n.Opens == nil || d.AmendOpens.Unix() != n.Opens.Unix() {
			return nil, nil // the period announced has changed or closed since (to the second, as the notice's key)
		}
		b.WriteString(pt.T("declaration_mail.body_period", "Title", title, "Orgs", orgs,
			"Opens", when(pt, *d.AmendOpens, d.TimeZone), "Closes", when(pt, *d.AmendCloses, d.TimeZone)) + "\n")
		b.WriteString(pt.T("declaration_mail.closes_elsewhere", "When", elsewhere(pt, *d.AmendCloses, d.TimeZone)) + "\n")
		b.WriteString("\n" + pt.T("declaration_mail.link_amendments") + "\n" + declPath + "/amendments\n")
	case store.NoticeFrozen:
		if d.State == rencontres.DeclarationDraft {
			return nil, nil
		}
		b.WriteString(pt.T("declaration_mail.body_frozen", "Title", title) + "\n\n")
		if d.Mode == rencontres.AdoptionEndorsement && d.EndorseUntil != nil {
			b.WriteString(pt.T("declaration_mail.frozen_endorse", "Orgs", orgs, "Until", when(pt, *d.EndorseUntil, d.TimeZone)) + "\n")
			b.WriteString(pt.T("first_mailing.deadline_elsewhere", "When", elsewhere(pt, *d.EndorseUntil, d.TimeZone)) + "\n")
		} else {
			b.WriteString(pt.T("declaration_mail.frozen_vote") + "\n")
		}
		b.WriteString("\n" + pt.T("declaration_mail.link_adoption") + "\n" + declPath + "/adoption\n")
	case store.NoticeAdopted, store.NoticeCorrected:
		if d.State != rencontres.DeclarationAdopted || d.AdoptedAt == nil {
			return nil, nil
		}
		if n.What == store.NoticeAdopted {
			b.WriteString(pt.T("declaration_mail.body_adopted", "Title", title, "When", when(pt, *d.AdoptedAt, d.TimeZone)) + "\n")
		} else if err := m.correction(ctx, &b, pt, d, n.Correction); err != nil {
			return nil, err
		}
		e, err := m.st.Event(ctx, d.EditionID)
		if err != nil {
			return nil, err
		}
		public := fmt.Sprintf("%s/%s/series/%s/%d/declaration", m.baseURL, l, e.Series, e.Number)
		b.WriteString("\n" + pt.T("declaration_mail.link_public") + "\n" + public + "\n")
		b.WriteString(pt.T("declaration_mail.link_pdf") + "\n" + public + ".pdf\n")
	default:
		return nil, fmt.Errorf("declaration notice: unknown step %q", n.What)
	}
	return m.message(ctx, q, d.EditionID, "declaration-"+n.What, fmt.Sprintf("declaration-%d-%d", d.ID, q.ID),
		pt.T("declaration_mail.subject_"+n.What, "Title", title), b.String())
}

// correction writes what a correction changed, segment by segment, and
// why.
func (m *Mailer) correction(ctx context.Context, b *strings.Builder, pt *i18n.Printer, d *rencontres.Declaration, id int64) error {
	list, err := m.st.Corrections(ctx, d.ID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(list, func(c *rencontres.DeclarationCorrection) bool { return c.ID == id })
	if i < 0 {
		return fmt.Errorf("declaration notice: no correction %d of declaration %d", id, d.ID)
	}
	history, err := m.st.DeclarationHistory(ctx, d.ID)
	if err != nil {
		return err
	}
	c := Corrections(list[i:i+1], history)[0]
	l := pt.Lang
	b.WriteString(pt.T("declaration_mail.body_corrected", "Title", d.Title.In(l), "When", when(pt, c.At, d.TimeZone)) + "\n")
	b.WriteString(pt.T("declaration_mail.reason", "Reason", c.Reason.In(l)) + "\n")
	// Each language the correction changed, the reader's first: a
	// correction of the French alone is told to a Japanese reader in
	// French.
	langs := append([]rencontres.Lang{l}, slices.DeleteFunc(slices.Clone(rencontres.Langs), func(x rencontres.Lang) bool { return x == l })...)
	for _, ch := range c.Changes {
		label := pt.T("amendment.segkind_" + string(ch.Kind))
		if g := Segment(d, ch.SegmentID); g != nil && g.Number > 0 {
			label = pt.T("amendment.segment_article", "Number", g.Number)
		}
		for _, x := range langs {
			if ch.Before[x] == ch.After[x] {
				continue
			}
			if x == l {
				b.WriteString("\n" + label + "\n")
			} else {
				b.WriteString("\n" + label + " — " + pt.T("lang."+string(x)) + "\n")
			}
			b.WriteString(pt.T("declaration_mail.before", "Text", pt.Quote(ch.Before[x])) + "\n")
			b.WriteString(pt.T("declaration_mail.after", "Text", pt.Quote(ch.After[x])) + "\n")
		}
	}
	return nil
}

// orgNames names the authorities in lang, joined as the language lists
// them.
func (m *Mailer) orgNames(ctx context.Context, keys []string, lang rencontres.Lang) (string, error) {
	names := make([]string, 0, len(keys))
	for _, k := range keys {
		o, err := m.st.Organisation(ctx, k)
		if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
			continue
		}
		if err != nil {
			return "", err
		}
		names = append(names, o.Name.In(lang))
	}
	if lang == rencontres.Japanese {
		return strings.Join(names, "、"), nil
	}
	return strings.Join(names, ", "), nil
}

// when is an instant on the edition's clock, its zone named.
func when(pt *i18n.Printer, t time.Time, zone string) string {
	return pt.DateTime(t.In((&rencontres.Event{TimeZone: zone}).Location()))
}

// elsewhere is the instant on the other country's clock: Tokyo's for an
// edition in France, Paris's for one in Japan.
func elsewhere(pt *i18n.Printer, t time.Time, zone string) string {
	other := "Asia/Tokyo"
	if zone == "Asia/Tokyo" {
		other = "Europe/Paris"
	}
	return when(pt, t, other)
}
