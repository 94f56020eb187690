package declaration

import (
	"context"
	"slices"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Rights is what an actor may do with a declaration's amendments: read
// them (the edition's participants), decide and translate them (those who
// draft), and propose, support and withdraw for the authorities listed in
// For.
type Rights struct {
	Reads, Drafts bool
	For           []string
}

// AmendRights reads an actor's rights on the amendments of the edition's
// declaration.
func AmendRights(ctx context.Context, ds rencontres.DraftService, a *rencontres.Actor, editionID int64) (*Rights, error) {
	r := &Rights{}
	var err error
	if r.Reads, err = Reads(ctx, ds, a, editionID); err != nil || !r.Reads {
		return r, err
	}
	if r.Drafts, err = Drafts(ctx, ds, a, editionID); err != nil {
		return nil, err
	}
	if r.For, err = AmendsFor(ctx, ds, a, editionID); err != nil {
		return nil, err
	}
	return r, nil
}

// Proposes reports whether the actor may propose an amendment now.
func (r *Rights) Proposes(d *rencontres.Declaration, now time.Time) bool {
	return len(r.For) > 0 && d.AmendingAt(now)
}

// SupportsFor lists the authorities the actor may support the amendment
// for: its own but the amendment's, not supporting it yet, while the
// amendment waits for its decision within the period.
func (r *Rights) SupportsFor(d *rencontres.Declaration, a *rencontres.Amendment, now time.Time) []string {
	if a.State != rencontres.AmendmentProposed || !d.AmendingAt(now) {
		return nil
	}
	var out []string
	for _, k := range r.For {
		if k != a.OrgKey && !slices.Contains(a.Supporters, k) {
			out = append(out, k)
		}
	}
	return out
}

// UnsupportsFor lists the authorities whose support of the amendment the
// actor may withdraw, while the text is a draft (an amendment left
// undecided at the freeze keeps its supporters).
func (r *Rights) UnsupportsFor(d *rencontres.Declaration, a *rencontres.Amendment) []string {
	if a.State != rencontres.AmendmentProposed || d.State != rencontres.DeclarationDraft {
		return nil
	}
	var out []string
	for _, k := range r.For {
		if slices.Contains(a.Supporters, k) {
			out = append(out, k)
		}
	}
	return out
}

// Withdraws reports whether the actor may withdraw the amendment: for its
// authority, while nobody supports it and the text is a draft.
func (r *Rights) Withdraws(d *rencontres.Declaration, a *rencontres.Amendment) bool {
	return a.State == rencontres.AmendmentProposed && d.State == rencontres.DeclarationDraft && a.OrgKey != "" && slices.Contains(r.For, a.OrgKey) && len(a.Supporters) == 0
}

// Decides reports whether the actor may translate, accept, reject or
// merge the amendment (those who draft, before the text is frozen).
func (r *Rights) Decides(d *rencontres.Declaration, a *rencontres.Amendment) bool {
	return r.Drafts && d.State == rencontres.DeclarationDraft && (a == nil || a.State == rencontres.AmendmentProposed)
}

// Forbidden is the error of an action the actor may not take.
var Forbidden = &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "error.forbidden", Message: "forbidden"}

// LoadAmendment reads an amendment, its declaration and the actor's
// rights; an amendment the actor may not read is not found, so that its
// existence is not told.
func LoadAmendment(ctx context.Context, ds rencontres.DeclarationService, a *rencontres.Actor, id int64) (*rencontres.Amendment, *rencontres.Declaration, *Rights, error) {
	am, err := ds.Amendment(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	d, err := ds.Declaration(ctx, am.DeclarationID)
	if err != nil {
		return nil, nil, nil, err
	}
	r, err := AmendRights(ctx, ds, a, d.EditionID)
	if err != nil {
		return nil, nil, nil, err
	}
	if !r.Reads {
		return nil, nil, nil, rencontres.NotFound("amendment")
	}
	return am, d, r, nil
}

// LoadDeclaration reads a declaration and the actor's rights on its
// amendments; one the actor may not read is not found.
func LoadDeclaration(ctx context.Context, ds rencontres.DeclarationService, a *rencontres.Actor, id int64) (*rencontres.Declaration, *Rights, error) {
	d, err := ds.Declaration(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	r, err := AmendRights(ctx, ds, a, d.EditionID)
	if err != nil {
		return nil, nil, err
	}
	if !r.Reads {
		return nil, nil, rencontres.NotFound("declaration")
	}
	return d, r, nil
}

// Segment returns the live segment id of the declaration, nil when
// it was deleted or is not one of its segments.
func Segment(d *rencontres.Declaration, id int64) *rencontres.Segment {
	for _, g := range d.Segments {
		if g.ID == id && !g.Deleted {
			return g
		}
	}
	return nil
}
