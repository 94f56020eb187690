package main

import (
	"strings"
	"testing"
)

// judge accepts a list whose seats went to the first registrations and
// whose waiting list follows them in order, and names each way a list
// can be wrong.
func TestJudge(t *testing.T) {
	seated := []attendee{{ID: 3}, {ID: 1}, {ID: 2}} // by name, not by id
	waiting := []attendee{{ID: 4, Place: 1}, {ID: 6, Place: 2}, {ID: 7, Place: 3}}
	if said, err := judge(3, 6, seated, waiting); err != nil || !strings.Contains(said, "3 seated for 3 seats, 3 waiting") {
		t.Errorf("a right list: %q, %v", said, err)
	}
	for want, c := range map[string]struct {
		capacity, total int
		seated, waiting []attendee
	}{
		"twice":                 {3, 6, seated, []attendee{{ID: 4, Place: 1}, {ID: 4, Place: 2}, {ID: 7, Place: 3}}},
		"the event 7":           {3, 7, seated, waiting},
		"4 seated for 3 seats":  {3, 7, append([]attendee{{ID: 5}}, seated...), waiting},
		"place 2 holds place 3": {3, 6, seated, []attendee{{ID: 4, Place: 1}, {ID: 6, Place: 3}, {ID: 7, Place: 4}}},
		"out of the order":      {3, 6, seated, []attendee{{ID: 4, Place: 1}, {ID: 7, Place: 2}, {ID: 6, Place: 3}}},
		"registration 0 waits":  {3, 6, []attendee{{ID: 3}, {ID: 1}, {ID: 5}}, []attendee{{ID: 0, Place: 1}, {ID: 6, Place: 2}, {ID: 7, Place: 3}}},
	} {
		if _, err := judge(c.capacity, c.total, c.seated, c.waiting); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want an error saying %q, got %v", want, err)
		}
	}
}
