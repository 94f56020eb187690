package api

import (
	"net/http"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The directory endpoints that write: the secretariat creates an
// organisation, changes some of its fields, or merges another record into
// it. Reading them is in read.go.
func (a *API) registerOrganisations(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("POST", "/api/v1/organisations", rencontres.ManageDirectory, a.createOrganisation)
	route("PATCH", "/api/v1/organisations/{key}", rencontres.ManageDirectory, a.patchOrganisation)
	route("POST", "/api/v1/organisations/{key}/revert", rencontres.ManageDirectory, a.revertOrganisationField)
	route("POST", "/api/v1/organisations/{key}/merge", rencontres.ManageDirectory, a.mergeOrganisations)
}

// createOrganisation creates an organisation of the secretariat's; the
// key is made from its name and returned.
func (a *API) createOrganisation(w http.ResponseWriter, r *http.Request) (any, error) {
	var o rencontres.Organisation
	if err := decode(r, &o); err != nil {
		return nil, err
	}
	if err := a.svc.CreateOrganisation(r.Context(), &o); err != nil {
		return nil, err
	}
	a.auditKey(r, "organisation.create", o.Key, nil)
	out, err := a.svc.Organisation(r.Context(), o.Key)
	if err != nil {
		return nil, err
	}
	return created(out), nil
}

// patchOrganisation changes the fields the body gives, the others as they
// were; a name given in one language keeps the others.
func (a *API) patchOrganisation(w http.ResponseWriter, r *http.Request) (any, error) {
	key := r.PathValue("key")
	o, err := a.svc.Organisation(r.Context(), key)
	if err != nil {
		return nil, err
	}
	name := o.Name
	o.Name = rencontres.Text{}
	if err := decode(r, o); err != nil {
		return nil, err
	}
	for l, v := range name {
		if _, given := o.Name[l]; !given {
			o.Name[l] = v
		}
	}
	for l, v := range o.Name {
		if v == "" {
			delete(o.Name, l)
		}
	}
	if err := a.svc.UpdateOrganisation(r.Context(), key, o); err != nil {
		return nil, err
	}
	a.auditKey(r, "organisation.update", key, nil)
	return a.svc.Organisation(r.Context(), key)
}

// RevertRequest is the body of POST /api/v1/organisations/{key}/revert.
type RevertRequest struct {
	Field string `json:"field"`
}

// revertOrganisationField gives a field the secretariat changed its
// reference value back.
func (a *API) revertOrganisationField(w http.ResponseWriter, r *http.Request) (any, error) {
	key := r.PathValue("key")
	var req RevertRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	if err := a.svc.RevertOrganisationField(r.Context(), key, req.Field); err != nil {
		return nil, err
	}
	a.auditKey(r, "organisation.revert", key, map[string]any{"field": req.Field})
	return a.svc.Organisation(r.Context(), key)
}

// MergeRequest is the body of POST /api/v1/organisations/{key}/merge.
type MergeRequest struct {
	// From is the key of the record merged into this one and removed.
	From string `json:"from"`
	// Confirm merges two reference records whose official codes differ.
	Confirm bool `json:"confirm"`
}

// mergeOrganisations merges the record from into this one.
func (a *API) mergeOrganisations(w http.ResponseWriter, r *http.Request) (any, error) {
	var req MergeRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	by := &rencontres.AuditEntry{IP: auth.ClientIP(r)}
	if u := auth.ActorFrom(r.Context()).User; u != nil {
		by.ActorID, by.ActorEmail = u.ID, u.Email
	}
	return a.svc.MergeOrganisations(r.Context(), r.PathValue("key"), req.From, req.Confirm, by)
}

// auditKey records an action on an organisation, named by its key.
func (a *API) auditKey(r *http.Request, action, key string, detail map[string]any) {
	if a.auditor == nil {
		return
	}
	e := &rencontres.AuditEntry{Action: action, ObjectType: "organisation", ObjectID: key, IP: auth.ClientIP(r), Detail: detail}
	if u := auth.ActorFrom(r.Context()).User; u != nil {
		e.ActorID, e.ActorEmail = u.ID, u.Email
	}
	if err := a.auditor.Audit(r.Context(), e); err != nil {
		a.log.Error("audit", "action", action, "err", err)
	}
}

// hideNotes removes the secretariat's notes from organisations read by
// anyone else.
func hideNotes(r *http.Request, orgs ...*rencontres.Organisation) {
	if auth.ActorFrom(r.Context()).Can(rencontres.ManageDirectory, rencontres.Target{}) {
		return
	}
	for _, o := range orgs {
		o.Notes = ""
	}
}
