package rencontres

import (
	"cmp"
	"slices"
)

// TakesChoices reports whether people choose sessions of this kind when
// they register (workshops, micro-workshops, visits, country-group
// meetings); every registered person attends the others.
func (k SessionKind) TakesChoices() bool {
	switch k {
	case WorkshopKind, MicroWorkshop, Visit, CountryGroup:
		return true
	}
	return false
}

// SessionsToChoose are the sessions among these that take choices, in
// their order.
func SessionsToChoose(sessions []*Session) []*Session {
	var out []*Session
	for _, s := range sessions {
		if s.Kind.TakesChoices() {
			out = append(out, s)
		}
	}
	return out
}

// Seats is the number of seats of a session held in room (nil: no room):
// its own capacity, else the room's; 0 is no limit. It is the rule the
// store's fill applies when it gives seats.
func (s *Session) Seats(room *Room) int {
	if s.Capacity > 0 || room == nil {
		return s.Capacity
	}
	return room.Capacity
}

// Attendee is a person on a session's attendance list, with where they
// stand for that session.
type Attendee struct {
	*Registration
	// Seat is the person's status for this session; Place is their place
	// on its waiting list, from 1, when they wait.
	Seat  SeatStatus `json:"seat"`
	Place int        `json:"session_waitlist_position,omitempty"`
}

// Attendance is the list of one session that takes choices, as the
// secretariat prints it to be signed at the door: the people with a seat,
// then those waiting.
type Attendance struct {
	Session *Session `json:"session"`
	Room    *Room    `json:"room,omitempty"`
	// Capacity is the session's number of seats (Seats); 0 is no limit.
	Capacity int `json:"capacity"`
	// Seated are the people with a confirmed seat, by family name then
	// given name as written in Latin letters, accents aside, so that a
	// person finds their line at once.
	Seated []Attendee `json:"seated"`
	// Waiting are those waiting for a seat, in the order they will get one.
	Waiting []Attendee `json:"waiting"`
}

// Attendances builds the attendance lists of the sessions that take
// choices, room by room (rooms in their order, sessions without a room
// last), each room's by start time, from an event's sessions, rooms and
// registrations read with their choices. Only the session only is listed
// when only is not 0.
func Attendances(sessions []*Session, rooms []*Room, people []*Registration, only int64) []*Attendance {
	roomIndex := map[int64]int{}
	for i, r := range rooms {
		roomIndex[r.ID] = i
	}
	var out []*Attendance
	bySession := map[int64]*Attendance{}
	for _, s := range sessions {
		if !s.Kind.TakesChoices() || only != 0 && s.ID != only {
			continue
		}
		a := &Attendance{Session: s, Seated: []Attendee{}, Waiting: []Attendee{}}
		if i, ok := roomIndex[s.RoomID]; ok {
			a.Room = rooms[i]
		}
		a.Capacity = s.Seats(a.Room)
		out = append(out, a)
		bySession[s.ID] = a
	}
	for _, r := range people {
		for _, c := range r.Choices {
			a := bySession[c.SessionID]
			switch {
			case a == nil:
			case c.Status == Confirmed:
				a.Seated = append(a.Seated, Attendee{Registration: r, Seat: Confirmed})
			case c.Status == Waitlisted:
				a.Waiting = append(a.Waiting, Attendee{Registration: r, Seat: Waitlisted, Place: c.Position})
			}
		}
	}
	roomOrder := func(a *Attendance) int {
		if a.Room == nil {
			return len(rooms)
		}
		return roomIndex[a.Room.ID]
	}
	slices.SortStableFunc(out, func(a, b *Attendance) int {
		return cmp.Or(cmp.Compare(roomOrder(a), roomOrder(b)), a.Session.Start.Compare(b.Session.Start))
	})
	for _, a := range out {
		slices.SortFunc(a.Seated, func(x, y Attendee) int {
			return cmp.Or(cmp.Compare(FoldSearch(x.FamilyName), FoldSearch(y.FamilyName)),
				cmp.Compare(FoldSearch(x.GivenName), FoldSearch(y.GivenName)), cmp.Compare(x.ID, y.ID))
		})
		slices.SortFunc(a.Waiting, func(x, y Attendee) int { return cmp.Compare(x.Place, y.Place) })
	}
	return out
}
