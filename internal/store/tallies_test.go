package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// The counts beside the registrations lists come from tallies kept as
// registrations change (migration 00055): whatever the filter they sum,
// they give what counting the rows gives, after registrations, check-ins,
// changes of names and choices, withdrawals and an erasure.
func TestTalliesCountAsTheRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		ed, err := st.Edition(ctx, "rencontres-franco-japonaises", 7)
		if err != nil {
			t.Fatal(err)
		}
		sessions, err := st.Sessions(ctx, ed.ID)
		if err != nil || len(sessions) == 0 {
			t.Fatal(sessions, err)
		}
		ws := &rencontres.Session{EditionID: ed.ID, Kind: rencontres.WorkshopKind, Title: rencontres.Text{"fr": "Atelier compté"},
			Start: sessions[0].Start, End: sessions[0].End}
		if err := st.SaveSession(ctx, ws); err != nil {
			t.Fatal(err)
		}
		storetest.FillRegistrations(t, st, ed.ID, 300, ws.ID)
		// A session of another edition, chosen there: none of this
		// edition's registrations chose it.
		other, err := st.Edition(ctx, "rencontres-franco-japonaises", 8)
		if err != nil {
			t.Fatal(err)
		}
		ev8, err := st.Event(ctx, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(ev8.Start.Year, ev8.Start.Month, ev8.Start.Day, 10, 0, 0, 0, ev8.Location())
		ows := &rencontres.Session{EditionID: other.ID, Kind: rencontres.WorkshopKind, Title: rencontres.Text{"fr": "Atelier d'ailleurs"}, Start: at, End: at.Add(2 * time.Hour)}
		if err := st.SaveSession(ctx, ows); err != nil {
			t.Fatal(err)
		}
		// Enough registrations elsewhere that a search for them all
		// matches more than SQLite reads from its trigram index.
		storetest.FillRegistrations(t, st, other.ID, 2100, ows.ID)
		elsewhere := ows.ID
		now := time.Now()
		page, _, err := st.RegistrationPage(ctx, rencontres.RegistrationFilter{EventID: ed.ID}, cursor.Request{Limit: 40})
		if err != nil || len(page) < 40 {
			t.Fatal(len(page), err)
		}
		for i, r := range page {
			switch i % 4 {
			case 0:
				if _, err := st.CheckIn(ctx, ed.ID, r.Code, now); err != nil {
					t.Fatal(err)
				}
			case 1:
				if _, err := st.Withdraw(ctx, ed.ID, r.ID, now, true); err != nil {
					t.Fatal(err)
				}
			case 2:
				r.FamilyName, r.Elected, r.Answers = "Éléonore-"+r.FamilyName, !r.Elected, map[string]string{"shuttle": "no"}
				if _, err := st.UpdateRegistration(ctx, r, now, true); err != nil {
					t.Fatal(err)
				}
			}
		}
		storetest.CheckTallies(t, st)

		// Every filter the tallies serve, alone and together, against the
		// rows the list reads.
		yes, no := true, false
		first := page[3]
		var filters []rencontres.RegistrationFilter
		for _, status := range []rencontres.SeatStatus{"", rencontres.Confirmed, rencontres.Waitlisted, rencontres.Withdrawn} {
			for _, elected := range []*bool{nil, &yes, &no} {
				for _, f := range []rencontres.RegistrationFilter{{}, {Country: "JP"}, {Country: "FR", OrgKind: first.OrgKind}, {OrgKey: first.OrgKey}, {DelegationID: first.DelegationID},
					{SessionID: ws.ID}, {SessionID: sessions[0].ID}, {SessionID: ws.ID, Country: "JP"}, {SessionID: elsewhere}} {
					f.EventID, f.Status, f.Elected = ed.ID, status, elected
					filters = append(filters, f)
				}
			}
		}
		nonzero := 0
		for _, f := range filters {
			got, err := st.CountRegistrations(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if err := st.EachRegistration(ctx, f, func(rs []*rencontres.Registration) error { want += len(rs); return nil }); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%+v: counted %d, the list has %d", f, got, want)
			}
			if got > 0 {
				nonzero++
			}
		}
		if nonzero < 20 {
			t.Errorf("only %d of %d filters match anyone: the comparison proves little", nonzero, len(filters))
		}

		// Searches, by the index or the rows, against the texts read here.
		for _, f := range []rencontres.RegistrationFilter{{Query: "Éléonore"}, {Query: "nom00"}, {Query: "名前"}, {Query: "p0001"},
			{Query: "ELEONORE-NOM", Country: "JP"}, {Query: "example", SessionID: ws.ID}, {Query: "nom", Status: rencontres.Withdrawn},
			{EventID: other.ID, SessionID: elsewhere, Query: "nom002"}} { // a session too big to start from, a search small enough
			if f.EventID == 0 {
				f.EventID = ed.ID
			}
			want := 0
			unsearched := f
			unsearched.Query = ""
			if err := st.EachRegistration(ctx, unsearched, func(rs []*rencontres.Registration) error {
				for _, r := range rs {
					if strings.Contains(rencontres.FoldSearch(strings.Join([]string{r.GivenName, r.FamilyName, r.NameJa, r.Kana, r.Email}, " ")), rencontres.FoldSearch(f.Query)) {
						want++
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			got, err := st.CountRegistrations(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			listed := 0
			if err := st.EachRegistration(ctx, f, func(rs []*rencontres.Registration) error { listed += len(rs); return nil }); err != nil {
				t.Fatal(err)
			}
			if got != want || listed != want || want == 0 {
				t.Errorf("%+v: counted %d, listed %d, the texts hold it %d times", f, got, listed, want)
			}
		}

		// The seats: the event's and each session's.
		counts, err := st.SeatCounts(ctx, ed.ID)
		if err != nil {
			t.Fatal(err)
		}
		for status, want := range map[rencontres.SeatStatus]int{rencontres.Confirmed: counts.Event.Confirmed, rencontres.Waitlisted: counts.Event.Waitlisted} {
			n := 0
			st.EachRegistration(ctx, rencontres.RegistrationFilter{EventID: ed.ID, Status: status}, func(rs []*rencontres.Registration) error { n += len(rs); return nil })
			if n != want {
				t.Errorf("%s: seat counts say %d, the list has %d", status, want, n)
			}
		}
		if counts.CheckedIn != 10 {
			t.Errorf("checked in: %d, want 10", counts.CheckedIn)
		}
		n := 0
		if err := st.EachAttendee(ctx, ed.ID, ws.ID, func(as []rencontres.Attendee) error { n += len(as); return nil }); err != nil {
			t.Fatal(err)
		}
		if c := counts.Sessions[ws.ID]; c.Confirmed+c.Waitlisted != n || n < 280 {
			t.Errorf("session: seat counts say %+v, its attendance list has %d", c, n)
		}

		// The check itself fails on a tally that drifts.
		if _, err := st.DB().ExecContext(ctx, "UPDATE registration_tallies SET n = n + 1 WHERE event_id = $1 AND status = 'confirmed'", ed.ID); err != nil {
			t.Fatal(err)
		}
		if storetest.TalliesDiffer(st) == nil {
			t.Error("a tally one off passed the check")
		}
		if _, err := st.DB().ExecContext(ctx, "UPDATE registration_tallies SET n = n - 1 WHERE event_id = $1 AND status = 'confirmed'", ed.ID); err != nil {
			t.Fatal(err)
		}
	})
}

// A page of an edition's registrations, its counts, and a page of a
// session's attendance list, at its start or deep in it, read a page's
// rows of registrations, not the edition's: the counts come from the
// tallies and the attendance list from its index, in its order.
func TestListPagesReadAPage(t *testing.T) {
	s := storetest.Postgres(t)
	ctx := context.Background()
	f := newRegistrationFixture(t, s, 0)
	const grown = 20_000
	storetest.FillRegistrations(t, s, f.event.ID, grown, f.workshop.ID)
	// The statistics autovacuum gathers once that many rows are written.
	if _, err := s.DB().ExecContext(ctx, "ANALYZE registrations, registration_choices, delegations, organisations"); err != nil {
		t.Fatal(err)
	}
	var first int64
	if err := s.DB().QueryRowContext(ctx, "SELECT MIN(id) FROM registrations WHERE event_id = $1", f.event.ID).Scan(&first); err != nil {
		t.Fatal(err)
	}
	// The attendance line nine tenths down the seats: FillRegistrations
	// names its k-th person Nom<k>.
	var k int
	if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM registrations WHERE id < $1", first).Scan(&k); err != nil {
		t.Fatal(err)
	}
	deep := cursor.Encode(string(rencontres.Confirmed), 0, fmt.Sprintf("nom%06d", k+grown*8/10), "personne", int64(0))
	reads := map[string]int64{}
	// The rows of registrations and choices the transaction has read.
	rowsRead := func(tx *store.Store) (int64, error) {
		var sum int64
		for _, table := range []string{"registrations", "registration_choices"} {
			n, err := tx.RowsReadForTest(ctx, table)
			if err != nil {
				return 0, err
			}
			sum += n
		}
		return sum, nil
	}
	errMeasured := errors.New("measured")
	err := s.InBatchTx(ctx, nil, func(tx *store.Store) error {
		for _, step := range []struct {
			name string
			read func() (int, error)
		}{
			{"registrations page", func() (int, error) {
				l, h, err := tx.RegistrationPage(ctx, rencontres.RegistrationFilter{EventID: f.event.ID}, cursor.Request{Limit: 50})
				if h.Total < grown {
					return 0, fmt.Errorf("total %d", h.Total)
				}
				return len(l), err
			}},
			{"filtered count", func() (int, error) {
				yes := true
				return tx.CountRegistrations(ctx, rencontres.RegistrationFilter{EventID: f.event.ID, Country: "FR", Elected: &yes})
			}},
			{"seat counts", func() (int, error) {
				c, err := tx.SeatCounts(ctx, f.event.ID)
				if err != nil {
					return 0, err
				}
				return c.Sessions[f.workshop.ID].Confirmed, nil
			}},
			{"attendance page", func() (int, error) {
				l, h, err := tx.AttendancePage(ctx, f.event.ID, f.workshop.ID, cursor.Request{Limit: 50})
				if h.Total < grown {
					return 0, fmt.Errorf("total %d", h.Total)
				}
				return len(l), err
			}},
			{"attendance page deep", func() (int, error) {
				l, _, err := tx.AttendancePage(ctx, f.event.ID, f.workshop.ID, cursor.Request{After: deep, Limit: 50})
				if err == nil && (len(l) == 0 || l[0].FamilyName != fmt.Sprintf("Nom%06d", k+grown*8/10)) {
					return 0, fmt.Errorf("the deep page starts with %v", l)
				}
				return len(l), err
			}},
		} {
			before, err := rowsRead(tx)
			if err != nil {
				return err
			}
			got, err := step.read()
			if err != nil || got == 0 {
				return fmt.Errorf("%s: %d, %v", step.name, got, err)
			}
			after, err := rowsRead(tx)
			if err != nil {
				return err
			}
			reads[step.name] = after - before
		}
		return errMeasured
	})
	if !errors.Is(err, errMeasured) {
		t.Fatal(err)
	}
	t.Logf("rows of registrations and choices read: %v", reads)
	for name, n := range reads {
		if n > 300 {
			t.Errorf("%s read %d rows of registrations and choices in an edition of %d; want a page's", name, n, grown)
		}
	}
}

// A database migrated from before the tallies gets them from its rows,
// and its choices get their names folded by Go's rules, as the code
// writes them: the database's LOWER makes "NUMÉRO" "numéro", or "numÉro"
// on SQLite, where the code writes "numero".
func TestTalliesMigration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistrationFixture(t, s, 10)
		for i := range 14 {
			if _, err := s.Register(ctx, f.person(i, f.workshop.ID), f.now, false); err != nil {
				t.Fatal(err)
			}
		}
		page, _, err := s.RegistrationPage(ctx, rencontres.RegistrationFilter{EventID: f.event.ID}, cursor.Request{Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Withdraw(ctx, f.event.ID, page[0].ID, f.now, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckIn(ctx, f.event.ID, page[1].Code, f.now); err != nil {
			t.Fatal(err)
		}
		read := func() string {
			counts, err := s.SeatCounts(ctx, f.event.ID)
			if err != nil {
				t.Fatal(err)
			}
			list, head, err := s.AttendancePage(ctx, f.event.ID, f.workshop.ID, cursor.Request{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, a := range list {
				ids = append(ids, a.ID)
			}
			return fmt.Sprintf("%+v %d %v", *counts, head.Total, ids)
		}
		before := read()
		if err := s.MigrateTo(ctx, 54); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		storetest.CheckTallies(t, s)
		if after := read(); after != before {
			t.Errorf("after the migration:\n%s\nbefore:\n%s", after, before)
		}
	})
}

// A registrations list's search finds a person whatever the case and the
// accents of the query and of the name, and kana in either script, on
// both databases (SQLite's LOWER lower-cases ASCII only); its count is
// the list's. Queries of three characters or more are answered by the
// trigram index (00057), shorter ones ("山田") by the rows; a name
// changed is found by its new form only, and the index is whole after a
// migration from before the column.
func TestRegistrationSearchFolds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistrationFixture(t, s, 0)
		for i := range 6 {
			p := f.person(i)
			switch i {
			case 1:
				p.GivenName, p.FamilyName = "Émilie", "Dupré"
			case 2:
				p.GivenName, p.FamilyName, p.NameJa, p.Kana = "Taro", "Yamada", "山田 太郎", "やまだ たろう"
			}
			if _, err := s.Register(ctx, p, f.now, false); err != nil {
				t.Fatal(err)
			}
		}
		found := map[string]string{"emilie": "Dupré", "ÉMILIE": "Dupré", "dupre": "Dupré", "Émilie Dupré": "Dupré",
			"ヤマダ": "Yamada", "山田": "Yamada", "p002@example": "Yamada", "zoé": "", "ur": "", "dup\x00re": "Dupré"}
		searchFinds(t, s, f.event.ID, found)
		// A new name: the index forgets the old one.
		list, err := s.Registrations(ctx, rencontres.RegistrationFilter{EventID: f.event.ID, Query: "dupre"})
		if err != nil || len(list) != 1 {
			t.Fatalf("%d found, %v", len(list), err)
		}
		list[0].FamilyName = "Durand"
		if _, err := s.UpdateRegistration(ctx, list[0], f.now, true); err != nil {
			t.Fatal(err)
		}
		searchFinds(t, s, f.event.ID, map[string]string{"dupre": "", "durand": "Durand", "ÉMILIE": "Durand", "ur": "Durand"})
		// Migrated from before the search column: Store.Migrate fills
		// it after 00057 has indexed it empty, and the index follows.
		if err := s.MigrateTo(ctx, 55); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		searchFinds(t, s, f.event.ID, map[string]string{"durand": "Durand", "ヤマダ": "Yamada", "p002@example": "Yamada", "emilie": "Durand"})
	})
}

// searchFinds searches an event's registrations for each query, and wants the
// family name of the one person found, or none for "".
func searchFinds(t *testing.T, s *store.Store, event int64, found map[string]string) {
	t.Helper()
	ctx := context.Background()
	for q, want := range found {
		filter := rencontres.RegistrationFilter{EventID: event, Query: q}
		list, err := s.Registrations(ctx, filter)
		if err != nil {
			t.Fatal(err)
		}
		page, head, err := s.RegistrationPage(ctx, filter, cursor.Request{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if len(list) == 1 {
			got = list[0].FamilyName
		}
		if got != want || len(list) > 1 || len(page) != len(list) || head.Total != len(list) {
			t.Errorf("%q found %d (%s), a page of %d of %d; want %q", q, len(list), got, len(page), head.Total, want)
		}
	}
}
