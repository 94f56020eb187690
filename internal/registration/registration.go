// Package registration is the "bulletin de participation" made a service:
// it checks who may register whom, registers through the store under an
// idempotency key, and tells each person and their delegation's contact by
// email, in their language, what was registered, changed or withdrawn, and
// those waiting when a seat comes to them. The site and the API both use it.
package registration

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/badge"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// Service registers people for events.
type Service struct {
	st      *store.Store
	mail    mail.Sender
	cat     *i18n.Catalogue
	log     *slog.Logger
	baseURL string
	// Now is the clock; tests set it to be before or after a deadline.
	Now func() time.Time
}

// New returns the service.
func New(st *store.Store, sender mail.Sender, cat *i18n.Catalogue, log *slog.Logger, baseURL string) *Service {
	return &Service{st: st, mail: sender, cat: cat, log: log, baseURL: strings.TrimSuffix(baseURL, "/"), Now: time.Now}
}

var errNotYours = &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "error.not_your_delegation", Field: "organisation",
	Message: "you may register only your own authority's delegation"}

// may checks that the actor may register people of organisation orgKey,
// and whether at any time (the secretariat) or within the form's dates.
func may(a *rencontres.Actor, orgKey string) (anyTime bool, err error) {
	if a.Can(rencontres.ManageEvents, rencontres.Target{}) {
		return true, nil
	}
	if orgKey == "" || !a.Can(rencontres.ManageRegistrations, rencontres.Target{OrgKey: orgKey}) {
		return false, errNotYours
	}
	return false, nil
}

func scope(a *rencontres.Actor) string {
	if a.User == nil {
		return "anonymous"
	}
	return "user:" + strconv.FormatInt(a.User.ID, 10)
}

// Result is what a registration call did.
type Result struct {
	Registration *rencontres.Registration
	// Replayed is set when the idempotency key had been used: nothing was
	// done again, and Registration is the first call's.
	Replayed bool
}

// Register registers a person. A key already used by the same actor
// returns the first registration and sends nothing.
func (s *Service) Register(ctx context.Context, a *rencontres.Actor, r *rencontres.Registration, key string) (*Result, error) {
	anyTime, err := may(a, r.OrgKey)
	if err != nil {
		return nil, err
	}
	var promoted []rencontres.Promotion
	_, body, replayed, err := s.st.Idempotent(ctx, scope(a), key, func(tx *store.Store) (int, []byte, error) {
		p, err := tx.Register(ctx, r, s.Now(), anyTime)
		if err != nil {
			return 0, nil, err
		}
		promoted = p
		b, err := json.Marshal(r)
		return http.StatusCreated, b, err
	})
	if err != nil {
		return nil, err
	}
	if replayed {
		var first rencontres.Registration
		if err := json.Unmarshal(body, &first); err != nil {
			return nil, err
		}
		return &Result{Registration: &first, Replayed: true}, nil
	}
	s.tell(ctx, a, r, "registered", promoted)
	return &Result{Registration: r}, nil
}

// Update changes a person's registration; the delegation stays the one it
// was made in.
func (s *Service) Update(ctx context.Context, a *rencontres.Actor, r *rencontres.Registration) error {
	old, err := s.st.Registration(ctx, r.EventID, r.ID)
	if err != nil {
		return err
	}
	anyTime, err := may(a, old.OrgKey)
	if err != nil {
		return err
	}
	r.OrgKey, r.DelegationID = old.OrgKey, old.DelegationID
	promoted, err := s.st.UpdateRegistration(ctx, r, s.Now(), anyTime)
	if err != nil {
		return err
	}
	s.tell(ctx, a, r, "changed", promoted)
	return nil
}

// Withdraw withdraws a person; the first waiting get their seats.
func (s *Service) Withdraw(ctx context.Context, a *rencontres.Actor, eventID, id int64) (*rencontres.Registration, error) {
	r, err := s.st.Registration(ctx, eventID, id)
	if err != nil {
		return nil, err
	}
	anyTime, err := may(a, r.OrgKey)
	if err != nil {
		return nil, err
	}
	promoted, err := s.st.Withdraw(ctx, eventID, id, s.Now(), anyTime)
	if err != nil {
		return nil, err
	}
	r.Status = rencontres.Withdrawn
	r.Choices = nil
	s.tell(ctx, a, r, "withdrawn", promoted)
	return r, nil
}

// SaveForm opens an event to registration or changes its form; seats a
// larger capacity frees go to those waiting, who are told.
func (s *Service) SaveForm(ctx context.Context, a *rencontres.Actor, f *rencontres.RegistrationForm) error {
	if !a.Can(rencontres.ManageEvents, rencontres.Target{}) {
		return &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "error.forbidden", Message: "forbidden"}
	}
	promoted, err := s.st.SaveRegistrationForm(ctx, f)
	if err != nil {
		return err
	}
	e, err := s.st.Event(ctx, f.EventID)
	if err != nil {
		return err
	}
	for _, p := range promoted {
		r, err := s.st.Registration(ctx, f.EventID, p.RegistrationID)
		if err != nil {
			return err
		}
		s.send(ctx, s.personMessage(e, r, "promoted"))
	}
	return nil
}

// Delegation returns an authority's registrations for an event, to its
// contacts and the secretariat.
func (s *Service) Delegation(ctx context.Context, a *rencontres.Actor, eventID int64, orgKey string) ([]*rencontres.Registration, error) {
	if _, err := may(a, orgKey); err != nil {
		return nil, err
	}
	return s.st.Registrations(ctx, rencontres.RegistrationFilter{EventID: eventID, OrgKey: orgKey})
}

// tell sends the confirmations of a change: to the person, in their
// language; to the delegation's contacts (the actor among them); and to
// each person promoted from a waiting list. A failure to send is logged:
// the registration stands.
func (s *Service) tell(ctx context.Context, a *rencontres.Actor, r *rencontres.Registration, what string, promoted []rencontres.Promotion) {
	e, err := s.st.Event(ctx, r.EventID)
	if err != nil {
		s.log.Error("registration mail", "err", err)
		return
	}
	s.send(ctx, s.personMessage(e, r, what))
	s.tellDelegation(ctx, a, e, r.OrgKey)
	for _, p := range promoted {
		pr, err := s.st.Registration(ctx, r.EventID, p.RegistrationID)
		if err != nil {
			s.log.Error("registration mail", "err", err)
			continue
		}
		what := "promoted"
		if p.SessionID != 0 {
			what = "promoted_session"
		}
		m := s.personMessage(e, pr, what)
		if i := slices.IndexFunc(pr.Choices, func(c rencontres.Choice) bool { return c.SessionID == p.SessionID }); i >= 0 {
			pt := s.cat.Printer(pr.Lang)
			m.Text = pt.T("mail.reg_promoted_to", "Session", pr.Choices[i].Title.In(pr.Lang)) + "\n\n" + m.Text
		}
		s.send(ctx, m)
	}
}

func (s *Service) send(ctx context.Context, m *mail.Message) {
	if m == nil {
		return
	}
	if err := s.mail.Send(ctx, m); err != nil {
		s.log.Error("registration mail", "to", m.To[0].Email, "err", err)
	}
}

// title is an event's title in a language.
func (s *Service) title(e *rencontres.Event, l rencontres.Lang) string {
	if e.Kind == rencontres.EditionEvent {
		return s.cat.Printer(l).EditionTitleText(e.Number, e.SeriesShort)
	}
	return e.Title.In(l)
}

// Summary is a registration told in a language: status, sessions and
// their seats, the badge code.
func (s *Service) Summary(e *rencontres.Event, r *rencontres.Registration, l rencontres.Lang) string {
	p := s.cat.Printer(l)
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\n", r.DisplayName(l), r.OrgKey)
	status := p.T("reg_status." + string(r.Status))
	if r.Status == rencontres.Waitlisted {
		status += " " + p.T("registration.position", "N", r.Position)
	}
	b.WriteString(p.T("registration.line", "Label", p.T("registration.event_seat"), "Value", status) + "\n")
	for _, c := range r.Choices {
		st := p.T("reg_status." + string(c.Status))
		if c.Status == rencontres.Waitlisted {
			st += " " + p.T("registration.position", "N", c.Position)
		}
		b.WriteString("  " + strconv.Itoa(c.Rank) + ". " + p.T("registration.line", "Label", c.Title.In(l), "Value", st) + "\n")
	}
	if r.Status != rencontres.Withdrawn {
		b.WriteString(p.T("registration.line", "Label", p.T("registration.badge_code"), "Value", r.Code) + "\n")
	}
	return b.String()
}

func (s *Service) personMessage(e *rencontres.Event, r *rencontres.Registration, what string) *mail.Message {
	p := s.cat.Printer(r.Lang)
	title := s.title(e, r.Lang)
	greeting := p.T("mail.reg_greeting", "Name", r.DisplayName(r.Lang))
	link := fmt.Sprintf("%s/%s/events/%d/programme", s.baseURL, r.Lang, e.ID)
	return &mail.Message{
		To:      []mail.Address{{Name: r.DisplayName(rencontres.French), Email: r.Email}},
		Subject: p.T("mail.reg_subject_"+what, "Event", title),
		Text: greeting + "\n\n" + p.T("mail.reg_body_"+what, "Event", title) + "\n\n" + s.Summary(e, r, r.Lang) + "\n" +
			p.T("mail.reg_link") + "\n" + link + "\n",
		Headers: map[string]string{"X-Rencontres-Kind": "registration-" + what},
	}
}

// tellDelegation sends the whole delegation's state to its contacts: the
// actor when a contact, and the organisation's other contacts.
func (s *Service) tellDelegation(ctx context.Context, a *rencontres.Actor, e *rencontres.Event, orgKey string) {
	all, err := s.st.Users(ctx, rencontres.UserFilter{Role: rencontres.AuthorityContact})
	if err != nil {
		s.log.Error("delegation mail", "err", err)
		return
	}
	contacts := slices.DeleteFunc(all, func(u *rencontres.User) bool { return u.Disabled || u.Erased || !slices.Contains(u.OrgKeys, orgKey) })
	if len(contacts) == 0 {
		return
	}
	people, err := s.st.Registrations(ctx, rencontres.RegistrationFilter{EventID: e.ID, OrgKey: orgKey})
	if err != nil {
		s.log.Error("delegation mail", "err", err)
		return
	}
	for _, u := range contacts {
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
		name := u.Name
		if u.Lang == rencontres.Japanese && u.NameJa != "" {
			name = u.NameJa
		}
		s.send(ctx, &mail.Message{
			To:      []mail.Address{{Name: u.Name, Email: u.Email}},
			Subject: p.T("mail.reg_subject_delegation", "Event", title),
			Text: p.T("mail.reg_greeting", "Name", name) + "\n\n" + p.T("mail.reg_body_delegation", "Event", title, "People", len(people)) + "\n\n" +
				b.String() + p.T("mail.reg_link_delegation") + "\n" + fmt.Sprintf("%s/%s/events/%d/delegation?org=%s", s.baseURL, u.Lang, e.ID, orgKey) + "\n",
			Headers: map[string]string{"X-Rencontres-Kind": "registration-delegation"},
		})
	}
}

// Badges writes the badges of an event's confirmed registrations as a PDF
// in a layout, each in its holder's script and language.
func (s *Service) Badges(ctx context.Context, w io.Writer, eventID int64, layout badge.Layout) error {
	if layout != badge.A6 && layout != badge.A4x8 {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_parameter", Field: "layout", Message: "layout is a6 or a4x8"}
	}
	fonts, err := badge.FindFonts()
	if err != nil {
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.font_missing", Message: err.Error()}
	}
	e, err := s.st.Event(ctx, eventID)
	if err != nil {
		return err
	}
	people, err := s.st.Registrations(ctx, rencontres.RegistrationFilter{EventID: eventID, Status: rencontres.Confirmed})
	if err != nil {
		return err
	}
	orgs := map[string]*rencontres.Organisation{}
	var badges []badge.Badge
	for _, r := range people {
		lang := r.Lang
		if r.NameJa != "" {
			lang = rencontres.Japanese
		}
		b := badge.Badge{Name: r.DisplayName(lang), Function: r.Function, Event: s.title(e, lang), Code: r.Code,
			URL: fmt.Sprintf("%s/%s/events/%d/checkin?code=%s", s.baseURL, rencontres.French, e.ID, r.Code)}
		if latin := r.DisplayName(rencontres.French); latin != b.Name {
			b.Latin = latin
		}
		if orgs[r.OrgKey] == nil {
			if orgs[r.OrgKey], err = s.st.Organisation(ctx, r.OrgKey); err != nil {
				return err
			}
		}
		b.Authority = orgs[r.OrgKey].Name.In(lang)
		badges = append(badges, b)
	}
	return badge.Write(w, fonts, layout, badges)
}
