// Package practice is the calls for good practices and the proposals made
// to them, as a service: it checks who may open a call, who may propose
// for which authority and see which proposal, keeps a proposal and its
// documents whole in one transaction, and renders the emails that confirm
// a proposal to its contact. The site and the API both use it; the review
// and the library read the same tables through the store.
package practice

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// Service keeps calls and proposals for actors.
type Service struct {
	st      *store.Store
	outbox  *outbox.Worker
	cat     *i18n.Catalogue
	log     *slog.Logger
	baseURL string
	// Now is the clock; tests set it before or after a deadline.
	Now func() time.Time
	// From is the instance's address (--mail-from).
	From mail.Address
}

// New returns the service; the confirmations it queues are rendered by
// it when they leave the outbox.
func New(st *store.Store, ob *outbox.Worker, cat *i18n.Catalogue, log *slog.Logger, baseURL string) *Service {
	s := &Service{st: st, outbox: ob, cat: cat, log: log, baseURL: strings.TrimSuffix(baseURL, "/"), Now: time.Now, From: mail.DefaultFrom}
	ob.Handle(store.ProposalMailKind, s.renderMail)
	return s
}

var errForbidden = &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "error.forbidden", Message: "forbidden"}

// File is a document or an image sent with a proposal.
type File struct {
	Name string
	Data []byte
}

// Staff reports whether the actor keeps the calls (the secretariat).
func Staff(a *rencontres.Actor) bool { return a.Can(rencontres.ManageCalls, rencontres.Target{}) }

// Calls lists an event's calls (every call when eventID is 0), newest
// deadline first. Calls are public.
func (s *Service) Calls(ctx context.Context, eventID int64) ([]*rencontres.Call, error) {
	return s.st.Calls(ctx, eventID)
}

// Call returns a call; calls are public.
func (s *Service) Call(ctx context.Context, id int64) (*rencontres.Call, error) {
	return s.st.Call(ctx, id)
}

// Workshops are the workshops of an event's edition, which its calls may
// feed.
func (s *Service) Workshops(ctx context.Context, eventID int64) ([]rencontres.Workshop, error) {
	return s.st.EventWorkshops(ctx, eventID)
}

// SaveCall creates or changes a call: the secretariat's.
func (s *Service) SaveCall(ctx context.Context, a *rencontres.Actor, c *rencontres.Call) error {
	if !Staff(a) {
		return errForbidden
	}
	var by int64
	if a.User != nil {
		by = a.User.ID
	}
	return s.st.SaveCall(ctx, c, by)
}

// DeleteCall removes a call that has no proposal: the secretariat's.
func (s *Service) DeleteCall(ctx context.Context, a *rencontres.Actor, id int64) error {
	if !Staff(a) {
		return errForbidden
	}
	return s.st.DeleteCall(ctx, id)
}

// SetCampaignCall points a campaign to a call of its event: the
// secretariat's.
func (s *Service) SetCampaignCall(ctx context.Context, a *rencontres.Actor, campaignID, callID int64) error {
	if !Staff(a) || !a.Can(rencontres.ManageEvents, rencontres.Target{}) {
		return errForbidden
	}
	return s.st.SetCampaignCall(ctx, campaignID, callID)
}

// own reports whether the actor proposes for one of the authorities that
// make the proposal (its lead or a co-proposer): they see it and change
// it; the partners involved do not.
func own(a *rencontres.Actor, p *rencontres.Proposal) bool {
	for _, o := range p.Orgs {
		if o.Role != rencontres.PartnerOrg && o.Key != "" && a.Can(rencontres.ProposePractices, rencontres.Target{OrgKey: o.Key}) {
			return true
		}
	}
	return false
}

// hideDecision removes what the committee decided until the secretariat
// releases it.
func hideDecision(p *rencontres.Proposal) {
	if p.Released == nil {
		p.Decision, p.DecisionWorkshop, p.DecisionNote, p.Decided, p.SessionID = rencontres.Undecided, 0, nil, nil, 0
	}
}

// ProposalsPage reads a page of the proposals an actor reads (see
// Proposals), oldest first, by cursor: the secretariat's by keyset in the
// store, however many a call receives; a contact's, the few its
// authorities make, cut from their list by the id a page starts after.
func (s *Service) ProposalsPage(ctx context.Context, a *rencontres.Actor, f rencontres.ProposalFilter, r cursor.Request) ([]*rencontres.Proposal, cursor.Head, error) {
	if Staff(a) {
		return s.st.ProposalsPage(ctx, f, r)
	}
	list, err := s.Proposals(ctx, a, f)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	return cursor.Slice(r, list, func(p *rencontres.Proposal) int64 { return p.ID })
}

// ProposalsPending counts the submitted proposals of a call whose
// translation is pending: the secretariat's.
func (s *Service) ProposalsPending(ctx context.Context, a *rencontres.Actor, callID int64) (int, error) {
	if !Staff(a) {
		return 0, nil
	}
	return s.st.ProposalsPending(ctx, callID)
}

// Proposals lists proposals for an actor: every one for the secretariat;
// for a contact, those its authorities make (f.OrgKey, which must be one
// of its own, or all of them), and an empty list to anyone else.
func (s *Service) Proposals(ctx context.Context, a *rencontres.Actor, f rencontres.ProposalFilter) ([]*rencontres.Proposal, error) {
	if Staff(a) {
		return s.st.Proposals(ctx, f)
	}
	if a.User == nil || !a.Can(rencontres.ProposePractices, rencontres.Target{}) {
		return []*rencontres.Proposal{}, nil
	}
	if f.OrgKey != "" && !a.Can(rencontres.ProposePractices, rencontres.Target{OrgKey: f.OrgKey}) {
		return nil, errForbidden
	}
	keys := a.User.OrgKeys
	if f.OrgKey != "" {
		keys = []string{f.OrgKey}
	}
	out := []*rencontres.Proposal{}
	seen := map[int64]bool{}
	for _, k := range keys {
		f.OrgKey = k
		list, err := s.st.Proposals(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, p := range list {
			if !seen[p.ID] && own(a, p) {
				seen[p.ID] = true
				hideDecision(p)
				out = append(out, p)
			}
		}
	}
	slices.SortFunc(out, func(x, y *rencontres.Proposal) int { return x.Created.Compare(y.Created) })
	return out, nil
}

// Proposal returns a proposal to the secretariat and to the contacts of
// the authorities that make it; to anyone else it does not exist.
func (s *Service) Proposal(ctx context.Context, a *rencontres.Actor, id int64) (*rencontres.Proposal, error) {
	p, err := s.st.Proposal(ctx, id)
	if err != nil {
		return nil, err
	}
	if Staff(a) {
		return p, nil
	}
	if !own(a, p) {
		return nil, rencontres.NotFound("proposal")
	}
	hideDecision(p)
	return p, nil
}

// MayEdit reports whether the actor may change or withdraw the proposal
// now, and the call it answers.
func (s *Service) MayEdit(ctx context.Context, a *rencontres.Actor, p *rencontres.Proposal) (bool, *rencontres.Call, error) {
	c, err := s.st.Call(ctx, p.CallID)
	if err != nil {
		return false, nil, err
	}
	ok := p.State == rencontres.ProposalSubmitted && (Staff(a) || own(a, p)) && c.AuthorsMayEdit(s.Now())
	return ok, c, nil
}

func errNotYourOrg(key string) error {
	return &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "proposal.err_not_your_org", Field: "organisation",
		Message: "you may propose only for your own authority", Args: map[string]any{"Key": key}}
}

// SaveProposal makes (p.ID 0) or changes a proposal with its new files,
// and removes the documents named in drop, all in one transaction: a
// contact for its own authority, the secretariat for any. Every fault is
// reported at once, those of the files with those of the proposal.
func (s *Service) SaveProposal(ctx context.Context, a *rencontres.Actor, p *rencontres.Proposal, files []File, drop []int64) error {
	if a.User == nil {
		return errForbidden
	}
	now := s.Now()
	if p.ID != 0 {
		old, err := s.Proposal(ctx, a, p.ID)
		if err != nil {
			return err
		}
		if !Staff(a) && !own(a, old) {
			return rencontres.NotFound("proposal")
		}
		for _, id := range drop {
			if !slices.ContainsFunc(old.Documents, func(d *rencontres.Document) bool { return d.ID == id }) {
				return rencontres.NotFound("document")
			}
		}
	} else if lead := p.Lead(); !Staff(a) && !a.Can(rencontres.ProposePractices, rencontres.Target{OrgKey: lead}) {
		return errNotYourOrg(lead)
	}
	isNew := p.ID == 0
	var faults []error
	for _, f := range files {
		if _, err := rencontres.CheckDocument(f.Name, f.Data); err != nil {
			faults = append(faults, err)
		}
	}
	err := s.st.InTx(ctx, func(tx *store.Store) error {
		if err := tx.SaveProposal(ctx, p, a.User.ID, now); err != nil {
			return rencontres.Join(append([]error{err}, faults...)...)
		}
		if err := rencontres.Join(faults...); err != nil {
			return err
		}
		for _, id := range drop {
			if err := tx.DeleteProposalDocument(ctx, p.ID, id); err != nil {
				return err
			}
		}
		for _, f := range files {
			if err := tx.AddProposalDocument(ctx, &rencontres.ProposalDocument{ProposalID: p.ID, Name: f.Name}, f.Data, a.User.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if isNew {
			p.ID = 0 // a new proposal refused keeps no id
		}
		return err
	}
	if s.outbox != nil {
		s.outbox.Wake()
	}
	return nil
}

// Withdraw withdraws a proposal before its call's deadline.
func (s *Service) Withdraw(ctx context.Context, a *rencontres.Actor, id int64) error {
	p, err := s.Proposal(ctx, a, id)
	if err != nil {
		return err
	}
	if err := s.st.WithdrawProposal(ctx, p.ID, a.User.ID, s.Now()); err != nil {
		return err
	}
	if s.outbox != nil {
		s.outbox.Wake()
	}
	return nil
}

// Document returns a proposal's document to those who see the proposal.
func (s *Service) Document(ctx context.Context, a *rencontres.Actor, proposalID, id int64) (*rencontres.ProposalDocument, []byte, error) {
	if _, err := s.Proposal(ctx, a, proposalID); err != nil {
		return nil, nil, err
	}
	d, data, err := s.st.ProposalDocumentData(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if d.ProposalID != proposalID {
		return nil, nil, rencontres.NotFound("document")
	}
	return d, data, nil
}

// Check checks a proposal against its call without saving it, so that a
// form can tell its faults with those found in reading it.
func (s *Service) Check(ctx context.Context, p *rencontres.Proposal) error {
	c, err := s.st.Call(ctx, p.CallID)
	if err != nil {
		return err
	}
	return p.Validate(c)
}

// CampaignCall is the call a campaign points to, nil when none.
func (s *Service) CampaignCall(ctx context.Context, campaignID int64) (*rencontres.Call, error) {
	return s.st.CampaignCall(ctx, campaignID)
}

// editable says why the actor may not change proposal p now, nil when
// they may: it was withdrawn, or its call no longer takes changes.
func (s *Service) editable(ctx context.Context, a *rencontres.Actor, p *rencontres.Proposal) error {
	ok, c, err := s.MayEdit(ctx, a, p)
	switch {
	case err != nil:
		return err
	case ok:
		return nil
	case p.State == rencontres.ProposalWithdrawn:
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "proposal.err_withdrawn", Message: "this proposal was withdrawn"}
	}
	e, err := s.st.Event(ctx, c.EventID)
	if err != nil {
		return err
	}
	if s.Now().Before(c.Opens) {
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "proposal.err_not_open", Message: "this call does not take proposals yet",
			Args: map[string]any{"Opens": c.Opens.In(e.Location())}}
	}
	return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "proposal.err_closed", Message: "this call's deadline has passed",
		Args: map[string]any{"Deadline": c.Deadline.In(e.Location())}}
}

// AddDocument adds a document or an image to a proposal its authors may
// still change.
func (s *Service) AddDocument(ctx context.Context, a *rencontres.Actor, proposalID int64, f File) (*rencontres.ProposalDocument, error) {
	p, err := s.Proposal(ctx, a, proposalID)
	if err != nil {
		return nil, err
	}
	if err := s.editable(ctx, a, p); err != nil {
		return nil, err
	}
	d := &rencontres.ProposalDocument{ProposalID: p.ID, Name: f.Name}
	if err := s.st.AddProposalDocument(ctx, d, f.Data, a.User.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// DeleteDocument removes a document from a proposal its authors may
// still change.
func (s *Service) DeleteDocument(ctx context.Context, a *rencontres.Actor, proposalID, id int64) error {
	p, err := s.Proposal(ctx, a, proposalID)
	if err != nil {
		return err
	}
	if err := s.editable(ctx, a, p); err != nil {
		return err
	}
	return s.st.DeleteProposalDocument(ctx, p.ID, id)
}
