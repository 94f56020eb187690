package api

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/declaration"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The amendments of a declaration (issue 16): listed and read by the
// edition's participants; proposed, supported and withdrawn for an
// authority registered for the edition; translated and decided by those
// who draft. The same rules as the pages (internal/declaration).
func (a *API) registerDeclarationAmendments(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("GET", "/api/v1/declarations/{id}/amendments", rencontres.ReadDeclarations, a.listAmendments)
	route("POST", "/api/v1/declarations/{id}/amendments", rencontres.AmendDeclarations, a.proposeAmendment)
	route("POST", "/api/v1/declarations/{id}/amendments/merge", rencontres.DraftDeclarations, a.mergeAmendments)
	route("GET", "/api/v1/amendments/{amendment}", rencontres.ReadDeclarations, a.getAmendment)
	route("POST", "/api/v1/amendments/{amendment}/translate", rencontres.DraftDeclarations, a.translateAmendment)
	route("POST", "/api/v1/amendments/{amendment}/support", rencontres.AmendDeclarations, a.supportAmendment)
	route("DELETE", "/api/v1/amendments/{amendment}/support", rencontres.AmendDeclarations, a.unsupportAmendment)
	route("POST", "/api/v1/amendments/{amendment}/withdraw", rencontres.AmendDeclarations, a.withdrawAmendment)
	route("POST", "/api/v1/amendments/{amendment}/accept", rencontres.DraftDeclarations, a.acceptAmendment)
	route("POST", "/api/v1/amendments/{amendment}/reject", rencontres.DraftDeclarations, a.rejectAmendment)
}

// amendNow is the clock of the amendments; tests move it.
var amendNow = time.Now

// AmendmentsOut is the body of GET /api/v1/declarations/{id}/amendments.
type AmendmentsOut struct {
	Amendments []*rencontres.Amendment `json:"amendments"`
}

func (a *API) amendDeclaration(r *http.Request) (*rencontres.Declaration, *declaration.Rights, error) {
	id, err := reviewPathID(r, "id", "declaration")
	if err != nil {
		return nil, nil, err
	}
	return declaration.LoadDeclaration(r.Context(), a.declarations, auth.ActorFrom(r.Context()), id)
}

func (a *API) listAmendments(w http.ResponseWriter, r *http.Request) (any, error) {
	d, _, err := a.amendDeclaration(r)
	if err != nil {
		return nil, err
	}
	list, err := a.declarations.Amendments(r.Context(), d.ID)
	if err != nil {
		return nil, err
	}
	if state := r.URL.Query().Get("state"); state != "" {
		list = slices.DeleteFunc(list, func(x *rencontres.Amendment) bool { return string(x.State) != state })
	}
	if list == nil {
		list = []*rencontres.Amendment{}
	}
	return AmendmentsOut{Amendments: list}, nil
}

// AmendmentIn is the body of POST /api/v1/declarations/{id}/amendments.
type AmendmentIn struct {
	Organisation  string                   `json:"organisation"`
	SegmentID     int64                    `json:"segment_id"`
	BaseVersion   int64                    `json:"base_version"`
	Kind          rencontres.AmendmentKind `json:"kind"`
	NewKind       rencontres.SegmentKind   `json:"new_kind"`
	Lang          rencontres.Lang          `json:"lang"`
	Text          rencontres.Text          `json:"text"`
	Justification rencontres.Text          `json:"justification"`
}

// orgOf is the authority a request acts for among those allowed: the one
// named, or the only one.
func orgOf(key string, allowed []string) (string, error) {
	key = strings.TrimSpace(key)
	if len(allowed) == 0 {
		return "", errForbidden
	}
	if key == "" && len(allowed) == 1 {
		return allowed[0], nil
	}
	if key == "" {
		return "", &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_choose_org", Field: "organisation", Message: "name the authority you act for"}
	}
	if !slices.Contains(allowed, key) {
		return "", &rencontres.Error{Code: rencontres.EFORBIDDEN, Key: "error.forbidden", Field: "organisation", Message: "you do not act for this authority"}
	}
	return key, nil
}

func (a *API) proposeAmendment(w http.ResponseWriter, r *http.Request) (any, error) {
	d, rights, err := a.amendDeclaration(r)
	if err != nil {
		return nil, err
	}
	var in AmendmentIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if len(rights.For) == 0 {
		return nil, errForbidden
	}
	org, err := orgOf(in.Organisation, rights.For)
	if err != nil {
		return nil, err
	}
	if in.BaseVersion < 1 {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "base_version",
			Message: "base_version, the segment's version the amendment was written against, is required"}
	}
	am := &rencontres.Amendment{DeclarationID: d.ID, SegmentID: in.SegmentID, BaseVersion: in.BaseVersion, Kind: in.Kind, NewKind: in.NewKind,
		OrgKey: org, Lang: in.Lang, Text: in.Text, Justification: in.Justification}
	if err := a.declarations.ProposeAmendment(r.Context(), am, auth.ActorFrom(r.Context()).User.ID, amendNow()); err != nil {
		return a.rebaseAnswer(r, err)
	}
	a.audit(r, "amendment.propose", "amendment", am.ID, map[string]any{"segment": am.SegmentID, "kind": am.Kind})
	out, err := a.declarations.Amendment(r.Context(), am.ID)
	return created(out), err
}

// MergeIn is the body of POST /api/v1/declarations/{id}/amendments/merge.
type MergeIn struct {
	Amendments    []int64                  `json:"amendments"`
	BaseVersion   int64                    `json:"base_version"`
	Kind          rencontres.AmendmentKind `json:"kind"`
	NewKind       rencontres.SegmentKind   `json:"new_kind"`
	Text          rencontres.Text          `json:"text"`
	Justification rencontres.Text          `json:"justification"`
}

func (a *API) mergeAmendments(w http.ResponseWriter, r *http.Request) (any, error) {
	d, rights, err := a.amendDeclaration(r)
	if err != nil {
		return nil, err
	}
	var in MergeIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if !rights.Decides(d, nil) {
		return nil, errForbidden
	}
	for _, id := range in.Amendments {
		x, err := a.declarations.Amendment(r.Context(), id)
		if err != nil || x.DeclarationID != d.ID {
			return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_merge_segments", Field: "amendments",
				Message: "only amendments of one segment of this declaration are merged"}
		}
	}
	m := &rencontres.Amendment{BaseVersion: in.BaseVersion, Kind: in.Kind, NewKind: in.NewKind, Text: in.Text, Justification: in.Justification,
		Lang: rencontres.French}
	id, err := a.declarations.MergeAmendments(r.Context(), in.Amendments, m, auth.ActorFrom(r.Context()).User.ID, amendNow())
	if err != nil {
		return a.rebaseAnswer(r, err)
	}
	a.audit(r, "amendment.merge", "amendment", id, map[string]any{"merged": in.Amendments})
	out, err := a.declarations.Amendment(r.Context(), id)
	return created(out), err
}

func (a *API) loadAmendment(r *http.Request) (*rencontres.Amendment, *rencontres.Declaration, *declaration.Rights, error) {
	id, err := reviewPathID(r, "amendment", "amendment")
	if err != nil {
		return nil, nil, nil, err
	}
	return declaration.LoadAmendment(r.Context(), a.declarations, auth.ActorFrom(r.Context()), id)
}

func (a *API) getAmendment(w http.ResponseWriter, r *http.Request) (any, error) {
	am, _, _, err := a.loadAmendment(r)
	return am, err
}

// amendmentAction runs one action on an amendment when allowed, and
// answers the amendment as it then is.
func (a *API) amendmentAction(r *http.Request, action string, allowed func(*rencontres.Amendment, *rencontres.Declaration, *declaration.Rights) error,
	act func(*rencontres.Amendment) error) (any, error) {
	am, d, rights, err := a.loadAmendment(r)
	if err != nil {
		return nil, err
	}
	if err := allowed(am, d, rights); err != nil {
		return nil, err
	}
	if err := act(am); err != nil {
		return a.rebaseAnswer(r, err)
	}
	a.audit(r, "amendment."+action, "amendment", am.ID, nil)
	return a.declarations.Amendment(r.Context(), am.ID)
}

func drafts(am *rencontres.Amendment, d *rencontres.Declaration, rights *declaration.Rights) error {
	if !rights.Drafts {
		return errForbidden
	}
	return nil
}

// TranslateIn is the body of POST /api/v1/amendments/{amendment}/translate.
type TranslateIn struct {
	Lang rencontres.Lang `json:"lang"`
	Text string          `json:"text"`
}

func (a *API) translateAmendment(w http.ResponseWriter, r *http.Request) (any, error) {
	var in TranslateIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return a.amendmentAction(r, "translate", drafts, func(am *rencontres.Amendment) error {
		return a.declarations.TranslateAmendment(r.Context(), am.ID, in.Lang, in.Text, auth.ActorFrom(r.Context()).User.ID, amendNow())
	})
}

// SupportIn is the body of POST /api/v1/amendments/{amendment}/support:
// the authority supporting (optional when the caller acts for one).
type SupportIn struct {
	Organisation string `json:"organisation"`
}

func (a *API) supportAmendment(w http.ResponseWriter, r *http.Request) (any, error) {
	var in SupportIn
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return nil, err
		}
	}
	var org string
	return a.amendmentAction(r, "support", func(am *rencontres.Amendment, d *rencontres.Declaration, rights *declaration.Rights) error {
		key := in.Organisation
		if others := slices.DeleteFunc(slices.Clone(rights.For), func(k string) bool { return k == am.OrgKey }); key == "" && len(others) == 1 {
			key = others[0]
		}
		var err error
		org, err = orgOf(key, rights.For) // the store says why one may not
		return err
	}, func(am *rencontres.Amendment) error {
		return a.declarations.SupportAmendment(r.Context(), am.ID, org, auth.ActorFrom(r.Context()).User.ID, amendNow())
	})
}

func (a *API) unsupportAmendment(w http.ResponseWriter, r *http.Request) (any, error) {
	var org string
	return a.amendmentAction(r, "unsupport", func(am *rencontres.Amendment, d *rencontres.Declaration, rights *declaration.Rights) error {
		if len(rights.For) == 0 {
			return errForbidden
		}
		allowed := rights.UnsupportsFor(d, am)
		key := r.URL.Query().Get("organisation")
		if key != "" && slices.Contains(rights.For, key) {
			allowed = rights.For // the store says it does not support it
		}
		var err error
		org, err = orgOf(key, allowed)
		if err != nil && key == "" && len(allowed) == 0 {
			return &rencontres.Error{Code: rencontres.ENOTFOUND, Key: "amendment.error_not_supported", Field: "organisation",
				Message: "no authority of yours supports the amendment"}
		}
		return err
	}, func(am *rencontres.Amendment) error {
		return a.declarations.WithdrawSupport(r.Context(), am.ID, org, amendNow())
	})
}

func (a *API) withdrawAmendment(w http.ResponseWriter, r *http.Request) (any, error) {
	return a.amendmentAction(r, "withdraw", func(am *rencontres.Amendment, d *rencontres.Declaration, rights *declaration.Rights) error {
		if am.OrgKey == "" || !slices.Contains(rights.For, am.OrgKey) {
			return errForbidden
		}
		return nil
	}, func(am *rencontres.Amendment) error {
		return a.declarations.WithdrawAmendment(r.Context(), am.ID, auth.ActorFrom(r.Context()).User.ID, amendNow())
	})
}

func (a *API) acceptAmendment(w http.ResponseWriter, r *http.Request) (any, error) {
	return a.amendmentAction(r, "accept", drafts, func(am *rencontres.Amendment) error {
		return a.declarations.AcceptAmendment(r.Context(), am.ID, auth.ActorFrom(r.Context()).User.ID, amendNow())
	})
}

// RejectIn is the body of POST /api/v1/amendments/{amendment}/reject: the
// reason, in one language at least.
type RejectIn struct {
	Reason rencontres.Text `json:"reason"`
}

func (a *API) rejectAmendment(w http.ResponseWriter, r *http.Request) (any, error) {
	var in RejectIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return a.amendmentAction(r, "reject", drafts, func(am *rencontres.Amendment) error {
		return a.declarations.RejectAmendment(r.Context(), am.ID, in.Reason, auth.ActorFrom(r.Context()).User.ID, amendNow())
	})
}

// rebaseAnswer answers an amendment written against a version of its
// segment since replaced with 409, the error and the segment as it now
// stands (ConflictOut), so that the client re-bases it; any other error
// as usual.
func (a *API) rebaseAnswer(r *http.Request, err error) (any, error) {
	var c *rencontres.SegmentConflict
	if errors.As(err, &c) {
		p := a.cat.Printer(clientLang(r))
		return withStatus{http.StatusConflict, ConflictOut{Error: ErrorDetail{Code: rencontres.ECONFLICT, Message: p.Error(c.Err), Field: c.Err.Field},
			Current: c.Current}}, nil
	}
	return nil, err
}
