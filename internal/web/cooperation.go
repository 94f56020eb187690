package web

import (
	"math"
	"net/http"
	"slices"

	"github.com/rencontres/rencontres/internal/partners"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// An authority's cooperation profile (what it seeks and offers, the kinds
// of cooperation, the languages its people speak) and the partners
// suggested to it (issue 17): the secretariat for any authority, a
// contact for its own.

// CooperationPage is the profile's form.
type CooperationPage struct {
	Org     *rencontres.Organisation
	Profile *rencontres.CooperationProfile
	// Themes, Kinds and Languages are the choices, in the lists' order.
	Themes, Kinds, Languages []string
	Errors                   map[string]string
	Done                     bool
}

// Has reports whether the profile's field holds the value, for the
// checkboxes.
func (d *CooperationPage) Has(field, value string) bool {
	switch field {
	case "seeks":
		return slices.Contains(d.Profile.Seeks, value)
	case "offers":
		return slices.Contains(d.Profile.Offers, value)
	case "kinds":
		return slices.Contains(d.Profile.Kinds, value)
	case "languages":
		return slices.Contains(d.Profile.Languages, value)
	}
	return false
}

// cooperationOrg reads the authority in the path, if the actor may edit
// its profile.
func (s *Site) cooperationOrg(r *http.Request, p *Page) (*rencontres.Organisation, error) {
	key := r.PathValue("key")
	if !p.Actor.Can(rencontres.EditCooperation, rencontres.Target{OrgKey: key}) {
		return nil, errForbidden
	}
	return s.svc.Organisation(r.Context(), key)
}

func (s *Site) cooperationPage(p *Page, o *rencontres.Organisation, prof *rencontres.CooperationProfile) *CooperationPage {
	d := &CooperationPage{Org: o, Profile: prof, Themes: rencontres.CooperationThemes, Kinds: rencontres.CooperationKinds,
		Languages: rencontres.CooperationLanguages, Errors: map[string]string{}}
	p.Title, p.Nav, p.Data = p.P.T("cooperation.title", "Org", o.Name.In(p.Lang)), "account", d
	return d
}

// cooperationForm shows an authority's profile to fill in.
func (s *Site) cooperationForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	o, err := s.cooperationOrg(r, p)
	if err != nil {
		return "", err
	}
	prof, err := s.cooperation.CooperationProfile(r.Context(), o.Key)
	if err != nil {
		return "", err
	}
	d := s.cooperationPage(p, o, prof)
	d.Done = r.URL.Query().Get("done") != ""
	return "cooperation", nil
}

// saveCooperation saves the profile whole, or shows each refused value
// beside its field and saves nothing.
func (s *Site) saveCooperation(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	o, err := s.cooperationOrg(r, p)
	if err != nil {
		return "", err
	}
	if err := r.ParseForm(); err != nil {
		return "", err
	}
	prof := &rencontres.CooperationProfile{OrgKey: o.Key, Seeks: r.PostForm["seeks"], Offers: r.PostForm["offers"],
		Kinds: r.PostForm["kinds"], Languages: r.PostForm["languages"]}
	var by int64
	if p.Actor.User != nil {
		by = p.Actor.User.ID
	}
	if err := s.cooperation.SaveCooperationProfile(r.Context(), prof, by, s.now()); err != nil {
		d := s.cooperationPage(p, o, prof)
		if ferr := formError(p, err, d.Errors); ferr != nil {
			return "", ferr
		}
		return "cooperation", nil
	}
	s.audit(r, "cooperation.save", "organisation", o.Key, map[string]any{"seeks": prof.Seeks, "offers": prof.Offers, "kinds": prof.Kinds, "languages": prof.Languages})
	http.Redirect(w, r, p.Href("/manage/organisations/"+o.Key+"/cooperation?done=1"), http.StatusSeeOther)
	return "", nil
}

// SuggestionsPage is the partners suggested to an authority, each with
// its reasons in the reader's language.
type SuggestionsPage struct {
	Org         *rencontres.Organisation
	Suggestions []*rencontres.Suggestion
}

// suggestionsLimit is how many partners a page and the API list at most.
const suggestionsLimit = 30

// suggestions shows the partners suggested to an authority.
func (s *Site) suggestions(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	o, err := s.cooperationOrg(r, p)
	if err != nil {
		return "", err
	}
	list, err := s.cooperation.Suggestions(r.Context(), o.Key, suggestionsLimit)
	if err != nil {
		return "", err
	}
	partners.Fill(p.P, list)
	p.Title, p.Nav, p.Data = p.P.T("suggestion.title", "Org", o.Name.In(p.Lang)), "account", &SuggestionsPage{Org: o, Suggestions: list}
	return "suggestions", nil
}

// CanCooperate reports whether the actor may fill in the authority's
// cooperation profile and read its suggestions.
func (p *Page) CanCooperate(key string) bool {
	return p.Actor.Can(rencontres.EditCooperation, rencontres.Target{OrgKey: key})
}

// Points is a suggestion's score rounded for reading; the API gives it
// whole.
func (d *SuggestionsPage) Points(s *rencontres.Suggestion) int { return int(math.Round(s.Score)) }
