package web

import (
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// statisticsSamples are the samples of the statistics' pages: every
// series as the secretariat sees it (the planned edition included), and
// the 7th edition beside the 6th, from the demo data.
func (x *sampler) statisticsSamples() map[string][]sample {
	s := x.site
	return map[string][]sample{
		"statistics": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) { x.run(t, p, s.statistics, "/statistics") }},
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.statistics, "/statistics?series=raict&measure=people&from=2017&to=2024")
			}},
		},
		"edition_statistics": {
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.editionStatistics, "/series/rencontres-franco-japonaises/7/statistics", "series", "rencontres-franco-japonaises", "number", "7")
			}},
		},
	}
}
