package web

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// practiceFixture is a call open now on the 7th edition, with a required
// question and a proposal of Aix-en-Provence (the sampler's contact's
// authority) carrying a document; and a call on the demo campaign's
// meeting, which the draft campaign points to.
type practiceFixture struct {
	open, meeting *rencontres.Call
	proposal      *rencontres.Proposal
}

var (
	practiceMu       sync.Mutex
	practiceFixtures = map[*sampler]*practiceFixture{}
)

// practice makes the sampler's calls and proposal once.
func (x *sampler) practice(t *testing.T) *practiceFixture {
	t.Helper()
	practiceMu.Lock()
	defer practiceMu.Unlock()
	if f := practiceFixtures[x]; f != nil {
		return f
	}
	ctx := context.Background()
	now := time.Now()
	contact := x.actors[rencontres.AuthorityContact].User
	f := &practiceFixture{
		open: &rencontres.Call{EventID: x.edition, Kind: rencontres.CallPractice,
			Title: rencontres.Text{"fr": "Appel à bonnes pratiques", "ja": "優良事例の募集", "en": "Call for good practices"},
			Intro: rencontres.Text{"fr": "Présentez une politique locale réussie.\n\nVoir https://rencontres.example.org."},
			Opens: now.AddDate(0, -1, 0), Deadline: now.AddDate(0, 1, 0), Workshops: []int{1, 2, 3},
			Questions: []rencontres.Question{{Key: "budget", Label: rencontres.Text{"fr": "Budget"}, Kind: rencontres.ChoiceQuestion, Required: true,
				Options: []rencontres.Option{{Value: "small", Label: rencontres.Text{"fr": "Moins de 100 000 €"}}, {Value: "large", Label: rencontres.Text{"fr": "Plus"}}}},
				{Key: "public", Label: rencontres.Text{"fr": "Public"}, Kind: rencontres.YesNoQuestion},
				{Key: "since", Label: rencontres.Text{"fr": "Depuis"}, Kind: rencontres.DateQuestion}},
			Categories: []rencontres.ScoreCategory{{Key: "relevance", Label: rencontres.Text{"fr": "Pertinence"}, Min: 1, Max: 5, Weight: 2}},
			MinReviews: 2},
		meeting: &rencontres.Call{EventID: x.meeting, Kind: rencontres.CallSuggestion, Title: rencontres.Text{"fr": "Vos suggestions d’ateliers"},
			Opens: now.AddDate(0, -1, 0), Deadline: now.AddDate(0, 1, 0)},
	}
	for _, c := range []*rencontres.Call{f.open, f.meeting} {
		if err := x.st.SaveCall(ctx, c, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.st.SetCampaignCall(ctx, x.draft, f.meeting.ID); err != nil {
		t.Fatal(err)
	}
	f.proposal = &rencontres.Proposal{CallID: f.open.ID, Title: rencontres.Text{"fr": "Des navettes électriques"},
		Summary: rencontres.Text{"fr": "Six navettes gratuites.\n\nDepuis 2019."}, SDGs: []int{7, 11}, Workshop: 3,
		Answers:    map[string]string{"budget": "small"},
		Orgs:       []rencontres.ProposalOrg{{Key: "fr-13001", Role: rencontres.LeadProposer}, {Key: "jp-431001", Role: rencontres.PartnerOrg}},
		Presenters: []rencontres.Presenter{{UserID: contact.ID}, {Person: "Sophie BLANC", Function: rencontres.Text{"fr": "Adjointe"}}}}
	if err := x.st.SaveProposal(ctx, f.proposal, contact.ID, now); err != nil {
		t.Fatal(err)
	}
	doc := &rencontres.ProposalDocument{ProposalID: f.proposal.ID, Name: "navettes.pdf"}
	if err := x.st.AddProposalDocument(ctx, doc, []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"), contact.ID); err != nil {
		t.Fatal(err)
	}
	practiceFixtures[x] = f
	return f
}

// callSamples are the samples of the calls' and proposals' pages.
func (x *sampler) callSamples() map[string][]sample {
	s := x.site
	ed := "/events/" + id(x.edition)
	return map[string][]sample{
		"calls": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			x.practice(t)
			x.run(t, p, s.eventCalls, ed+"/calls?done=saved", "event", id(x.edition))
		}}},
		"call_form": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) { x.run(t, p, s.newCall, ed+"/calls/new", "event", id(x.edition)) },
				empty: []string{"Call", "Errors", "Chosen"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				c := x.practice(t).open
				x.run(t, p, s.editCall, "/calls/"+id(c.ID)+"/edit", "call", id(c.ID))
				d := p.Data.(*CallForm)
				d.Errors = errorsOn(p, d.Form, "workshops", "questions[0]", "categories[0]")
				d.Proposals = 0
			}},
		},
		"call_proposals": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			c := x.practice(t).open
			x.run(t, p, s.callProposals, "/calls/"+id(c.ID)+"/proposals", "call", id(c.ID))
			d := p.Data.(*CallProposalsPage)
			d.Pager = Pager{First: "/fr/calls/1/proposals", Prev: "/fr/calls/1/proposals?before=x", Next: "/fr/calls/1/proposals?after=y", Shown: 1, Total: 201}
		}}},
		"call": {
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
				c := x.practice(t).open
				x.run(t, p, s.callPage, "/calls/"+id(c.ID), "call", id(c.ID))
			}, empty: []string{"Mine"}},
			{role: rencontres.AuthorityContact, fill: func(t *testing.T, p *Page) {
				c := x.practice(t).open
				x.run(t, p, s.callPage, "/calls/"+id(c.ID), "call", id(c.ID))
			}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				c := x.practice(t).meeting
				x.run(t, p, s.callPage, "/calls/"+id(c.ID), "call", id(c.ID))
				d := p.Data.(*CallPage)
				d.Open, d.NotYet = false, true
			}, empty: []string{"Mine", "Workshops"}},
		},
		"proposal_form": {
			{role: rencontres.AuthorityContact, fill: func(t *testing.T, p *Page) {
				c := x.practice(t).open
				x.run(t, p, s.newProposal, "/calls/"+id(c.ID)+"/propose", "call", id(c.ID))
			}, empty: []string{"Proposal", "Documents", "Errors", "Goals", "Chosen", "LeadCandidates"}},
			// The secretariat, for an authority whose name matched several.
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				c := x.practice(t).open
				x.run(t, p, s.newProposal, "/calls/"+id(c.ID)+"/propose?org=fr-13001", "call", id(c.ID))
				d := p.Data.(*ProposalForm)
				d.LeadCandidates = []*rencontres.Organisation{{Key: "fr-13001", Name: rencontres.Text{"fr": "Aix-en-Provence"}}}
				d.Errors = errorsOn(p, nil, "organisation")
			}, empty: []string{"Proposal", "Documents", "Goals", "Chosen"}},
			{role: rencontres.AuthorityContact, fill: func(t *testing.T, p *Page) {
				pr := x.practice(t).proposal
				x.run(t, p, s.editProposal, "/proposals/"+id(pr.ID)+"/edit", "proposal", id(pr.ID))
				d := p.Data.(*ProposalForm)
				d.Errors = errorsOn(p, d.Form, "organisation", "title", "summary", "workshop", "sdgs", "presenters[2]", "organisations",
					"org0", "file", "answers.budget", "answers.public", "answers.since")
				d.OrgRows[0].Candidates = []*rencontres.Organisation{{Key: "fr-13001", Name: rencontres.Text{"fr": "Aix-en-Provence"}}}
				d.Orgs = append(d.Orgs, "fr-13055")
			}, empty: []string{"LeadCandidates"}},
		},
		"proposal": {
			{role: rencontres.AuthorityContact, fill: func(t *testing.T, p *Page) {
				pr := x.practice(t).proposal
				x.run(t, p, s.proposalPage, "/proposals/"+id(pr.ID)+"?done=saved", "proposal", id(pr.ID))
			}},
			// As the secretariat, once the decision is released.
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				pr := x.practice(t).proposal
				x.run(t, p, s.proposalPage, "/proposals/"+id(pr.ID), "proposal", id(pr.ID))
				d := p.Data.(*ProposalPage)
				now := time.Now()
				released := *d.Proposal
				released.Decision, released.DecisionWorkshop, released.Released = rencontres.AcceptedOther, 2, &now
				released.DecisionNote = rencontres.Text{"fr": "Bienvenue à l’atelier société."}
				d.Proposal, d.DecisionWorkshop, d.MayEdit = &released, "Atelier société", false
			}},
		},
		"org_proposals": {{role: rencontres.AuthorityContact, fill: func(t *testing.T, p *Page) {
			x.practice(t)
			x.run(t, p, s.orgProposals, "/manage/organisations/fr-13001/proposals", "key", "fr-13001")
		}}},
	}
}
