package store_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// rowsOf flattens a breakdown into key → value, for comparison with the
// hand counts.
func rowsOf(b *rencontres.Breakdown) map[string]int {
	out := map[string]int{}
	if b != nil {
		for _, r := range b.Rows {
			out[r.Key] = r.Value
		}
	}
	return out
}

func sameRows(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %v, want %v", what, got, want)
		return
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %v, want %v", what, got, want)
			return
		}
	}
}

// statsOf returns the statistics of one edition, as the secretariat sees
// them.
func statsOf(t *testing.T, s *store.Store, series string, n int) *rencontres.EditionStats {
	t.Helper()
	all, err := s.Statistics(context.Background(), rencontres.StatsQuery{Series: series, Number: n, Unpublished: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || len(all[0].Editions) != 1 {
		t.Fatalf("%s %d: %d series", series, n, len(all))
	}
	return all[0].Editions[0]
}

// The 9th edition's registrations, counted by hand: seven people
// submitted for five seats; Tours's elected official was erased since
// (still counted), Shizuoka's officer withdrew (not counted) and his seat
// went to Takamatsu's, the first waiting; Cannes's still waits (not
// counted).
func TestStatisticsFromRegistrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistrationFixture(t, s, 5)
		aix := f.person(0, f.workshop.ID, f.visit.ID) // fr-13001
		aix.Elected = true
		nancy := f.person(1, f.workshop.ID) // fr-54395
		tours := f.person(2)                // fr-37261
		tours.Elected = true
		kobe := f.person(7, f.visit.ID) // jp-281000, never came before
		shizuoka := f.person(4)         // jp-221007, withdraws
		takamatsu := f.person(5)        // jp-372013, waits, then has the seat
		cannes := f.person(6)           // fr-06029, waits
		for _, r := range []*rencontres.Registration{aix, nancy, tours, kobe, shizuoka, takamatsu, cannes} {
			if _, err := s.Register(ctx, r, f.now, false); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Withdraw(ctx, f.event.ID, shizuoka.ID, f.now, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckIn(ctx, f.event.ID, nancy.Code, f.now); err != nil {
			t.Fatal(err)
		}
		u := &rencontres.User{Email: tours.Email, Name: "Personne NUMÉRO002", Lang: rencontres.French, Role: rencontres.Participant}
		if err := s.CreateUser(ctx, u, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.EraseUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if r, _ := s.Registration(ctx, f.event.ID, tours.ID); r == nil || r.Email == tours.Email {
			t.Fatalf("the erased registration still names the person: %+v", r)
		}

		e := statsOf(t, s, "rencontres-franco-japonaises", 9)
		src := rencontres.FromRegistrations
		for _, b := range e.Measures {
			if b.Source != src {
				t.Errorf("%s comes from %q, want %q", b.Measure, b.Source, src)
			}
		}
		sameRows(t, "people", rowsOf(e.Measure(rencontres.MeasurePeople)), map[string]int{"people": 5, "checked_in": 1})
		sameRows(t, "countries", rowsOf(e.Measure(rencontres.MeasureCountries)), map[string]int{"FR": 3, "JP": 2})
		sameRows(t, "kinds", rowsOf(e.Measure(rencontres.MeasureKinds)), map[string]int{"commune": 3, "municipality_shi": 2}) // two 市
		// Takamatsu lies in Kagawa; the demo's French communes and Kobe
		// have no parent in the demo directory.
		sameRows(t, "areas", rowsOf(e.Measure(rencontres.MeasureAreas)), map[string]int{"jp-370002": 1, "other": 4})
		sameRows(t, "functions", rowsOf(e.Measure(rencontres.MeasureFunctions)), map[string]int{"elected": 2, "officer": 3})
		// Aix, Nancy, Tours and Takamatsu came to the 7th edition (the
		// demo's registrations); Kobe never did.
		sameRows(t, "returning", rowsOf(e.Measure(rencontres.MeasureReturning)), map[string]int{"newcomer": 1, "returning": 4})
		sameRows(t, "sessions", rowsOf(e.Measure(rencontres.MeasureSessions)), map[string]int{
			itoa(f.workshop.ID): 2, itoa(f.visit.ID): 2})
		if e.Authorities == nil || *e.Authorities != 5 || e.AuthoritiesSource != src || e.Registrations != 5 {
			t.Errorf("authorities %v from %q, %d registrations", e.Authorities, e.AuthoritiesSource, e.Registrations)
		}
		if b := e.Measure(rencontres.MeasureAreas); b.Rows[0].Label.In(rencontres.Japanese) != "香川県" {
			t.Errorf("Kagawa's label: %v", b.Rows[0].Label)
		}

		// The public sees held editions only: the 9th is planned.
		_, err := s.Statistics(ctx, rencontres.StatsQuery{Series: "rencontres-franco-japonaises", Number: 9})
		if rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("the public reads the planned edition's statistics: %v", err)
		}
		all, err := s.Statistics(ctx, rencontres.StatsQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, se := range all {
			for _, e := range se.Editions {
				if e.Status != rencontres.Held {
					t.Errorf("the public sees %s %d (%s)", e.Series, e.Number, e.Status)
				}
			}
		}
	})
}

// Past editions' figures come from what was recorded, the 7th's from its
// registrations (the demo holds a sample of them), and records are
// flagged both as recorded and as computed.
func TestStatisticsFromRecordedFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		newRegistrationFixture(t, s, 0)
		all, err := s.Statistics(ctx, rencontres.StatsQuery{Series: "rencontres-franco-japonaises"})
		if err != nil {
			t.Fatal(err)
		}
		eds := all[0].Editions
		if len(eds) != 8 {
			t.Fatalf("%d editions held, want 8", len(eds))
		}
		type want struct {
			fr, jp, people int // -1: no figure
			src            rencontres.FigureSource
			recorded, comp bool
		}
		// Authorities: 29, 44, 42, 45, 41, 52, 13 (registrations), 54.
		wants := map[int]want{
			1: {17, 12, -1, rencontres.FromRecorded, false, false},
			2: {18, 26, 200, rencontres.FromRecorded, false, true},
			3: {27, 15, 150, rencontres.FromRecorded, false, false},
			4: {17, 28, -1, rencontres.FromRecorded, false, true},
			5: {22, 19, 170, rencontres.FromRecorded, false, false},
			6: {17, 35, -1, rencontres.FromRecorded, true, true},
			7: {6, 7, 18, rencontres.FromRegistrations, false, false},
			8: {19, 35, -1, rencontres.FromRecorded, true, true},
		}
		for _, e := range eds {
			w := wants[e.Number]
			c := e.Measure(rencontres.MeasureCountries)
			if c.Source != w.src {
				t.Errorf("%d: countries from %q, want %q", e.Number, c.Source, w.src)
			}
			sameRows(t, itoa(int64(e.Number))+" countries", rowsOf(c), map[string]int{"FR": w.fr, "JP": w.jp})
			p := e.Measure(rencontres.MeasurePeople)
			if n, ok := p.Row("people"); w.people < 0 && ok || w.people >= 0 && n != w.people {
				t.Errorf("%d: people %d (%v), want %d", e.Number, n, ok, w.people)
			}
			if e.RecordRecorded != w.recorded || e.RecordComputed != w.comp {
				t.Errorf("%d: record recorded %v computed %v, want %v %v", e.Number, e.RecordRecorded, e.RecordComputed, w.recorded, w.comp)
			}
			if w.src == rencontres.FromRecorded && e.Measure(rencontres.MeasureFunctions).Source != rencontres.NoFigure {
				t.Errorf("%d: functions have a figure with no registrations", e.Number)
			}
		}
		// The 7th's recorded figures differ from its registrations: both
		// are given.
		c7 := eds[6].Measure(rencontres.MeasureCountries)
		if len(c7.Recorded) != 2 || c7.Recorded[0].Value != 22 || c7.Recorded[1].Value != 14 {
			t.Errorf("7th: recorded %+v", c7.Recorded)
		}

		// Filters: years, measures.
		all, err = s.Statistics(ctx, rencontres.StatsQuery{Series: "rencontres-franco-japonaises", From: 2016, To: 2018,
			Measures: []rencontres.Measure{rencontres.MeasurePeople}})
		if err != nil {
			t.Fatal(err)
		}
		if eds := all[0].Editions; len(eds) != 2 || eds[0].Number != 5 || len(eds[0].Measures) != 1 {
			t.Errorf("2016–2018, people: %+v", eds)
		}
		if _, err := s.Statistics(ctx, rencontres.StatsQuery{Series: "nope"}); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("unknown series: %v", err)
		}
		if _, err := s.Statistics(ctx, rencontres.StatsQuery{Series: "raict", Number: 99}); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("unknown edition: %v", err)
		}
		// The RAICT's cancelled 13th is the secretariat's only.
		if _, err := s.Statistics(ctx, rencontres.StatsQuery{Series: "raict", Number: 13}); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("the cancelled edition is public: %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
