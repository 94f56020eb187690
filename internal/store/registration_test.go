package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// registrationFixture gives the 9th edition dates, a workshop of 30 seats
// and a registration form open until 4 September 2026 at 23:59:59, Paris
// time, for capacity people.
type registrationFixture struct {
	event    *rencontres.Event
	workshop *rencontres.Session
	visit    *rencontres.Session
	plenary  *rencontres.Session
	form     *rencontres.RegistrationForm
	now      time.Time
}

var orgs = []string{"fr-13001", "fr-54395", "fr-37261", "jp-431001", "jp-221007", "jp-372013", "fr-06029", "jp-281000"}

func newRegistrationFixture(t *testing.T, s *store.Store, capacity int) *registrationFixture {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	e9, err := s.Edition(ctx, "rencontres-franco-japonaises", 9)
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := s.Event(ctx, e9.ID)
	ev.Start, _ = rencontres.ParseDate("2026-10-12")
	ev.End, _ = rencontres.ParseDate("2026-10-15")
	ev.TimeZone = "Europe/Paris"
	if err := s.SaveEvent(ctx, ev, nil); err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	f := &registrationFixture{event: ev}
	room := &rencontres.Room{Name: rencontres.Text{"fr": "Salle Croisette"}, Capacity: 200}
	if err := s.SaveRoom(ctx, ev.ID, room); err != nil {
		t.Fatal(err)
	}
	at := func(h int) time.Time { return time.Date(2026, 10, 13, h, 0, 0, 0, paris) }
	f.workshop = &rencontres.Session{EditionID: ev.ID, Kind: rencontres.WorkshopKind, Title: rencontres.Text{"fr": "Atelier économie", "ja": "経済分科会"},
		Start: at(10), End: at(12), RoomID: room.ID, Capacity: 30}
	f.visit = &rencontres.Session{EditionID: ev.ID, Kind: rencontres.Visit, Title: rencontres.Text{"fr": "Visite du port"}, Start: at(14), End: at(17), Capacity: 2}
	f.plenary = &rencontres.Session{EditionID: ev.ID, Kind: rencontres.Plenary, Title: rencontres.Text{"fr": "Plénière"}, Start: at(9), End: at(10), RoomID: room.ID}
	for _, ses := range []*rencontres.Session{f.workshop, f.visit, f.plenary} {
		if err := s.SaveSession(ctx, ses); err != nil {
			t.Fatal(err)
		}
	}
	f.form = &rencontres.RegistrationForm{EventID: ev.ID, Opens: time.Date(2026, 6, 1, 9, 0, 0, 0, paris),
		Deadline: time.Date(2026, 9, 4, 23, 59, 59, 0, paris), Capacity: capacity, MaxChoices: 2, Ranked: true, Contact: "japon@example.org",
		Questions: []rencontres.Question{
			{Key: "arrival", Label: rencontres.Text{"fr": "Arrivée", "ja": "到着"}, Kind: rencontres.ChoiceQuestion, Required: true,
				Options: []rencontres.Option{{Value: "train", Label: rencontres.Text{"fr": "Train"}}, {Value: "plane", Label: rencontres.Text{"fr": "Avion"}}}},
			{Key: "flight", Label: rencontres.Text{"fr": "Numéro de vol"}, Kind: rencontres.TextQuestion, Required: true,
				ShowIf: &rencontres.Condition{Question: "arrival", Equals: "plane"}},
		}}
	if _, err := s.SaveRegistrationForm(ctx, f.form); err != nil {
		t.Fatal(err)
	}
	f.now = time.Date(2026, 8, 20, 10, 0, 0, 0, paris)
	return f
}

func (f *registrationFixture) person(i int, choices ...int64) *rencontres.Registration {
	r := &rencontres.Registration{EventID: f.event.ID, OrgKey: orgs[i%len(orgs)], GivenName: "Personne", FamilyName: fmt.Sprintf("NUMÉRO%03d", i),
		Email: fmt.Sprintf("p%03d@example.org", i), Lang: rencontres.French, Answers: map[string]string{"arrival": "train"}}
	for _, id := range choices {
		r.Choices = append(r.Choices, rencontres.Choice{SessionID: id})
	}
	return r
}

// Two hundred people submitting at once for a workshop of thirty: exactly
// thirty seats, and a waiting list in the order of submission.
func TestSeatsUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newRegistrationFixture(t, s, 150)
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for i := range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Register(ctx, f.person(i, f.workshop.ID), f.now, false); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		all, err := s.Registrations(ctx, rencontres.RegistrationFilter{EventID: f.event.ID})
		if err != nil || len(all) != 200 {
			t.Fatalf("%d registrations, %v", len(all), err)
		}
		counts, _ := s.SeatCounts(ctx, f.event.ID)
		if counts.Event != (rencontres.Count{Confirmed: 150, Waitlisted: 50}) || counts.Sessions[f.workshop.ID] != (rencontres.Count{Confirmed: 30, Waitlisted: 170}) {
			t.Errorf("counts = %+v", counts)
		}
		// In the order of submission: the first 150 have the event's seats,
		// the first 30 of them the workshop's; the lists follow that order.
		for i, r := range all {
			wantEvent, wantSession := rencontres.Confirmed, rencontres.Confirmed
			if i >= 150 {
				wantEvent = rencontres.Waitlisted
			}
			if i >= 30 {
				wantSession = rencontres.Waitlisted
			}
			if r.Status != wantEvent || r.Choices[0].Status != wantSession {
				t.Fatalf("registration %d: %s, workshop %s; want %s, %s", i, r.Status, r.Choices[0].Status, wantEvent, wantSession)
			}
			if i >= 150 && r.Position != i-149 || i >= 30 && r.Choices[0].Position != i-29 {
				t.Fatalf("registration %d: event position %d, workshop position %d", i, r.Position, r.Choices[0].Position)
			}
		}
		// A withdrawal gives the seat to the first waiting, who is named.
		promoted, err := s.Withdraw(ctx, f.event.ID, all[3].ID, f.now, false)
		if err != nil {
			t.Fatal(err)
		}
		want := []rencontres.Promotion{{RegistrationID: all[150].ID}, {RegistrationID: all[30].ID, SessionID: f.workshop.ID}}
		if !slices.Equal(promoted, want) {
			t.Errorf("promoted = %+v, want %+v", promoted, want)
		}
		counts, _ = s.SeatCounts(ctx, f.event.ID)
		if counts.Event != (rencontres.Count{Confirmed: 150, Waitlisted: 49}) || counts.Sessions[f.workshop.ID] != (rencontres.Count{Confirmed: 30, Waitlisted: 169}) {
			t.Errorf("counts after the withdrawal = %+v", counts)
		}
	})
}

// A retried submission with the same key makes one registration, even
// when the retries race.
func TestIdempotentRegistration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newRegistrationFixture(t, s, 0)
		ctx := context.Background()
		var wg sync.WaitGroup
		var mu sync.Mutex
		var bodies []string
		replays := 0
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, body, replayed, err := s.Idempotent(ctx, "user:1", "submit-42", func(s *store.Store) (int, []byte, error) {
					r := f.person(1, f.workshop.ID)
					if _, err := s.Register(ctx, r, f.now, false); err != nil {
						return 0, nil, err
					}
					return 201, []byte(fmt.Sprint(r.ID)), nil
				})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				bodies = append(bodies, string(body))
				if replayed {
					replays++
				}
			}()
		}
		wg.Wait()
		all, _ := s.Registrations(ctx, rencontres.RegistrationFilter{EventID: f.event.ID})
		if len(all) != 1 || replays != 7 {
			t.Fatalf("%d registrations, %d replays; want 1 and 7", len(all), replays)
		}
		for _, b := range bodies {
			if b != fmt.Sprint(all[0].ID) {
				t.Errorf("bodies %q, want each %d", bodies, all[0].ID)
				break
			}
		}
	})
}

// Bad input is refused on its field, and nothing is saved.
func TestRegistrationRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newRegistrationFixture(t, s, 0)
		ctx := context.Background()
		paris, _ := time.LoadLocation("Europe/Paris")
		for _, tc := range []struct {
			name   string
			change func(r *rencontres.Registration)
			at     time.Time
			code   string
			field  string
			key    string
		}{
			{"no family name", func(r *rencontres.Registration) { r.FamilyName = " " }, f.now, rencontres.EINVALID, "family_name", "error.required"},
			{"not an email", func(r *rencontres.Registration) { r.Email = "tanaka@city" }, f.now, rencontres.EINVALID, "email", "error.bad_email"},
			{"kana that are not", func(r *rencontres.Registration) { r.Kana = "Tanaka" }, f.now, rencontres.EINVALID, "kana", "error.bad_kana"},
			{"a required answer missing", func(r *rencontres.Registration) { r.Answers = nil }, f.now, rencontres.EINVALID, "answers.arrival", "error.answer_required"},
			{"a shown question unanswered", func(r *rencontres.Registration) { r.Answers["arrival"] = "plane" }, f.now, rencontres.EINVALID, "answers.flight", "error.answer_required"},
			{"an option that does not exist", func(r *rencontres.Registration) { r.Answers["arrival"] = "horse" }, f.now, rencontres.EINVALID, "answers.arrival", "error.answer_choice"},
			{"a session not to choose", func(r *rencontres.Registration) { r.Choices = []rencontres.Choice{{SessionID: f.plenary.ID}} }, f.now, rencontres.EINVALID, "choices[0]", "error.unknown_choice"},
			{"the same session twice", func(r *rencontres.Registration) {
				r.Choices = []rencontres.Choice{{SessionID: f.workshop.ID}, {SessionID: f.workshop.ID}}
			}, f.now, rencontres.EINVALID, "choices[1]", "error.duplicate_choice"},
			{"too many choices", func(r *rencontres.Registration) {
				r.Choices = []rencontres.Choice{{SessionID: f.workshop.ID}, {SessionID: f.visit.ID}, {SessionID: f.plenary.ID}}
			}, f.now, rencontres.EINVALID, "choices", "error.too_many_choices"},
			{"an authority that does not exist", func(r *rencontres.Registration) { r.OrgKey = "fr-99999" }, f.now, rencontres.EINVALID, "organisation", "error.unknown_organisation"},
			{"at the deadline, to the second", func(r *rencontres.Registration) {}, time.Date(2026, 9, 5, 0, 0, 0, 0, paris).Add(-time.Second), rencontres.ECONFLICT, "", "error.registration_closed"},
			{"before the opening", func(r *rencontres.Registration) {}, time.Date(2026, 6, 1, 8, 59, 59, 0, paris), rencontres.ECONFLICT, "", "error.registration_not_yet"},
		} {
			r := f.person(7, f.workshop.ID)
			tc.change(r)
			_, err := s.Register(ctx, r, tc.at, false)
			wantError(t, tc.name, err, tc.code, tc.field, tc.key)
		}
		if all, _ := s.Registrations(ctx, rencontres.RegistrationFilter{EventID: f.event.ID, Status: rencontres.Withdrawn}); len(all) != 0 {
			t.Errorf("%d registrations saved by refused submissions", len(all))
		}
		// One second before the deadline is still in time; the secretariat
		// registers after it.
		if _, err := s.Register(ctx, f.person(1), time.Date(2026, 9, 4, 23, 59, 58, 0, paris), false); err != nil {
			t.Errorf("one second before the deadline: %v", err)
		}
		if _, err := s.Register(ctx, f.person(2), time.Date(2026, 9, 20, 0, 0, 0, 0, paris), true); err != nil {
			t.Errorf("the secretariat after the deadline: %v", err)
		}
		_, err := s.Register(ctx, f.person(1), f.now, false)
		wantError(t, "the same address twice", err, rencontres.ECONFLICT, "email", "error.already_registered")
		all, _ := s.Registrations(ctx, rencontres.RegistrationFilter{EventID: f.event.ID})
		if len(all) != 2 {
			t.Errorf("%d registrations, want 2", len(all))
		}
	})
}

// Changing one's choices keeps the seats of the sessions kept and frees
// the others; a person who waited for a visit gets the seat freed.
func TestChangeChoices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newRegistrationFixture(t, s, 0)
		ctx := context.Background()
		var people []*rencontres.Registration
		for i := range 3 {
			r := f.person(i, f.workshop.ID, f.visit.ID)
			if _, err := s.Register(ctx, r, f.now, false); err != nil {
				t.Fatal(err)
			}
			people = append(people, r)
		}
		if people[2].Choices[1].Status != rencontres.Waitlisted || people[2].Choices[1].Position != 1 {
			t.Fatalf("third person's visit = %+v, want waiting first", people[2].Choices[1])
		}
		first := people[0]
		first.Choices = []rencontres.Choice{{SessionID: f.workshop.ID}}
		first.Function = "Adjointe au maire"
		promoted, err := s.UpdateRegistration(ctx, first, f.now, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(first.Choices) != 1 || first.Choices[0].Status != rencontres.Confirmed || first.Function != "Adjointe au maire" {
			t.Errorf("after the change: %+v", first)
		}
		if want := []rencontres.Promotion{{RegistrationID: people[2].ID, SessionID: f.visit.ID}}; !slices.Equal(promoted, want) {
			t.Errorf("promoted = %+v, want %+v", promoted, want)
		}
		// Raising the workshop's capacity is not needed here; lowering the
		// event's capacity never takes a seat away.
		f.form.Capacity = 1
		if _, err := s.SaveRegistrationForm(ctx, f.form); err != nil {
			t.Fatal(err)
		}
		counts, _ := s.SeatCounts(ctx, f.event.ID)
		if counts.Event.Confirmed != 3 {
			t.Errorf("lowering the capacity took seats away: %+v", counts.Event)
		}
	})
}

// A badge is used once; an unknown or withdrawn one says so.
func TestCheckIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newRegistrationFixture(t, s, 0)
		ctx := context.Background()
		a, b := f.person(1), f.person(2)
		for _, r := range []*rencontres.Registration{a, b} {
			if _, err := s.Register(ctx, r, f.now, false); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Withdraw(ctx, f.event.ID, b.ID, f.now, false); err != nil {
			t.Fatal(err)
		}
		got, err := s.CheckIn(ctx, f.event.ID, strings.ToLower(a.Code), f.now)
		if err != nil || got.ID != a.ID || got.CheckedIn == nil {
			t.Fatalf("check in: %+v, %v", got, err)
		}
		_, err = s.CheckIn(ctx, f.event.ID, a.Code, f.now)
		wantError(t, "a badge used twice", err, rencontres.ECONFLICT, "code", "error.badge_used")
		_, err = s.CheckIn(ctx, f.event.ID, b.Code, f.now)
		wantError(t, "a withdrawn badge", err, rencontres.ECONFLICT, "code", "error.badge_withdrawn")
		_, err = s.CheckIn(ctx, f.event.ID, "NOPE000000", f.now)
		wantError(t, "an unknown badge", err, rencontres.ENOTFOUND, "code", "error.badge_unknown")
		if c, _ := s.SeatCounts(ctx, f.event.ID); c.CheckedIn != 1 {
			t.Errorf("checked in = %d, want 1", c.CheckedIn)
		}
	})
}

// Places on the waiting lists are kept as people come and go: someone
// leaving the middle of a list moves up those behind, on the event's list
// and on a session's, and a newcomer after that takes the next place.
func TestWaitingListPlaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newRegistrationFixture(t, s, 2) // two seats at the event, two at the visit
		ctx := context.Background()
		var people []*rencontres.Registration
		for i := range 6 {
			r := f.person(i, f.visit.ID)
			if _, err := s.Register(ctx, r, f.now, false); err != nil {
				t.Fatal(err)
			}
			people = append(people, r)
		}
		places := func() (event, visit []int) {
			t.Helper()
			for _, p := range people {
				got, err := s.Registration(ctx, f.event.ID, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				v := -1
				if len(got.Choices) > 0 {
					v = got.Choices[0].Position
				}
				event, visit = append(event, got.Position), append(visit, v)
			}
			return event, visit
		}
		// Two seated; four waiting for the event, and for the visit, in order.
		ev, vi := places()
		if want := []int{0, 0, 1, 2, 3, 4}; !slices.Equal(ev, want) {
			t.Errorf("event places %v, want %v", ev, want)
		}
		if want := []int{0, 0, 1, 2, 3, 4}; !slices.Equal(vi, want) {
			t.Errorf("visit places %v, want %v", vi, want)
		}
		// The fourth (second waiting) leaves: the fifth and sixth move up.
		if _, err := s.Withdraw(ctx, f.event.ID, people[3].ID, f.now, false); err != nil {
			t.Fatal(err)
		}
		ev, vi = places()
		if want := []int{0, 0, 1, 0, 2, 3}; !slices.Equal(ev, want) {
			t.Errorf("after a withdrawal, event places %v, want %v", ev, want)
		}
		if want := []int{0, 0, 1, -1, 2, 3}; !slices.Equal(vi, want) {
			t.Errorf("after a withdrawal, visit places %v, want %v", vi, want)
		}
		// The third drops the visit for the workshop: the fifth and sixth
		// move up on the visit's list; the third keeps its event place and,
		// without an event seat, waits first for the workshop.
		third, _ := s.Registration(ctx, f.event.ID, people[2].ID)
		third.Choices = []rencontres.Choice{{SessionID: f.workshop.ID}}
		third.Answers = map[string]string{"arrival": "train"}
		if _, err := s.UpdateRegistration(ctx, third, f.now, false); err != nil {
			t.Fatal(err)
		}
		_, vi = places()
		if want := []int{0, 0, 1, -1, 1, 2}; !slices.Equal(vi, want) {
			t.Errorf("after a change of choice, visit places %v, want %v", vi, want)
		}
		// A newcomer waits after the last.
		late := f.person(7, f.visit.ID)
		if _, err := s.Register(ctx, late, f.now, false); err != nil {
			t.Fatal(err)
		}
		if late.Position != 4 || late.Choices[0].Position != 3 {
			t.Errorf("newcomer at places %d (event) and %d (visit), want 4 and 3", late.Position, late.Choices[0].Position)
		}
		// The first seated leaves: the first waiting gets the event's seat
		// and the others move up.
		if _, err := s.Withdraw(ctx, f.event.ID, people[0].ID, f.now, false); err != nil {
			t.Fatal(err)
		}
		ev, _ = places()
		if want := []int{0, 0, 0, 0, 1, 2}; !slices.Equal(ev, want) {
			t.Errorf("after a seat freed, event places %v, want %v", ev, want)
		}
	})
}
