package api

import (
	"net/http"
	"strconv"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// A registered person's own view of the events they are registered for
// (issue 17), the JSON twin of /{lang}/me/events/{id}: their registration,
// their badge's code and what its QR code holds, and their programme.

func (a *API) registerParticipant(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("GET", "/api/v1/me/events", rencontres.UseAccount, a.myEvents)
	route("GET", "/api/v1/me/events/{id}", rencontres.UseAccount, a.myEvent)
}

// MyEvent is a person's own view of an event.
type MyEvent struct {
	Registration *rencontres.Registration `json:"registration"`
	// CheckIn is what the badge's QR code holds: the check-in page of
	// the badge.
	CheckIn   string                      `json:"check_in_url"`
	Programme []rencontres.ProgrammeEntry `json:"programme"`
}

func (a *API) myEvents(w http.ResponseWriter, r *http.Request) (any, error) {
	list, err := a.participants.MyRegistrations(r.Context(), auth.ActorFrom(r.Context()).User.ID)
	if list == nil {
		list = []*rencontres.Registration{}
	}
	return list, err
}

func (a *API) myEvent(w http.ResponseWriter, r *http.Request) (any, error) {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("registration")
	}
	reg, err := a.participants.MyRegistration(ctx, id, auth.ActorFrom(ctx).User.ID)
	if err != nil {
		return nil, err
	}
	b, err := a.reg.Badge(ctx, reg)
	if err != nil {
		return nil, err
	}
	sessions, err := a.events.Sessions(ctx, id)
	if err != nil {
		return nil, err
	}
	rooms, err := a.events.Rooms(ctx, id)
	if err != nil {
		return nil, err
	}
	meetings, err := a.meetings.MeetingsOf(ctx, id, reg.OrgKey)
	if err != nil {
		return nil, err
	}
	return MyEvent{Registration: reg, CheckIn: b.URL, Programme: rencontres.PersonalProgramme(reg, sessions, rooms, meetings)}, nil
}
