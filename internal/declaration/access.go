// Package declaration holds what the declaration's pages and API share
// beyond the store (issue 16): who drafts, who reads the draft, who amends
// for which authority.
package declaration

import (
	"context"
	"slices"

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
	if err != nil {
		return false, err
	}
	return draftsIn(a, joint), nil
}

// draftsIn reports whether the actor, not the secretariat, drafts with
// the joint committee joint (0: none).
func draftsIn(a *rencontres.Actor, joint int64) bool {
	return joint != 0 && a.Can(rencontres.DraftDeclarations, rencontres.Target{Committee: joint})
}

// mayRead reports whether the actor may read declarations before they are
// published at all: an account with the permission.
func mayRead(a *rencontres.Actor) bool {
	return a.User != nil && a.Can(rencontres.ReadDeclarations, rencontres.Target{})
}

// Reads reports whether the actor reads the edition's declaration before
// it is published (draft, history, amendments): those who draft it and
// those who take part in the edition.
func Reads(ctx context.Context, ds rencontres.DraftService, a *rencontres.Actor, editionID int64) (bool, error) {
	if !mayRead(a) {
		return false, nil
	}
	if ok, err := Drafts(ctx, ds, a, editionID); ok || err != nil {
		return ok, err
	}
	return ds.TakesPart(ctx, editionID, a.User.ID)
}

// Readable lists, without their segments, the declarations the actor
// reads (as Reads tells of each), in the order of their editions, in a
// constant number of queries: every declaration, every joint committee,
// the editions the actor takes part in.
func Readable(ctx context.Context, ds rencontres.DraftService, a *rencontres.Actor) ([]*rencontres.Declaration, error) {
	out := []*rencontres.Declaration{}
	if !mayRead(a) {
		return out, nil
	}
	all, err := ds.Declarations(ctx)
	if err != nil || Starts(a) {
		return all, err
	}
	joint, err := ds.JointCommittees(ctx)
	if err != nil {
		return nil, err
	}
	part, err := ds.EditionsTakenPart(ctx, a.User.ID)
	if err != nil {
		return nil, err
	}
	for _, d := range all {
		if draftsIn(a, joint[d.EditionID]) || slices.Contains(part, d.EditionID) {
			out = append(out, d)
		}
	}
	return out, nil
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
