package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/review"
)

// The reviewer's pages: the proposals assigned to them, and for each the
// review form, the others' reviews as the call lets them see, and the
// declaration of a conflict of interest.

// ReviewItem is one proposal of a reviewer's list.
type ReviewItem struct {
	Proposal *rencontres.Proposal
	Call     *rencontres.Call
	Reviewed bool
}

// ReviewList is the reviewer's list of the proposals assigned to them.
type ReviewList struct {
	Items []ReviewItem
	Done  string
}

func (s *Site) reviewList(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	props, err := s.reviews.AssignedProposals(r.Context(), p.Actor.User.ID, 0)
	if err != nil {
		return "", err
	}
	d := ReviewList{Done: r.URL.Query().Get("done")}
	calls := map[int64]*rencontres.Call{}
	for _, pr := range props {
		c := calls[pr.CallID]
		if c == nil {
			if c, err = s.reviews.ReviewCall(r.Context(), pr.CallID); err != nil {
				return "", err
			}
			calls[pr.CallID] = c
		}
		_, err := s.reviews.Review(r.Context(), pr.ID, p.Actor.User.ID)
		if err != nil && rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			return "", err
		}
		if c.Blind {
			review.Blind(pr)
		}
		d.Items = append(d.Items, ReviewItem{Proposal: pr, Call: c, Reviewed: err == nil})
	}
	p.Title, p.Data = p.P.T("review.list_title"), d
	return "review_list", nil
}

// ReviewForm is a reviewer's page on one proposal: the proposal (without
// who proposed it when the call is blind), the form of their review, the
// others' reviews they may see, and the conflict's declaration.
type ReviewForm struct {
	Proposal *rencontres.Proposal
	Call     *rencontres.Call
	Workshop rencontres.Text
	Phase    rencontres.ReviewPhase
	Own      *rencontres.Review
	Others   []*rencontres.Review
	Form     map[string]string
	Errors   map[string]string
	Done     string
}

// LangText is a proposal's title and summary in one language.
type LangText struct {
	Lang           rencontres.Lang
	Title, Summary string
}

// Texts are the proposal's texts side by side, in each language it has.
func (d ReviewForm) Texts() []LangText {
	var out []LangText
	for _, l := range rencontres.Langs {
		if d.Proposal.Title.Has(l) || d.Proposal.Summary.Has(l) {
			out = append(out, LangText{Lang: l, Title: d.Proposal.Title[l], Summary: d.Proposal.Summary[l]})
		}
	}
	return out
}

// Scale lists the values of a category, lowest first, for its select.
func (d ReviewForm) Scale(c rencontres.ScoreCategory) []int {
	var out []int
	for v := c.Min; v <= c.Max && len(out) < 101; v++ {
		out = append(out, v)
	}
	return out
}

// reviewProposalFromPath reads the proposal the path names, when the
// actor may review it.
func (s *Site) reviewProposalFromPath(r *http.Request, p *Page) (*rencontres.Proposal, *rencontres.Call, error) {
	id, err := strconv.ParseInt(r.PathValue("proposal"), 10, 64)
	if err != nil {
		return nil, nil, rencontres.NotFound("proposal")
	}
	return review.Proposal(r.Context(), s.reviews, p.Actor, id)
}

func (s *Site) reviewFormPage(r *http.Request, p *Page, pr *rencontres.Proposal, c *rencontres.Call, d *ReviewForm) (string, error) {
	d.Proposal, d.Call, d.Phase = pr, c, c.ReviewPhase(time.Now())
	if d.Form == nil {
		d.Form = map[string]string{}
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	ws, err := s.reviews.CallWorkshops(r.Context(), c.ID)
	if err != nil {
		return "", err
	}
	d.Workshop = ws[pr.Workshop]
	own, err := s.reviews.Review(r.Context(), pr.ID, p.Actor.User.ID)
	if err != nil && rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
		return "", err
	}
	d.Own = own
	if own != nil && len(d.Form) == 0 {
		for k, v := range own.Scores {
			d.Form["score_"+k] = strconv.Itoa(v)
		}
		d.Form["comment_authors"], d.Form["comment_committee"] = own.CommentAuthors, own.CommentCommittee
	}
	all, err := s.reviews.Reviews(r.Context(), pr.ID, p.Actor.User.ID)
	if err != nil {
		return "", err
	}
	d.Others = slices.DeleteFunc(all, func(rv *rencontres.Review) bool { return rv.UserID == p.Actor.User.ID })
	if c.Blind && !review.Manages(p.Actor) {
		review.Blind(pr)
	}
	p.Title, p.Data = pr.Title.In(p.Lang), d
	return "review_form", nil
}

func (s *Site) reviewForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	pr, c, err := s.reviewProposalFromPath(r, p)
	if err != nil {
		return "", err
	}
	return s.reviewFormPage(r, p, pr, c, &ReviewForm{Done: r.URL.Query().Get("done")})
}

// faultsBeside puts every fault of err beside its field (scores.relevance
// beside score_relevance), the first one a field has; an error that is no
// fault of the input is returned.
func faultsBeside(p *Page, err error, errs map[string]string) error {
	var e *rencontres.Error
	if !errors.As(err, &e) || (e.Code != rencontres.EINVALID && e.Code != rencontres.ECONFLICT && e.Code != rencontres.EFORBIDDEN) {
		return err
	}
	for _, f := range e.All() {
		k := strings.ReplaceAll(cmpOr(f.Field, "form"), ".", "_")
		k = strings.Replace(k, "scores_", "score_", 1)
		if _, done := errs[k]; !done {
			errs[k] = p.P.Error(f)
		}
	}
	p.Status = httpcode.Of(e.Code)
	return nil
}

func (s *Site) saveReviewForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	pr, c, err := s.reviewProposalFromPath(r, p)
	if err != nil {
		return "", err
	}
	d := &ReviewForm{Form: map[string]string{}, Errors: map[string]string{}}
	rv := &rencontres.Review{ProposalID: pr.ID, UserID: p.Actor.User.ID, Scores: map[string]int{},
		CommentAuthors: r.PostFormValue("comment_authors"), CommentCommittee: r.PostFormValue("comment_committee")}
	d.Form["comment_authors"], d.Form["comment_committee"] = rv.CommentAuthors, rv.CommentCommittee
	var unread []error
	for _, cat := range c.Categories {
		v := strings.TrimSpace(r.PostFormValue("score_" + cat.Key))
		d.Form["score_"+cat.Key] = v
		if v == "" {
			continue // told as missing by the check
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			unread = append(unread, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.score_out_of_scale", Field: "scores." + cat.Key,
				Message: "not a number", Args: map[string]any{"Min": cat.Min, "Max": cat.Max}})
			continue
		}
		rv.Scores[cat.Key] = n
	}
	if err := rencontres.Join(unread...); err != nil {
		err = rencontres.Join(err, c.CheckReview(rv))
		if ferr := faultsBeside(p, err, d.Errors); ferr != nil {
			return "", ferr
		}
		return s.reviewFormPage(r, p, pr, c, d)
	}
	if err := s.reviews.SaveReview(r.Context(), rv, time.Now()); err != nil {
		if ferr := faultsBeside(p, err, d.Errors); ferr != nil {
			return "", ferr
		}
		return s.reviewFormPage(r, p, pr, c, d)
	}
	s.audit(r, "review.save", "proposal", strconv.FormatInt(pr.ID, 10), nil)
	http.Redirect(w, r, p.Href("/reviews/"+strconv.FormatInt(pr.ID, 10)+"?done=saved"), http.StatusSeeOther)
	return "", nil
}

func (s *Site) declareConflictForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	pr, c, err := s.reviewProposalFromPath(r, p)
	if err != nil {
		return "", err
	}
	if err := s.reviews.DeclareConflict(r.Context(), pr.ID, p.Actor.User.ID, r.PostFormValue("reason"), time.Now()); err != nil {
		d := &ReviewForm{Form: map[string]string{"reason": r.PostFormValue("reason")}, Errors: map[string]string{}}
		if ferr := faultsBeside(p, err, d.Errors); ferr != nil {
			return "", ferr
		}
		return s.reviewFormPage(r, p, pr, c, d)
	}
	s.audit(r, "review.conflict", "proposal", strconv.FormatInt(pr.ID, 10), nil)
	http.Redirect(w, r, p.Href("/reviews?done=conflict"), http.StatusSeeOther)
	return "", nil
}

// Decimal writes a score with one decimal, as the page's language writes
// it: 76,7 in French, 76.7 in Japanese and English.
func (p *Page) Decimal(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if p.Lang == rencontres.French {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
