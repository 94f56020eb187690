package web

import (
	"context"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// practiceSamples are the samples of the library's pages, over the demo's
// practices.
func (x *sampler) practiceSamples() map[string][]sample {
	s := x.site
	practice := func(t *testing.T) string {
		t.Helper()
		list, _, err := x.st.Practices(context.Background(), rencontres.PracticeFilter{Query: "kumamoto"})
		if err != nil || len(list) == 0 {
			t.Fatalf("the demo has no practice of Kumamoto: %v", err)
		}
		return id(list[0].ID)
	}
	return map[string][]sample{
		"practices": {
			// An edition chosen: its workshops are offered.
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.practices, "/practices?edition=rencontres-franco-japonaises/7&page=1")
				d := p.Data.(*PracticesPage)
				d.Pages, d.More = 3, true
			}, empty: []string{"Errors"}},
			// Every filter at fault: no results, a message at each field.
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.practices, "/practices?q=x&sdg=18&country=fr&kind=town&edition=rencontres-franco-japonaises/7&from=2023&to=2020&organisation=fr-13001")
				d := p.Data.(*PracticesPage)
				for _, f := range []string{"q", "workshop", "page", "form", "organisation"} {
					d.Errors[f] = "!"
				}
			}, empty: []string{"Practices"}},
		},
		"practice": {{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
			x.run(t, p, s.practice, "/practices/"+practice(t), "practice", practice(t))
			d := p.Data.(*PracticePage)
			d.Practice.Documents = []rencontres.ProposalDocument{{ID: 1, ProposalID: d.Practice.ID, Name: "presentation.pdf", Size: 20480}}
			d.Practice.Presenters = []rencontres.PracticePresenter{{Person: "Kenta MIZUNO", Function: rencontres.Text{"fr": "Chef du service des transports", "ja": "交通政策課長"}, OrgKey: "jp-431001"}}
			delete(d.Practice.Summary, rencontres.Japanese) // translation pending
		}}},
	}
}
