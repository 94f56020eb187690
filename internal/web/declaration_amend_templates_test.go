package web

import (
	"context"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/declaration"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// amendmentSamples are the samples of the amendments' pages, built by
// hand (the handlers run on real data in the server's tests).
func (x *sampler) amendmentSamples() map[string][]sample {
	now := time.Date(2022, 9, 10, 10, 0, 0, 0, time.UTC)
	opens, closes := now.Add(-72*time.Hour), now.Add(240*time.Hour)
	decl := func() *rencontres.Declaration {
		return &rencontres.Declaration{ID: 4, EditionID: x.edition, Title: rencontres.Text{"fr": "Déclaration d’Aix-en-Provence", "ja": "エクス＝アン＝プロヴァンス宣言"},
			State: rencontres.DeclarationDraft, Rev: 6, AmendOpens: &opens, AmendCloses: &closes, TimeZone: "Europe/Paris",
			Segments: []*rencontres.Segment{{ID: 11, Position: 1024, Kind: rencontres.SegmentArticle, Number: 1, Version: 3,
				Text: rencontres.Text{"fr": "Les collectivités coopèrent.", "ja": "自治体は協力する。", "en": "The authorities cooperate."}}}}
	}
	amendment := func() *rencontres.Amendment {
		return &rencontres.Amendment{ID: 9, DeclarationID: 4, SegmentID: 11, BaseVersion: 2, Kind: rencontres.AmendAddAfter, NewKind: rencontres.SegmentParagraph,
			OrgKey: "jp-261009", OrgName: rencontres.Text{"ja": "京都市"}, AuthorID: 3, Lang: rencontres.Japanese,
			Text: rencontres.Text{"ja": "職員を共に研修する。"}, Justification: rencontres.Text{"ja": "研修が必要なため。"}, State: rencontres.AmendmentRejected,
			Reason: rencontres.Text{"fr": "Hors sujet."}, MergedInto: 12, Supporters: []string{"fr-13055"}, DecidedBy: 2, DecidedAt: &now, CreatedAt: now, UpdatedAt: now}
	}
	orgs := func(t *testing.T, p *Page) {
		if err := x.site.loadOrgs(context.Background(), p, "jp-261009", "fr-13055", "fr-67482"); err != nil {
			t.Fatal(err)
		}
	}
	rights := &declaration.Rights{Reads: true, Drafts: true, For: []string{"fr-13055", "fr-67482"}}
	return map[string][]sample{
		"declaration_amendments": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				orgs(t, p)
				merged := amendment()
				merged.OrgKey, merged.Text["fr"] = "", "Les agents se forment ensemble."
				p.Data = AmendmentList{Decl: decl(), Rows: []AmendRow{{A: amendment(), Seg: decl().Segments[0]}, {A: merged}}, State: "rejected",
					States: amendmentStates, Counts: map[rencontres.AmendmentState]int{rencontres.AmendmentRejected: 2}, Rights: rights, Proposes: true, Now: now}
			}},
			{role: rencontres.Participant, fill: func(t *testing.T, p *Page) {
				d := decl()
				d.AmendOpens, d.AmendCloses = nil, nil
				p.Data = AmendmentList{Decl: d, States: amendmentStates, Counts: map[rencontres.AmendmentState]int{}, Rights: &declaration.Rights{Reads: true}, Now: now}
			}, empty: []string{"Rows", "Counts"}},
		},
		"declaration_amendment": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				orgs(t, p)
				a := amendment()
				p.Data = &AmendmentView{Decl: decl(), A: a, Seg: decl().Segments[0], Diffs: amendmentDiffs(a, decl().Segments[0].Text),
					Supports: []string{"fr-67482", "fr-13055"}, Unsupports: []string{"fr-13055"}, Withdraws: true, Decides: true, Stale: true,
					Missing: []rencontres.Lang{rencontres.French}, Form: map[string]string{"reason": "Hors sujet.", "text": "x"},
					Errors: map[string]string{"form": "x", "text": "x", "reason": "x", "organisation": "x"}, Done: "accepted"}
			}},
			// The committee's own amendment, its segment deleted since, read
			// by a participant.
			{role: rencontres.Participant, fill: func(t *testing.T, p *Page) {
				a := amendment()
				a.OrgKey, a.Kind, a.State, a.MergedInto, a.Supporters = "", rencontres.AmendDelete, rencontres.AmendmentAccepted, 0, []string{}
				p.Data = &AmendmentView{Decl: decl(), A: a, Diffs: amendmentDiffs(a, decl().Segments[0].Text), Stale: true,
					Form: map[string]string{}, Errors: map[string]string{}}
			}, empty: []string{"Seg", "Supports", "Unsupports", "Missing", "Form", "Errors"}},
		},
		"declaration_amendment_form": {
			{role: rencontres.AuthorityContact, fill: func(t *testing.T, p *Page) {
				orgs(t, p)
				p.Data = &AmendmentForm{Decl: decl(), Seg: decl().Segments[0], Orgs: []string{"fr-13055", "fr-67482"}, Kinds: rencontres.AmendmentKinds,
					SegKind: rencontres.SegmentKinds, Rebased: true,
					Form:   map[string]string{"organisation": "fr-67482", "kind": "add_after", "new_kind": "article", "lang": "fr", "text": "Texte.", "justification": "Parce que.", "base_version": "3"},
					Errors: map[string]string{"form": "x", "segment": "x", "organisation": "x", "kind": "x", "new_kind": "x", "lang": "x", "text": "x", "justification": "x"}}
			}},
			{role: rencontres.AuthorityContact, fill: func(t *testing.T, p *Page) {
				orgs(t, p)
				p.Data = &AmendmentForm{Decl: decl(), Seg: decl().Segments[0], Orgs: []string{"fr-13055"}, Kinds: rencontres.AmendmentKinds,
					SegKind: rencontres.SegmentKinds, Form: map[string]string{"kind": "change", "lang": "ja", "base_version": "3"}, Errors: map[string]string{}}
			}, empty: []string{"Errors"}},
		},
		"declaration_amendment_merge": {
			{role: rencontres.CommitteeMember, fill: func(t *testing.T, p *Page) {
				orgs(t, p)
				d := decl()
				p.Data = &MergeForm{Decl: d, Segments: d.Segments, Seg: d.Segments[0], Amends: []*rencontres.Amendment{amendment()}, Chosen: []int64{9},
					Kinds: rencontres.AmendmentKinds, SegKind: rencontres.SegmentKinds,
					Form:   map[string]string{"kind": "change", "text_fr": "Texte.", "text_ja": "本文。", "justification": "Synthèse.", "base_version": "3"},
					Errors: map[string]string{"form": "x", "amendments": "x", "kind": "x", "text_fr": "x", "text_ja": "x", "justification": "x"}}
			}},
			{role: rencontres.CommitteeMember, fill: func(t *testing.T, p *Page) {
				p.Data = &MergeForm{Decl: decl(), Kinds: rencontres.AmendmentKinds, SegKind: rencontres.SegmentKinds, Form: map[string]string{}, Errors: map[string]string{}}
			}, empty: []string{"Segments", "Seg", "Amends", "Chosen", "Form", "Errors"}},
		},
	}
}
