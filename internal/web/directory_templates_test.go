package web

import (
	"context"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// directorySamples are the samples of the directory's pages: the public
// list and page of an organisation, its form, its merge and its private page.
func (x *sampler) directorySamples() map[string][]sample {
	s := x.site
	return map[string][]sample{
		"organisations": {
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) { x.run(t, p, s.organisations, "/organisations?q=Kumamoto") }, empty: []string{}},
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.organisations, "/organisations?q=Kumamoto")
				d := p.Data.(*OrganisationsPage)
				d.Error = p.P.T("error.required", "Field", "q")
			}},
			// A broad search past rencontres.SearchCountBound: « more than
			// 1,000 results », the pages up to the bound.
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.organisations, "/organisations?q=Kumamoto")
				d := p.Data.(*OrganisationsPage)
				d.Total, d.More = rencontres.SearchCountBound, true
				d.Pager = Pager{First: "/fr/organisations?q=a", Prev: "/fr/organisations?q=a&before=x", Next: "/fr/organisations?q=a&after=y", Shown: pageSize, Total: d.Total}
			}},
		},
		"organisation": {
			// Nothing merged into it on the demo data: the second sample
			// shows merges.
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.organisation, "/organisations/jp-431001", "key", "jp-431001")
			}, empty: []string{"Merges"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.organisation, "/organisations/jp-431001?done=saved", "key", "jp-431001")
				d := p.Data.(OrganisationPage)
				o := *d.Org
				o.Reference = map[string]string{}
				for _, f := range rencontres.RefFields {
					o.Reference[f] = "ref " + f
				}
				o.Reference["website"] = ""
				o.Address, o.Languages, o.CUFJapanGroup, o.Notes = "1-1 Tetorihonchō", []string{"ja", "fr"}, true, "Note"
				o.Created, o.Updated = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), time.Date(2026, 2, 5, 9, 0, 0, 0, time.UTC)
				d.Org = &o
				d.Merges = []*rencontres.OrgMerge{{KeptKey: o.Key, RemovedKey: "inst-kumamoto", RemovedName: rencontres.Text{"fr": "Ville de Kumamoto"},
					At: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), By: "secretariat@example.org"}}
				p.Data = d
			}},
		},
		"org_form": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) { x.run(t, p, s.newOrganisation, "/manage/organisations/new") },
				empty: []string{"Org", "Errors", "ParentCandidates"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.editOrganisation, "/manage/organisations/jp-431001/edit", "key", "jp-431001")
				d := p.Data.(*OrgForm)
				d.Errors = errorsOn(p, d.Form, "name", "coordinates", "kind", "code")
				d.ParentCandidates = []*rencontres.Organisation{{Key: "jp-430005", Kind: rencontres.Prefecture, Country: rencontres.Japan, Name: rencontres.Text{"fr": "Kumamoto", "ja": "熊本県"}}}
			}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.newOrganisation, "/manage/organisations/new")
				d := p.Data.(*OrgForm)
				d.Org = &rencontres.Organisation{Key: "inst-x"}
				d.Errors = errorsOn(p, d.Form, "name", "coordinates", "parent", "country")
				d.ParentCandidates = []*rencontres.Organisation{{Key: "jp-430005", Kind: rencontres.Prefecture, Country: rencontres.Japan, Name: rencontres.Text{"fr": "Kumamoto", "ja": "熊本県"}}}
			}},
		},
		"org_merge": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.mergeForm, "/manage/organisations/jp-431001/merge", "key", "jp-431001")
			}, empty: []string{"Form", "Errors", "Candidates", "Preview"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.mergeForm, "/manage/organisations/jp-431001/merge", "key", "jp-431001")
				d := p.Data.(*OrgMergeForm)
				d.Form = map[string]string{"from": "Kumamoto", "confirm": "1"}
				d.Errors = errorsOn(p, d.Form)
				d.Candidates = []*rencontres.Organisation{{Key: "jp-430005", Kind: rencontres.Prefecture, Country: rencontres.Japan, Name: rencontres.Text{"fr": "Kumamoto", "ja": "熊本県"}}}
			}, empty: []string{"Preview"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.mergeForm, "/manage/organisations/jp-431001/merge", "key", "jp-431001")
				d := p.Data.(*OrgMergeForm)
				d.Form = map[string]string{"from": "inst-kumamoto"}
				d.Preview = &MergePreview{From: &rencontres.Organisation{Key: "inst-kumamoto", Kind: rencontres.Municipality,
					Country: rencontres.Japan, Name: rencontres.Text{"fr": "Ville de Kumamoto", "ja": "熊本市役所"}},
					Filled: []string{"website", "population", "cuf_japan_group"}}
			}, empty: []string{"Errors", "Candidates"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.mergeForm, "/manage/organisations/jp-431001/merge", "key", "jp-431001")
				d := p.Data.(*OrgMergeForm)
				d.Form = map[string]string{"from": "inst-kumamoto", "confirm": "1"}
				d.Errors = errorsOn(p, d.Form, "confirm")
				d.Preview = &MergePreview{From: &rencontres.Organisation{Key: "inst-kumamoto", Kind: rencontres.Municipality,
					Country: rencontres.Japan, Name: rencontres.Text{"fr": "Ville de Kumamoto"}}}
			}, empty: []string{"Candidates"}},
		},
		"manage_org": {
			{role: rencontres.AuthorityContact, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.manageOrganisation, "/manage/organisations/fr-13001", "key", "fr-13001")
				x.fillOrgPage(t, p)
			}, empty: []string{"Edit", "Errors", "MoveCandidates"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				contact := x.actors[rencontres.AuthorityContact].User
				x.run(t, p, s.manageOrganisation, "/manage/organisations/fr-13001?done=moved&edit="+id(contact.ID), "key", "fr-13001")
				d := x.fillOrgPage(t, p)
				d.Errors = errorsOn(p, d.Form, "move_to")
				d.MoveID = d.Contacts[0].ID
				d.Form["move_to"] = "Kumamoto"
				var err error
				d.MoveCandidates, _, err = x.st.Organisations(context.Background(), rencontres.OrgFilter{Query: "Kumamoto", Limit: 3})
				if err != nil {
					t.Fatal(err)
				}
			}},
		},
	}
}
