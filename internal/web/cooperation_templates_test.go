package web

import (
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// cooperationSamples are the samples of the cooperation profile's form
// and of the partners suggested.
func (x *sampler) cooperationSamples() map[string][]sample {
	s := x.site
	return map[string][]sample{
		"cooperation": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.cooperationForm, "/manage/organisations/fr-13001/cooperation?done=1", "key", "fr-13001")
				d := p.Data.(*CooperationPage)
				for _, f := range []string{"form", "seeks", "offers", "kinds", "languages"} {
					d.Errors[f] = p.P.T("cooperation.bad_theme", "Value", "piracy")
				}
			}},
		},
		"suggestions": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.suggestions, "/manage/organisations/jp-431001/suggestions", "key", "jp-431001")
				if len(p.Data.(*SuggestionsPage).Suggestions) == 0 {
					t.Fatal("the demo suggests no partner to Kumamoto")
				}
			}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.suggestions, "/manage/organisations/inst-cuf/suggestions", "key", "inst-cuf")
			}, empty: []string{"Suggestions"}},
		},
	}
}
