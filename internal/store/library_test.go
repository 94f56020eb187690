package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// seedLibrary adds n practices of the library as scripts/librarybench
// does, on the 7th to 9th editions, a few released at the same instant
// (their order then is by id), some with a session; and one accepted
// practice then withdrawn without a reindex, which is counted but not
// shown.
func seedLibrary(t *testing.T, s *store.Store, n int) {
	t.Helper()
	ctx := context.Background()
	d, err := demo.Parse()
	if err != nil {
		t.Fatal(err)
	}
	var orgs []string
	for _, o := range d.Organisations {
		if o.Kind != rencontres.Institution {
			orgs = append(orgs, o.Key)
		}
	}
	sentences := [][2]string{
		{"La ville rénove ses écoles pour économiser l’énergie.", "市は省エネのために学校を改修している。"},
		{"Les habitants plantent une forêt urbaine.", "市民が都市の森を植えている。"},
		{"Un marché de producteurs locaux ouvre chaque samedi.", "毎週土曜日に地元生産者のマルシェが開かれる。"},
		{"Les déchets alimentaires deviennent du biogaz.", "食品廃棄物をバイオガスに変えている。"},
		{"Les panneaux solaires couvrent les toits des bâtiments publics.", "公共施設の屋根に太陽光パネルを設置している。"},
		{"La coopération internationale décentralisée progresse.", "自治体国際協力が進んでいる。"},
	}
	rnd := rand.New(rand.NewPCG(15, 34))
	const perCall = 250
	var last int64
	for done := 0; done < n; done += perCall {
		number := 7 + done/perCall%3
		e, err := s.Edition(ctx, "rencontres-franco-japonaises", number)
		if err != nil {
			t.Fatal(err)
		}
		sessions, err := s.Sessions(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		released := time.Date(e.Year, 7, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(done) * time.Second)
		call := &rencontres.Call{EventID: e.ID, Kind: rencontres.CallPractice, Title: rencontres.Text{"fr": "Appel"},
			Opens: released.AddDate(0, -4, 0), Deadline: released.AddDate(0, -2, 0), Released: &released}
		var ps []*store.SeededPractice
		for i := range min(perCall, n-done) {
			var fr, ja string
			for range 1 + rnd.IntN(3) {
				x := sentences[rnd.IntN(len(sentences))]
				fr += x[0] + " "
				ja += x[1]
			}
			at := released.Add(time.Duration(i/3) * time.Minute) // three at each instant
			lead, partner := orgs[rnd.IntN(len(orgs))], orgs[rnd.IntN(len(orgs))]
			p := rencontres.Proposal{Title: rencontres.Text{"fr": fmt.Sprint("Pratique n° ", done+i+1), "ja": fmt.Sprint("事例", done+i+1)},
				Summary: rencontres.Text{"fr": fr, "ja": ja}, SDGs: []int{1 + rnd.IntN(17), 1 + rnd.IntN(17)}, Decision: rencontres.Accepted,
				Released: &at, Orgs: []rencontres.ProposalOrg{{Key: lead, Role: rencontres.LeadProposer}}}
			if partner != lead {
				p.Orgs = append(p.Orgs, rencontres.ProposalOrg{Key: partner, Role: rencontres.PartnerOrg})
			}
			if rnd.IntN(4) == 0 {
				p.Decision = rencontres.AcceptedOther
			}
			sp := &store.SeededPractice{Proposal: p, Workshop: 1 + rnd.IntN(max(1, len(e.Workshops)))}
			if rnd.IntN(5) == 0 && len(sessions) > 0 {
				sp.Session = sessions[rnd.IntN(len(sessions))].ID
			}
			ps = append(ps, sp)
		}
		if err := s.SeedPractices(ctx, call, ps); err != nil {
			t.Fatal(err)
		}
		last = ps[0].Proposal.ID
	}
	if err := s.WithdrawPracticeForTest(ctx, last); err != nil {
		t.Fatal(err)
	}
}

// libraryFilters are the searches both paths must answer alike: every
// filter, words in every script, broad and narrow words, long words,
// words without a term, pages, the count's bound, and refusals.
func libraryFilters() []rencontres.PracticeFilter {
	var fs []rencontres.PracticeFilter
	for _, q := range []string{"", "kumamoto", "熊本", "くまもと", "クマモト", "énergie", "energie", "ENERGIE", "エネルギー", "énergie écoles",
		"市", "s", "pratique", "pratique 1", "事例", "事例12", "de la", "zzzz", "écoles zzzz", "太陽光パネルを設置している", "太陽光パネルを設置していない",
		"economiser", "économiser l’énergie", "shizuoka", "静岡", "aix", "Aix-en-Provence", "bâtiments publics", "marche", "100%", "a_b"} {
		fs = append(fs, rencontres.PracticeFilter{Query: q})
		fs = append(fs, rencontres.PracticeFilter{Query: q, Page: 2})
		fs = append(fs, rencontres.PracticeFilter{Query: q, Page: 3, Limit: 7})
		fs = append(fs, rencontres.PracticeFilter{Query: q, Page: 60})
		fs = append(fs, rencontres.PracticeFilter{Query: q, SDG: 7})
		fs = append(fs, rencontres.PracticeFilter{Query: q, Country: "JP"})
		fs = append(fs, rencontres.PracticeFilter{Query: q, Kind: rencontres.Municipality, From: 2021})
		fs = append(fs, rencontres.PracticeFilter{Query: q, Series: "rencontres-franco-japonaises", Number: 8})
		fs = append(fs, rencontres.PracticeFilter{Query: q, Series: "rencontres-franco-japonaises", Number: 7, Workshop: 2, Page: 2, Limit: 5})
		fs = append(fs, rencontres.PracticeFilter{Query: q, OrgKey: "jp-431001"})
	}
	return append(fs,
		rencontres.PracticeFilter{Page: 1000},
		rencontres.PracticeFilter{SDG: 7, Page: 4},
		rencontres.PracticeFilter{SDG: 17, Country: "FR", Kind: rencontres.Municipality},
		rencontres.PracticeFilter{Country: "J_"},
		rencontres.PracticeFilter{Country: "FR", To: 2019},
		rencontres.PracticeFilter{From: 2030},
		rencontres.PracticeFilter{OrgKey: "fr-13001", Limit: 3},
		rencontres.PracticeFilter{OrgKey: "fr-99999"},
		rencontres.PracticeFilter{Query: "kumamoto", OrgKey: "fr-99999"},
		rencontres.PracticeFilter{Series: "rencontres-franco-japonaises", Number: 99},
		rencontres.PracticeFilter{Series: "nowhere", Number: 1},
		rencontres.PracticeFilter{Series: "rencontres-franco-japonaises", Number: 7, Workshop: 40},
		rencontres.PracticeFilter{Query: "zzzz", Series: "rencontres-franco-japonaises", Number: 7, Workshop: 40},
	)
}

// The library kept in memory answers every search exactly as the SQL
// search does: the same practices in the same order, each the same to the
// byte in JSON, the same total (bounded with a query) and the same
// refusals.
func TestLibraryIndexMatchesSQL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		s.SetLibraryWait(time.Minute) // every search from the copy, read once
		ctx := context.Background()
		newLibraryFixture(t, s)
		seedLibrary(t, s, 1250)
		bounded := 0
		// Words made sets of practices, or checked practice by practice.
		filters := slices.Concat(libraryFilters(), libraryFilters())
		for i, f := range filters {
			if i == len(filters)/2 {
				defer store.SetBroadPostingsForTest(store.SetBroadPostingsForTest(-1))
			}
			want, wantTotal, wantErr := s.PracticesFromDatabase(ctx, f)
			got, gotTotal, gotErr := s.Practices(ctx, f)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Errorf("%+v: error %v, want %v", f, gotErr, wantErr)
				continue
			}
			if gotTotal != wantTotal {
				t.Errorf("%+v: total %d, want %d", f, gotTotal, wantTotal)
			}
			if wantTotal > rencontres.PracticeCountBound {
				bounded++
			}
			a, _ := json.Marshal(got)
			b, _ := json.Marshal(want)
			if string(a) != string(b) {
				t.Errorf("%+v: %d practices %v, want %d %v", f, len(got), ids(got), len(want), ids(want))
			}
		}
		if bounded == 0 {
			t.Error("no search reached the count's bound")
		}
		if n := s.LibraryBuilds(); n != 1 {
			t.Errorf("the library was read %d times, nothing written", n)
		}
	})
}

func ids(ps []*rencontres.Practice) []int64 {
	var out []int64
	for _, p := range ps {
		out = append(out, p.ID)
	}
	if len(out) > 12 {
		out = slices.Concat(out[:6], []int64{-1}, out[len(out)-5:])
	}
	return out
}

// The library kept by one instance is read again on its next search after
// another instance (a second Store on the same database) changes what the
// library shows, and only then: a practice accepted and released, an
// authority renamed.
func TestLibraryIndexSeesAnotherInstance(t *testing.T) {
	storetest.EachTwice(t, func(t *testing.T, a, b *store.Store) {
		a.SetLibraryWait(time.Minute) // each search waits for the copy it counts
		ctx := context.Background()
		f := newReviewFixture(t, b)
		search := func(q string) []*rencontres.Practice {
			t.Helper()
			ps, _, err := a.Practices(ctx, rencontres.PracticeFilter{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			return ps
		}
		if ps := search("tramway"); len(ps) != 0 || a.LibraryBuilds() != 1 {
			t.Fatalf("before any practice: %d found, %d reads", len(ps), a.LibraryBuilds())
		}
		// A proposal submitted, then decided: not in the library yet,
		// the library's version stays.
		id := f.proposal(t, b, "Tramway de Kumamoto", 0, "jp-431001", nil, "Kenta MIZUNO")
		if err := b.SetDecision(ctx, &rencontres.ProposalVerdict{ProposalID: id, Decision: rencontres.Accepted}, f.secretariat.ID, f.now); err != nil {
			t.Fatal(err)
		}
		if ps := search("tramway"); len(ps) != 0 || a.LibraryBuilds() != 1 {
			t.Fatalf("a decision not released: %d found, %d reads", len(ps), a.LibraryBuilds())
		}
		if err := b.SetLetters(ctx, f.call, testLetters); err != nil {
			t.Fatal(err)
		}
		if _, err := b.ReleaseDecisions(ctx, f.call, f.secretariat.ID, f.now, nil, composeForTest); err != nil {
			t.Fatal(err)
		}
		ps := search("tramway")
		if len(ps) != 1 || ps[0].ID != id || a.LibraryBuilds() != 2 {
			t.Fatalf("after the other instance released it: %d found, %d reads", len(ps), a.LibraryBuilds())
		}
		if search("kumamoto"); a.LibraryBuilds() != 2 {
			t.Errorf("nothing written, yet the library was read again")
		}

		// The authority renamed by the other instance: its new name on the
		// practice, and the practice found by it.
		o, err := b.Organisation(ctx, "jp-431001")
		if err != nil {
			t.Fatal(err)
		}
		o.Name = rencontres.Text{"fr": "Higo-Kumamoto", "en": "Higo-Kumamoto", "ja": o.Name["ja"]}
		if err := b.UpdateOrganisation(ctx, o.Key, o); err != nil {
			t.Fatal(err)
		}
		ps = search("higo tramway")
		if len(ps) != 1 || ps[0].ID != id || a.LibraryBuilds() != 3 {
			t.Fatalf("after the other instance renamed its authority: %d found, %d reads", len(ps), a.LibraryBuilds())
		}
		if lead := ps[0].Lead(); lead == nil || lead.Name["fr"] != "Higo-Kumamoto" {
			t.Errorf("the practice's authority %+v, want its new name", lead)
		}
		ps = search("higo")
		// What the database says, the copy says.
		want, _, err := a.PracticesFromDatabase(ctx, rencontres.PracticeFilter{Query: "higo"})
		if err != nil {
			t.Fatal(err)
		}
		x, _ := json.Marshal(ps)
		y, _ := json.Marshal(want)
		if string(x) != string(y) {
			t.Errorf("kept %s\nwant %s", x, y)
		}
	})
}

// A search that finds the library being read again does not wait for it
// beyond LibraryWait: it asks the database, and sees what was just
// written; the copy, read in the background, answers the searches after.
func TestLibraryAnswersWhileItIsRead(t *testing.T) {
	storetest.EachTwice(t, func(t *testing.T, a, b *store.Store) {
		ctx := context.Background()
		f := newReviewFixture(t, b)
		if _, _, err := a.Practices(ctx, rencontres.PracticeFilter{Query: "tramway"}); err != nil {
			t.Fatal(err)
		}
		id := f.proposal(t, b, "Tramway de Kumamoto", 0, "jp-431001", nil, "Kenta MIZUNO")
		if err := b.SetDecision(ctx, &rencontres.ProposalVerdict{ProposalID: id, Decision: rencontres.Accepted}, f.secretariat.ID, f.now); err != nil {
			t.Fatal(err)
		}
		if err := b.SetLetters(ctx, f.call, testLetters); err != nil {
			t.Fatal(err)
		}
		if _, err := b.ReleaseDecisions(ctx, f.call, f.secretariat.ID, f.now, nil, composeForTest); err != nil {
			t.Fatal(err)
		}
		before := a.LibraryBuilds()
		a.SetLibraryWait(time.Nanosecond) // never wait for the copy
		ps, total, err := a.Practices(ctx, rencontres.PracticeFilter{Query: "tramway"})
		if err != nil || total != 1 || len(ps) != 1 || ps[0].ID != id {
			t.Fatalf("while the library is read: %d practices (total %d), %v; want the one just released", len(ps), total, err)
		}
		// The copy is read in the background all the same.
		deadline := time.Now().Add(time.Minute)
		for a.LibraryBuilds() == before && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if a.LibraryBuilds() == before {
			t.Fatal("the library was not read again in the background")
		}
		a.SetLibraryWait(time.Minute)
		n := a.LibraryBuilds()
		if ps, _, err := a.Practices(ctx, rencontres.PracticeFilter{Query: "tramway"}); err != nil || len(ps) != 1 || a.LibraryBuilds() != n {
			t.Fatalf("after the read: %d practices, %v, %d reads (want %d)", len(ps), err, a.LibraryBuilds(), n)
		}
	})
}

// The sets of rows kept for the words searched are not changed by the
// searches of several words that intersect them: a word searched after a
// search of it with another finds all its practices again.
func TestLibraryKeptWordSetsStayWhole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		s.SetLibraryWait(time.Minute)
		ctx := context.Background()
		newLibraryFixture(t, s)
		seedLibrary(t, s, 300)
		for _, q := range []string{"pratique", "pratique 1", "pratique", "pratique 1 énergie", "énergie", "pratique 1", "énergie écoles", "écoles", "énergie"} {
			f := rencontres.PracticeFilter{Query: q, Limit: 100}
			want, wantTotal, err := s.PracticesFromDatabase(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			got, gotTotal, err := s.Practices(ctx, f)
			if err != nil || gotTotal != wantTotal || !slices.Equal(ids(got), ids(want)) {
				t.Errorf("%q: %d practices %v, %v; want %d %v", q, gotTotal, ids(got), err, wantTotal, ids(want))
			}
		}
	})
}
