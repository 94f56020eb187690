package api

import (
	"net/http"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The series endpoints that write: the secretariat creates a series (the
// first step on an empty product), replaces it, or changes some of its
// fields. Reading them is in read.go.
func (a *API) registerSeries(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("POST", "/api/v1/series", rencontres.ManageEvents, a.createSeries)
	route("PUT", "/api/v1/series/{slug}", rencontres.ManageEvents, a.replaceSeries)
	route("PATCH", "/api/v1/series/{slug}", rencontres.ManageEvents, a.patchSeries)
}

// createSeries creates a series; a slug already taken is a conflict.
func (a *API) createSeries(w http.ResponseWriter, r *http.Request) (any, error) {
	var se rencontres.Series
	if err := decode(r, &se); err != nil {
		return nil, err
	}
	if se.Organisations == nil {
		se.Organisations = []rencontres.EditionOrg{}
	}
	if err := a.svc.CreateSeries(r.Context(), &se); err != nil {
		return nil, err
	}
	a.audit(r, "series.create", "series", se.ID, map[string]any{"slug": se.Slug})
	out, err := a.svc.Series(r.Context(), se.Slug)
	if err != nil {
		return nil, err
	}
	return created(out), nil
}

// replaceSeries replaces a series with the body: a field left out is
// emptied, as PUT means.
func (a *API) replaceSeries(w http.ResponseWriter, r *http.Request) (any, error) {
	slug := r.PathValue("slug")
	if _, err := a.svc.Series(r.Context(), slug); err != nil {
		return nil, err
	}
	se := rencontres.Series{Slug: slug}
	if err := decode(r, &se); err != nil {
		return nil, err
	}
	return a.saveSeries(r, slug, &se)
}

// patchSeries changes the fields the body gives, the others as they were;
// a name given in one language keeps the others.
func (a *API) patchSeries(w http.ResponseWriter, r *http.Request) (any, error) {
	slug := r.PathValue("slug")
	se, err := a.svc.Series(r.Context(), slug)
	if err != nil {
		return nil, err
	}
	if err := decode(r, se); err != nil {
		return nil, err
	}
	return a.saveSeries(r, slug, se)
}

func (a *API) saveSeries(r *http.Request, slug string, se *rencontres.Series) (any, error) {
	if se.Slug != slug {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "series_form.slug_fixed", Field: "slug",
			Message: "a series' slug cannot change: its URLs depend on it"}
	}
	if se.Organisations == nil {
		se.Organisations = []rencontres.EditionOrg{}
	}
	if err := a.svc.UpdateSeries(r.Context(), slug, se); err != nil {
		return nil, err
	}
	a.audit(r, "series.update", "series", se.ID, map[string]any{"slug": se.Slug})
	return a.svc.Series(r.Context(), slug)
}
