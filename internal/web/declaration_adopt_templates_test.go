package web

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/declaration"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// adoptionSamples are the samples of the adoption's page in each state
// and of the published declaration: the adopted ones run the handlers on
// the demo's declaration (adopted by endorsement); the draft and the vote
// under way are built by hand.
func (x *sampler) adoptionSamples() map[string][]sample {
	s := x.site
	demoDecl := func(t *testing.T) *rencontres.Declaration {
		d, err := x.st.DeclarationOfEdition(context.Background(), x.edition)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	now := time.Date(2022, 10, 5, 10, 0, 0, 0, time.UTC)
	until := now.Add(26 * time.Hour)
	handMade := func(t *testing.T, state rencontres.DeclarationState) *rencontres.Declaration {
		d := demoDecl(t)
		d.State, d.Mode, d.FrozenAt, d.AdoptedAt, d.EndorseUntil = state, rencontres.AdoptionVote, &now, nil, nil
		return d
	}
	orgs := func(t *testing.T, p *Page) {
		if err := s.loadOrgs(context.Background(), p, "jp-261009", "fr-13055", "fr-67482"); err != nil {
			t.Fatal(err)
		}
	}
	return map[string][]sample{
		"declaration_adoption": {
			// Adopted, with its correction: the corrections' form.
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				d := demoDecl(t)
				sg := d.Segments[2]
				if _, err := x.st.CorrectDeclaration(context.Background(), d.ID, []*rencontres.Segment{{ID: sg.ID, Version: sg.Version,
					Text: rencontres.Text{"fr": sg.Text["fr"] + " Elles s’y engagent.", "ja": sg.Text["ja"] + "これを約束する。"}}},
					rencontres.Text{"fr": "Phrase omise", "ja": "脱落した文"}, 0, time.Now()); err != nil && rencontres.ErrorCode(err) != rencontres.ECONFLICT {
					t.Fatal(err)
				}
				id := strconv.FormatInt(d.ID, 10)
				x.run(t, p, s.adoptionPage, "/declarations/"+id+"/adoption?done=corrected", "declaration", id)
				a := p.Data.(*AdoptionPage)
				a.Form = map[string]string{"reason_fr": "Coquille", a.SegmentField(sg.ID, rencontres.Japanese): "修正"}
				a.Errors = map[string]string{"form": "x", "segments": "x", "reason": "x", a.SegmentField(sg.ID, rencontres.French): "x", "segment_" + strconv.FormatInt(sg.ID, 10): "x"}
			}, empty: []string{"Endorses", "Endorsed", "Pending", "Leave"}},
			// A draft: the freeze's form, refused.
			{role: rencontres.CommitteeMember, fill: func(t *testing.T, p *Page) {
				orgs(t, p)
				d := handMade(t, rencontres.DeclarationDraft)
				d.Mode, d.FrozenAt = "", nil
				p.Data = &AdoptionPage{Decl: d, Drafts: true, Rows: []AdoptionRow{{OrgKey: "fr-13055"}},
					Form:    map[string]string{"mode": "endorsement", "endorse_until": "2022-10-06T12:00"},
					Errors:  map[string]string{"form": "x", "mode": "x", "endorse_until": "x"},
					Pending: []*rencontres.Amendment{{ID: 7, OrgKey: "fr-13055", OrgName: rencontres.Text{"fr": "Marseille", "ja": "マルセイユ市"}, State: rencontres.AmendmentProposed}},
					Leave:   []int64{7}}
			}, empty: []string{"Endorses", "Endorsed", "Corrections"}},
			// A vote under way, recorded by the committee.
			{role: rencontres.CommitteeMember, fill: func(t *testing.T, p *Page) {
				orgs(t, p)
				d := handMade(t, rencontres.DeclarationFrozen)
				p.Data = &AdoptionPage{Decl: d, Drafts: true, For: 1, Against: 1, Abstain: 0,
					Rows:   []AdoptionRow{{OrgKey: "fr-13055", Choice: rencontres.VoteFor, At: now}, {OrgKey: "jp-261009", Choice: rencontres.VoteAgainst, At: now}, {OrgKey: "fr-67482"}},
					Form:   map[string]string{"organisation": "fr-67482", "choice": "abstain"},
					Errors: map[string]string{"form": "x", "organisation": "x", "choice": "x", "adopt": "x"}, Done: "voted"}
			}, empty: []string{"Endorses", "Endorsed", "Corrections", "Pending", "Leave"}},
			// An endorsement under way, read by a contact who signs.
			{role: rencontres.AuthorityContact, fill: func(t *testing.T, p *Page) {
				orgs(t, p)
				d := handMade(t, rencontres.DeclarationFrozen)
				d.Mode, d.EndorseUntil = rencontres.AdoptionEndorsement, &until
				ev := &rencontres.Event{TimeZone: d.TimeZone}
				here, there := bothZones(p, until, ev)
				p.Data = &AdoptionPage{Decl: d, Endorse: 1, Rows: []AdoptionRow{{OrgKey: "fr-13055", Choice: rencontres.Endorse, At: now}, {OrgKey: "fr-67482"}},
					Endorses: []string{"fr-67482"}, Endorsed: []string{"fr-13055"}, EndorseUntil: here, EndorseUntilElsewhere: there, EndorseOpen: true,
					Form: map[string]string{}, Errors: map[string]string{"organisation": "x"}, Done: "endorsed"}
			}, empty: []string{"Corrections", "Form", "Pending", "Leave"}},
		},
		"declaration_public": {
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.publicDeclaration, "/series/rencontres-franco-japonaises/7/declaration", "series", "rencontres-franco-japonaises", "number", "7")
				d := p.Data.(PublicDeclaration)
				if len(d.Corrections) == 0 {
					d.Corrections = []declaration.Corrected{{DeclarationCorrection: &rencontres.DeclarationCorrection{ID: 1, Rev: 40, Reason: rencontres.Text{"fr": "Coquille"}, At: now},
						Changes: []declaration.Change{{SegmentID: d.Decl.Segments[2].ID, Kind: rencontres.SegmentArticle,
							Before: rencontres.Text{"fr": "Les collectivités coopèrent.", "ja": "自治体は協力する。"}, After: d.Decl.Segments[2].Text}}}}
				}
				p.Data = d
			}},
		},
	}
}
