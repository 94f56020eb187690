package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/review"
)

// The secretariat's pages of a call's review: the dashboard with the
// assignments (by hand, or spread evenly), the decision on each proposal,
// and the letters with the release.

// ReviewManage is the dashboard of a call's review, with each proposal's
// reviewers and the forms that assign them.
type ReviewManage struct {
	Call      *rencontres.Call
	Dashboard *rencontres.Dashboard
	// Assigned are each proposal's reviewers, by proposal.
	Assigned  map[int64][]*rencontres.Reviewer
	Workshops map[int]rencontres.Text
	// Dates are the review's phases on the event's clock: reviewing
	// opens, closes, decisions due; empty when the call does not say.
	Opens, Closes, DecisionsAt string
	Form                       map[string]string
	Errors                     map[string]string
	Done                       string
}

// IsAssigned reports whether a reviewer is on a proposal, for the
// assignment's checkboxes.
func (d ReviewManage) IsAssigned(proposal, user int64) bool {
	return slices.ContainsFunc(d.Assigned[proposal], func(r *rencontres.Reviewer) bool { return r.UserID == user })
}

// callFromPath reads the call the path names.
func (s *Site) callFromPath(r *http.Request) (*rencontres.Call, error) {
	id, err := strconv.ParseInt(r.PathValue("call"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("call")
	}
	return s.reviews.ReviewCall(r.Context(), id)
}

func (s *Site) reviewManagePage(r *http.Request, p *Page, c *rencontres.Call, d *ReviewManage) (string, error) {
	var err error
	d.Call = c
	if d.Dashboard, err = s.reviews.Dashboard(r.Context(), c.ID, time.Now()); err != nil {
		return "", err
	}
	if d.Workshops, err = s.reviews.CallWorkshops(r.Context(), c.ID); err != nil {
		return "", err
	}
	if ev, err := s.events.Event(r.Context(), c.EventID); err == nil {
		for _, x := range []struct {
			at  *time.Time
			out *string
		}{{c.ReviewOpens, &d.Opens}, {c.ReviewCloses, &d.Closes}, {c.DecisionsAt, &d.DecisionsAt}} {
			if x.at != nil {
				*x.out = p.P.DateTime(x.at.In(ev.Location()))
			}
		}
	} else if rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
		return "", err
	}
	d.Assigned = map[int64][]*rencontres.Reviewer{}
	for _, row := range d.Dashboard.Proposals {
		if d.Assigned[row.ProposalID], err = s.reviews.ProposalReviewers(r.Context(), row.ProposalID); err != nil {
			return "", err
		}
	}
	if d.Form == nil {
		d.Form = map[string]string{"k": strconv.Itoa(max(c.MinReviews, 1))}
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	p.Title, p.Data = p.P.T("review.manage_title", "Call", c.Title.In(p.Lang)), d
	return "review_manage", nil
}

func (s *Site) reviewManage(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, err := s.callFromPath(r)
	if err != nil {
		return "", err
	}
	return s.reviewManagePage(r, p, c, &ReviewManage{Done: r.URL.Query().Get("done")})
}

func (s *Site) spreadForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, err := s.callFromPath(r)
	if err != nil {
		return "", err
	}
	k, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("k")))
	added, err := s.reviews.SpreadReviewers(r.Context(), c.ID, k, p.Actor.User.ID, time.Now())
	if err != nil {
		d := &ReviewManage{Form: map[string]string{"k": r.PostFormValue("k")}, Errors: map[string]string{}}
		if ferr := faultsBeside(p, err, d.Errors); ferr != nil {
			return "", ferr
		}
		return s.reviewManagePage(r, p, c, d)
	}
	s.audit(r, "call.assign", "call", strconv.FormatInt(c.ID, 10), map[string]any{"k": k, "added": len(added)})
	http.Redirect(w, r, p.Href("/manage/calls/"+strconv.FormatInt(c.ID, 10)+"/review?done=spread"), http.StatusSeeOther)
	return "", nil
}

// assignForm sets a proposal's reviewers by hand, from the dashboard's
// checkboxes.
func (s *Site) assignForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	id, err := strconv.ParseInt(r.PathValue("proposal"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("proposal")
	}
	c, err := s.reviews.ProposalCall(r.Context(), id)
	if err != nil {
		return "", err
	}
	users := []int64{}
	for _, v := range r.PostForm["reviewer"] {
		if u, err := strconv.ParseInt(v, 10, 64); err == nil {
			users = append(users, u)
		}
	}
	if err := s.reviews.SetReviewers(r.Context(), id, users, p.Actor.User.ID, time.Now()); err != nil {
		d := &ReviewManage{Errors: map[string]string{}}
		errs := map[string]string{}
		if ferr := faultsBeside(p, err, errs); ferr != nil {
			return "", ferr
		}
		// The faults name the position in the list; the page shows them
		// beside the proposal.
		var msgs []string
		for _, m := range errs {
			msgs = append(msgs, m)
		}
		slices.Sort(msgs)
		d.Errors["proposal_"+strconv.FormatInt(id, 10)] = strings.Join(msgs, " ")
		return s.reviewManagePage(r, p, c, d)
	}
	s.audit(r, "proposal.reviewers", "proposal", strconv.FormatInt(id, 10), map[string]any{"reviewers": users})
	http.Redirect(w, r, p.Href("/manage/calls/"+strconv.FormatInt(c.ID, 10)+"/review?done=assigned#proposal-"+strconv.FormatInt(id, 10)), http.StatusSeeOther)
	return "", nil
}

// DecisionForm records the decision on one proposal, beside its reviews.
type DecisionForm struct {
	Call      *rencontres.Call
	Proposal  *rencontres.Proposal
	Reviews   []*rencontres.Review
	Mean      *float64
	Workshops map[int]rencontres.Text
	// WorkshopNumbers are the keys of Workshops in order.
	WorkshopNumbers []int
	Sessions        []*rencontres.Session
	Decisions       []rencontres.ProposalDecision
	Form            map[string]string
	Errors          map[string]string
	Done            string
}

// Score is a review's overall score, for the table of reviews.
func (d DecisionForm) Score(rv *rencontres.Review) float64 {
	return float64(int(d.Call.Score(rv.Scores)*10+0.5)) / 10
}

func (s *Site) decisionPage(r *http.Request, p *Page, id int64, d *DecisionForm) (string, error) {
	pr, c, err := review.Proposal(r.Context(), s.reviews, p.Actor, id)
	if err != nil {
		return "", err
	}
	d.Call, d.Proposal, d.Decisions = c, pr, rencontres.ProposalDecisions
	if d.Reviews, err = s.reviews.Reviews(r.Context(), id, 0); err != nil {
		return "", err
	}
	var scores []float64
	for _, rv := range d.Reviews {
		scores = append(scores, c.Score(rv.Scores))
	}
	mean, _ := rencontres.MeanAndSpread(scores)
	if len(scores) > 0 && mean == mean {
		m := float64(int(mean*10+0.5)) / 10
		d.Mean = &m
	}
	if d.Workshops, err = s.reviews.CallWorkshops(r.Context(), c.ID); err != nil {
		return "", err
	}
	for k := range d.Workshops {
		d.WorkshopNumbers = append(d.WorkshopNumbers, k)
	}
	slices.Sort(d.WorkshopNumbers)
	if d.Sessions, err = s.reviews.CallSessions(r.Context(), c.ID); err != nil {
		return "", err
	}
	if d.Form == nil {
		d.Form = map[string]string{"decision": string(pr.Decision), "workshop": strconv.Itoa(pr.DecisionWorkshop),
			"session": strconv.FormatInt(pr.SessionID, 10)}
		for _, l := range rencontres.Langs {
			d.Form["note_"+string(l)] = pr.DecisionNote[l]
		}
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	p.Title, p.Data = p.P.T("review.decision_title", "Title", pr.Title.In(p.Lang)), d
	return "review_decision", nil
}

func (s *Site) decisionForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	id, err := strconv.ParseInt(r.PathValue("proposal"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("proposal")
	}
	return s.decisionPage(r, p, id, &DecisionForm{Done: r.URL.Query().Get("done")})
}

func (s *Site) saveDecisionForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	id, err := strconv.ParseInt(r.PathValue("proposal"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("proposal")
	}
	form := map[string]string{}
	for _, f := range []string{"decision", "workshop", "session", "note_fr", "note_ja", "note_en"} {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	v := &rencontres.ProposalVerdict{ProposalID: id, Decision: rencontres.ProposalDecision(form["decision"]), Note: formText(r, "note")}
	v.Workshop, _ = strconv.Atoi(form["workshop"])
	v.SessionID, _ = strconv.ParseInt(form["session"], 10, 64)
	if err := s.reviews.SetDecision(r.Context(), v, p.Actor.User.ID, time.Now()); err != nil {
		d := &DecisionForm{Form: form, Errors: map[string]string{}}
		if ferr := faultsBeside(p, err, d.Errors); ferr != nil {
			return "", ferr
		}
		return s.decisionPage(r, p, id, d)
	}
	s.audit(r, "proposal.decision", "proposal", strconv.FormatInt(id, 10), map[string]any{"decision": string(v.Decision)})
	http.Redirect(w, r, p.Href("/manage/proposals/"+strconv.FormatInt(id, 10)+"/decision?done=saved"), http.StatusSeeOther)
	return "", nil
}
