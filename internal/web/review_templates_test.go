package web

import (
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// reviewSamples are the samples of the review's pages, built by hand: the
// demo holds no call (the handlers run on real data in the server's
// tests).
func (x *sampler) reviewSamples() map[string][]sample {
	now := time.Date(2022, 5, 10, 9, 0, 0, 0, time.UTC)
	opens, closes := now.Add(-24*time.Hour), now.Add(240*time.Hour)
	call := func() *rencontres.Call {
		return &rencontres.Call{ID: 3, EventID: x.edition, Kind: rencontres.CallPractice, Title: rencontres.Text{"fr": "Appel à bonnes pratiques", "ja": "優良事例の募集"},
			Categories: []rencontres.ScoreCategory{{Key: "relevance", Label: rencontres.Text{"fr": "Pertinence", "ja": "テーマとの関連性"}, Min: 1, Max: 5, Weight: 2},
				{Key: "innovation", Label: rencontres.Text{"fr": "Innovation", "ja": "革新性"}, Min: 0, Max: 10, Weight: 1}},
			Visibility: rencontres.SeeAfterOwn, MinReviews: 2, ReviewOpens: &opens, ReviewCloses: &closes,
			Letters: map[rencontres.ProposalDecision]rencontres.Text{rencontres.Accepted: {"fr": "Retenue\n{{title}}"}}}
	}
	proposal := func() *rencontres.Proposal {
		return &rencontres.Proposal{ID: 7, CallID: 3, Title: rencontres.Text{"fr": "Tramway de Kumamoto", "ja": "熊本市電"}, Summary: rencontres.Text{"fr": "Un tramway."},
			Workshop: 1, Orgs: []rencontres.ProposalOrg{{Key: "jp-431001", Name: rencontres.Text{"fr": "Kumamoto", "ja": "熊本市"}, Role: rencontres.LeadProposer}},
			Presenters: []rencontres.Presenter{{Person: "Kenji MORI"}}, ContactName: "Haruto KATO", ContactEmail: "koho@example.org", Decision: rencontres.Accepted,
			Released: &now, SessionID: 1, DecisionNote: rencontres.Text{"fr": "Vingt minutes."}}
	}
	review := func() *rencontres.Review {
		return &rencontres.Review{ProposalID: 7, UserID: 9, Reviewer: "Bernard LEROY", Scores: map[string]int{"relevance": 5, "innovation": 8},
			CommentAuthors: "Très clair.", CommentCommittee: "À retenir.", Submitted: now, Updated: now}
	}
	workshops := map[int]rencontres.Text{1: {"fr": "Atelier économie", "ja": "経済分科会"}, 2: {"fr": "Atelier société", "ja": "社会分科会"}}
	mean, spread := 76.7, 3.2
	reviewers := []*rencontres.Reviewer{{UserID: 9, Name: "Bernard LEROY", Email: "b@example.org", Role: rencontres.CommitteeMember, Assigned: 1, Done: 1}}
	return map[string][]sample{
		"review_list": {{role: rencontres.CommitteeMember, fill: func(t *testing.T, p *Page) {
			pr := proposal()
			pr.Title = rencontres.Text{"fr": "Tramway"}
			p.Data = ReviewList{Items: []ReviewItem{{Proposal: pr, Call: call(), Reviewed: true}, {Proposal: proposal(), Call: call()}}, Done: "conflict"}
		}}},
		"review_form": {
			{role: rencontres.CommitteeMember, fill: func(t *testing.T, p *Page) {
				p.Data = &ReviewForm{Proposal: proposal(), Call: call(), Workshop: workshops[1], Phase: rencontres.ReviewOpen, Own: review(),
					Others: []*rencontres.Review{review()}, Form: map[string]string{"score_relevance": "5", "comment_authors": "Très clair."},
					Errors: map[string]string{"form": "x", "proposal": "x", "score_relevance": "x", "score_innovation": "x", "comment_authors": "x", "reason": "x"}, Done: "saved"}
			}},
			// A blind call, before any review.
			{role: rencontres.CommitteeMember, fill: func(t *testing.T, p *Page) {
				c := call()
				c.Blind = true
				p.Data = &ReviewForm{Proposal: proposal(), Call: c, Phase: rencontres.ReviewClosed, Form: map[string]string{}, Errors: map[string]string{}}
			}, empty: []string{"Own", "Others", "Workshop", "Form", "Errors"}},
		},
		"review_manage": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			d := &rencontres.Dashboard{CallID: 3, Phase: rencontres.ReviewOpen, MinReviews: 2, Reviewers: reviewers, TooFew: 1, Pending: 1,
				Proposals: []rencontres.DashboardRow{{ProposalID: 7, Title: proposal().Title, Reviews: 2, Assigned: 2, Mean: &mean, Spread: &spread, Decision: rencontres.Accepted},
					{ProposalID: 8, Title: rencontres.Text{"fr": "Jardins"}, Workshop: 2, Reviews: 0, TooFew: true, Pending: true}}}
			p.Data = &ReviewManage{Call: call(), Dashboard: d, Opens: "1 mars 2022", Closes: "15 avril 2022", DecisionsAt: "29 avril 2022", Assigned: map[int64][]*rencontres.Reviewer{7: reviewers}, Workshops: workshops,
				Form: map[string]string{"k": "2"}, Errors: map[string]string{"form": "x", "k": "x", "proposal_8": "x"}, Done: "spread"}
		}}},
		"review_decision": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			p.Data = &DecisionForm{Call: call(), Proposal: proposal(), Reviews: []*rencontres.Review{review()}, Mean: &mean, Workshops: workshops,
				WorkshopNumbers: []int{1, 2}, Sessions: []*rencontres.Session{{ID: 1, Title: rencontres.Text{"fr": "Atelier économie"}}}, Decisions: rencontres.ProposalDecisions,
				Form:   map[string]string{"decision": "accepted_other", "workshop": "1", "session": "1", "note_fr": "Vingt minutes."},
				Errors: map[string]string{"form": "x", "call": "x", "decision": "x", "workshop": "x", "session_id": "x", "note_fr": "x"}, Done: "saved"}
		}}},
		"review_release": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				p.Data = &ReleasePage{Call: call(), Decisions: rencontres.ProposalDecisions, Counts: map[rencontres.ProposalDecision]int{rencontres.Accepted: 2},
					Undecided: 1, Fields: rencontres.LetterFields, Form: map[string]string{"letter_accepted_fr": "Retenue\n{{title}}"},
					Errors: map[string]string{"form": "x", "call": "x", "decisions": "x", "session_id": "x", "letters_declined": "x", "letters_accepted_ja": "x"}, Done: "letters"}
			}, empty: []string{"Places", "Sessions", "Rooms", "Blocked"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				p.Data = &ReleasePage{Call: call(), Decisions: rencontres.ProposalDecisions, Counts: map[rencontres.ProposalDecision]int{rencontres.Accepted: 2},
					Fields: rencontres.LetterFields, Zone: "heure de Paris",
					Places:   []ReleasePlace{{Workshop: 1, Title: rencontres.Text{"fr": "Atelier économie", "ja": "経済分科会"}, Count: 2}, {Workshop: 3, Title: rencontres.Text{"fr": "Atelier environnement"}, Count: 1}},
					Sessions: []SessionChoice{{ID: 4, Label: "Atelier économie — 5 octobre 2022 9 h 30–12 h"}},
					Rooms:    []*rencontres.Room{{ID: 2, Name: rencontres.Text{"fr": "Salle Granet"}, Capacity: 60}},
					Blocked:  []BlockedDecision{{ProposalID: 7, Title: rencontres.Text{"fr": "Jardins partagés"}, Message: "Léa PETIT intervient déjà à ce moment."}},
					Form:     map[string]string{"place_1": "4", "place_3": "new", "new_3_day": "2022-10-05", "new_3_start": "14:00", "new_3_end": "16:00", "new_3_room": "2"},
					Errors: map[string]string{"placements_1_session_id": "x", "placements_3": "x", "placements_3_day": "x", "placements_3_start": "x",
						"placements_3_end": "x", "placements_3_room": "x", "proposals_7": "x"}}
			}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				c := call()
				c.Released = &now
				p.Data = &ReleasePage{Call: c, Decisions: rencontres.ProposalDecisions, Counts: map[rencontres.ProposalDecision]int{rencontres.Accepted: 2},
					Fields: rencontres.LetterFields, Form: map[string]string{}, Errors: map[string]string{}, Done: "released"}
			}, empty: []string{"Form", "Errors", "Places", "Sessions", "Rooms", "Blocked"}},
		},
	}
}
