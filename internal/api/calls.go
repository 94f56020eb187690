package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Calls for good practices and their proposals: anyone reads the calls;
// the secretariat opens, changes and deletes them and reads every
// proposal; an authority's contact proposes for its authority and reads,
// changes and withdraws its proposals. To anyone else a proposal does not
// exist (404).
func (a *API) registerCalls(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	if a.prac == nil {
		return
	}
	route("GET", "/api/v1/calls", rencontres.ReadPublic, a.listCalls)
	route("POST", "/api/v1/calls", rencontres.ManageCalls, a.createCall)
	route("GET", "/api/v1/calls/{call}", rencontres.ReadPublic, a.getCall)
	route("PUT", "/api/v1/calls/{call}", rencontres.ManageCalls, a.putCall)
	route("DELETE", "/api/v1/calls/{call}", rencontres.ManageCalls, a.deleteCall)
	route("GET", "/api/v1/calls/{call}/proposals", rencontres.ReadPublic, a.listProposals)
	route("POST", "/api/v1/calls/{call}/proposals", rencontres.ProposePractices, a.createProposal)
	route("GET", "/api/v1/proposals/{proposal}", rencontres.ReadPublic, a.getProposal)
	route("PUT", "/api/v1/proposals/{proposal}", rencontres.ProposePractices, a.putProposal)
	route("POST", "/api/v1/proposals/{proposal}/withdraw", rencontres.ProposePractices, a.withdrawProposal)
}

// CallList is the body of GET /api/v1/calls.
type CallList struct {
	Calls []*rencontres.Call `json:"calls"`
}

func (a *API) listCalls(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	if err := checkParams(q, "event", "lang"); err != nil {
		return nil, err
	}
	var eventID int64
	if v := q.Get("event"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return nil, badParam("event", "error.bad_parameter")
		}
		eventID = id
	}
	calls, err := a.prac.Calls(r.Context(), eventID)
	if err != nil {
		return nil, err
	}
	return CallList{Calls: calls}, nil
}

func (a *API) pathCall(r *http.Request) (*rencontres.Call, error) {
	id, err := strconv.ParseInt(r.PathValue("call"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("call")
	}
	return a.prac.Call(r.Context(), id)
}

func (a *API) getCall(w http.ResponseWriter, r *http.Request) (any, error) { return a.pathCall(r) }

// CallIn is the body of POST and PUT /api/v1/calls: the whole call, its
// decisions' release aside.
type CallIn struct {
	EventID             int64                                           `json:"event_id"`
	Kind                rencontres.CallKind                             `json:"kind"`
	Title               rencontres.Text                                 `json:"title"`
	Intro               rencontres.Text                                 `json:"intro"`
	Opens               time.Time                                       `json:"opens"`
	Deadline            time.Time                                       `json:"deadline"`
	Workshops           []int                                           `json:"workshops"`
	Questions           []rencontres.Question                           `json:"questions"`
	Categories          []rencontres.ScoreCategory                      `json:"categories"`
	Blind               bool                                            `json:"blind"`
	Visibility          rencontres.ReviewVisibility                     `json:"visibility"`
	MinReviews          *int                                            `json:"min_reviews"`
	ReviewOpens         *time.Time                                      `json:"review_opens"`
	ReviewCloses        *time.Time                                      `json:"review_closes"`
	AuthorsEditInReview bool                                            `json:"authors_edit_in_review"`
	DecisionsAt         *time.Time                                      `json:"decisions_at"`
	Letters             map[rencontres.ProposalDecision]rencontres.Text `json:"letters"`
}

func (in *CallIn) apply(c *rencontres.Call) {
	c.EventID, c.Kind, c.Title, c.Intro = in.EventID, in.Kind, in.Title, in.Intro
	c.Opens, c.Deadline = in.Opens, in.Deadline
	c.Workshops, c.Questions, c.Categories = in.Workshops, in.Questions, in.Categories
	c.Blind, c.Visibility, c.AuthorsEditInReview, c.Letters = in.Blind, in.Visibility, in.AuthorsEditInReview, in.Letters
	c.MinReviews = 2
	if in.MinReviews != nil {
		c.MinReviews = *in.MinReviews
	}
	c.ReviewOpens, c.ReviewCloses, c.DecisionsAt = in.ReviewOpens, in.ReviewCloses, in.DecisionsAt
}

func (a *API) createCall(w http.ResponseWriter, r *http.Request) (any, error) {
	var in CallIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	c := &rencontres.Call{}
	in.apply(c)
	if err := a.prac.SaveCall(r.Context(), auth.ActorFrom(r.Context()), c); err != nil {
		return nil, err
	}
	a.audit(r, "call.create", "call", c.ID, map[string]any{"event": c.EventID})
	return created(c), nil
}

func (a *API) putCall(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := a.pathCall(r)
	if err != nil {
		return nil, err
	}
	in := CallIn{EventID: c.EventID}
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	in.apply(c)
	if err := a.prac.SaveCall(r.Context(), auth.ActorFrom(r.Context()), c); err != nil {
		return nil, err
	}
	a.audit(r, "call.update", "call", c.ID, map[string]any{"event": c.EventID})
	return a.prac.Call(r.Context(), c.ID)
}

func (a *API) deleteCall(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := a.pathCall(r)
	if err != nil {
		return nil, err
	}
	if err := a.prac.DeleteCall(r.Context(), auth.ActorFrom(r.Context()), c.ID); err != nil {
		return nil, err
	}
	a.audit(r, "call.delete", "call", c.ID, map[string]any{"event": c.EventID})
	return noContent, nil
}

// ProposalList is the body of GET /api/v1/calls/{call}/proposals.
type ProposalList struct {
	// Total is the number of proposals the filters select; Limit the
	// page's size, Next and Prev the cursors of the pages after and
	// before it. Without limit, after or before the list is whole, as
	// before cursors.
	Total     int                    `json:"total"`
	Limit     int                    `json:"limit"`
	Next      string                 `json:"next,omitempty"`
	Prev      string                 `json:"prev,omitempty"`
	Proposals []*rencontres.Proposal `json:"proposals"`
}

// mayProposeOrKeep reports whether the actor reads any proposal: the
// secretariat, and the contacts of authorities.
func mayProposeOrKeep(a *rencontres.Actor) bool {
	return a.User != nil && (a.Can(rencontres.ManageCalls, rencontres.Target{}) || a.Can(rencontres.ProposePractices, rencontres.Target{}))
}

func (a *API) listProposals(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	if err := checkParams(q, "organisation", "state", "lang", "limit", "after", "before"); err != nil {
		return nil, err
	}
	req, err := cursor.Parse(q, 100, 500)
	if err != nil {
		return nil, err
	}
	actor := auth.ActorFrom(r.Context())
	if !mayProposeOrKeep(actor) {
		return nil, rencontres.NotFound("proposals")
	}
	c, err := a.pathCall(r)
	if err != nil {
		return nil, err
	}
	f := rencontres.ProposalFilter{CallID: c.ID, OrgKey: q.Get("organisation"), State: rencontres.ProposalState(q.Get("state"))}
	switch f.State {
	case "", rencontres.ProposalSubmitted, rencontres.ProposalWithdrawn:
	default:
		return nil, badParam("state", "error.bad_parameter")
	}
	if q.Has("limit") || req.Cursor() != "" {
		list, h, err := a.prac.ProposalsPage(r.Context(), actor, f, req)
		if err != nil {
			return nil, err
		}
		return ProposalList{Total: h.Total, Limit: h.Limit, Next: h.Next, Prev: h.Prev, Proposals: list}, nil
	}
	list, err := a.prac.Proposals(r.Context(), actor, f)
	if err != nil {
		return nil, err
	}
	return ProposalList{Total: len(list), Limit: len(list), Proposals: list}, nil
}

// ProposalIn is the body of POST /api/v1/calls/{call}/proposals and of
// PUT /api/v1/proposals/{proposal}: the whole proposal. organisations
// holds one lead (the authority that proposes; a contact's own, which
// does not change), and any co-proposers and partners.
type ProposalIn struct {
	Title         rencontres.Text          `json:"title"`
	Summary       rencontres.Text          `json:"summary"`
	SDGs          []int                    `json:"sdgs"`
	Workshop      int                      `json:"workshop"`
	Answers       map[string]string        `json:"answers"`
	Organisations []rencontres.ProposalOrg `json:"organisations"`
	Presenters    []rencontres.Presenter   `json:"presenters"`
	ContactName   string                   `json:"contact_name"`
	ContactEmail  string                   `json:"contact_email"`
}

func (in *ProposalIn) apply(p *rencontres.Proposal, actor *rencontres.Actor) {
	p.Title, p.Summary, p.SDGs, p.Workshop, p.Answers = in.Title, in.Summary, in.SDGs, in.Workshop, in.Answers
	p.Orgs, p.Presenters, p.ContactName, p.ContactEmail = in.Organisations, in.Presenters, in.ContactName, in.ContactEmail
	if p.SDGs == nil {
		p.SDGs = []int{}
	}
	if p.Presenters == nil {
		p.Presenters = []rencontres.Presenter{}
	}
	// A contact of one authority need not name it.
	if p.Lead() == "" && p.ID == 0 && actor.User != nil && len(actor.User.OrgKeys) == 1 {
		p.Orgs = append([]rencontres.ProposalOrg{{Key: actor.User.OrgKeys[0], Role: rencontres.LeadProposer}}, p.Orgs...)
	}
}

func (a *API) createProposal(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := a.pathCall(r)
	if err != nil {
		return nil, err
	}
	var in ProposalIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	actor := auth.ActorFrom(r.Context())
	p := &rencontres.Proposal{CallID: c.ID}
	in.apply(p, actor)
	if err := a.prac.SaveProposal(r.Context(), actor, p, nil, nil); err != nil {
		return nil, err
	}
	a.audit(r, "proposal.create", "proposal", p.ID, map[string]any{"call": c.ID, "organisation": p.Lead()})
	out, err := a.prac.Proposal(r.Context(), actor, p.ID)
	if err != nil {
		return nil, err
	}
	return created(out), nil
}

func (a *API) pathProposal(r *http.Request) (*rencontres.Proposal, error) {
	actor := auth.ActorFrom(r.Context())
	id, err := strconv.ParseInt(r.PathValue("proposal"), 10, 64)
	if err != nil || !mayProposeOrKeep(actor) {
		return nil, rencontres.NotFound("proposal")
	}
	return a.prac.Proposal(r.Context(), actor, id)
}

func (a *API) getProposal(w http.ResponseWriter, r *http.Request) (any, error) {
	return a.pathProposal(r)
}

func (a *API) putProposal(w http.ResponseWriter, r *http.Request) (any, error) {
	old, err := a.pathProposal(r)
	if err != nil {
		return nil, err
	}
	var in ProposalIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	actor := auth.ActorFrom(r.Context())
	p := &rencontres.Proposal{ID: old.ID, CallID: old.CallID}
	in.apply(p, actor)
	if err := a.prac.SaveProposal(r.Context(), actor, p, nil, nil); err != nil {
		return nil, err
	}
	a.audit(r, "proposal.update", "proposal", p.ID, map[string]any{"call": p.CallID})
	return a.prac.Proposal(r.Context(), actor, p.ID)
}

func (a *API) withdrawProposal(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := a.pathProposal(r)
	if err != nil {
		return nil, err
	}
	actor := auth.ActorFrom(r.Context())
	if err := a.prac.Withdraw(r.Context(), actor, p.ID); err != nil {
		return nil, err
	}
	a.audit(r, "proposal.withdraw", "proposal", p.ID, map[string]any{"call": p.CallID})
	return a.prac.Proposal(r.Context(), actor, p.ID)
}
