// Package campaign sends the secretariat's letters to many: an invitation
// written once per language (internal/letter), merged for each authority's
// contact chosen from the directory, sent by email through the outbox with
// the letter as PDF, the event's documents and a personal link that signs
// the contact in and opens the registration form; reminders before the
// deadline to those who have not answered; each recipient's state followed.
package campaign

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/fonts"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// Service runs campaigns.
type Service struct {
	st      *store.Store
	outbox  *outbox.Worker
	cat     *i18n.Catalogue
	log     *slog.Logger
	baseURL string
	// Now is the clock.
	Now func() time.Time
	// Fonts loads the letters' fonts; tests and the server share one load.
	Fonts func() (*letter.Fonts, error)
	// From is the instance's sender (--mail-from): the address an event's
	// sender name is given to.
	From mail.Address
}

// New returns the service and teaches the outbox to render its letters and
// reminders when they leave.
func New(st *store.Store, ob *outbox.Worker, cat *i18n.Catalogue, log *slog.Logger, baseURL string) *Service {
	s := &Service{st: st, outbox: ob, cat: cat, log: log, baseURL: strings.TrimSuffix(baseURL, "/"), Now: time.Now, Fonts: sharedFonts, From: mail.DefaultFrom}
	ob.Handle(store.CampaignLetterKind, s.renderLetter)
	ob.Handle(store.CampaignReminderKind, s.renderReminder)
	return s
}

var errForbidden = &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "error.forbidden", Message: "forbidden"}

func secretariat(a *rencontres.Actor) error {
	if !a.Can(rencontres.ManageEvents, rencontres.Target{}) {
		return errForbidden
	}
	return nil
}

// Templates decodes a campaign's letters and checks each: known fields
// only, closed markup, the right language. Errors name the letter's
// language and the part at fault: "letters.ja.body"; each letter's fault
// is told, all at once (rencontres.Join).
func Templates(c *rencontres.Campaign) (map[rencontres.Lang]*letter.Template, error) {
	out := map[rencontres.Lang]*letter.Template{}
	var errs []error
	for _, l := range rencontres.Langs {
		raw, ok := c.Letters[l]
		if !ok || len(raw) == 0 || string(raw) == "null" {
			continue
		}
		var t letter.Template
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&t); err != nil {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_letter", Field: "letters." + string(l),
				Message: "the letter is not a template: " + err.Error(), Args: map[string]any{"Value": err.Error()}})
			continue
		}
		if t.Lang == "" {
			t.Lang = l
		}
		if t.Lang != l {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.letter_language", Field: "letters." + string(l),
				Message: fmt.Sprintf("the %s letter says it is in %s", l, t.Lang), Args: map[string]any{"Lang": string(t.Lang)}})
			continue
		}
		if err := letter.Check(&t); err != nil {
			if e, ok := err.(*rencontres.Error); ok {
				e.Field = "letters." + string(l) + "." + e.Field
			}
			errs = append(errs, err)
			continue
		}
		out[l] = &t
	}
	for l := range c.Letters {
		if _, ok := rencontres.ParseLang(string(l)); !ok {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_language", Field: "letters",
				Message: fmt.Sprintf("unknown language %q", l), Args: map[string]any{"Lang": string(l)}})
		}
	}
	if err := rencontres.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// Save creates or changes a draft campaign. Faults the caller found
// reading its input (a reminder day that is not a number) are refused
// with every fault the campaign and its event have, nothing saved.
func (s *Service) Save(ctx context.Context, a *rencontres.Actor, c *rencontres.Campaign, faults ...error) error {
	if err := secretariat(a); err != nil {
		return err
	}
	// The letters' faults join those the store finds (the name, the
	// reminders, what depends on the event), so that the form shows them
	// all at once; the store checks nothing it will not tell.
	_, letterErr := Templates(c)
	if c.ID == 0 && a.User != nil {
		c.CreatedBy = a.User.ID
	}
	// A new campaign attaches the meeting's documents unless told which
	// (an empty list attaches none): its letter lists them after « PJ : »,
	// and a document ticked by hand was too easily forgotten.
	if c.ID == 0 && c.Documents == nil && c.EventID != 0 {
		docs, err := s.st.Documents(ctx, c.EventID)
		if err != nil && rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			return err
		}
		c.Documents = []int64{}
		for _, d := range docs {
			c.Documents = append(c.Documents, d.ID)
		}
	}
	return s.st.SaveCampaign(ctx, c, s.Now(), append(faults, letterErr)...)
}

// pick returns the letter a recipient reads: in their language, else in
// French, English, then Japanese, the first the campaign has.
func pick(tmpls map[rencontres.Lang]*letter.Template, l rencontres.Lang) *letter.Template {
	for _, try := range []rencontres.Lang{l, rencontres.French, rencontres.English, rencontres.Japanese} {
		if t := tmpls[try]; t != nil {
			return t
		}
	}
	return nil
}

// Check resolves a campaign's recipients as they are now and lists those
// it cannot write to, and why: an authority named without a contact, an
// address that is not one, a field the letter needs that they lack.
// Nothing is sent.
func (s *Service) Check(ctx context.Context, c *rencontres.Campaign) ([]*rencontres.Recipient, []rencontres.Problem, error) {
	tmpls, err := Templates(c)
	if err != nil {
		return nil, nil, err
	}
	if len(tmpls) == 0 {
		return nil, nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.campaign_no_letter", Field: "letters",
			Message: "write the letter in one language at least"}
	}
	if c.Filter.Empty() {
		return nil, nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.campaign_no_recipients", Field: "filter",
			Message: "choose the recipients: countries, kinds, committees, past events or authorities"}
	}
	all, problems, err := s.audience(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	ec, err := s.eventContext(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	var ok []*rencontres.Recipient
	for _, r := range all {
		if _, err := mail.ParseAddress(r.Email); err != nil {
			problems = append(problems, rencontres.Problem{OrgKey: r.OrgKey, Email: r.Email, Name: r.Name, Key: "campaign.problem_bad_address",
				Message: "this is not an email address"})
			continue
		}
		t := pick(tmpls, r.Lang)
		if missing := letter.Missing(t, ec.data(r, c, "https://")); len(missing) > 0 {
			problems = append(problems, rencontres.Problem{OrgKey: r.OrgKey, Email: r.Email, Name: r.Name, Key: "campaign.problem_missing_fields",
				Args: map[string]any{"Fields": strings.Join(missing, ", ")}, Message: "the letter needs " + strings.Join(missing, ", ")})
			continue
		}
		ok = append(ok, r)
	}
	return ok, problems, nil
}

// ProblemsError is the refusal to send a campaign with problems unless
// told to send to the others: it carries the list.
type ProblemsError struct {
	Err      *rencontres.Error
	Problems []rencontres.Problem
}

func (e *ProblemsError) Error() string { return e.Err.Error() }

// Unwrap lets the error's code and message be read as any other's.
func (e *ProblemsError) Unwrap() error { return e.Err }

// SendOptions are what the secretariat confirmed when sending.
type SendOptions struct {
	// SkipProblems sends to the recipients without a problem and leaves
	// out the others.
	SkipProblems bool
	// ConfirmPast sends although the event has ended or its registration
	// deadline has passed (Past).
	ConfirmPast bool
}

// Send sends a draft to its recipients. With problems, nothing is sent
// unless SkipProblems: then the others get their letter and those with a
// problem are left out. A campaign whose dates are past is refused unless
// ConfirmPast. It returns how many letters were queued.
func (s *Service) Send(ctx context.Context, a *rencontres.Actor, id int64, opt SendOptions) (int, error) {
	if err := secretariat(a); err != nil {
		return 0, err
	}
	c, err := s.st.Campaign(ctx, id)
	if err != nil {
		return 0, err
	}
	if c.Status != rencontres.CampaignDraft {
		return 0, &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.campaign_not_draft", Message: "this campaign was sent or cancelled"}
	}
	if !opt.ConfirmPast {
		past, err := s.Past(ctx, c)
		if err != nil {
			return 0, err
		}
		if past != nil {
			return 0, past
		}
	}
	recipients, problems, err := s.Check(ctx, c)
	if err != nil {
		return 0, err
	}
	if len(problems) > 0 && !opt.SkipProblems {
		return 0, &ProblemsError{Err: &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.campaign_problems", Field: "recipients",
			Message: fmt.Sprintf("%d recipients cannot be written to; send to the others, or fix them first", len(problems)),
			Args:    map[string]any{"N": len(problems)}}, Problems: problems}
	}
	if len(recipients) == 0 {
		return 0, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.campaign_no_recipients", Field: "filter",
			Message: "nobody to write to"}
	}
	if err := s.canRender(ctx, c, recipients); err != nil {
		return 0, err
	}
	now := s.Now()
	err = s.st.LaunchCampaign(ctx, id, now, recipients, func(r *rencontres.Recipient) (*rencontres.QueuedMail, error) {
		payload, _ := json.Marshal(letterPayload{Recipient: r.ID})
		return &rencontres.QueuedMail{Kind: store.CampaignLetterKind, ToEmail: r.Email, ToName: r.Name, Lang: r.Lang, Payload: payload, Deferred: true,
			UniqueKey: fmt.Sprintf("campaign:%d:recipient:%d", id, r.ID), CampaignID: id, RecipientID: r.ID}, nil
	})
	if err != nil {
		return 0, err
	}
	s.outbox.Wake()
	return len(recipients), nil
}

// canRender writes, before anything is queued, the PDF of the first
// recipient's letter in each language the campaign will send: a letter
// that cannot be written (the font package missing) refuses the whole
// campaign with the message the PDF route gives, rather than failing
// every message in the outbox, one by one, after the campaign is marked
// sent.
func (s *Service) canRender(ctx context.Context, c *rencontres.Campaign, recipients []*rencontres.Recipient) error {
	faces, err := s.Fonts()
	if err != nil {
		return fonts.Missing(err)
	}
	tmpls, err := Templates(c)
	if err != nil {
		return err
	}
	ec, err := s.eventContext(ctx, c)
	if err != nil {
		return err
	}
	done := map[*letter.Template]bool{}
	for _, r := range recipients {
		t := pick(tmpls, r.Lang)
		if done[t] {
			continue
		}
		done[t] = true
		l, err := letter.Render(t, ec.data(r, c, s.baseURL+"/"+string(t.Lang)+"/invitation/…"))
		if err != nil {
			return err
		}
		if err := letter.WritePDF(io.Discard, faces, l); err != nil {
			return err
		}
	}
	return nil
}

// Cancel stops a campaign: what is not sent yet is not sent.
func (s *Service) Cancel(ctx context.Context, a *rencontres.Actor, id int64) error {
	if err := secretariat(a); err != nil {
		return err
	}
	return s.st.CancelCampaign(ctx, id, s.Now())
}

// Recipients lists a campaign's recipients: those written to once it is
// sent, with their state; those it would write to while a draft.
func (s *Service) Recipients(ctx context.Context, c *rencontres.Campaign) ([]*rencontres.Recipient, []rencontres.Problem, error) {
	if c.Status == rencontres.CampaignDraft {
		return s.Check(ctx, c)
	}
	list, err := s.st.CampaignRecipients(ctx, c.ID)
	return list, nil, err
}

// Preview renders the letter one recipient would get, in a language (the
// recipient's when empty); with no recipient, the first the campaign
// reaches, else a sample person.
func (s *Service) Preview(ctx context.Context, c *rencontres.Campaign, r *rencontres.Recipient, lang rencontres.Lang) (*letter.Letter, error) {
	tmpls, err := Templates(c)
	if err != nil {
		return nil, err
	}
	if r == nil {
		r = sample(lang)
		if !c.Filter.Empty() {
			if list, _, err := s.audience(ctx, c); err == nil && len(list) > 0 {
				r = list[0]
			}
		}
	}
	if lang == "" {
		lang = r.Lang
	}
	t := pick(tmpls, lang)
	if t == nil {
		d := letter.Default(lang)
		t = &d
	}
	ec, err := s.eventContext(ctx, c)
	if err != nil {
		return nil, err
	}
	link := s.baseURL + "/" + string(t.Lang) + "/invitation/…"
	if r.RegistrationID != 0 {
		link = s.meLink(r.Lang, c.EventID)
	} else if r.ID != 0 {
		if link, err = s.Link(ctx, r); err != nil {
			return nil, err
		}
	}
	return letter.Render(t, ec.data(r, c, link))
}

// sample is the person a preview shows when the campaign reaches nobody
// yet: fictitious, in the language asked.
func sample(l rencontres.Lang) *rencontres.Recipient {
	r := &rencontres.Recipient{Civility: "mme", Name: "Claire DUVAL", Function: "Adjointe au maire déléguée aux relations internationales", Lang: rencontres.French,
		Email: "claire.duval@example.org", OrgName: rencontres.Text{"fr": "Ville de Cannes", "ja": "カンヌ市", "en": "City of Cannes"}}
	if l == rencontres.Japanese {
		r = &rencontres.Recipient{Civility: "m", Name: "Kenji MORI", NameJa: "森 健二", Function: "国際交流課長", Lang: rencontres.Japanese,
			Email: "kenji.mori@example.org", OrgName: rencontres.Text{"fr": "Ville de Shizuoka", "ja": "静岡市", "en": "Shizuoka City"}}
	} else if l == rencontres.English {
		r.Lang = rencontres.English
	}
	return r
}

// LettersPDF writes every recipient's letter in one PDF, for printing;
// before sending, the letters of those it would write to.
func (s *Service) LettersPDF(ctx context.Context, w io.Writer, c *rencontres.Campaign) (int, error) {
	list, _, err := s.Recipients(ctx, c)
	if err != nil {
		return 0, err
	}
	list = slices.DeleteFunc(list, func(r *rencontres.Recipient) bool { return r.State == rencontres.RecipientCancelled })
	ec, err := s.eventContext(ctx, c)
	if err != nil {
		return 0, err
	}
	faces, err := s.Fonts()
	if err != nil {
		return 0, fonts.Missing(err)
	}
	if len(list) == 0 {
		return 0, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.campaign_no_recipients", Field: "filter", Message: "nobody to write to"}
	}
	// The letters are rendered and written a chunk at a time: what is
	// held is a chunk of letters, not the campaign's.
	pw := letter.NewPDFWriter(w, faces)
	for chunk := range slices.Chunk(list, 100) {
		letters, err := s.letters(ctx, c, ec, chunk)
		if err != nil {
			return 0, err
		}
		for _, l := range letters {
			if err := pw.Add(l); err != nil {
				return 0, err
			}
		}
	}
	return len(list), pw.Close()
}

// letters renders the letters of recipients; ec is the campaign's event,
// loaded once by the caller.
func (s *Service) letters(ctx context.Context, c *rencontres.Campaign, ec *eventContext, list []*rencontres.Recipient) ([]*letter.Letter, error) {
	tmpls, err := Templates(c)
	if err != nil {
		return nil, err
	}
	out := make([]*letter.Letter, 0, len(list))
	for _, r := range list {
		t := pick(tmpls, r.Lang)
		if t == nil {
			return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.campaign_no_letter", Field: "letters", Message: "write the letter in one language at least"}
		}
		link := ""
		if r.RegistrationID != 0 {
			link = s.meLink(r.Lang, c.EventID)
		} else if r.ID != 0 {
			if link, err = s.Link(ctx, r); err != nil {
				return nil, err
			}
		} else {
			link = s.baseURL + "/" + string(t.Lang) + "/invitation/…"
		}
		l, err := letter.Render(t, ec.data(r, c, link))
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// RecipientPDF writes one recipient's letter as PDF.
func (s *Service) RecipientPDF(ctx context.Context, w *bytes.Buffer, c *rencontres.Campaign, r *rencontres.Recipient) error {
	ec, err := s.eventContext(ctx, c)
	if err != nil {
		return err
	}
	letters, err := s.letters(ctx, c, ec, []*rencontres.Recipient{r})
	if err != nil {
		return err
	}
	faces, err := s.Fonts()
	if err != nil {
		return fonts.Missing(err)
	}
	return letter.WritePDF(w, faces, letters...)
}

// Get returns a campaign.
func (s *Service) Get(ctx context.Context, id int64) (*rencontres.Campaign, error) {
	return s.st.Campaign(ctx, id)
}

// List lists campaigns, newest first: an event's, or (0) all.
func (s *Service) List(ctx context.Context, eventID int64) ([]*rencontres.Campaign, error) {
	return s.st.Campaigns(ctx, eventID)
}

// Counts counts recipients by state.
func Counts(list []*rencontres.Recipient) rencontres.CampaignCounts {
	return store.CampaignCounts(list)
}
