package api

import (
	"net/http"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/partners"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// An authority's cooperation profile and the partners suggested to it
// (issue 17), under the pages' permission: the secretariat for any
// authority, a contact for its own.
func (a *API) registerCooperation(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("GET", "/api/v1/organisations/{key}/cooperation", rencontres.EditCooperation, a.getCooperation)
	route("PUT", "/api/v1/organisations/{key}/cooperation", rencontres.EditCooperation, a.putCooperation)
	route("GET", "/api/v1/organisations/{key}/suggestions", rencontres.EditCooperation, a.getSuggestions)
}

// cooperationKey is the authority in the path, if the actor may edit its
// profile.
func cooperationKey(r *http.Request) (string, error) {
	key := r.PathValue("key")
	if !auth.ActorFrom(r.Context()).Can(rencontres.EditCooperation, rencontres.Target{OrgKey: key}) {
		return "", errForbidden
	}
	return key, nil
}

func (a *API) getCooperation(w http.ResponseWriter, r *http.Request) (any, error) {
	key, err := cooperationKey(r)
	if err != nil {
		return nil, err
	}
	return a.cooperation.CooperationProfile(r.Context(), key)
}

// CooperationIn is the body of PUT /api/v1/organisations/{key}/cooperation:
// the whole profile, each list of keys replacing the one stored.
type CooperationIn struct {
	Seeks     []string `json:"seeks"`
	Offers    []string `json:"offers"`
	Kinds     []string `json:"kinds"`
	Languages []string `json:"languages"`
}

func (a *API) putCooperation(w http.ResponseWriter, r *http.Request) (any, error) {
	key, err := cooperationKey(r)
	if err != nil {
		return nil, err
	}
	// The authority must exist before its body is judged.
	if _, err := a.cooperation.CooperationProfile(r.Context(), key); err != nil {
		return nil, err
	}
	var in CooperationIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	p := &rencontres.CooperationProfile{OrgKey: key, Seeks: in.Seeks, Offers: in.Offers, Kinds: in.Kinds, Languages: in.Languages}
	var by int64
	if u := auth.ActorFrom(r.Context()).User; u != nil {
		by = u.ID
	}
	if err := a.cooperation.SaveCooperationProfile(r.Context(), p, by, time.Now()); err != nil {
		return nil, err
	}
	a.auditKey(r, "cooperation.save", key, map[string]any{"seeks": p.Seeks, "offers": p.Offers, "kinds": p.Kinds, "languages": p.Languages})
	return a.cooperation.CooperationProfile(r.Context(), key)
}

// SuggestionList is the body of GET /api/v1/organisations/{key}/suggestions.
type SuggestionList struct {
	Suggestions []*rencontres.Suggestion `json:"suggestions"`
}

// suggestionsLimit is how many partners the API lists at most, as the
// page does.
const suggestionsLimit = 30

func (a *API) getSuggestions(w http.ResponseWriter, r *http.Request) (any, error) {
	key, err := cooperationKey(r)
	if err != nil {
		return nil, err
	}
	if err := checkParams(r.URL.Query(), "lang"); err != nil {
		return nil, err
	}
	list, err := a.cooperation.Suggestions(r.Context(), key, suggestionsLimit)
	if err != nil {
		return nil, err
	}
	partners.Fill(a.cat.Printer(clientLang(r)), list)
	return SuggestionList{Suggestions: list}, nil
}
