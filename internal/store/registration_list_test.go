package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// walkIDs walks a paged list as walk does and gives the ids read each
// way, the backward walk ending with the last page, and the list's total.
func walkIDs[T any](t *testing.T, limit int, read func(cursor.Request) ([]T, cursor.Head, error), id func(T) int64) (forward, back []int64, total int) {
	t.Helper()
	rows, backRows, first := walk(t, limit, read)
	for _, r := range rows {
		forward = append(forward, id(r))
	}
	for _, r := range backRows {
		back = append(back, id(r))
	}
	return forward, append(back, forward[min(len(back), len(forward)):]...), first.Total
}

// The registrations of an event, walked a page at a time, forward and
// back, with and without a filter: every row once, in the order of
// submission, and the whole filtered list counted.
func TestRegistrationPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newRegistrationFixture(t, s, 0)
		ctx := context.Background()
		for i := range 47 {
			p := f.person(i)
			if i%3 == 0 {
				p.Choices = []rencontres.Choice{{SessionID: f.workshop.ID}}
			}
			p.Elected = i%2 == 0
			if _, err := s.Register(ctx, p, f.now, false); err != nil {
				t.Fatal(err)
			}
		}
		yes := true
		for _, filter := range []rencontres.RegistrationFilter{
			{EventID: f.event.ID},
			{EventID: f.event.ID, Country: rencontres.Japan},
			{EventID: f.event.ID, SessionID: f.workshop.ID, Elected: &yes},
			{EventID: f.event.ID, SessionID: f.workshop.ID}, // on SQLite read from the session's choices
			{EventID: f.event.ID, Query: "RO01"},
		} {
			t.Run(fmt.Sprintf("%+v", filter), func(t *testing.T) {
				all, err := s.Registrations(ctx, filter)
				if err != nil {
					t.Fatal(err)
				}
				var want []int64
				for _, r := range all {
					if filter.Elected == nil || r.Elected == *filter.Elected {
						want = append(want, r.ID)
					}
				}
				forward, back, total := walkIDs(t, 5, func(req cursor.Request) ([]*rencontres.Registration, cursor.Head, error) {
					return s.RegistrationPage(ctx, filter, req)
				}, func(r *rencontres.Registration) int64 { return r.ID })
				if !slices.Equal(forward, want) {
					t.Errorf("forward %v, want %v", forward, want)
				}
				if len(want) > 5 && !slices.Equal(back, want) {
					t.Errorf("back %v, want %v", back, want)
				}
				if total != len(want) || len(want) == 0 {
					t.Errorf("total %d, want %d (> 0)", total, len(want))
				}
				var each []int64
				if err := s.EachRegistration(ctx, filter, func(list []*rencontres.Registration) error {
					for _, r := range list {
						each = append(each, r.ID)
					}
					return nil
				}); err != nil || !slices.Equal(each, want) {
					t.Errorf("each %v, want %v (%v)", each, want, err)
				}
			})
		}
		// A page's choices are read with it.
		page, _, err := s.RegistrationPage(ctx, rencontres.RegistrationFilter{EventID: f.event.ID}, cursor.Request{Limit: 3})
		if err != nil || len(page[0].Choices) != 1 || page[0].Choices[0].SessionID != f.workshop.ID || len(page[1].Choices) != 0 {
			t.Errorf("choices of the first page: %+v, %v", page, err)
		}
		// Registrations added after a page was read do not shift the next.
		filter := rencontres.RegistrationFilter{EventID: f.event.ID}
		first, h, err := s.RegistrationPage(ctx, filter, cursor.Request{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		second, _, _ := s.RegistrationPage(ctx, filter, cursor.Request{After: h.Next, Limit: 10})
		for i := 100; i < 105; i++ {
			if _, err := s.Register(ctx, f.person(i), f.now, false); err != nil {
				t.Fatal(err)
			}
		}
		again, h2, _ := s.RegistrationPage(ctx, filter, cursor.Request{After: h.Next, Limit: 10})
		if regIDs(second) != regIDs(again) || h2.Total != 52 || first[9].ID >= again[0].ID {
			t.Errorf("second page %s then %s (total %d)", regIDs(second), regIDs(again), h2.Total)
		}
		// A cursor of another list's shape is refused, naming its parameter.
		_, _, err = s.RegistrationPage(ctx, filter, cursor.Request{After: cursor.Encode("x", 1), Limit: 10})
		if e, ok := err.(*rencontres.Error); !ok || e.Field != "after" {
			t.Errorf("bad cursor: %v", err)
		}
	})
}

func regIDs(list []*rencontres.Registration) string {
	var out []int64
	for _, r := range list {
		out = append(out, r.ID)
	}
	return fmt.Sprint(out)
}

// A session's attendance list, walked a page at a time: the people with a
// seat by name, then those waiting by their place, each once.
func TestAttendancePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newRegistrationFixture(t, s, 0)
		ctx := context.Background()
		for i := range 41 {
			p := f.person(i, f.workshop.ID)
			// Names in another order than submission.
			p.FamilyName = fmt.Sprintf("Nom%03d", (i*17)%41)
			if _, err := s.Register(ctx, p, f.now, false); err != nil {
				t.Fatal(err)
			}
		}
		var want []int64
		var seated, waiting int
		if err := s.EachAttendee(ctx, f.event.ID, f.workshop.ID, func(list []rencontres.Attendee) error {
			for _, a := range list {
				want = append(want, a.ID)
				switch a.Seat {
				case rencontres.Confirmed:
					if waiting > 0 {
						t.Errorf("a seat after the waiting list")
					}
					seated++
				case rencontres.Waitlisted:
					waiting++
					if a.Place != waiting {
						t.Errorf("place %d, want %d", a.Place, waiting)
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if seated != 30 || waiting != 11 {
			t.Fatalf("%d seated, %d waiting", seated, waiting)
		}
		forward, back, total := walkIDs(t, 4, func(req cursor.Request) ([]rencontres.Attendee, cursor.Head, error) {
			return s.AttendancePage(ctx, f.event.ID, f.workshop.ID, req)
		}, func(a rencontres.Attendee) int64 { return a.ID })
		if !slices.Equal(forward, want) || !slices.Equal(back, want) || total != 41 {
			t.Errorf("forward %v\nback %v\nwant %v (total %d)", forward, back, want, total)
		}
		page, _, err := s.AttendancePage(ctx, f.event.ID, f.workshop.ID, cursor.Request{Limit: 3})
		if err != nil || page[0].FamilyName != "Nom000" || page[1].FamilyName != "Nom001" || len(page[0].Choices) != 1 {
			t.Errorf("first page %+v, %v", page, err)
		}
		// A name changed moves its person in the list; neither letters'
		// case nor accents count, as on the attendance sheets.
		r, err := s.Registration(ctx, f.event.ID, page[2].ID)
		if err != nil {
			t.Fatal(err)
		}
		r.FamilyName = "Àbel"
		if _, err := s.UpdateRegistration(ctx, r, f.now, true); err != nil {
			t.Fatal(err)
		}
		page, _, err = s.AttendancePage(ctx, f.event.ID, f.workshop.ID, cursor.Request{Limit: 3})
		if err != nil || page[0].ID != r.ID || page[1].FamilyName != "Nom000" || page[2].FamilyName != "Nom001" {
			t.Errorf("after a new name, first page %+v, %v", page, err)
		}
	})
}
