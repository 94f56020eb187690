package api

import (
	"net/http"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// One-to-one meetings at an edition (issue 17), under the same permissions
// as their pages: an authority's contact requests, answers and reads its
// agenda (meeting.request, for its own authority); the secretariat sets
// the slots, runs and publishes the schedule (event.manage).

func (a *API) registerMeetings(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("GET", "/api/v1/events/{event}/meetings/requests", rencontres.RequestMeetings, a.listMeetingRequests)
	route("POST", "/api/v1/events/{event}/meetings/requests", rencontres.RequestMeetings, a.createMeetingRequest)
	route("POST", "/api/v1/events/{event}/meetings/requests/{request}/answer", rencontres.RequestMeetings, a.answerMeetingRequest)
	route("GET", "/api/v1/events/{event}/meetings/agenda/{key}", rencontres.RequestMeetings, a.meetingAgenda)
	route("GET", "/api/v1/events/{event}/meetings/settings", rencontres.ManageEvents, a.getMeetingSettings)
	route("PUT", "/api/v1/events/{event}/meetings/settings", rencontres.ManageEvents, a.putMeetingSettings)
	route("GET", "/api/v1/events/{event}/meetings/schedule", rencontres.ManageEvents, a.getMeetingSchedule)
	route("POST", "/api/v1/events/{event}/meetings/schedule", rencontres.ManageEvents, a.runMeetingSchedule)
	route("POST", "/api/v1/events/{event}/meetings/schedule/publish", rencontres.ManageEvents, a.publishMeetingSchedule)
}

// MeetingRequestList is the body of GET …/meetings/requests.
type MeetingRequestList struct {
	Requests []*rencontres.MeetingRequest `json:"requests"`
}

// MeetingAgendaBody is the body of GET …/meetings/agenda/{key}.
type MeetingAgendaBody struct {
	Organisation string                `json:"organisation"`
	Meetings     []*rencontres.Meeting `json:"meetings"`
}

// meetingEvent is the edition of the path.
func (a *API) meetingEvent(r *http.Request) (*rencontres.Event, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	if e.Kind != rencontres.EditionEvent {
		return nil, rencontres.NotFound("event")
	}
	return e, nil
}

// meetingOrg is the authority a contact acts for: the one named, which
// must be theirs; a contact of one authority may leave it out. The
// secretariat may name none (every authority).
func meetingOrg(r *http.Request, named string) (string, error) {
	actor := auth.ActorFrom(r.Context())
	if named == "" && actor.User != nil && !actor.Can(rencontres.ManageEvents, rencontres.Target{}) {
		if len(actor.User.OrgKeys) != 1 {
			return "", &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "organisation", Message: "name the authority (organisation)"}
		}
		named = actor.User.OrgKeys[0]
	}
	if named != "" && !actor.Can(rencontres.RequestMeetings, rencontres.Target{OrgKey: named}) {
		return "", errForbidden
	}
	return named, nil
}

func (a *API) listMeetingRequests(w http.ResponseWriter, r *http.Request) (any, error) {
	if err := checkParams(r.URL.Query(), "organisation"); err != nil {
		return nil, err
	}
	e, err := a.meetingEvent(r)
	if err != nil {
		return nil, err
	}
	org, err := meetingOrg(r, r.URL.Query().Get("organisation"))
	if err != nil {
		return nil, err
	}
	reqs, err := a.meetings.MeetingRequests(r.Context(), e.ID, org)
	return MeetingRequestList{orEmpty(reqs)}, err
}

// NewMeetingRequest is the body of POST …/meetings/requests: from is the
// requesting authority (a contact of one authority may leave it out).
type NewMeetingRequest struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Message string `json:"message"`
}

func (a *API) createMeetingRequest(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.meetingEvent(r)
	if err != nil {
		return nil, err
	}
	var body NewMeetingRequest
	if err := decode(r, &body); err != nil {
		return nil, err
	}
	from, err := meetingOrg(r, body.From)
	if err != nil {
		return nil, err
	}
	q := &rencontres.MeetingRequest{EventID: e.ID, From: from, To: body.To, Message: body.Message}
	if err := a.meetings.RequestMeeting(r.Context(), q, actorID(r), time.Now()); err != nil {
		return nil, err
	}
	a.audit(r, "meeting.request", "meeting_request", q.ID, map[string]any{"from": q.From, "to": q.To})
	return created(q), nil
}

// MeetingAnswer is the body of POST …/requests/{request}/answer.
type MeetingAnswer struct {
	Answer string `json:"answer"` // accept or decline
}

func (a *API) answerMeetingRequest(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.meetingEvent(r)
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "request")
	if err != nil {
		return nil, err
	}
	var body MeetingAnswer
	if err := decode(r, &body); err != nil {
		return nil, err
	}
	q, err := a.meetings.MeetingRequest(r.Context(), e.ID, id)
	if err != nil {
		return nil, err
	}
	if !auth.ActorFrom(r.Context()).Can(rencontres.RequestMeetings, rencontres.Target{OrgKey: q.To}) {
		return nil, errForbidden
	}
	if body.Answer != "accept" && body.Answer != "decline" {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "meetings.error_answer", Field: "answer", Message: `answer "accept" or "decline"`}
	}
	if q, err = a.meetings.AnswerMeeting(r.Context(), e.ID, id, body.Answer == "accept", actorID(r), time.Now()); err != nil {
		return nil, err
	}
	a.audit(r, "meeting.answer", "meeting_request", id, map[string]any{"answer": body.Answer})
	return q, nil
}

func (a *API) meetingAgenda(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.meetingEvent(r)
	if err != nil {
		return nil, err
	}
	org := r.PathValue("key")
	if !auth.ActorFrom(r.Context()).Can(rencontres.RequestMeetings, rencontres.Target{OrgKey: org}) {
		return nil, errForbidden
	}
	ms, err := a.meetings.MeetingsOf(r.Context(), e.ID, org)
	return MeetingAgendaBody{Organisation: org, Meetings: orEmpty(ms)}, err
}

func (a *API) getMeetingSettings(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.meetingEvent(r)
	if err != nil {
		return nil, err
	}
	return a.meetings.MeetingSettings(r.Context(), e.ID)
}

// MeetingSettingsBody is the body of PUT …/meetings/settings: the
// schedule's state and times are not set here.
type MeetingSettingsBody struct {
	Ranges   []rencontres.SlotRange `json:"ranges"`
	Tables   []string               `json:"tables"`
	Cap      int                    `json:"cap"`
	Deadline *time.Time             `json:"deadline"`
}

func (a *API) putMeetingSettings(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.meetingEvent(r)
	if err != nil {
		return nil, err
	}
	var body MeetingSettingsBody
	if err := decode(r, &body); err != nil {
		return nil, err
	}
	set := &rencontres.MeetingSettings{EventID: e.ID, Ranges: body.Ranges, Tables: body.Tables, Cap: body.Cap, Deadline: body.Deadline}
	if err := a.meetings.SaveMeetingSettings(r.Context(), set, actorID(r), time.Now()); err != nil {
		return nil, err
	}
	a.audit(r, "meeting.settings", "event", e.ID, nil)
	return a.meetings.MeetingSettings(r.Context(), e.ID)
}

func (a *API) getMeetingSchedule(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.meetingEvent(r)
	if err != nil {
		return nil, err
	}
	return a.meetings.MeetingSchedule(r.Context(), e.ID)
}

func (a *API) runMeetingSchedule(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.meetingEvent(r)
	if err != nil {
		return nil, err
	}
	sch, err := a.meetings.ScheduleMeetings(r.Context(), e.ID, actorID(r), time.Now())
	if err != nil {
		return nil, err
	}
	a.audit(r, "meeting.schedule", "event", e.ID, map[string]any{"placed": sch.Placed, "unplaced": sch.Unplaced})
	return sch, nil
}

// MeetingPublish is the body of POST …/meetings/schedule/publish.
type MeetingPublish struct {
	State rencontres.MeetingState `json:"state"` // provisional or final
}

func (a *API) publishMeetingSchedule(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.meetingEvent(r)
	if err != nil {
		return nil, err
	}
	var body MeetingPublish
	if err := decode(r, &body); err != nil {
		return nil, err
	}
	if err := a.meetings.PublishMeetings(r.Context(), e.ID, body.State, actorID(r), time.Now()); err != nil {
		return nil, err
	}
	a.audit(r, "meeting.publish", "event", e.ID, map[string]any{"state": string(body.State)})
	return a.meetings.MeetingSchedule(r.Context(), e.ID)
}
