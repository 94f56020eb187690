package campaign

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// sharedFonts parses the letters' fonts once per process: a CJK font takes
// far longer to parse than a letter to set.
var sharedFonts = sync.OnceValues(letter.FindFonts)

// eventContext is what every letter of a campaign says of its event.
type eventContext struct {
	event *rencontres.Event
	// edition is the edition (the event itself, or the one a meeting
	// prepares); meeting, what the reader is invited to.
	edition, meeting letter.Event
	// within is the event the meeting is held within (the RAICT), if any.
	within   letter.Event
	deadline time.Time
	docs     []*rencontres.Document
	// settings are what the event's emails come from and where answers go:
	// the event's registration settings, its series', its contact.
	settings mail.SenderSettings
	// callLink is the address of the call the campaign points to, less
	// the language: base + "/" + lang + callLink.
	base, callLink string
}

func (s *Service) eventContext(ctx context.Context, c *rencontres.Campaign) (*eventContext, error) {
	e, err := s.st.Event(ctx, c.EventID)
	if err != nil {
		return nil, err
	}
	ec := &eventContext{event: e, meeting: letter.EventData(e)}
	ec.meeting.City = s.city(ctx, e)
	ec.edition = ec.meeting
	if e.Kind != rencontres.EditionEvent && e.EditionID != 0 {
		ed, err := s.st.Event(ctx, e.EditionID)
		if err != nil {
			return nil, err
		}
		ec.edition = letter.EventData(ed)
		ec.edition.City = s.city(ctx, ed)
	}
	if e.WithinID != 0 && e.WithinID != e.ID {
		w, err := s.st.Event(ctx, e.WithinID)
		if err != nil {
			return nil, err
		}
		ec.within = letter.EventData(w)
		// A letter names the event it is held within in full, « 11es
		// Rencontres de l'action internationale… », not by its acronym.
		if w.Kind == rencontres.EditionEvent && w.Series != "" {
			if se, err := s.st.Series(ctx, w.Series); err == nil && !se.Name.IsZero() {
				ec.within.Title = se.Name
			}
		}
	}
	if ec.settings, ec.deadline, err = senderSettings(ctx, s.st, e.ID); err != nil {
		return nil, err
	}
	docs, err := s.st.Documents(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	if c.ID != 0 {
		call, err := s.st.CampaignCall(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		if call != nil {
			ec.base, ec.callLink = s.baseURL, fmt.Sprintf("/calls/%d", call.ID)
		}
	}
	for _, d := range docs {
		for _, id := range c.Documents {
			if d.ID == id {
				ec.docs = append(ec.docs, d)
			}
		}
	}
	return ec, nil
}

// city is where an event takes place, in each language: an edition's host
// authority; a meeting's town, the last part of its address without the
// postcode (« 30 avenue Corentin-Cariou, 75019 Paris »), else the city of
// the event it is held within.
func (s *Service) city(ctx context.Context, e *rencontres.Event) rencontres.Text {
	if e.Kind == rencontres.EditionEvent && e.Series != "" {
		if ed, err := s.st.Edition(ctx, e.Series, e.Number); err == nil && ed.HostKey != "" {
			if o, err := s.st.Organisation(ctx, ed.HostKey); err == nil {
				return o.Name
			}
		}
		return nil
	}
	if i := strings.LastIndexByte(e.Address, ','); i >= 0 || e.Address != "" {
		town := strings.TrimSpace(e.Address[i+1:])
		town = strings.TrimSpace(strings.TrimLeftFunc(town, func(r rune) bool { return unicode.IsDigit(r) || r == ' ' }))
		if town != "" {
			return rencontres.Text{rencontres.French: town, rencontres.English: town}
		}
	}
	if e.WithinID != 0 && e.WithinID != e.ID {
		if w, err := s.st.Event(ctx, e.WithinID); err == nil {
			return s.city(ctx, w)
		}
	}
	return nil
}

// data is one recipient's letter data.
func (ec *eventContext) data(r *rencontres.Recipient, c *rencontres.Campaign, link string) *letter.Data {
	d := &letter.Data{Date: c.LetterDate, Event: ec.edition, Meeting: ec.meeting, Within: ec.within, Deadline: ec.deadline, Link: link,
		Recipient: letter.Person(r.Civility, r.Name, r.NameJa, r.Function)}
	d.Recipient.Authority = r.OrgName
	d.Recipient.AddressForm = r.AddressForm
	if ec.callLink != "" {
		lang := r.Lang
		if _, ok := rencontres.ParseLang(string(lang)); !ok {
			lang = rencontres.French
		}
		d.CallLink = ec.base + "/" + string(lang) + ec.callLink
	}
	// The « PJ : » list is what is attached, named in the letter's
	// language; the letter itself is not listed.
	d.Attached = make([]rencontres.Text, 0, len(ec.docs))
	for _, doc := range ec.docs {
		t := rencontres.Text{}
		for _, l := range rencontres.Langs {
			t[l] = doc.TitleIn(l)
		}
		d.Attached = append(d.Attached, t)
	}
	if d.Date.IsZero() {
		at := time.Now()
		if c.Launched != nil {
			at = *c.Launched
		}
		d.Date = rencontres.DateOf(at.In(ec.event.Location()))
	}
	return d
}

// letterPayload is what a campaign's message in the outbox names; it is
// rendered when it leaves.
type letterPayload struct {
	Recipient int64 `json:"recipient"`
	// Days, for a reminder, is how many days before the deadline it is.
	Days int `json:"days,omitempty"`
}

// Subject is a letter's subject as an email's: the subject block's text,
// without « Objet : ».
func Subject(l *letter.Letter) string {
	for _, b := range l.Blocks {
		if b.Kind == letter.KindSubject {
			var parts []string
			for _, line := range b.Lines {
				parts = append(parts, line.String())
			}
			s := strings.Join(parts, " ")
			for _, prefix := range []string{"Objet\u202f:", "Objet\u00a0:", "Objet :", "Subject:", "件名："} {
				s = strings.TrimPrefix(s, prefix)
			}
			return strings.TrimSpace(s)
		}
	}
	return ""
}

// renderLetter renders a campaign's letter for its recipient when the
// message leaves: the letter as text and HTML, the letter as PDF, the
// event's documents attached. A cancelled campaign sends nothing.
func (s *Service) renderLetter(ctx context.Context, m *rencontres.QueuedMail) (*mail.Message, error) {
	c, r, ec, l, err := s.letterOf(ctx, m)
	if err != nil || c == nil {
		return nil, err
	}
	fonts, err := s.Fonts()
	if err != nil {
		return nil, err
	}
	var pdf bytes.Buffer
	if err := letter.WritePDF(&pdf, fonts, l); err != nil {
		return nil, err
	}
	p := s.cat.Printer(l.Lang)
	msg := &mail.Message{
		From:        s.from(ec),
		ReplyTo:     ec.replyTo(),
		To:          []mail.Address{{Name: displayName(r), Email: r.Email}},
		Subject:     Subject(l),
		Text:        letter.Text(l),
		HTML:        "<!doctype html><meta charset=utf-8>" + string(letter.HTML(l)),
		Attachments: []mail.Attachment{{Filename: letterFile(p, r), ContentType: "application/pdf", Data: pdf.Bytes()}},
		Headers:     map[string]string{"X-Rencontres-Kind": store.CampaignLetterKind, "X-Rencontres-Campaign": fmt.Sprint(c.ID)},
	}
	for _, d := range ec.docs {
		doc, data, err := s.st.Document(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		msg.Attachments = append(msg.Attachments, mail.Attachment{Filename: documentFile(doc, l.Lang), ContentType: doc.ContentType, Data: data})
	}
	return msg, nil
}

// renderReminder renders a reminder: the deadline and the personal link,
// in the recipient's language; nothing if they answered meanwhile.
func (s *Service) renderReminder(ctx context.Context, m *rencontres.QueuedMail) (*mail.Message, error) {
	c, r, ec, l, err := s.letterOf(ctx, m)
	if err != nil || c == nil {
		return nil, err
	}
	if r.State == rencontres.RecipientRegistered || r.State == rencontres.RecipientDeclined {
		return nil, nil
	}
	link, err := s.Link(ctx, r)
	if err != nil {
		return nil, err
	}
	p := s.cat.Printer(l.Lang)
	// The deadline is on the event's clock, and says so: a Japanese
	// reader is seven or eight hours ahead of Paris.
	deadline := p.DateTime(ec.deadline.In(ec.event.Location()))
	if z := letter.ZoneName(p, ec.event.TimeZone); z != "" && l.Lang == rencontres.Japanese {
		deadline += "（" + z + "）"
	} else if z != "" {
		deadline += " (" + z + ")"
	}
	person := letter.Person(r.Civility, r.Name, r.NameJa, r.Function)
	person.AddressForm = r.AddressForm
	greeting := letter.Greeting(l.Lang, person)
	return &mail.Message{
		From:    s.from(ec),
		ReplyTo: ec.replyTo(),
		To:      []mail.Address{{Name: displayName(r), Email: r.Email}},
		Subject: p.T("campaign.reminder_subject", "Subject", Subject(l)),
		Text: greeting + "\n\n" + p.T("campaign.reminder_body", "Subject", Subject(l), "Deadline", deadline) + "\n\n" + link + "\n\n" +
			p.T("campaign.reminder_decline") + "\n",
		Headers: map[string]string{"X-Rencontres-Kind": store.CampaignReminderKind, "X-Rencontres-Campaign": fmt.Sprint(c.ID)},
	}, nil
}

// letterOf loads what a campaign's message names, its campaign, recipient
// and event, and renders the recipient's letter; a nil campaign when it was
// cancelled.
func (s *Service) letterOf(ctx context.Context, m *rencontres.QueuedMail) (*rencontres.Campaign, *rencontres.Recipient, *eventContext, *letter.Letter, error) {
	c, r, err := s.recipientOf(ctx, m)
	if err != nil || c == nil {
		return nil, nil, nil, nil, err
	}
	ec, err := s.eventContext(ctx, c)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	letters, err := s.letters(ctx, c, ec, []*rencontres.Recipient{r})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return c, r, ec, letters[0], nil
}

// recipientOf loads the campaign and recipient a message names; a nil
// campaign when it was cancelled.
func (s *Service) recipientOf(ctx context.Context, m *rencontres.QueuedMail) (*rencontres.Campaign, *rencontres.Recipient, error) {
	var p letterPayload
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		return nil, nil, err
	}
	c, err := s.st.Campaign(ctx, m.CampaignID)
	if err != nil {
		return nil, nil, err
	}
	if c.Status == rencontres.CampaignCancelled {
		return nil, nil, nil
	}
	r, err := s.st.CampaignRecipient(ctx, c.ID, p.Recipient)
	return c, r, err
}

// displayName is a recipient's name in their language's script.
func displayName(r *rencontres.Recipient) string {
	if r.Lang == rencontres.Japanese && r.NameJa != "" {
		return r.NameJa
	}
	return r.Name
}
