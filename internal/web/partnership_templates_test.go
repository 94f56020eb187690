package web

import (
	"context"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// partnershipSamples are the samples of the partnerships' pages.
func (x *sampler) partnershipSamples() map[string][]sample {
	s := x.site
	return map[string][]sample{
		"partnerships": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.partnerships, "/partnerships?country=FR")
				d := p.Data.(*PartnershipsPage)
				d.Pager = Pager{First: "/fr/partnerships?country=FR", Prev: "/fr/partnerships?country=FR&before=x", Next: "/fr/partnerships?country=FR&after=y", Shown: 50, Total: 120}
			}},
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) { x.run(t, p, s.partnerships, "/partnerships?kind=other") },
				empty: []string{"Results"}},
		},
		// The map: the secretariat's, with the authorities to place and
		// a second page of the list; a reader's refused filter, each fault
		// beside its field.
		"twinmap": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.twinmap, "/map?country=FR")
				d := p.Data.(*MapPage)
				d.Page, d.Pages = 2, 3
				d.Figure.Map.Aggregated = true
				d.Errors = map[string]string{}
				for _, f := range []string{"country", "kind", "area", "from", "to", "series"} {
					d.Errors[f] = p.P.T("map_error.year", "Value", f, "Min", 1900, "Max", 2100)
				}
			}},
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.twinmap, "/map?kind=mariage&from=2020&to=2000&series=rencontres-franco-japonaises")
				if len(p.Data.(*MapPage).Errors) != 2 {
					t.Fatalf("errors %v, want kind and to", p.Data.(*MapPage).Errors)
				}
			}, empty: []string{"Manage"}},
		},
		"partnership_form": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.newPartnership, "/manage/partnerships/new?a=fr-13001")
				d := p.Data.(*PartnershipForm)
				for _, f := range []string{"form", "a", "b", "kind", "kind_label", "year", "year_ended", "state", "last_exchanges", "current_projects", "note", "file"} {
					d.Errors[f] = p.P.T("error.required", "Field", f)
				}
				kumamoto, err := x.st.Organisation(context.Background(), "jp-431001")
				if err != nil {
					t.Fatal(err)
				}
				d.Candidates["b"] = []*rencontres.Organisation{kumamoto}
			}, empty: []string{"Partnership", "Reports"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				pa := x.reported(t)
				if err := x.st.SavePartnershipAgreement(context.Background(), pa.ID, "jumelage.pdf", []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"), 0); err != nil {
					t.Fatal(err)
				}
				x.run(t, p, s.editPartnership, "/manage/partnerships/"+id(pa.ID)+"/edit?done=update", "partnership", id(pa.ID))
				p.Data.(*PartnershipForm).Candidates["a"] = []*rencontres.Organisation{pa.Other}
			}, empty: []string{"Errors"}},
		},
		"partnership_survey": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			x.run(t, p, s.partnershipSurvey, "/manage/partnerships/survey?country=FR")
		}}},
		"org_partnerships": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			pa := x.reported(t)
			x.run(t, p, s.orgPartnerships, "/manage/organisations/fr-13055/partnerships?done=1", "key", "fr-13055")
			d := p.Data.(*OrgPartnershipsPage)
			d.Failed = pa.ID
			d.Form = map[string]string{"state": "asleep", "last_exchanges": "…", "current_projects": "…"}
			d.Errors = map[string]string{"state": p.P.T("error.required", "Field", "state"), "last_exchanges": "x", "current_projects": "x"}
		}}},
	}
}

// reported is the demo's partnership of Marseille and Kobe, whose
// authority answered the état des lieux.
func (x *sampler) reported(t *testing.T) *rencontres.Partnership {
	t.Helper()
	list, err := x.st.Partnerships(context.Background(), "fr-13055")
	if err != nil || len(list) == 0 {
		t.Fatalf("Marseille's partnerships: %d, %v", len(list), err)
	}
	return list[0]
}
