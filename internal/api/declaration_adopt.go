package api

import (
	"net/http"
	"slices"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/declaration"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The adoption of a declaration (issue 16, part 3), as its page does it:
// the committee freezes the text, records the votes and the adoption and
// corrects the adopted text; an authority's contact endorses it. A
// declaration the caller takes no part in is not found.
func (a *API) registerDeclarationAdoption(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("POST", "/api/v1/declarations/{id}/freeze", rencontres.DraftDeclarations, a.freezeDeclaration)
	route("PUT", "/api/v1/declarations/{id}/votes/{organisation}", rencontres.DraftDeclarations, a.putVote)
	route("POST", "/api/v1/declarations/{id}/endorse", rencontres.AmendDeclarations, a.endorseDeclaration)
	route("POST", "/api/v1/declarations/{id}/adopt", rencontres.DraftDeclarations, a.adoptDeclaration)
	route("GET", "/api/v1/declarations/{id}/corrections", rencontres.ReadDeclarations, a.listCorrections)
	route("POST", "/api/v1/declarations/{id}/corrections", rencontres.DraftDeclarations, a.correctDeclaration)
}

// adoptionDeclaration reads the declaration the path names, when the
// caller reads it (drafts false) or drafts it (drafts true), as the draft's
// routes do (pathDeclaration, draftDeclaration).
func (a *API) adoptionDeclaration(r *http.Request, drafts bool) (*rencontres.Declaration, error) {
	if drafts {
		return a.draftDeclaration(r)
	}
	d, _, err := a.pathDeclaration(r)
	return d, err
}

// AdoptionOut is the answer of the adoption's writes: where the
// declaration stands and the votes or endorsements recorded.
type AdoptionOut struct {
	ID           int64                       `json:"id"`
	State        rencontres.DeclarationState `json:"state"`
	Mode         rencontres.AdoptionMode     `json:"adoption_mode,omitempty"`
	EndorseUntil *time.Time                  `json:"endorse_until,omitempty"`
	FrozenAt     *time.Time                  `json:"frozen_at,omitempty"`
	AdoptedAt    *time.Time                  `json:"adopted_at,omitempty"`
	AdoptedRev   int64                       `json:"adopted_rev,omitempty"`
	Adoptions    []*rencontres.Adoption      `json:"adoptions"`
}

func (a *API) adoptionOut(r *http.Request, id int64) (*AdoptionOut, error) {
	d, err := a.declarations.Declaration(r.Context(), id)
	if err != nil {
		return nil, err
	}
	list, err := a.declarations.Adoptions(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return &AdoptionOut{ID: d.ID, State: d.State, Mode: d.Mode, EndorseUntil: d.EndorseUntil, FrozenAt: d.FrozenAt,
		AdoptedAt: d.AdoptedAt, AdoptedRev: d.AdoptedRev, Adoptions: list}, nil
}

// FreezeIn is the body of POST /api/v1/declarations/{id}/freeze.
type FreezeIn struct {
	Mode         rencontres.AdoptionMode `json:"mode"`
	EndorseUntil *time.Time              `json:"endorse_until"`
	// LeaveUndecided names the amendments still proposed that the
	// committee does not take up: each must be named, or the freeze is
	// refused.
	LeaveUndecided []int64 `json:"leave_undecided"`
}

func (a *API) freezeDeclaration(w http.ResponseWriter, r *http.Request) (any, error) {
	d, err := a.adoptionDeclaration(r, true)
	if err != nil {
		return nil, err
	}
	var in FreezeIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if err := a.declarations.FreezeDeclaration(r.Context(), d.ID, in.Mode, in.EndorseUntil, in.LeaveUndecided, time.Now()); err != nil {
		return nil, err
	}
	return a.adoptionOut(r, d.ID)
}

// VoteIn is the body of PUT /api/v1/declarations/{id}/votes/{organisation}.
type VoteIn struct {
	Choice rencontres.AdoptionChoice `json:"choice"`
}

func (a *API) putVote(w http.ResponseWriter, r *http.Request) (any, error) {
	d, err := a.adoptionDeclaration(r, true)
	if err != nil {
		return nil, err
	}
	var in VoteIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	actor := auth.ActorFrom(r.Context())
	if err := a.declarations.RecordVote(r.Context(), d.ID, r.PathValue("organisation"), in.Choice, actor.User.ID, time.Now()); err != nil {
		return nil, err
	}
	return a.adoptionOut(r, d.ID)
}

// EndorseIn is the body of POST /api/v1/declarations/{id}/endorse: the
// authority endorsing, one the caller is a contact of.
type EndorseIn struct {
	Organisation string `json:"organisation"`
}

func (a *API) endorseDeclaration(w http.ResponseWriter, r *http.Request) (any, error) {
	d, err := a.adoptionDeclaration(r, false)
	if err != nil {
		return nil, err
	}
	var in EndorseIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	actor := auth.ActorFrom(r.Context())
	mine, err := declaration.Endorses(r.Context(), a.declarations, actor, d.EditionID)
	if err != nil {
		return nil, err
	}
	if in.Organisation == "" {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "organisation", Message: "the authority endorsing is required"}
	}
	if !slices.Contains(mine, in.Organisation) {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "adoption.error_not_contact", Field: "organisation",
			Message: "only a contact of a registered authority endorses for it", Args: map[string]any{"Key": in.Organisation}}
	}
	if err := a.declarations.EndorseDeclaration(r.Context(), d.ID, in.Organisation, actor.User.ID, time.Now()); err != nil {
		return nil, err
	}
	return a.adoptionOut(r, d.ID)
}

func (a *API) adoptDeclaration(w http.ResponseWriter, r *http.Request) (any, error) {
	d, err := a.adoptionDeclaration(r, true)
	if err != nil {
		return nil, err
	}
	if err := a.declarations.AdoptDeclaration(r.Context(), d.ID, auth.ActorFrom(r.Context()).User.ID, time.Now()); err != nil {
		return nil, err
	}
	return a.adoptionOut(r, d.ID)
}

// CorrectionsOut is the body of GET /api/v1/declarations/{id}/corrections.
type CorrectionsOut struct {
	Corrections []*rencontres.DeclarationCorrection `json:"corrections"`
}

func (a *API) listCorrections(w http.ResponseWriter, r *http.Request) (any, error) {
	d, err := a.adoptionDeclaration(r, false)
	if err != nil {
		return nil, err
	}
	list, err := a.declarations.Corrections(r.Context(), d.ID)
	return CorrectionsOut{Corrections: list}, err
}

// CorrectionIn is the body of POST /api/v1/declarations/{id}/corrections:
// the segments corrected, each with the version read and its whole new
// text, and the reason.
type CorrectionIn struct {
	Reason   rencontres.Text      `json:"reason"`
	Segments []CorrectedSegmentIn `json:"segments"`
}

// CorrectedSegmentIn is one segment of a correction.
type CorrectedSegmentIn struct {
	ID      int64           `json:"id"`
	Version int64           `json:"version"`
	Text    rencontres.Text `json:"text"`
}

func (a *API) correctDeclaration(w http.ResponseWriter, r *http.Request) (any, error) {
	d, err := a.adoptionDeclaration(r, true)
	if err != nil {
		return nil, err
	}
	var in CorrectionIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	segs := make([]*rencontres.Segment, 0, len(in.Segments))
	for _, sg := range in.Segments {
		segs = append(segs, &rencontres.Segment{ID: sg.ID, Version: sg.Version, Text: sg.Text})
	}
	c, err := a.declarations.CorrectDeclaration(r.Context(), d.ID, segs, in.Reason, auth.ActorFrom(r.Context()).User.ID, time.Now())
	if err != nil {
		return nil, err
	}
	return created(c), nil
}

// adoptionParts are the adoption's fields of GET /api/v1/declarations/{id}:
// the votes or endorsements recorded and the corrections.
func (a *API) adoptionParts(r *http.Request, id int64) ([]*rencontres.Adoption, []*rencontres.DeclarationCorrection, error) {
	adoptions, err := a.declarations.Adoptions(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	corrections, err := a.declarations.Corrections(r.Context(), id)
	return adoptions, corrections, err
}
