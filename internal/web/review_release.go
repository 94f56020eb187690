package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/review"
)

// ReleasePage writes the decision letters, per decision and language,
// chooses the session of each workshop's accepted practices, and releases
// the call's decisions together.
type ReleasePage struct {
	Call      *rencontres.Call
	Decisions []rencontres.ProposalDecision
	// Counts are the proposals of each decision; Undecided, those
	// without one.
	Counts    map[rencontres.ProposalDecision]int
	Undecided int
	Fields    []string
	// Places are the workshops whose accepted practices the release puts
	// in a session; Sessions and Rooms, the programme's, to choose from.
	Places   []ReleasePlace
	Sessions []SessionChoice
	Rooms    []*rencontres.Room
	// Zone is the event's, in which the new sessions' times are read.
	Zone string
	// Blocked are the decisions that stop the release, with why.
	Blocked []BlockedDecision
	Form    map[string]string
	Errors  map[string]string
	Done    string
}

// ReleasePlace is a workshop with accepted practices that their decision
// put in no session.
type ReleasePlace struct {
	Workshop int
	Title    rencontres.Text
	Count    int
}

// SessionChoice is a programme session as the release form offers it.
type SessionChoice struct {
	ID    int64
	Label string
}

// BlockedDecision is a proposal whose placing refuses the release.
type BlockedDecision struct {
	ProposalID int64
	Title      rencontres.Text
	Message    string
}

func (s *Site) releasePageFill(r *http.Request, p *Page, c *rencontres.Call, d *ReleasePage) (string, error) {
	ctx := r.Context()
	props, err := s.reviews.CallProposals(ctx, c.ID)
	if err != nil {
		return "", err
	}
	workshops, err := s.reviews.CallWorkshops(ctx, c.ID)
	if err != nil {
		return "", err
	}
	defaults, err := s.reviews.WorkshopSessions(ctx, c.ID)
	if err != nil {
		return "", err
	}
	ev, err := s.callEdition(r, c)
	if err != nil {
		return "", err
	}
	loc := ev.Location()
	d.Zone = p.P.ZoneName(loc.String())
	d.Call, d.Decisions, d.Fields, d.Counts = c, rencontres.ProposalDecisions, rencontres.LetterFields, map[rencontres.ProposalDecision]int{}
	counts := map[int]int{}
	for _, pr := range props {
		if pr.Decision == rencontres.Undecided {
			d.Undecided++
			continue
		}
		d.Counts[pr.Decision]++
		if pr.Decision.IsAccepted() && pr.SessionID == 0 {
			w := pr.Workshop
			if pr.Decision == rencontres.AcceptedOther && pr.DecisionWorkshop != 0 {
				w = pr.DecisionWorkshop
			}
			if workshops[w] != nil {
				counts[w]++
			}
		}
	}
	for w, n := range counts {
		d.Places = append(d.Places, ReleasePlace{Workshop: w, Title: workshops[w], Count: n})
	}
	slices.SortFunc(d.Places, func(a, b ReleasePlace) int { return a.Workshop - b.Workshop })
	sessions, err := s.reviews.CallSessions(ctx, c.ID)
	if err != nil {
		return "", err
	}
	for _, ses := range sessions {
		d.Sessions = append(d.Sessions, SessionChoice{ID: ses.ID,
			Label: ses.Title.In(p.Lang) + " — " + p.P.Date(rencontres.DateOf(ses.Start.In(loc))) + " " + p.P.TimeRange(ses.Start.In(loc), ses.End.In(loc))})
	}
	if ev.Kind == rencontres.EditionEvent {
		if d.Rooms, err = s.events.Rooms(ctx, ev.ID); err != nil {
			return "", err
		}
	}
	if d.Form == nil {
		d.Form = map[string]string{}
		for dec, t := range c.Letters {
			for _, l := range rencontres.Langs {
				d.Form["letter_"+string(dec)+"_"+string(l)] = t[l]
			}
		}
	}
	// Each workshop's session: its own in the programme, else a new one
	// on the event's first afternoon, to change.
	for _, pl := range d.Places {
		n := strconv.Itoa(pl.Workshop)
		if _, ok := d.Form["place_"+n]; ok {
			continue
		}
		if id := defaults[pl.Workshop]; id != 0 {
			d.Form["place_"+n] = strconv.FormatInt(id, 10)
			continue
		}
		d.Form["place_"+n] = "new"
		if !ev.Start.IsZero() {
			d.Form["new_"+n+"_day"] = ev.Start.String()
		}
		d.Form["new_"+n+"_start"], d.Form["new_"+n+"_end"] = "14:00", "16:00"
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	for k, msg := range d.Errors {
		id, err := strconv.ParseInt(strings.TrimPrefix(k, "proposals_"), 10, 64)
		if !strings.HasPrefix(k, "proposals_") || err != nil {
			continue
		}
		b := BlockedDecision{ProposalID: id, Message: msg}
		if i := slices.IndexFunc(props, func(pr *rencontres.Proposal) bool { return pr.ID == id }); i >= 0 {
			b.Title = props[i].Title
		}
		d.Blocked = append(d.Blocked, b)
	}
	slices.SortFunc(d.Blocked, func(a, b BlockedDecision) int { return int(a.ProposalID - b.ProposalID) })
	p.Title, p.Data = p.P.T("review.release_title", "Call", c.Title.In(p.Lang)), d
	return "review_release", nil
}

// callEdition is the edition whose programme receives a call's practices:
// the call's event, or the edition a meeting prepares.
func (s *Site) callEdition(r *http.Request, c *rencontres.Call) (*rencontres.Event, error) {
	ev, err := s.events.Event(r.Context(), c.EventID)
	if err != nil || ev.Kind == rencontres.EditionEvent || ev.EditionID == 0 {
		return ev, err
	}
	return s.events.Event(r.Context(), ev.EditionID)
}

func (s *Site) releasePage(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, err := s.callFromPath(r)
	if err != nil {
		return "", err
	}
	return s.releasePageFill(r, p, c, &ReleasePage{Done: r.URL.Query().Get("done")})
}

func (s *Site) saveLettersForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, err := s.callFromPath(r)
	if err != nil {
		return "", err
	}
	form := map[string]string{}
	letters := map[rencontres.ProposalDecision]rencontres.Text{}
	for _, dec := range rencontres.ProposalDecisions {
		t := rencontres.Text{}
		for _, l := range rencontres.Langs {
			name := "letter_" + string(dec) + "_" + string(l)
			form[name] = r.PostFormValue(name)
			if v := strings.TrimSpace(form[name]); v != "" {
				t[l] = v
			}
		}
		if !t.IsZero() {
			letters[dec] = t
		}
	}
	if err := s.reviews.SetLetters(r.Context(), c.ID, letters); err != nil {
		d := &ReleasePage{Form: form, Errors: map[string]string{}}
		if ferr := faultsBeside(p, err, d.Errors); ferr != nil {
			return "", ferr
		}
		return s.releasePageFill(r, p, c, d)
	}
	s.audit(r, "call.letters", "call", strconv.FormatInt(c.ID, 10), nil)
	http.Redirect(w, r, p.Href("/manage/calls/"+strconv.FormatInt(c.ID, 10)+"/release?done=letters"), http.StatusSeeOther)
	return "", nil
}

// readPlacements reads the release form's choice of session for each
// workshop: "place_N" a session's id or "new", and then the new session's
// "new_N_day", "new_N_start", "new_N_end" (on the event's clock) and
// "new_N_room". What cannot be read is a fault beside its field.
func readPlacements(r *http.Request, loc *time.Location, form map[string]string) ([]rencontres.Placement, error) {
	var out []rencontres.Placement
	var faults []error
	for name := range r.PostForm {
		n, ok := strings.CutPrefix(name, "place_")
		w, err := strconv.Atoi(n)
		if !ok || err != nil || w < 1 {
			continue
		}
		field := "placements." + n
		choice := strings.TrimSpace(r.PostFormValue(name))
		form[name] = choice
		if choice != "new" {
			id, err := strconv.ParseInt(choice, 10, 64)
			if err != nil || id <= 0 {
				faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_parameter", Field: field + ".session_id", Message: "not a session"})
				continue
			}
			out = append(out, rencontres.Placement{Workshop: w, SessionID: id})
			continue
		}
		pre := "new_" + n + "_"
		for _, f := range []string{"day", "start", "end", "room"} {
			form[pre+f] = strings.TrimSpace(r.PostFormValue(pre + f))
		}
		ns := &rencontres.NewSession{}
		room, err := formID(r, pre+"room")
		if err != nil {
			faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_parameter", Field: field + ".room", Message: "not a room"})
		}
		ns.RoomID = room
		day, err := formDate(r, pre+"day")
		switch {
		case err != nil:
			faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_date", Field: field + ".day", Message: "not a date",
				Args: map[string]any{"Value": form[pre+"day"]}})
		case day.IsZero():
			faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: field + ".day", Message: "a session needs its day"})
		}
		for _, c := range []struct {
			name string
			dst  *time.Time
		}{{"start", &ns.Start}, {"end", &ns.End}} {
			v := form[pre+c.name]
			switch {
			case v == "":
				faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: field + "." + c.name, Message: "give the time"})
			case !rencontres.ValidClock(v):
				faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_time", Field: field + "." + c.name, Message: "want HH:MM",
					Args: map[string]any{"Value": v}})
			case !day.IsZero():
				*c.dst, _ = time.ParseInLocation("2006-01-02 15:04", day.String()+" "+v, loc)
			}
		}
		out = append(out, rencontres.Placement{Workshop: w, New: ns})
	}
	slices.SortFunc(out, func(a, b rencontres.Placement) int { return a.Workshop - b.Workshop })
	return out, rencontres.Join(faults...)
}

func (s *Site) releaseForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, err := s.callFromPath(r)
	if err != nil {
		return "", err
	}
	ev, err := s.callEdition(r, c)
	if err != nil {
		return "", err
	}
	form := map[string]string{}
	for dec, t := range c.Letters {
		for _, l := range rencontres.Langs {
			form["letter_"+string(dec)+"_"+string(l)] = t[l]
		}
	}
	placements, err := readPlacements(r, ev.Location(), form)
	var queued []*rencontres.QueuedMail
	if err == nil {
		queued, err = s.reviews.ReleaseDecisions(r.Context(), c.ID, p.Actor.User.ID, time.Now(), placements, review.Letter)
	}
	if err != nil {
		d := &ReleasePage{Form: form, Errors: map[string]string{}}
		if ferr := faultsBeside(p, err, d.Errors); ferr != nil {
			return "", ferr
		}
		return s.releasePageFill(r, p, c, d)
	}
	s.audit(r, "call.release", "call", strconv.FormatInt(c.ID, 10), map[string]any{"letters": len(queued), "placements": len(placements)})
	http.Redirect(w, r, p.Href("/manage/calls/"+strconv.FormatInt(c.ID, 10)+"/release?done=released"), http.StatusSeeOther)
	return "", nil
}
