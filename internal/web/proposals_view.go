package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/rencontres/rencontres/internal/api"
	"github.com/rencontres/rencontres/internal/practice"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// A call's public page, a proposal's page, and an authority's proposals.

// CallPage is a call as the public and the contacts read it.
type CallPage struct {
	Call       *rencontres.Call
	Event      *rencontres.Event
	EventTitle string
	Workshops  []WorkshopOption
	// The opening and deadline on the event's clock and on the other
	// country's.
	Opens, OpensElsewhere, Deadline, DeadlineElsewhere string
	Open, NotYet                                       bool
	// CanPropose: the reader proposes for an authority; Mine are its
	// authorities' proposals to this call.
	CanPropose bool
	Staff      bool
	Mine       []*rencontres.Proposal
	SeeEvent   bool
}

func (s *Site) callPage(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, e, err := s.pathCall(r)
	if err != nil {
		return "", err
	}
	ctx := r.Context()
	d := &CallPage{Call: c, Event: e, EventTitle: p.EventTitleText(e), SeeEvent: p.Actor.CanSeeEvent(e), Staff: practice.Staff(p.Actor)}
	now := time.Now()
	d.Open, d.NotYet = c.OpenAt(now), now.Before(c.Opens)
	d.Opens, d.OpensElsewhere = bothZones(p, c.Opens, e)
	d.Deadline, d.DeadlineElsewhere = bothZones(p, c.Deadline, e)
	workshops, err := s.prac.Workshops(ctx, e.ID)
	if err != nil {
		return "", err
	}
	for _, n := range c.Workshops {
		if w, ok := rencontres.EditionWorkshop(workshops, n); ok {
			d.Workshops = append(d.Workshops, WorkshopOption{N: n, Title: w.Title})
		}
	}
	d.CanPropose = p.Actor.User != nil && len(proposalOrgs(p)) > 0 && p.Actor.Can(rencontres.ProposePractices, rencontres.Target{OrgKey: proposalOrgs(p)[0]})
	if d.CanPropose {
		if d.Mine, err = s.prac.Proposals(ctx, p.Actor, rencontres.ProposalFilter{CallID: c.ID}); err != nil {
			return "", err
		}
	}
	p.Title, p.Data = c.Title.In(p.Lang), d
	return "call", nil
}

// ProposalPage is a proposal as its authors and the secretariat read it.
type ProposalPage struct {
	Proposal *rencontres.Proposal
	Call     *rencontres.Call
	Event    *rencontres.Event
	Workshop string
	// DecisionWorkshop is the workshop an accepted_other proposal goes to.
	DecisionWorkshop    string
	MayEdit             bool
	Deadline, Elsewhere string
	Done                string
	Staff               bool
}

func (s *Site) proposalPage(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	pr, c, e, err := s.pathProposal(r, p)
	if err != nil {
		return "", err
	}
	d := &ProposalPage{Proposal: pr, Call: c, Event: e, Done: r.URL.Query().Get("done"), Staff: practice.Staff(p.Actor)}
	if d.MayEdit, _, err = s.prac.MayEdit(r.Context(), p.Actor, pr); err != nil {
		return "", err
	}
	workshops, err := s.prac.Workshops(r.Context(), e.ID)
	if err != nil {
		return "", err
	}
	if w, ok := rencontres.EditionWorkshop(workshops, pr.Workshop); ok {
		d.Workshop = w.Title.In(p.Lang)
	}
	if w, ok := rencontres.EditionWorkshop(workshops, pr.DecisionWorkshop); ok {
		d.DecisionWorkshop = w.Title.In(p.Lang)
	}
	d.Deadline, d.Elsewhere = bothZones(p, c.Deadline, e)
	keys := []string{}
	for _, o := range pr.Orgs {
		keys = append(keys, o.Key)
	}
	if err := s.loadOrgs(r.Context(), p, keys...); err != nil {
		return "", err
	}
	p.Title, p.Nav, p.Data = pr.Title.In(p.Lang), "account", d
	return "proposal", nil
}

func (s *Site) withdrawProposal(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	pr, _, _, err := s.pathProposal(r, p)
	if err != nil {
		return "", err
	}
	if err := s.prac.Withdraw(r.Context(), p.Actor, pr.ID); err != nil {
		return "", err
	}
	s.audit(r, "proposal.withdraw", "proposal", strconv.FormatInt(pr.ID, 10), map[string]any{"call": pr.CallID})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/proposals/%d?done=withdrawn", pr.ID)), http.StatusSeeOther)
	return "", nil
}

func (s *Site) proposalDocument(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	pid, err1 := strconv.ParseInt(r.PathValue("proposal"), 10, 64)
	id, err2 := strconv.ParseInt(r.PathValue("document"), 10, 64)
	if err1 != nil || err2 != nil {
		return "", rencontres.NotFound("document")
	}
	d, data, err := s.prac.Document(r.Context(), p.Actor, pid, id)
	if err != nil {
		return "", err
	}
	api.ServeDocument(w, &rencontres.Document{ID: d.ID, Name: d.Name, ContentType: d.ContentType}, data)
	return "", nil
}

// OrgProposalsPage is an authority's proposals, and the calls open to it.
type OrgProposalsPage struct {
	Org       *rencontres.Organisation
	Proposals []*rencontres.Proposal
	Calls     map[int64]*rencontres.Call
	Open      []*rencontres.Call
}

// CallTitle is the title of a proposal's call.
func (d *OrgProposalsPage) CallTitle(p *Page, id int64) string {
	if c := d.Calls[id]; c != nil {
		return c.Title.In(p.Lang)
	}
	return ""
}

func (s *Site) orgProposals(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	key := r.PathValue("key")
	if !p.Actor.Can(rencontres.ProposePractices, rencontres.Target{OrgKey: key}) {
		return "", errForbidden
	}
	ctx := r.Context()
	o, err := s.svc.Organisation(ctx, key)
	if err != nil {
		return "", err
	}
	d := &OrgProposalsPage{Org: o, Calls: map[int64]*rencontres.Call{}}
	if d.Proposals, err = s.prac.Proposals(ctx, p.Actor, rencontres.ProposalFilter{OrgKey: key}); err != nil {
		return "", err
	}
	calls, err := s.prac.Calls(ctx, 0)
	if err != nil {
		return "", err
	}
	now := time.Now()
	for _, c := range calls {
		d.Calls[c.ID] = c
		if c.OpenAt(now) {
			d.Open = append(d.Open, c)
		}
	}
	p.Title, p.Nav, p.Data = p.P.T("proposal.org_title", "Org", o.Name.In(p.Lang)), "account", d
	return "org_proposals", nil
}

// CanPropose reports whether the reader proposes practices for the
// authority key: its contacts and the secretariat.
func (p *Page) CanPropose(key string) bool {
	return p.Actor.Can(rencontres.ProposePractices, rencontres.Target{OrgKey: key})
}

// CallDeadline is a call's deadline on the edition's clock.
func (d EditionPage) CallDeadline(p *Page, c *rencontres.Call) string {
	loc, err := time.LoadLocation(d.Edition.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return p.P.DateTime(c.Deadline.In(loc))
}
