package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// libraryFixture loads the demo and adds, on a call of the 7th edition,
// two practices of the library (accepted and released), one declined and
// one accepted whose decision is not released yet.
type libraryFixture struct {
	energy, youth, declined, unreleased int64
	session                             int64
}

func newLibraryFixture(t *testing.T, s *store.Store) *libraryFixture {
	t.Helper()
	ctx := context.Background()
	e7 := demoEdition(t, s, 7)
	sessions, err := s.Sessions(ctx, e7.ID)
	if err != nil || len(sessions) == 0 {
		t.Fatal(sessions, err)
	}
	released := time.Date(2022, 7, 1, 8, 0, 0, 0, time.UTC)
	org := func(key string, role rencontres.ProposalOrgRole) rencontres.ProposalOrg {
		return rencontres.ProposalOrg{Key: key, Role: role}
	}
	practice := func(fr, ja, sumFR, sumJA string, sdgs []int, d rencontres.ProposalDecision, rel *time.Time, ws int, orgs ...rencontres.ProposalOrg) *store.SeededPractice {
		return &store.SeededPractice{Workshop: ws, Proposal: rencontres.Proposal{
			Title: rencontres.Text{"fr": fr, "ja": ja}, Summary: rencontres.Text{"fr": sumFR, "ja": sumJA},
			SDGs: sdgs, Decision: d, Released: rel, Orgs: orgs}}
	}
	energy := practice("Rénovation énergétique des écoles", "学校の省エネ改修",
		"Aix-en-Provence rénove ses écoles et produit de l’énergie solaire sur leurs toits.", "エクス＝アン＝プロヴァンス市は学校を改修し、屋根で太陽エネルギーを生み出している。",
		[]int{7, 11}, rencontres.Accepted, &released, 3, org("fr-13001", rencontres.LeadProposer), org("jp-431001", rencontres.PartnerOrg))
	energy.Session = sessions[len(sessions)-2].ID
	youth := practice("Accueil de jeunes volontaires", "若者ボランティアの受け入れ",
		"Des jeunes de Shizuoka accueillis dans les services de la ville.", "静岡市の若者を市の部署で受け入れる。",
		[]int{4}, rencontres.AcceptedOther, &released, 2, org("jp-221007", rencontres.LeadProposer))
	declined := practice("Énergie des marchés", "市場のエネルギー", "Kumamoto et l’énergie.", "熊本のエネルギー。",
		[]int{7}, rencontres.Declined, &released, 1, org("jp-431001", rencontres.LeadProposer))
	unreleased := practice("Énergie des ports", "港のエネルギー", "Kumamoto et l’énergie des ports.", "熊本の港のエネルギー。",
		[]int{7}, rencontres.Accepted, nil, 1, org("jp-431001", rencontres.LeadProposer))
	call := &rencontres.Call{EventID: e7.ID, Kind: rencontres.CallPractice, Title: rencontres.Text{"fr": "Appel à bonnes pratiques"},
		Opens: released.AddDate(0, -4, 0), Deadline: released.AddDate(0, -2, 0), Released: &released}
	if err := s.SeedPractices(ctx, call, []*store.SeededPractice{energy, youth, declined, unreleased}); err != nil {
		t.Fatal(err)
	}
	return &libraryFixture{energy.Proposal.ID, youth.Proposal.ID, declined.Proposal.ID, unreleased.Proposal.ID, energy.Session}
}

// mine returns which of the fixture's practices f selects, in order.
func (fx *libraryFixture) mine(t *testing.T, s *store.Store, f rencontres.PracticeFilter) []int64 {
	t.Helper()
	f.Limit = 1000
	ps, total, err := s.Practices(context.Background(), f)
	if err != nil {
		t.Fatalf("%+v: %v", f, err)
	}
	if total != len(ps) {
		t.Errorf("%+v: total %d for %d practices", f, total, len(ps))
	}
	var out []int64
	for _, p := range ps {
		if p.ID == fx.declined || p.ID == fx.unreleased {
			t.Errorf("%+v: found proposal %d, which is not in the library", f, p.ID)
		}
		if p.ID == fx.energy || p.ID == fx.youth {
			out = append(out, p.ID)
		}
	}
	return out
}

func TestLibrarySearchAcrossScripts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fx := newLibraryFixture(t, s)
		both := []int64{fx.energy, fx.youth}
		slices.Sort(both)
		for _, c := range []struct {
			q    string
			want []int64
		}{
			{"熊本", []int64{fx.energy}},              // a partner's name in kanji
			{"くまもと", []int64{fx.energy}},            // in kana
			{"kumamoto", []int64{fx.energy}},        // in romaji
			{"Kumamoto-shi", []int64{fx.energy}},    // with its suffix
			{"énergie", []int64{fx.energy}},         // French with its accents
			{"energie", []int64{fx.energy}},         // and without
			{"ENERGETIQUE", []int64{fx.energy}},     // a word by its start, any case
			{"えねるぎー", []int64{fx.energy}},           // a katakana word typed in hiragana
			{"エネルギー", []int64{fx.energy}},           // and in katakana
			{"改修", []int64{fx.energy}},              // kanji inside a word
			{"Aix énergie", []int64{fx.energy}},     // every word must match
			{"aix shizuoka", nil},                   // two practices, one word each
			{"静岡", []int64{fx.youth}},               // the lead's name in kanji
			{"volontaires", []int64{fx.youth}},      // the title
			{"ボランティア", []int64{fx.youth}},           // the Japanese title
			{"de la", both},                         // stop words only: no condition
			{"太陽エネルギーを生み出している屋根", nil},              // a long word: its start found, then refused
			{"太陽エネルギーを生み出している", []int64{fx.energy}}, // longer than a term: checked on the text
		} {
			got := fx.mine(t, s, rencontres.PracticeFilter{Query: c.q})
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("search %q = %v, want %v", c.q, got, c.want)
			}
		}
	})
}

func TestLibraryFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		fx := newLibraryFixture(t, s)
		const rfj = "rencontres-franco-japonaises"
		for _, c := range []struct {
			name string
			f    rencontres.PracticeFilter
			want []int64
		}{
			{"SDG 7", rencontres.PracticeFilter{SDG: 7}, []int64{fx.energy}},
			{"SDG 4", rencontres.PracticeFilter{SDG: 4}, []int64{fx.youth}},
			{"SDG 1", rencontres.PracticeFilter{SDG: 1}, nil},
			{"France", rencontres.PracticeFilter{Country: rencontres.France}, []int64{fx.energy}},
			{"Japan", rencontres.PracticeFilter{Country: rencontres.Japan}, []int64{fx.energy, fx.youth}},
			{"communes", rencontres.PracticeFilter{Kind: rencontres.Commune}, []int64{fx.energy}},
			{"7th edition", rencontres.PracticeFilter{Series: rfj, Number: 7}, []int64{fx.energy, fx.youth}},
			{"6th edition", rencontres.PracticeFilter{Series: rfj, Number: 6}, nil},
			{"workshop 3", rencontres.PracticeFilter{Series: rfj, Number: 7, Workshop: 3}, []int64{fx.energy}},
			{"workshop 2", rencontres.PracticeFilter{Series: rfj, Number: 7, Workshop: 2}, []int64{fx.youth}},
			{"from 2022", rencontres.PracticeFilter{From: 2022, To: 2022}, []int64{fx.energy, fx.youth}},
			{"from 2023", rencontres.PracticeFilter{From: 2023}, nil},
			{"Aix's", rencontres.PracticeFilter{OrgKey: "fr-13001"}, []int64{fx.energy}},
			{"Kumamoto's", rencontres.PracticeFilter{OrgKey: "jp-431001"}, []int64{fx.energy}},
			{"SDG and search", rencontres.PracticeFilter{SDG: 4, Query: "静岡"}, []int64{fx.youth}},
			{"SDG 11 in France", rencontres.PracticeFilter{SDG: 11, Country: rencontres.France}, []int64{fx.energy}},
			{"SDG 4 in France", rencontres.PracticeFilter{SDG: 4, Country: rencontres.France}, nil},
			{"SDG 7 in workshop 3", rencontres.PracticeFilter{SDG: 7, Series: rfj, Number: 7, Workshop: 3}, []int64{fx.energy}},
			{"SDG 7 in 2023", rencontres.PracticeFilter{SDG: 7, From: 2023}, nil},
		} {
			got := fx.mine(t, s, c.f)
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", c.name, got, want)
			}
		}
		_, _, err := s.Practices(ctx, rencontres.PracticeFilter{Series: rfj, Number: 99})
		wantError(t, "an unknown edition", err, rencontres.EINVALID, "edition", "error.param_edition")
		_, _, err = s.Practices(ctx, rencontres.PracticeFilter{Series: rfj, Number: 7, Workshop: 9})
		wantError(t, "an unknown workshop", err, rencontres.EINVALID, "workshop", "error.param_workshop")
		_, _, err = s.Practices(ctx, rencontres.PracticeFilter{Page: 1000})
		wantError(t, "a page past the last", err, rencontres.EINVALID, "page", "error.param_page")
		if _, _, err := s.Practices(ctx, rencontres.PracticeFilter{Page: 1, Query: "zzzzz"}); err != nil {
			t.Errorf("the first page of nothing: %v", err)
		}

		// One practice: its authorities, edition, workshop and session.
		p, err := s.Practice(ctx, fx.energy)
		if err != nil {
			t.Fatal(err)
		}
		if p.Lead() == nil || p.Lead().Key != "fr-13001" || len(p.Orgs) != 2 || p.Orgs[1].Key != "jp-431001" || p.Orgs[1].Role != rencontres.PartnerOrg {
			t.Errorf("authorities %+v", p.Orgs)
		}
		if p.Edition == nil || p.Edition.Number != 7 || p.Edition.Year != 2022 || p.Edition.Series != rfj {
			t.Errorf("edition %+v", p.Edition)
		}
		if p.Workshop != 3 || p.WorkshopTitle["fr"] != "Atelier environnement" {
			t.Errorf("workshop %d %v", p.Workshop, p.WorkshopTitle)
		}
		if p.Session == nil || p.Session.ID != fx.session || p.Session.TimeZone != "Europe/Paris" {
			t.Errorf("session %+v", p.Session)
		}
		if !slices.Equal(p.SDGs, []int{7, 11}) || p.Title["ja"] != "学校の省エネ改修" {
			t.Errorf("practice %+v", p)
		}
		for _, id := range []int64{fx.declined, fx.unreleased, 987654} {
			if _, err := s.Practice(ctx, id); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
				t.Errorf("proposal %d: %v, want not found", id, err)
			}
		}

		// The decision released later: the practice enters the library at
		// its reindex, and leaves it when withdrawn.
		if err := s.ReleasePracticeForTest(ctx, fx.unreleased, "2022-07-02T08:00:00Z"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Practice(ctx, fx.unreleased); err != nil {
			t.Errorf("released: %v", err)
		}
		// Its SDG (practice_sdgs, kept by the reindex) finds it, newest first.
		if ps, _, err := s.Practices(ctx, rencontres.PracticeFilter{SDG: 7, Series: rfj, Number: 7, Limit: 1000}); err != nil ||
			!slices.ContainsFunc(ps, func(p *rencontres.Practice) bool { return p.ID == fx.unreleased }) {
			t.Errorf("SDG 7 after the release does not find it: %v", err)
		}
		ps, _, err := s.Practices(ctx, rencontres.PracticeFilter{Query: "港"})
		if err != nil || len(ps) != 1 || ps[0].ID != fx.unreleased {
			t.Errorf("search after the release: %v, %v", ps, err)
		}
		if err := s.WithdrawPracticeForTest(ctx, fx.unreleased); err != nil {
			t.Fatal(err)
		}
		if ps, _, _ := s.Practices(ctx, rencontres.PracticeFilter{Query: "港"}); len(ps) != 0 {
			t.Errorf("a withdrawn practice is still found")
		}
		if ps, _, err := s.Practices(ctx, rencontres.PracticeFilter{SDG: 7, Limit: 1000}); err != nil ||
			slices.ContainsFunc(ps, func(p *rencontres.Practice) bool { return p.ID == fx.unreleased }) {
			t.Errorf("SDG 7 still finds the withdrawn practice (%v)", err)
		}
	})
}
