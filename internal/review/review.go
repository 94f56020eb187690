// Package review holds what the review's pages and API share beyond the
// store: the decision letters made into emails, and who may review what.
package review

import (
	"context"
	"slices"

	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// LetterKind is the outbox kind of a decision letter.
const LetterKind = "proposal-decision"

// Letter makes a decision letter an email of the outbox, rendered now:
// what the authors read is what the secretariat released.
func Letter(l *rencontres.DecisionLetter) (*rencontres.QueuedMail, error) {
	return outbox.Message(LetterKind, l.Lang, &mail.Message{To: []mail.Address{{Name: l.ToName, Email: l.ToEmail}}, Subject: l.Subject, Text: l.Body})
}

// CanReview reports whether the actor reviews the call: the secretariat
// every call, a committee member the calls of their committees' edition.
func CanReview(ctx context.Context, rs rencontres.ReviewService, a *rencontres.Actor, callID int64) (bool, error) {
	if a.User == nil {
		return false, nil
	}
	if a.Can(rencontres.ReviewProposals, rencontres.Target{}) && rencontres.Policy[a.Role()][rencontres.ReviewProposals] == rencontres.All {
		return true, nil
	}
	committees, err := rs.ReviewCommittees(ctx, callID)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(committees, func(c int64) bool {
		return c != 0 && a.Can(rencontres.ReviewProposals, rencontres.Target{Committee: c})
	}), nil
}

// Manages reports whether the actor manages calls (the secretariat).
func Manages(a *rencontres.Actor) bool {
	return rencontres.Policy[a.Role()][rencontres.ManageCalls] == rencontres.All
}

// Proposal returns the proposal when the actor may review it: the
// secretariat any, a reviewer one assigned to them; otherwise it is not
// found, so that its existence is not told.
func Proposal(ctx context.Context, rs rencontres.ReviewService, a *rencontres.Actor, id int64) (*rencontres.Proposal, *rencontres.Call, error) {
	p, err := rs.ReviewProposal(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := rs.ReviewCall(ctx, p.CallID)
	if err != nil {
		return nil, nil, err
	}
	if Manages(a) {
		return p, c, nil
	}
	ok, err := CanReview(ctx, rs, a, p.CallID)
	if err == nil && ok {
		ok, err = rs.IsAssigned(ctx, id, a.User.ID)
	}
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, rencontres.NotFound("proposal")
	}
	return p, c, nil
}

// Blind hides who proposed, for a reviewer of a blind call: the
// authorities, the presenters and the contact.
func Blind(p *rencontres.Proposal) {
	p.Orgs, p.Presenters = []rencontres.ProposalOrg{}, []rencontres.Presenter{}
	p.ContactName, p.ContactEmail = "", ""
}
