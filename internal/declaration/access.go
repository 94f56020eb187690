// Package declaration holds what the declaration's pages and API share
// beyond the store (issue 16): who drafts, who reads the draft, who amends
// for which authority.
package declaration

import (
	"context"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Starts reports whether the actor starts declarations: the secretariat.
func Starts(a *rencontres.Actor) bool {
	return rencontres.Policy[a.Role()][rencontres.DraftDeclarations] == rencontres.All
}

// Drafts reports whether the actor drafts the edition's declaration: the
// secretariat, or a member of the edition's joint committee.
func Drafts(ctx context.Context, ds rencontres.DraftService, a *rencontres.Actor, editionID int64) (bool, error) {
	if a.User == nil {
		return false, nil
	}
	if Starts(a) {
		return true, nil
	}
	joint, err := ds.JointCommittee(ctx, editionID)
	if err != nil || joint == 0 {
		return false, err
	}
	return a.Can(rencontres.DraftDeclarations, rencontres.Target{Committee: joint}), nil
}

// Reads reports whether the actor reads the edition's declaration before
// it is published (draft, history, amendments): those who draft it and
// those who take part in the edition.
func Reads(ctx context.Context, ds rencontres.DraftService, a *rencontres.Actor, editionID int64) (bool, error) {
	if a.User == nil || !a.Can(rencontres.ReadDeclarations, rencontres.Target{}) {
		return false, nil
	}
	if ok, err := Drafts(ctx, ds, a, editionID); ok || err != nil {
		return ok, err
	}
	return ds.TakesPart(ctx, editionID, a.User.ID)
}

// AmendsFor lists the authorities the actor amends, supports and endorses
// for at the edition: among the authorities registered for it, every one
// for the secretariat, its own for a contact.
func AmendsFor(ctx context.Context, ds rencontres.DraftService, a *rencontres.Actor, editionID int64) ([]string, error) {
	if a.User == nil {
		return nil, nil
	}
	registered, err := ds.RegisteredOrgs(ctx, editionID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range registered {
		if a.Can(rencontres.AmendDeclarations, rencontres.Target{OrgKey: k}) {
			out = append(out, k)
		}
	}
	return out, nil
}
