package declaration

import (
	"context"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// errNotDrafter is the refusal of a draft's write by someone who reads it
// but does not draft it.
var errNotDrafter = &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "declaration.err_not_drafter",
	Message: "only the edition's joint committee and the secretariat edit the draft"}

// Open reads a declaration for the actor, with whether they draft it: not
// found when they may not read it (its existence is not told), so that the
// pages and the API answer alike.
func Open(ctx context.Context, ds rencontres.DraftService, a *rencontres.Actor, id int64) (*rencontres.Declaration, bool, error) {
	d, err := ds.Declaration(ctx, id)
	if err != nil {
		return nil, false, err
	}
	ok, err := Reads(ctx, ds, a, d.EditionID)
	if err != nil {
		return nil, false, err
	}
	if !ok {
		return nil, false, rencontres.NotFound("declaration")
	}
	drafts, err := Drafts(ctx, ds, a, d.EditionID)
	return d, drafts, err
}

// OpenToDraft reads a declaration the actor is to change: not found when
// they may not read it, forbidden when they read but do not draft it.
func OpenToDraft(ctx context.Context, ds rencontres.DraftService, a *rencontres.Actor, id int64) (*rencontres.Declaration, error) {
	d, drafts, err := Open(ctx, ds, a, id)
	if err != nil {
		return nil, err
	}
	if !drafts {
		return nil, errNotDrafter
	}
	return d, nil
}
