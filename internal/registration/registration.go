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

	// From is the instance's address (--mail-from), under which the
	// event's sender name is written.
	From mail.Address

	jobs    chan *job
	start   sync.Once
	metrics *batchMetrics
}

// digestKind is the kind of a delegation's summary in the outbox.
const digestKind = "registration-delegation"

// New returns the service; its emails go through the outbox, whose worker
// renders the delegations' summaries when they leave.
func New(st *store.Store, ob *outbox.Worker, cat *i18n.Catalogue, log *slog.Logger, baseURL string) *Service {
	s := &Service{st: st, outbox: ob, cat: cat, log: log, baseURL: strings.TrimSuffix(baseURL, "/"), Now: time.Now, DigestDelay: time.Minute, From: mail.DefaultFrom,
		jobs: make(chan *job), metrics: newBatchMetrics()}
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
	if _, err := may(a, r.OrgKey); err != nil {
		return nil, err
	}
	e, err := s.st.Event(ctx, r.EventID)
	if err != nil {
		return nil, err
	}
	return s.RegisterAt(ctx, a, e, r, key, request)
}

// RegisterAt is RegisterRequest for a caller that has just read the
// event r is for (e): it is not read again.
func (s *Service) RegisterAt(ctx context.Context, a *rencontres.Actor, e *rencontres.Event, r *rencontres.Registration, key, request string) (*Result, error) {
	anyTime, err := may(a, r.OrgKey)
	if err != nil {
		return nil, err
	}
	if e.ID != r.EventID {
		return nil, fmt.Errorf("registration: event %d given for a registration to event %d", e.ID, r.EventID)
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
// The submissions a batch set aside (see runBatch) open the next one.
func (s *Service) batcher() {
	var held []*job
	for {
		batch := held
		if len(batch) == 0 {
			j, ok := <-s.jobs
			if !ok {
				return
			}
			batch = []*job{j}
		}
		held = s.runBatch(s.drain(batch, nil, nil))
	}
}

// drain adds to batch the submissions waiting, up to maxBatch, without
// waiting for more. When locked is set, those for another event go to
// held instead, in their order.
func (s *Service) drain(batch []*job, locked map[int64]bool, held *[]*job) []*job {
	for len(batch) < maxBatch {
		select {
		case j := <-s.jobs:
			if locked != nil && !locked[j.r.EventID] {
				*held = append(*held, j)
				continue
			}
			batch = append(batch, j)
		default:
			return batch
		}
	}
	return batch
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
	return tx.Audit(ctx, auditEntry(a, action, r, now))
}

func auditEntry(a *rencontres.Actor, action string, r *rencontres.Registration, now time.Time) *rencontres.AuditEntry {
	e := &rencontres.AuditEntry{At: now, Action: action, ObjectType: "registration", ObjectID: strconv.FormatInt(r.ID, 10), IP: a.IP,
		Detail: map[string]any{"organisation": r.OrgKey}}
	if a.User != nil {
		e.ActorID, e.ActorEmail = a.User.ID, a.User.Email
	}
	return e
}

// queue writes, in the transaction tx of a change, the emails that tell
// it: to the person, in their language; to each person promoted from a
// waiting list; and a summary of the delegation to each of its authority's
// contacts, merged with any summary still waiting to leave.
func (s *Service) queue(ctx context.Context, tx *store.Store, e *rencontres.Event, r *rencontres.Registration, what string,
	promoted []rencontres.Promotion, now time.Time) (err error) {
	msg := s.personMessage(e, r, what)
	if msg.From, msg.ReplyTo, err = s.sender(ctx, tx, e.ID); err != nil {
		return err
	}
	m, err := outbox.Message("registration-"+what, r.Lang, msg)
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
	msgs = append(msgs, s.digests(e, r.OrgKey, contacts, now)...)
	if err := tx.EnqueueMail(ctx, now, msgs...); err != nil {
		return err
	}
	return hooks(ctx, tx, r, what, promoted, now)
}

// digests are the summaries of a delegation to its authority's contacts,
// each merged with the one still waiting to leave.
func (s *Service) digests(e *rencontres.Event, orgKey string, contacts []*rencontres.User, now time.Time) []*rencontres.QueuedMail {
	var out []*rencontres.QueuedMail
	for _, u := range contacts {
		payload, _ := json.Marshal(digest{Event: e.ID, Org: orgKey, User: u.ID})
		out = append(out, &rencontres.QueuedMail{Kind: digestKind, ToEmail: u.Email, ToName: u.Name, Lang: u.Lang, Payload: payload, Deferred: true,
			MergeKey: fmt.Sprintf("delegation:%d:%s:%d", e.ID, orgKey, u.ID), NotBefore: now.Add(s.DigestDelay)})
	}
	return out
}

// promotions are the emails telling people promoted from a waiting list
// that a seat is theirs, naming the session.
func (s *Service) promotions(ctx context.Context, tx *store.Store, e *rencontres.Event, promoted []rencontres.Promotion) ([]*rencontres.QueuedMail, error) {
	var out []*rencontres.QueuedMail
	if len(promoted) == 0 {
		return nil, nil
	}
	from, replyTo, err := s.sender(ctx, tx, e.ID)
	if err != nil {
		return nil, err
	}
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
		msg.From, msg.ReplyTo = from, replyTo
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
// title with the article of its head noun when it is a known one (« à la
// 3e réunion du COPIL »), else between quotation marks; elsewhere the title
// alone.
func (s *Service) to(e *rencontres.Event, l rencontres.Lang) string {
	t := s.title(e, l)
	if l != rencontres.French {
		return t
	}
	if e.Kind == rencontres.EditionEvent {
		return "aux " + t
	}
	// A meeting's title whose head noun is known takes its article (« à
	// la 1re réunion du comité… »); another is quoted.
	if to, ok := i18n.FrenchTo(t); ok {
		return to
	}
	return "à " + s.cat.Printer(l).Quote(t)
}

// eventLink is the page a registration email points to, with the label
// that introduces it: an edition's programme once it is published, and
// otherwise the event's own page (an edition's archive page, a meeting's
// page), so that no email links to a page that answers 404.
func (s *Service) eventLink(e *rencontres.Event, l rencontres.Lang) (label, link string) {
	switch {
	case e.Kind == rencontres.EditionEvent && e.Published:
		return "mail.reg_link", fmt.Sprintf("%s/%s/events/%d/programme", s.baseURL, l, e.ID)
	case e.Kind == rencontres.EditionEvent && e.Series != "":
		return "mail.reg_link_event", fmt.Sprintf("%s/%s/series/%s/%d", s.baseURL, l, e.Series, e.Number)
	}
	return "mail.reg_link_event", fmt.Sprintf("%s/%s/events/%d", s.baseURL, l, e.ID)
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
	label, link := s.eventLink(e, r.Lang)
	return &mail.Message{
		To:      []mail.Address{{Name: r.DisplayName(rencontres.French), Email: r.Email}},
		Subject: p.T("mail.reg_subject_"+what, "Event", title),
		Text: greeting(r) + "\n\n" + p.T("mail.reg_body_"+what, "Event", title, "To", s.to(e, r.Lang)) + "\n\n" + s.Summary(e, r, r.Lang) + "\n" +
			p.T(label) + "\n" + link + "\n",
		Headers: map[string]string{"X-Rencontres-Kind": "registration-" + what},
	}
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
	// The registrations are read a chunk at a time and their badges
	// printed a part at a time (badge.Writer), as they come.
	orgs := map[string]*rencontres.Organisation{}
	meetings := map[string][]*rencontres.Meeting{}
	bw, err := badge.NewWriter(w, faces, layout)
	if err != nil {
		return err
	}
	if err := s.st.EachRegistration(ctx, rencontres.RegistrationFilter{EventID: eventID, Status: rencontres.Confirmed}, func(people []*rencontres.Registration) error {
		for _, r := range people {
			if orgs[r.OrgKey] == nil {
				if orgs[r.OrgKey], err = s.st.Organisation(ctx, r.OrgKey); err != nil {
					return err
				}
			}
			b := s.badge(e, r, orgs[r.OrgKey])
			if err := s.agenda(ctx, e, r, &b, meetings); err != nil {
				return err
			}
			if err := bw.Add(b); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	return bw.Close()
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
