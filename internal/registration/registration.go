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
	"sync"
	"time"

	"github.com/rencontres/rencontres/internal/badge"
	"github.com/rencontres/rencontres/internal/fonts"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// Service registers people for events.
type Service struct {
	st      *store.Store
	outbox  *outbox.Worker
	cat     *i18n.Catalogue
	log     *slog.Logger
	baseURL string
	// Now is the clock; tests set it to be before or after a deadline.
	Now func() time.Time
	// DigestDelay is how long a delegation's summary waits for further
	// changes before it leaves: a contact who registers five people in a
	// row gets one summary of the five.
	DigestDelay time.Duration

	jobs  chan *job
	start sync.Once
}

// digestKind is the kind of a delegation's summary in the outbox.
const digestKind = "registration-delegation"

// New returns the service; its emails go through the outbox, whose worker
// renders the delegations' summaries when they leave.
func New(st *store.Store, ob *outbox.Worker, cat *i18n.Catalogue, log *slog.Logger, baseURL string) *Service {
	s := &Service{st: st, outbox: ob, cat: cat, log: log, baseURL: strings.TrimSuffix(baseURL, "/"), Now: time.Now, DigestDelay: time.Minute,
		jobs: make(chan *job)}
	ob.Handle(digestKind, s.renderDigest)
	return s
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
// returns the first registration and sends nothing. The confirmations are
// queued in the registration's own transaction: both exist, or neither.
//
// Registrations that arrive together share one transaction: the batcher
// takes every submission waiting when the previous batch commits, each
// within a savepoint, so that one's refusal undoes only its own writes.
// Seats still go in the order of submission, and the cost of a commit
// (a WAL write on SQLite, a flush to disk on PostgreSQL, both made under
// the event's lock) is paid once for the batch rather than once each.
func (s *Service) Register(ctx context.Context, a *rencontres.Actor, r *rencontres.Registration, key string) (*Result, error) {
	return s.RegisterRequest(ctx, a, r, key, "")
}

// RegisterRequest is Register for a call whose request is summed up in
// request (a hash of what was sent): the key sent again by the same actor
// with another request is refused with store.ErrKeyReused.
func (s *Service) RegisterRequest(ctx context.Context, a *rencontres.Actor, r *rencontres.Registration, key, request string) (*Result, error) {
	anyTime, err := may(a, r.OrgKey)
	if err != nil {
		return nil, err
	}
	e, err := s.st.Event(ctx, r.EventID)
	if err != nil {
		return nil, err
	}
	j := &job{ctx: context.WithoutCancel(ctx), a: a, r: r, key: key, request: request, e: e, anyTime: anyTime, now: s.Now(), done: make(chan outcome, 1)}
	s.start.Do(func() { go s.batcher() })
	select {
	case s.jobs <- j:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	out := <-j.done
	return out.res, out.err
}

// job is a submission waiting for its batch.
type job struct {
	ctx     context.Context
	a       *rencontres.Actor
	r       *rencontres.Registration
	key     string
	request string
	e       *rencontres.Event
	anyTime bool
	now     time.Time
	done    chan outcome
}

type outcome struct {
	res *Result
	err error
}

// maxBatch bounds a batch: a burst beyond it waits for the next commit.
const maxBatch = 64

// batcher runs the submissions in batches, for the life of the process.
func (s *Service) batcher() {
	for j := range s.jobs {
		batch := []*job{j}
	more:
		for len(batch) < maxBatch {
			select {
			case j := <-s.jobs:
				batch = append(batch, j)
			default:
				break more
			}
		}
		s.runBatch(batch)
	}
}

func (s *Service) runBatch(batch []*job) {
	out := make([]outcome, len(batch))
	err := s.st.InTx(context.Background(), func(tx *store.Store) error {
		for i, j := range batch {
			fnErr, err := tx.Savepoint(j.ctx, func() error {
				res, err := s.register(j.ctx, tx, j)
				out[i].res = res
				return err
			})
			if err != nil {
				return err
			}
			out[i].err = fnErr
		}
		return nil
	})
	wake := false
	for i, j := range batch {
		if err != nil {
			out[i] = outcome{err: err}
		}
		wake = wake || out[i].err == nil && !out[i].res.Replayed
		j.done <- out[i]
	}
	if wake {
		s.outbox.Wake()
	}
}

// register registers one submission in tx.
func (s *Service) register(ctx context.Context, tx *store.Store, j *job) (*Result, error) {
	r := j.r
	_, body, replayed, err := tx.IdempotentRequest(ctx, scope(j.a), j.key, j.request, func(tx *store.Store) (int, []byte, error) {
		promoted, err := tx.Register(ctx, r, j.now, j.anyTime)
		if err != nil {
			return 0, nil, err
		}
		if err := s.queue(ctx, tx, j.e, r, "registered", promoted, j.now); err != nil {
			return 0, nil, err
		}
		if err := audit(ctx, tx, j.a, "registration.create", r, j.now); err != nil {
			return 0, nil, err
		}
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
	e, err := s.st.Event(ctx, r.EventID)
	if err != nil {
		return err
	}
	r.OrgKey, r.DelegationID = old.OrgKey, old.DelegationID
	now := s.Now()
	if err := s.st.InTx(ctx, func(tx *store.Store) error {
		promoted, err := tx.UpdateRegistration(ctx, r, now, anyTime)
		if err != nil {
			return err
		}
		if err := s.queue(ctx, tx, e, r, "changed", promoted, now); err != nil {
			return err
		}
		return audit(ctx, tx, a, "registration.update", r, now)
	}); err != nil {
		return err
	}
	s.outbox.Wake()
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
	e, err := s.st.Event(ctx, eventID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if err := s.st.InTx(ctx, func(tx *store.Store) error {
		promoted, err := tx.Withdraw(ctx, eventID, id, now, anyTime)
		if err != nil {
			return err
		}
		r.Status = rencontres.Withdrawn
		r.Choices = nil
		if err := s.queue(ctx, tx, e, r, "withdrawn", promoted, now); err != nil {
			return err
		}
		return audit(ctx, tx, a, "registration.withdraw", r, now)
	}); err != nil {
		return nil, err
	}
	s.outbox.Wake()
	return r, nil
}

// SaveForm opens an event to registration or changes its form; seats a
// larger capacity frees go to those waiting, who are told.
func (s *Service) SaveForm(ctx context.Context, a *rencontres.Actor, f *rencontres.RegistrationForm) error {
	if !a.Can(rencontres.ManageEvents, rencontres.Target{}) {
		return &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "error.forbidden", Message: "forbidden"}
	}
	e, err := s.st.Event(ctx, f.EventID)
	if err != nil {
		return err
	}
	now := s.Now()
	if err := s.st.InTx(ctx, func(tx *store.Store) error {
		promoted, err := tx.SaveRegistrationForm(ctx, f)
		if err != nil {
			return err
		}
		msgs, err := s.promotions(ctx, tx, e, promoted)
		if err != nil {
			return err
		}
		return tx.EnqueueMail(ctx, now, msgs...)
	}); err != nil {
		return err
	}
	s.outbox.Wake()
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

// audit records a change in the audit log, in its own transaction: a
// registration is never without its entry, and the entry never without it.
func audit(ctx context.Context, tx *store.Store, a *rencontres.Actor, action string, r *rencontres.Registration, now time.Time) error {
	e := &rencontres.AuditEntry{At: now, Action: action, ObjectType: "registration", ObjectID: strconv.FormatInt(r.ID, 10), IP: a.IP,
		Detail: map[string]any{"organisation": r.OrgKey}}
	if a.User != nil {
		e.ActorID, e.ActorEmail = a.User.ID, a.User.Email
	}
	return tx.Audit(ctx, e)
}

// queue writes, in the transaction tx of a change, the emails that tell
// it: to the person, in their language; to each person promoted from a
// waiting list; and a summary of the delegation to each of its authority's
// contacts, merged with any summary still waiting to leave.
func (s *Service) queue(ctx context.Context, tx *store.Store, e *rencontres.Event, r *rencontres.Registration, what string,
	promoted []rencontres.Promotion, now time.Time) error {
	m, err := outbox.Message("registration-"+what, r.Lang, s.personMessage(e, r, what))
	if err != nil {
		return err
	}
	msgs, err := s.promotions(ctx, tx, e, promoted)
	if err != nil {
		return err
	}
	msgs = append(msgs, m)
	contacts, err := tx.OrgContacts(ctx, r.OrgKey)
	if err != nil {
		return err
	}
	for _, u := range contacts {
		payload, _ := json.Marshal(digest{Event: e.ID, Org: r.OrgKey, User: u.ID})
		msgs = append(msgs, &rencontres.QueuedMail{Kind: digestKind, ToEmail: u.Email, ToName: u.Name, Lang: u.Lang, Payload: payload, Deferred: true,
			MergeKey: fmt.Sprintf("delegation:%d:%s:%d", e.ID, r.OrgKey, u.ID), NotBefore: now.Add(s.DigestDelay)})
	}
	return tx.EnqueueMail(ctx, now, msgs...)
}

// promotions are the emails telling people promoted from a waiting list
// that a seat is theirs, naming the session.
func (s *Service) promotions(ctx context.Context, tx *store.Store, e *rencontres.Event, promoted []rencontres.Promotion) ([]*rencontres.QueuedMail, error) {
	var out []*rencontres.QueuedMail
	for _, p := range promoted {
		pr, err := tx.Registration(ctx, e.ID, p.RegistrationID)
		if err != nil {
			return nil, err
		}
		what := "promoted"
		if p.SessionID != 0 {
			what = "promoted_session"
		}
		msg := s.personMessage(e, pr, what)
		if i := slices.IndexFunc(pr.Choices, func(c rencontres.Choice) bool { return c.SessionID == p.SessionID }); i >= 0 {
			pt := s.cat.Printer(pr.Lang)
			msg.Text = pt.T("mail.reg_promoted_to", "Session", pr.Choices[i].Title.In(pr.Lang)) + "\n\n" + msg.Text
		}
		m, err := outbox.Message("registration-"+what, pr.Lang, msg)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// title is an event's title in a language. An edition's French title is
// plural, and its ordinal agrees: « 8es Rencontres franco-japonaises ».
func (s *Service) title(e *rencontres.Event, l rencontres.Lang) string {
	if e.Kind == rencontres.EditionEvent {
		p := s.cat.Printer(l)
		if l == rencontres.French {
			return p.OrdinalPlural(e.Number) + " " + e.SeriesShort.In(l)
		}
		return p.EditionTitleText(e.Number, e.SeriesShort)
	}
	return e.Title.In(l)
}

// to is how an email names the event a registration is for, after
// « inscription »: in French with the preposition and article an
// edition's plural title takes (« aux 8es Rencontres… »), and a meeting's
// title, whose gender and number are unknown, between quotation marks
// (« à « 3e réunion du COPIL » »); elsewhere the title alone.
func (s *Service) to(e *rencontres.Event, l rencontres.Lang) string {
	t := s.title(e, l)
	if l != rencontres.French {
		return t
	}
	if e.Kind == rencontres.EditionEvent {
		return "aux " + t
	}
	return "à " + s.cat.Printer(l).Quote(t)
}

// greeting opens an email to a registered person as letters address them.
func greeting(r *rencontres.Registration) string {
	rc := letter.Recipient{Civility: r.Civility, GivenName: r.GivenName, FamilyName: r.FamilyName, NameJa: r.NameJa}
	if r.Function != "" {
		rc.Function = rencontres.Text{rencontres.French: r.Function, rencontres.Japanese: r.Function, rencontres.English: r.Function}
	}
	return letter.Greeting(r.Lang, rc)
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
	link := fmt.Sprintf("%s/%s/events/%d/programme", s.baseURL, r.Lang, e.ID)
	return &mail.Message{
		To:      []mail.Address{{Name: r.DisplayName(rencontres.French), Email: r.Email}},
		Subject: p.T("mail.reg_subject_"+what, "Event", title),
		Text: greeting(r) + "\n\n" + p.T("mail.reg_body_"+what, "Event", title, "To", s.to(e, r.Lang)) + "\n\n" + s.Summary(e, r, r.Lang) + "\n" +
			p.T("mail.reg_link") + "\n" + link + "\n",
		Headers: map[string]string{"X-Rencontres-Kind": "registration-" + what},
	}
}

// digest is what a delegation's summary in the outbox names: it is
// rendered when it leaves, with the delegation as it is then.
type digest struct {
	Event int64  `json:"event"`
	Org   string `json:"org"`
	User  int64  `json:"user"`
}

// renderDigest renders a delegation's summary for one of its authority's
// contacts; nothing when the account no longer speaks for the authority.
func (s *Service) renderDigest(ctx context.Context, m *rencontres.QueuedMail) (*mail.Message, error) {
	var d digest
	if err := json.Unmarshal(m.Payload, &d); err != nil {
		return nil, err
	}
	u, err := s.st.User(ctx, d.User)
	if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled || u.Erased || !slices.Contains(u.OrgKeys, d.Org) {
		return nil, nil
	}
	e, err := s.st.Event(ctx, d.Event)
	if err != nil {
		return nil, err
	}
	people, err := s.st.Registrations(ctx, rencontres.RegistrationFilter{EventID: e.ID, OrgKey: d.Org})
	if err != nil {
		return nil, err
	}
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
	return &mail.Message{
		To:      []mail.Address{{Name: u.Name, Email: u.Email}},
		Subject: p.T("mail.reg_subject_delegation", "Event", title),
		Text: letter.Greeting(u.Lang, letter.Person(u.Civility, u.Name, u.NameJa, u.Function)) + "\n\n" +
			p.T("mail.reg_body_delegation", "Event", title, "To", s.to(e, u.Lang), "People", len(people)) + "\n\n" +
			b.String() + p.T("mail.reg_link_delegation") + "\n" + fmt.Sprintf("%s/%s/events/%d/delegation?org=%s", s.baseURL, u.Lang, e.ID, d.Org) + "\n",
		Headers: map[string]string{"X-Rencontres-Kind": digestKind},
	}, nil
}

// Badges writes the badges of an event's confirmed registrations as a PDF
// in a layout, each in its holder's script and language.
func (s *Service) Badges(ctx context.Context, w io.Writer, eventID int64, layout badge.Layout) error {
	if layout != badge.A6 && layout != badge.A4x8 {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_parameter", Field: "layout", Message: "layout is a6 or a4x8"}
	}
	faces, err := badge.FindFonts()
	if err != nil {
		return fonts.Missing(err)
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
		if orgs[r.OrgKey] == nil {
			if orgs[r.OrgKey], err = s.st.Organisation(ctx, r.OrgKey); err != nil {
				return err
			}
		}
		badges = append(badges, s.badge(e, r, orgs[r.OrgKey]))
	}
	return badge.Write(w, faces, layout, badges)
}

// Badge is what a person's badge prints, QR code's address included: the
// badges PDF and the person's own data export say the same.
func (s *Service) Badge(ctx context.Context, r *rencontres.Registration) (badge.Badge, error) {
	e, err := s.st.Event(ctx, r.EventID)
	if err != nil {
		return badge.Badge{}, err
	}
	org, err := s.st.Organisation(ctx, r.OrgKey)
	if err != nil {
		return badge.Badge{}, err
	}
	return s.badge(e, r, org), nil
}

// badge is a registration's badge, in its holder's script and language.
func (s *Service) badge(e *rencontres.Event, r *rencontres.Registration, org *rencontres.Organisation) badge.Badge {
	lang := r.Lang
	if r.NameJa != "" {
		lang = rencontres.Japanese
	}
	b := badge.Badge{Name: r.DisplayName(lang), Function: r.Function, Event: s.title(e, lang), Code: r.Code,
		URL: fmt.Sprintf("%s/%s/events/%d/checkin?code=%s", s.baseURL, rencontres.French, e.ID, r.Code), Authority: org.Name.In(lang)}
	if latin := r.DisplayName(rencontres.French); latin != b.Name {
		b.Latin = latin
	}
	return b
}
