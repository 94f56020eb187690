package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// Reviewer is a fictitious committee member with an account, who reviews
// the proposals of the calls of their committee's edition.
type Reviewer struct {
	rencontres.User
	// Edition is "series/number"; Committee, the kind of its committee
	// (french, japanese).
	Edition   string `json:"edition"`
	Committee string `json:"committee"`
}

// DemoReview is a reviewer's review (By, an email) of a proposal of the
// practice call of Edition, named by its French title, written at
// Written, within the call's reviewing.
type DemoReview struct {
	Edition          string         `json:"edition"`
	Proposal         string         `json:"proposal"`
	By               string         `json:"by"`
	Written          time.Time      `json:"written"`
	Scores           map[string]int `json:"scores"`
	CommentAuthors   string         `json:"comment_authors"`
	CommentCommittee string         `json:"comment_committee"`
}

// loadReviews makes the demo's reviewers, assigns them the proposals they
// review and stores their reviews, through the store's checks (no
// reviewer of their own authority, scores within their scales).
func loadReviews(ctx context.Context, st *store.Store, reviewers []*Reviewer, reviews []*DemoReview, editions map[string]int64) error {
	for _, r := range reviewers {
		series, number, _ := strings.Cut(r.Edition, "/")
		n, _ := strconv.Atoi(number)
		e, err := st.Edition(ctx, series, n)
		if err != nil {
			return fmt.Errorf("reviewer %s: %w", r.Email, err)
		}
		var committee int64
		for _, c := range e.Committees {
			if c.Kind == r.Committee {
				committee = c.ID
			}
		}
		if committee == 0 {
			return fmt.Errorf("reviewer %s: no %s committee in %s", r.Email, r.Committee, r.Edition)
		}
		r.Role = rencontres.CommitteeMember
		if err := st.CreateUser(ctx, &r.User, ""); err != nil {
			return fmt.Errorf("reviewer %s: %w", r.Email, err)
		}
		if err := st.BindCommittee(ctx, r.ID, committee); err != nil {
			return err
		}
	}
	assigned := map[int64][]int64{}
	for _, rv := range reviews {
		ed, ok := editions[rv.Edition]
		if !ok {
			return fmt.Errorf("review of %q: no edition %q", rv.Proposal, rv.Edition)
		}
		p, err := demoProposal(ctx, st, ed, rv.Proposal)
		if err != nil {
			return err
		}
		u, err := st.UserByEmail(ctx, rv.By)
		if err != nil {
			return fmt.Errorf("review of %q: %s: %w", rv.Proposal, rv.By, err)
		}
		assigned[p.ID] = append(assigned[p.ID], u.ID)
		if err := st.SetReviewers(ctx, p.ID, assigned[p.ID], 0, rv.Written); err != nil {
			return fmt.Errorf("review of %q by %s: %w", rv.Proposal, rv.By, err)
		}
		if err := st.SaveReview(ctx, &rencontres.Review{ProposalID: p.ID, UserID: u.ID, Scores: rv.Scores,
			CommentAuthors: rv.CommentAuthors, CommentCommittee: rv.CommentCommittee}, rv.Written); err != nil {
			return fmt.Errorf("review of %q by %s: %w", rv.Proposal, rv.By, err)
		}
	}
	return nil
}

// demoProposal finds a proposal of an edition's practice call by its
// French title.
func demoProposal(ctx context.Context, st *store.Store, edition int64, title string) (*rencontres.Proposal, error) {
	calls, err := st.Calls(ctx, edition)
	if err != nil {
		return nil, err
	}
	for _, c := range calls {
		if c.Kind != rencontres.CallPractice {
			continue
		}
		props, err := st.CallProposals(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, p := range props {
			if p.Title[rencontres.French] == title {
				return p, nil
			}
		}
	}
	return nil, fmt.Errorf("no proposal %q in the edition's calls", title)
}
