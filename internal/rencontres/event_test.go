package rencontres

import (
	"errors"
	"slices"
	"testing"
)

// An event's checks report every fault at once, each on its field, and
// one fault alone as a plain error.
func TestEventValidateTellsEveryFault(t *testing.T) {
	d := func(s string) Date { v, _ := ParseDate(s); return v }
	meeting := func() *Event {
		return &Event{Kind: CommitteeMeeting, Title: Text{"fr": "Réunion"}, TimeZone: "Europe/Paris", Start: d("2021-09-07"), End: d("2021-09-07"),
			StartTime: "14:30", EndTime: "16:00", Status: Planned}
	}
	if err := meeting().Validate(); err != nil {
		t.Fatalf("a good meeting is refused: %v", err)
	}
	fields := func(err error) []string {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%v is not a domain error", err)
		}
		var out []string
		for _, f := range e.All() {
			out = append(out, f.Field)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		edit   func(e *Event)
		fields []string
	}{
		{"one fault", func(e *Event) { e.TimeZone = "Europe/Lutèce" }, []string{"time_zone"}},
		{"three faults", func(e *Event) { e.Title, e.TimeZone, e.StartTime = nil, "Europe/Lutèce", "25:99" }, []string{"title", "time_zone", "start_time"}},
		{"every kind of fault", func(e *Event) {
			e.Kind, e.Title, e.TimeZone, e.Status, e.End, e.EndTime = "picnic", nil, "", "maybe", d("2021-09-01"), "9h"
		}, []string{"kind", "title", "time_zone", "status", "end", "end_time"}},
		{"hours backwards on a good day", func(e *Event) { e.EndTime = "13:00" }, []string{"end_time"}},
		{"no day and hours: the day only", func(e *Event) { e.Start, e.End = Date{}, Date{} }, []string{"start"}},
	} {
		e := meeting()
		tc.edit(e)
		if got := fields(e.Validate()); !slices.Equal(got, tc.fields) {
			t.Errorf("%s: faults on %v, want %v", tc.name, got, tc.fields)
		}
	}
}
