package rencontres

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestSeats(t *testing.T) {
	room := &Room{ID: 1, Capacity: 60}
	for _, tc := range []struct {
		session int
		room    *Room
		want    int
	}{
		{50, room, 50}, // the session's own
		{0, room, 60},  // the room's
		{0, nil, 0},    // no limit
		{12, nil, 12},
	} {
		s := &Session{Capacity: tc.session}
		if got := s.Seats(tc.room); got != tc.want {
			t.Errorf("Seats(session %d, room %v) = %d, want %d", tc.session, tc.room, got, tc.want)
		}
	}
}

// The lists come room by room, then by time; seats by name, accents
// aside; the waiting in their order; sessions that take no choices and
// other sessions' choices are left out.
func TestAttendances(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2022, 10, 5, h, 0, 0, 0, time.UTC) }
	rooms := []*Room{{ID: 10, Name: Text{French: "Mirabeau"}}, {ID: 20, Name: Text{French: "Granet"}, Capacity: 60}}
	sessions := []*Session{
		{ID: 1, Kind: Plenary, Start: at(8), RoomID: 10},
		{ID: 2, Kind: Visit, Start: at(9), Capacity: 2},
		{ID: 3, Kind: WorkshopKind, Start: at(14), RoomID: 20},
		{ID: 4, Kind: WorkshopKind, Start: at(9), RoomID: 20},
		{ID: 5, Kind: CountryGroup, Start: at(11), RoomID: 10},
	}
	person := func(id int64, given, family string, choices ...Choice) *Registration {
		return &Registration{ID: id, GivenName: given, FamilyName: family, Choices: choices}
	}
	people := []*Registration{
		person(1, "Yuko", "Sato", Choice{SessionID: 2, Status: Confirmed}, Choice{SessionID: 4, Status: Confirmed}),
		person(2, "Élodie", "Fontaine", Choice{SessionID: 2, Status: Confirmed}),
		person(3, "Kenji", "Mori", Choice{SessionID: 2, Status: Waitlisted, Position: 2}),
		person(4, "Bernard", "Leroy", Choice{SessionID: 2, Status: Waitlisted, Position: 1}, Choice{SessionID: 1, Status: Confirmed}),
		person(5, "Claire", "Émery", Choice{SessionID: 4, Status: Confirmed}),
		person(6, "Aiko", "Fontaine", Choice{SessionID: 4, Status: Confirmed}),
	}
	names := func(list []Attendee) string {
		var out []string
		for _, a := range list {
			out = append(out, a.GivenName)
		}
		return strings.Join(out, ",")
	}
	var got []string
	for _, a := range Attendances(sessions, rooms, people, 0) {
		room := "-"
		if a.Room != nil {
			room = a.Room.Name.In(French)
		}
		got = append(got, fmt.Sprintf("%d %s %d [%s] [%s]", a.Session.ID, room, a.Capacity, names(a.Seated), names(a.Waiting)))
	}
	// Session 5 (Mirabeau), 4 and 3 (Granet, by time), then 2 (no room).
	want := []string{"5 Mirabeau 0 [] []", "4 Granet 60 [Claire,Aiko,Yuko] []", "3 Granet 60 [] []", "2 - 2 [Élodie,Yuko] [Bernard,Kenji]"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("attendances:\n got %q\nwant %q", got, want)
	}
	one := Attendances(sessions, rooms, people, 2)
	if len(one) != 1 || one[0].Capacity != 2 || one[0].Waiting[0].Place != 1 || one[0].Waiting[0].Seat != Waitlisted {
		t.Errorf("the visit alone = %+v", one)
	}
	if got := Attendances(sessions, rooms, people, 1); len(got) != 0 {
		t.Errorf("a plenary has an attendance list: %+v", got)
	}
}
