package web

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/calendar"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// ProgrammePage is an edition's programme: for the public page, its print
// view, and the secretariat's timetable.
type ProgrammePage struct {
	Event *rencontres.Event
	Title string
	// Zone is the zone times are shown in: the event's unless the reader
	// chose another.
	Zone, ZoneLabel string
	Zones           []string
	Days            []*ProgrammeDay
	Rooms           []*rencontres.Room
	Print           bool
	// The timetable's form.
	Manage   bool
	Form     map[string]string
	Errors   map[string]string
	SDGSet   map[int]bool
	Kinds    []rencontres.SessionKind
	SDGs     []rencontres.SDG
	Done     string
	Editing  int64
	NoRoomID int64
}

// ProgrammeDay is one day of a programme, in the zone shown.
type ProgrammeDay struct {
	Day      rencontres.Date
	Sessions []*SessionView
	// Times are the distinct start times of the day, the timetable's rows.
	Times []string
}

// SessionView is a session as shown: its times in the zone shown, its
// room's name, its speakers with their authorities.
type SessionView struct {
	*rencontres.Session
	Start, End time.Time
	Room       string
	Speakers   []SpeakerView
}

// SpeakerView is a speaker with the authority they speak for.
type SpeakerView struct {
	rencontres.Speaker
	Org *rencontres.Organisation
}

// InSlot reports whether the session starts at clock in room (0: no room).
func (v *SessionView) InSlot(clock string, room int64) bool {
	return v.Start.Format("15:04") == clock && v.RoomID == room
}

func (s *Site) loadProgramme(r *http.Request, p *Page, e *rencontres.Event, zone string) (*ProgrammePage, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" || zone == "Local" {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_time_zone", Field: "zone", Message: "unknown time zone", Args: map[string]any{"Zone": zone}}
	}
	ctx := r.Context()
	sessions, err := s.events.Sessions(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	rooms, err := s.events.Rooms(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	roomName := map[int64]string{}
	for _, room := range rooms {
		roomName[room.ID] = room.Name.In(p.Lang)
	}
	orgs := map[string]*rencontres.Organisation{}
	d := &ProgrammePage{Event: e, Title: p.P.EditionTitleText(e.Number, e.SeriesShort), Zone: zone, ZoneLabel: p.ZoneName(zone),
		Zones: commonZones[:2], Rooms: rooms}
	if !slices.Contains(d.Zones, e.TimeZone) {
		d.Zones = append([]string{e.TimeZone}, d.Zones...)
	}
	byDay := map[rencontres.Date]*ProgrammeDay{}
	for _, ses := range sessions {
		v := &SessionView{Session: ses, Start: ses.Start.In(loc), End: ses.End.In(loc), Room: roomName[ses.RoomID]}
		for _, sp := range ses.Speakers {
			sv := SpeakerView{Speaker: sp}
			if sp.OrgKey != "" {
				if _, ok := orgs[sp.OrgKey]; !ok {
					o, err := s.svc.Organisation(ctx, sp.OrgKey)
					if err != nil && rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
						return nil, err
					}
					orgs[sp.OrgKey] = o
				}
				sv.Org = orgs[sp.OrgKey]
			}
			v.Speakers = append(v.Speakers, sv)
		}
		day := rencontres.DateOf(v.Start)
		pd := byDay[day]
		if pd == nil {
			pd = &ProgrammeDay{Day: day}
			byDay[day] = pd
			d.Days = append(d.Days, pd)
		}
		pd.Sessions = append(pd.Sessions, v)
		if clock := v.Start.Format("15:04"); !slices.Contains(pd.Times, clock) {
			pd.Times = append(pd.Times, clock)
		}
	}
	slices.SortFunc(d.Days, func(a, b *ProgrammeDay) int { return strings.Compare(a.Day.String(), b.Day.String()) })
	for _, pd := range d.Days {
		slices.Sort(pd.Times)
	}
	return d, nil
}

// publicEdition is the edition of the path if the reader may see its
// programme.
func (s *Site) publicEdition(w http.ResponseWriter, r *http.Request, p *Page) (*rencontres.Event, bool, error) {
	e, ok, err := s.visibleEvent(w, r, p)
	if !ok {
		return nil, false, err
	}
	if e.Kind != rencontres.EditionEvent || !p.Actor.CanSeeProgramme(e) {
		return nil, false, rencontres.NotFound("programme")
	}
	return e, true, nil
}

func (s *Site) programme(print bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
		e, ok, err := s.publicEdition(w, r, p)
		if !ok {
			return "", err
		}
		d, err := s.loadProgramme(r, p, e, cmp.Or(r.URL.Query().Get("zone"), e.TimeZone))
		if err != nil {
			return "", err
		}
		d.Print = print
		// The programme belongs to its series' archive in the menu.
		p.Title, p.Nav, p.Data = p.P.T("programme.title", "Edition", d.Title), "series-"+e.Series, d
		return "programme", nil
	}
}

func (s *Site) programmeCalendar(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, ok, err := s.publicEdition(w, r, p)
	if !ok {
		return "", err
	}
	sessions, err := s.events.Sessions(r.Context(), e.ID)
	if err != nil {
		return "", err
	}
	rooms, err := s.roomNames(r, p, e)
	if err != nil {
		return "", err
	}
	body, err := calendar.Programme(e, p.P.EditionTitleText(e.Number, e.SeriesShort), sessions, rooms, p.Lang, s.baseURL)
	if err != nil {
		return "", err
	}
	writeCalendar(w, fmt.Sprintf("%s-%d.ics", e.Series, e.Number), body)
	return "", nil
}

func (s *Site) roomNames(r *http.Request, p *Page, e *rencontres.Event) (map[int64]string, error) {
	rooms, err := s.events.Rooms(r.Context(), e.ID)
	if err != nil {
		return nil, err
	}
	m := map[int64]string{}
	for _, room := range rooms {
		m[room.ID] = room.Name.In(p.Lang)
	}
	return m, nil
}

func (s *Site) sessionCalendar(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, ok, err := s.publicEdition(w, r, p)
	if !ok {
		return "", err
	}
	id, _ := strconv.ParseInt(r.PathValue("session"), 10, 64)
	sessions, err := s.events.Sessions(r.Context(), e.ID)
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(sessions, func(s *rencontres.Session) bool { return s.ID == id })
	if i < 0 {
		return "", rencontres.NotFound("session")
	}
	rooms, err := s.roomNames(r, p, e)
	if err != nil {
		return "", err
	}
	body, err := calendar.Session(e, p.P.EditionTitleText(e.Number, e.SeriesShort), sessions[i], rooms[sessions[i].RoomID], p.Lang, s.baseURL)
	if err != nil {
		return "", err
	}
	writeCalendar(w, fmt.Sprintf("session-%d.ics", id), body)
	return "", nil
}

func writeCalendar(w http.ResponseWriter, name string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(body)
}

// editionOfPath is the edition of the path, for the timetable: meetings
// have agendas, not programmes.
func (s *Site) editionOfPath(r *http.Request) (*rencontres.Event, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return nil, err
	}
	if e.Kind != rencontres.EditionEvent {
		return nil, rencontres.NotFound("programme")
	}
	return e, nil
}

func (s *Site) timetable(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.editionOfPath(r)
	if err != nil {
		return "", err
	}
	d, err := s.timetablePage(r, p, e, nil, nil)
	if err != nil {
		return "", err
	}
	d.Done = r.URL.Query().Get("done")
	if id, err := strconv.ParseInt(r.URL.Query().Get("edit"), 10, 64); err == nil {
		for _, day := range d.Days {
			for _, v := range day.Sessions {
				if v.ID == id {
					d.Editing, d.Form = id, sessionToForm(v)
				}
			}
		}
	}
	d.SDGSet = sdgSet(d.Form["sdgs"])
	return "timetable", nil
}

func (s *Site) timetablePage(r *http.Request, p *Page, e *rencontres.Event, form, errs map[string]string) (*ProgrammePage, error) {
	d, err := s.loadProgramme(r, p, e, e.TimeZone)
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = map[string]string{"kind": string(rencontres.WorkshopKind), "day": e.Start.String()}
	}
	if errs == nil {
		errs = map[string]string{}
	}
	d.Manage, d.Form, d.Errors, d.Kinds, d.SDGs = true, form, errs, rencontres.SessionKinds, rencontres.SDGs
	d.SDGSet = sdgSet(form["sdgs"])
	// The title says whether readers see the programme yet.
	title := "timetable.title_draft"
	if e.Published {
		title = "timetable.title_published"
	}
	p.Title, p.Nav, p.Data = p.P.T(title, "Edition", d.Title), "events", d
	return d, nil
}

func sdgSet(list string) map[int]bool {
	m := map[int]bool{}
	for _, f := range strings.Fields(list) {
		if n, err := strconv.Atoi(f); err == nil {
			m[n] = true
		}
	}
	return m
}

func sessionToForm(v *SessionView) map[string]string {
	f := map[string]string{"id": strconv.FormatInt(v.ID, 10), "kind": string(v.Kind), "day": rencontres.DateOf(v.Start).String(),
		"start": v.Start.Format("15:04"), "end": v.End.Format("15:04"), "room": idString(v.RoomID),
		"capacity": strconv.Itoa(v.Capacity)}
	if v.Interpretation {
		f["interpretation"] = "on"
	}
	for _, l := range rencontres.Langs {
		f["title_"+string(l)] = v.Title[l]
		f["description_"+string(l)] = v.Description[l]
	}
	var lines []string
	for _, sp := range v.Speakers {
		lines = append(lines, strings.TrimRight(sp.Person+" | "+sp.Role+" | "+sp.OrgKey+" | "+sp.PersonJa, " |"))
	}
	f["speakers"] = strings.Join(lines, "\n")
	var sdgs []string
	for _, n := range v.SDGs {
		sdgs = append(sdgs, strconv.Itoa(n))
	}
	f["sdgs"] = strings.Join(sdgs, " ")
	return f
}

// parseSpeakers reads one speaker a line: "Name | role | authority key |
// name in Japanese", the role (speaker, moderator), the key and the name in
// Japanese being optional.
func parseSpeakers(text string) ([]rencontres.Speaker, error) {
	var out []rencontres.Speaker
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.Split(line, "|")
		sp := rencontres.Speaker{Person: strings.TrimSpace(parts[0]), Role: "speaker"}
		if len(parts) > 1 && strings.TrimSpace(parts[1]) != "" {
			sp.Role = strings.TrimSpace(parts[1])
		}
		if len(parts) > 2 {
			sp.OrgKey = strings.TrimSpace(parts[2])
		}
		if len(parts) > 3 {
			sp.PersonJa = strings.TrimSpace(parts[3])
		}
		if len(parts) > 4 || sp.Person == "" || (sp.Role != "speaker" && sp.Role != "moderator") {
			return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.speaker_line", Field: "speakers",
				Message: fmt.Sprintf("line %d: write Name | speaker or moderator | authority key", i+1), Args: map[string]any{"Line": i + 1}}
		}
		out = append(out, sp)
	}
	return out, nil
}

// saveSession creates or updates a session from the timetable's form.
func (s *Site) saveSession(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.editionOfPath(r)
	if err != nil {
		return "", err
	}
	form := map[string]string{}
	for _, f := range []string{"id", "kind", "day", "start", "end", "room", "speakers", "capacity", "interpretation"} {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	for _, l := range rencontres.Langs {
		form["title_"+string(l)] = strings.TrimSpace(r.PostFormValue("title_" + string(l)))
		form["description_"+string(l)] = strings.TrimSpace(r.PostFormValue("description_" + string(l)))
	}
	form["sdgs"] = strings.Join(r.PostForm["sdgs"], " ")
	ses, err := readSession(r, e, form)
	if err == nil {
		err = s.events.SaveSession(r.Context(), ses)
		if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
			if re, ok := err.(*rencontres.Error); ok && re.Field == "organisation" {
				err = &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_organisation", Field: "speakers", Message: re.Message, Args: re.Args}
			}
		}
	}
	if err != nil {
		errs := map[string]string{}
		if err := formError(p, err, errs); err != nil {
			return "", err
		}
		// A speaker's fault names its line; the form has one box.
		for k, v := range errs {
			if strings.HasPrefix(k, "speakers[") {
				delete(errs, k)
				errs["speakers"] = cmp.Or(errs["speakers"], v)
			}
		}
		d, err := s.timetablePage(r, p, e, form, errs)
		if err != nil {
			return "", err
		}
		d.Editing = ses.ID
		return "timetable", nil
	}
	s.audit(r, "session.save", "session", strconv.FormatInt(ses.ID, 10), nil)
	http.Redirect(w, r, p.Href(fmt.Sprintf("/events/%d/timetable?done=session#session-%d", e.ID, ses.ID)), http.StatusSeeOther)
	return "", nil
}

// readSession reads the timetable's form into a session. Every value that
// cannot be read is a fault on its field, and the session's own checks are
// added to them, so that the form shows all at once; the store, which
// finds clashes, is asked only when there is none.
func readSession(r *http.Request, e *rencontres.Event, form map[string]string) (*rencontres.Session, error) {
	ses := &rencontres.Session{EditionID: e.ID, Kind: rencontres.SessionKind(form["kind"]), Title: formText(r, "title"),
		Description: formText(r, "description"), Interpretation: form["interpretation"] != ""}
	var faults []error
	var err error
	if ses.ID, err = formID(r, "id"); err != nil {
		return ses, err
	}
	if ses.RoomID, err = formID(r, "room"); err != nil {
		faults = append(faults, err)
	}
	if form["capacity"] != "" {
		if ses.Capacity, err = strconv.Atoi(form["capacity"]); err != nil {
			faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_parameter", Field: "capacity", Message: "not a number"})
		}
	}
	day, err := formDate(r, "day")
	switch {
	case err != nil:
		faults = append(faults, err)
	case day.IsZero():
		faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "day", Message: "a session needs its day"})
	}
	loc := e.Location()
	for _, c := range []struct {
		name string
		dst  *time.Time
	}{{"start", &ses.Start}, {"end", &ses.End}} {
		switch {
		case form[c.name] == "":
			faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: c.name, Message: "give the time"})
		case !rencontres.ValidClock(form[c.name]):
			faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_time", Field: c.name, Message: "want HH:MM",
				Args: map[string]any{"Value": form[c.name]}})
		case !day.IsZero():
			*c.dst, _ = time.ParseInLocation("2006-01-02 15:04", day.String()+" "+form[c.name], loc)
		}
	}
	for _, f := range r.PostForm["sdgs"] {
		n, err := strconv.Atoi(f)
		if err != nil {
			faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_sdg", Field: "sdgs", Message: "not a goal", Args: map[string]any{"Value": f}})
			continue
		}
		ses.SDGs = append(ses.SDGs, n)
	}
	if ses.Speakers, err = parseSpeakers(form["speakers"]); err != nil {
		faults = append(faults, err)
	}
	if len(faults) == 0 {
		return ses, nil
	}
	// The session's own checks find what reading could not: a title
	// missing, an end before the start. A time that could not be read is
	// not told again as missing.
	if err := ses.Validate(); err != nil {
		var e *rencontres.Error
		if errors.As(err, &e) {
			for _, f := range e.All() {
				if !(ses.Start.IsZero() || ses.End.IsZero()) || (f.Field != "start" && f.Field != "end") {
					faults = append(faults, f)
				}
			}
		}
	}
	return ses, rencontres.Join(faults...)
}

func (s *Site) deleteSession(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.editionOfPath(r)
	if err != nil {
		return "", err
	}
	id, err := strconv.ParseInt(r.PathValue("session"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("session")
	}
	if err := s.events.DeleteProgrammeSession(r.Context(), e.ID, id); err != nil {
		return "", err
	}
	s.audit(r, "session.delete", "session", r.PathValue("session"), nil)
	http.Redirect(w, r, p.Href(fmt.Sprintf("/events/%d/timetable?done=deleted", e.ID)), http.StatusSeeOther)
	return "", nil
}

func (s *Site) addRoom(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.editionOfPath(r)
	if err != nil {
		return "", err
	}
	room := &rencontres.Room{Name: formText(r, "room_name")}
	if v := strings.TrimSpace(r.PostFormValue("room_capacity")); v != "" {
		if room.Capacity, err = strconv.Atoi(v); err != nil {
			// The name is checked too, so that both faults show at once.
			err = rencontres.Join(&rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_parameter", Field: "room_capacity", Message: "not a number"},
				room.Name.Validate("name", true))
		}
	}
	if err == nil {
		err = s.events.SaveRoom(r.Context(), e.ID, room)
	}
	if err != nil {
		errs := map[string]string{}
		if err := formError(p, err, errs); err != nil {
			return "", err
		}
		if errs["name"] != "" {
			errs["room_name"] = errs["name"]
		}
		if errs["capacity"] != "" {
			errs["room_capacity"] = errs["capacity"]
		}
		if _, err := s.timetablePage(r, p, e, nil, errs); err != nil {
			return "", err
		}
		return "timetable", nil
	}
	s.audit(r, "room.save", "room", strconv.FormatInt(room.ID, 10), nil)
	http.Redirect(w, r, p.Href(fmt.Sprintf("/events/%d/timetable?done=room", e.ID)), http.StatusSeeOther)
	return "", nil
}

func (s *Site) publishProgramme(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.editionOfPath(r)
	if err != nil {
		return "", err
	}
	publish := r.PostFormValue("publish") == "1"
	if err := s.events.SetPublished(r.Context(), e.ID, publish); err != nil {
		return "", err
	}
	s.audit(r, "programme.publish", "event", strconv.FormatInt(e.ID, 10), map[string]any{"published": publish})
	done := "unpublished"
	if publish {
		done = "published"
	}
	http.Redirect(w, r, p.Href(fmt.Sprintf("/events/%d/timetable?done=%s", e.ID, done)), http.StatusSeeOther)
	return "", nil
}
