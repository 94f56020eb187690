package server

import (
	"context"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// openCall opens a call for good practices on the edition, from a month
// ago to a month ahead, with a required question, and has the contact
// propose for its authority (Kumamoto), with Aix-en-Provence as partner.
func openCall(t *testing.T, st *store.Store, edition int64, contact *rencontres.User) (call, proposal int64) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	c := &rencontres.Call{EventID: edition, Kind: rencontres.CallPractice,
		Title: rencontres.Text{"fr": "Appel à bonnes pratiques", "ja": "優良事例の募集", "en": "Call for good practices"},
		Intro: rencontres.Text{"fr": "Présentez une politique locale réussie.", "ja": "優れた地域政策をご紹介ください。"},
		Opens: now.AddDate(0, -1, 0).Truncate(time.Second), Deadline: now.AddDate(0, 1, 0).Truncate(time.Second), Workshops: []int{1, 2, 3},
		Questions:  []rencontres.Question{{Key: "budget", Label: rencontres.Text{"fr": "Budget annuel", "ja": "年間予算"}, Kind: rencontres.TextQuestion, Required: true}},
		Categories: []rencontres.ScoreCategory{{Key: "relevance", Label: rencontres.Text{"fr": "Pertinence"}, Min: 1, Max: 5, Weight: 1}}}
	if err := st.SaveCall(ctx, c, 0); err != nil {
		t.Fatal(err)
	}
	p := &rencontres.Proposal{CallID: c.ID, Title: rencontres.Text{"ja": "熊本城下のまちづくり"}, Summary: rencontres.Text{"ja": "城下町の再生。"},
		SDGs: []int{11}, Workshop: 3, Answers: map[string]string{"budget": "5000万円"},
		Orgs:        []rencontres.ProposalOrg{{Key: "jp-431001", Role: rencontres.LeadProposer}, {Key: "fr-13001", Role: rencontres.PartnerOrg}},
		Presenters:  []rencontres.Presenter{{UserID: contact.ID}},
		ContactName: "熊本市国際課", ContactEmail: "kokusai@kumamoto.example.org"}
	if err := st.SaveProposal(ctx, p, contact.ID, now); err != nil {
		t.Fatal(err)
	}
	// Its confirmation would count among the emails other tests expect.
	if err := st.CancelProposalMail(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	return c.ID, p.ID
}
