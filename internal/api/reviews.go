package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/review"
)

// The review of a call's proposals: the secretariat assigns the reviewers,
// follows the dashboard, decides and releases; a reviewer reads and
// reviews the proposals assigned to them, and no other: any other is not
// found.
func (a *API) registerReviews(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("GET", "/api/v1/calls/{call}/reviewers", rencontres.ManageCalls, a.callReviewers)
	route("POST", "/api/v1/calls/{call}/assign", rencontres.ManageCalls, a.spreadReviewers)
	route("GET", "/api/v1/calls/{call}/dashboard", rencontres.ManageCalls, a.reviewDashboard)
	route("PUT", "/api/v1/calls/{call}/letters", rencontres.ManageCalls, a.putLetters)
	route("POST", "/api/v1/calls/{call}/release", rencontres.ManageCalls, a.releaseDecisions)
	route("PUT", "/api/v1/proposals/{proposal}/reviewers", rencontres.ManageCalls, a.putReviewers)
	route("PUT", "/api/v1/proposals/{proposal}/decision", rencontres.ManageCalls, a.putDecision)
	route("GET", "/api/v1/proposals/{proposal}/review", rencontres.ReviewProposals, a.getOwnReview)
	route("PUT", "/api/v1/proposals/{proposal}/review", rencontres.ReviewProposals, a.putOwnReview)
	route("GET", "/api/v1/proposals/{proposal}/reviews", rencontres.ReviewProposals, a.listReviews)
	route("POST", "/api/v1/proposals/{proposal}/conflict", rencontres.ReviewProposals, a.declareConflict)
}

func reviewPathID(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id < 1 {
		return 0, rencontres.NotFound(what)
	}
	return id, nil
}

// reviewCall reads the call the path names.
func (a *API) reviewCall(r *http.Request) (*rencontres.Call, error) {
	id, err := reviewPathID(r, "call", "call")
	if err != nil {
		return nil, err
	}
	return a.reviews.ReviewCall(r.Context(), id)
}

// ReviewersOut is the body of GET /api/v1/calls/{call}/reviewers and of
// PUT /api/v1/proposals/{proposal}/reviewers.
type ReviewersOut struct {
	Reviewers []*rencontres.Reviewer `json:"reviewers"`
}

func (a *API) callReviewers(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := a.reviewCall(r)
	if err != nil {
		return nil, err
	}
	list, err := a.reviews.Reviewers(r.Context(), c.ID)
	return ReviewersOut{Reviewers: list}, err
}

// ReviewersIn is the body of PUT /api/v1/proposals/{proposal}/reviewers:
// every reviewer the proposal has after it.
type ReviewersIn struct {
	Reviewers []int64 `json:"reviewers"`
}

func (a *API) putReviewers(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := reviewPathID(r, "proposal", "proposal")
	if err != nil {
		return nil, err
	}
	var in ReviewersIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if in.Reviewers == nil {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "reviewers", Message: "list the reviewers, [] for none"}
	}
	actor := auth.ActorFrom(r.Context())
	if err := a.reviews.SetReviewers(r.Context(), id, in.Reviewers, actor.User.ID, time.Now()); err != nil {
		return nil, err
	}
	a.audit(r, "proposal.reviewers", "proposal", id, map[string]any{"reviewers": in.Reviewers})
	list, err := a.reviews.ProposalReviewers(r.Context(), id)
	return ReviewersOut{Reviewers: list}, err
}

// SpreadIn is the body of POST /api/v1/calls/{call}/assign: how many
// reviewers each proposal gets.
type SpreadIn struct {
	K int `json:"k"`
}

// SpreadOut is its answer: the assignments added.
type SpreadOut struct {
	Added []rencontres.Assignment `json:"added"`
}

func (a *API) spreadReviewers(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := a.reviewCall(r)
	if err != nil {
		return nil, err
	}
	var in SpreadIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	added, err := a.reviews.SpreadReviewers(r.Context(), c.ID, in.K, auth.ActorFrom(r.Context()).User.ID, time.Now())
	if err != nil {
		return nil, err
	}
	if added == nil {
		added = []rencontres.Assignment{}
	}
	a.audit(r, "call.assign", "call", c.ID, map[string]any{"k": in.K, "added": len(added)})
	return SpreadOut{Added: added}, nil
}

func (a *API) reviewDashboard(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := a.reviewCall(r)
	if err != nil {
		return nil, err
	}
	return a.reviews.Dashboard(r.Context(), c.ID, time.Now())
}

// LettersIn is the body of PUT /api/v1/calls/{call}/letters: the letter
// of each decision, per language, its first line the subject.
type LettersIn struct {
	Letters map[rencontres.ProposalDecision]rencontres.Text `json:"letters"`
}

func (a *API) putLetters(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := a.reviewCall(r)
	if err != nil {
		return nil, err
	}
	var in LettersIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if err := a.reviews.SetLetters(r.Context(), c.ID, in.Letters); err != nil {
		return nil, err
	}
	a.audit(r, "call.letters", "call", c.ID, nil)
	c, err = a.reviews.ReviewCall(r.Context(), c.ID)
	if err != nil {
		return nil, err
	}
	return LettersIn{Letters: c.Letters}, nil
}

// ReleaseIn is the body of POST /api/v1/calls/{call}/release, which may
// be left out: the session receiving each workshop's accepted practices.
type ReleaseIn struct {
	Placements []rencontres.Placement `json:"placements"`
}

// ReleaseOut is the answer of POST /api/v1/calls/{call}/release.
type ReleaseOut struct {
	Released time.Time `json:"released_at"`
	Letters  int       `json:"letters"`
}

func (a *API) releaseDecisions(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := a.reviewCall(r)
	if err != nil {
		return nil, err
	}
	// The body, optional, says where the workshops' accepted practices go.
	var in ReleaseIn
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return nil, err
		}
	}
	now := time.Now()
	queued, err := a.reviews.ReleaseDecisions(r.Context(), c.ID, auth.ActorFrom(r.Context()).User.ID, now, in.Placements, review.Letter)
	if err != nil {
		return nil, err
	}
	a.audit(r, "call.release", "call", c.ID, map[string]any{"letters": len(queued)})
	return withStatus{http.StatusAccepted, ReleaseOut{Released: now.UTC(), Letters: len(queued)}}, nil
}

func (a *API) putDecision(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := reviewPathID(r, "proposal", "proposal")
	if err != nil {
		return nil, err
	}
	var in rencontres.ProposalVerdict
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	in.ProposalID = id
	if err := a.reviews.SetDecision(r.Context(), &in, auth.ActorFrom(r.Context()).User.ID, time.Now()); err != nil {
		return nil, err
	}
	a.audit(r, "proposal.decision", "proposal", id, map[string]any{"decision": in.Decision})
	return in, nil
}

// reviewedProposal reads the proposal the path names if the actor may
// review it.
func (a *API) reviewedProposal(r *http.Request) (*rencontres.Proposal, *rencontres.Call, error) {
	id, err := reviewPathID(r, "proposal", "proposal")
	if err != nil {
		return nil, nil, err
	}
	return review.Proposal(r.Context(), a.reviews, auth.ActorFrom(r.Context()), id)
}

// OwnReview is the body of GET /api/v1/proposals/{proposal}/review: the
// review, null before it is written.
type OwnReview struct {
	Review *rencontres.Review `json:"review"`
}

func (a *API) getOwnReview(w http.ResponseWriter, r *http.Request) (any, error) {
	p, _, err := a.reviewedProposal(r)
	if err != nil {
		return nil, err
	}
	rv, err := a.reviews.Review(r.Context(), p.ID, auth.ActorFrom(r.Context()).User.ID)
	if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
		return OwnReview{}, nil
	}
	return OwnReview{Review: rv}, err
}

// ReviewIn is the body of PUT /api/v1/proposals/{proposal}/review.
type ReviewIn struct {
	Scores           map[string]int `json:"scores"`
	CommentAuthors   string         `json:"comment_authors"`
	CommentCommittee string         `json:"comment_committee"`
}

func (a *API) putOwnReview(w http.ResponseWriter, r *http.Request) (any, error) {
	p, _, err := a.reviewedProposal(r)
	if err != nil {
		return nil, err
	}
	var in ReviewIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	rv := &rencontres.Review{ProposalID: p.ID, UserID: auth.ActorFrom(r.Context()).User.ID, Scores: in.Scores,
		CommentAuthors: in.CommentAuthors, CommentCommittee: in.CommentCommittee}
	if rv.Scores == nil {
		rv.Scores = map[string]int{}
	}
	if err := a.reviews.SaveReview(r.Context(), rv, time.Now()); err != nil {
		return nil, err
	}
	return a.reviews.Review(r.Context(), p.ID, rv.UserID)
}

// ReviewsOut is the body of GET /api/v1/proposals/{proposal}/reviews.
type ReviewsOut struct {
	Reviews []*rencontres.Review `json:"reviews"`
}

func (a *API) listReviews(w http.ResponseWriter, r *http.Request) (any, error) {
	p, _, err := a.reviewedProposal(r)
	if err != nil {
		return nil, err
	}
	actor := auth.ActorFrom(r.Context())
	var as int64
	if !review.Manages(actor) {
		as = actor.User.ID
	}
	list, err := a.reviews.Reviews(r.Context(), p.ID, as)
	return ReviewsOut{Reviews: list}, err
}

// ConflictIn is the body of POST /api/v1/proposals/{proposal}/conflict.
type ConflictIn struct {
	Reason string `json:"reason"`
}

func (a *API) declareConflict(w http.ResponseWriter, r *http.Request) (any, error) {
	p, _, err := a.reviewedProposal(r)
	if err != nil {
		return nil, err
	}
	var in ConflictIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if err := a.reviews.DeclareConflict(r.Context(), p.ID, auth.ActorFrom(r.Context()).User.ID, in.Reason, time.Now()); err != nil {
		return nil, err
	}
	return noContent, nil
}
