package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The secretariat's pages of the calls for proposals: an event's calls,
// a call's form (texts, dates on the event's clock, workshops, questions
// and review settings) and the list of its proposals.

// registerCalls adds the routes of the calls and the proposals.
func (s *Site) registerCalls(route func(method, path string, perm rencontres.Permission, h handlerFunc)) {
	route("GET", "/events/{event}/calls", rencontres.ManageCalls, s.eventCalls)
	route("GET", "/events/{event}/calls/new", rencontres.ManageCalls, s.newCall)
	route("POST", "/events/{event}/calls", rencontres.ManageCalls, s.createCall)
	route("GET", "/calls/{call}/edit", rencontres.ManageCalls, s.editCall)
	route("POST", "/calls/{call}", rencontres.ManageCalls, s.updateCall)
	route("POST", "/calls/{call}/delete", rencontres.ManageCalls, s.deleteCall)
	route("GET", "/calls/{call}/proposals", rencontres.ManageCalls, s.callProposals)
	route("POST", "/campaigns/{campaign}/call", rencontres.ManageCalls, s.setCampaignCall)
	// A call's public page; an authority's contact proposes, changes and
	// withdraws its proposals, and lists them.
	route("GET", "/calls/{call}", rencontres.ReadPublic, s.callPage)
	route("GET", "/calls/{call}/propose", rencontres.ProposePractices, s.newProposal)
	route("POST", "/calls/{call}/proposals", rencontres.ProposePractices, s.createProposal)
	route("GET", "/proposals/{proposal}", rencontres.ProposePractices, s.proposalPage)
	route("GET", "/proposals/{proposal}/edit", rencontres.ProposePractices, s.editProposal)
	route("POST", "/proposals/{proposal}", rencontres.ProposePractices, s.updateProposal)
	route("POST", "/proposals/{proposal}/withdraw", rencontres.ProposePractices, s.withdrawProposal)
	route("GET", "/proposals/{proposal}/documents/{document}", rencontres.ProposePractices, s.proposalDocument)
	route("GET", "/manage/organisations/{key}/proposals", rencontres.ProposePractices, s.orgProposals)
}

// CallRow is a call in a list, with its counts.
type CallRow struct {
	Call                          *rencontres.Call
	Submitted, Withdrawn, Pending int
}

// CallsPage is an event's calls.
type CallsPage struct {
	Event *rencontres.Event
	Title string
	Calls []CallRow
	Done  string
}

func (s *Site) eventCalls(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	calls, err := s.prac.Calls(r.Context(), e.ID)
	if err != nil {
		return "", err
	}
	d := &CallsPage{Event: e, Title: p.EventTitleText(e), Done: r.URL.Query().Get("done")}
	for _, c := range calls {
		row := CallRow{Call: c}
		list, err := s.prac.Proposals(r.Context(), p.Actor, rencontres.ProposalFilter{CallID: c.ID})
		if err != nil {
			return "", err
		}
		for _, pr := range list {
			switch {
			case pr.State == rencontres.ProposalWithdrawn:
				row.Withdrawn++
			case pr.TranslationPending():
				row.Submitted++
				row.Pending++
			default:
				row.Submitted++
			}
		}
		d.Calls = append(d.Calls, row)
	}
	p.Title, p.Nav, p.Data = p.P.T("call.list_title", "Event", d.Title), "events", d
	return "calls", nil
}

// CategoryRow is a score category as the call's form shows it.
type CategoryRow struct {
	Index             int
	Key, Min, Max, Wt string
	Label             rencontres.Text
}

// LabelIn is the label in lang as typed.
func (c CategoryRow) LabelIn(lang rencontres.Lang) string { return c.Label[lang] }

// CallForm is the data of a call's form.
type CallForm struct {
	Event        *rencontres.Event
	Title        string
	Call         *rencontres.Call // nil for a new one
	Form         map[string]string
	Errors       map[string]string
	Workshops    []rencontres.Workshop
	Chosen       map[int]bool
	Questions    []QuestionRow
	Kinds        []rencontres.QuestionKind
	CallKinds    []rencontres.CallKind
	Categories   []CategoryRow
	Visibilities []rencontres.ReviewVisibility
	Proposals    int
}

// WorkshopNumber is the number of the i-th workshop, from 1.
func (d *CallForm) WorkshopNumber(i int) int { return i + 1 }

func (s *Site) pathCall(r *http.Request) (*rencontres.Call, *rencontres.Event, error) {
	id, err := strconv.ParseInt(r.PathValue("call"), 10, 64)
	if err != nil {
		return nil, nil, rencontres.NotFound("call")
	}
	c, err := s.prac.Call(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	e, err := s.events.Event(r.Context(), c.EventID)
	return c, e, err
}

func (s *Site) newCall(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	loc := e.Location()
	c := &rencontres.Call{EventID: e.ID, Kind: rencontres.CallPractice, Visibility: rencontres.SeeAfterOwn, MinReviews: 2,
		Opens: time.Now().In(loc).Truncate(time.Hour)}
	c.Deadline = c.Opens.AddDate(0, 2, 0)
	label := rencontres.Text{}
	for _, l := range rencontres.Langs {
		label[l] = s.cat.Printer(l).T("call.cat_relevance")
	}
	c.Categories = []rencontres.ScoreCategory{{Key: "relevance", Label: label, Min: 1, Max: 5, Weight: 1}}
	d := &CallForm{Event: e, Form: callValues(c, loc), Errors: map[string]string{}, Chosen: map[int]bool{}}
	d.Questions, d.Categories = questionRows(nil), categoryRows(c.Categories)
	return s.callFormPage(r, p, d)
}

func (s *Site) editCall(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, e, err := s.pathCall(r)
	if err != nil {
		return "", err
	}
	d := &CallForm{Event: e, Call: c, Form: callValues(c, e.Location()), Errors: map[string]string{}, Chosen: map[int]bool{}}
	for _, n := range c.Workshops {
		d.Chosen[n] = true
	}
	d.Questions, d.Categories = questionRows(c.Questions), categoryRows(c.Categories)
	return s.callFormPage(r, p, d)
}

func (s *Site) callFormPage(r *http.Request, p *Page, d *CallForm) (string, error) {
	var err error
	if d.Workshops, err = s.prac.Workshops(r.Context(), d.Event.ID); err != nil {
		return "", err
	}
	if d.Call != nil {
		list, err := s.prac.Proposals(r.Context(), p.Actor, rencontres.ProposalFilter{CallID: d.Call.ID})
		if err != nil {
			return "", err
		}
		d.Proposals = len(list)
	}
	d.Title, d.Kinds, d.CallKinds, d.Visibilities = p.EventTitleText(d.Event), rencontres.QuestionKinds, rencontres.CallKinds, rencontres.ReviewVisibilities
	if d.Call == nil {
		p.Title = p.P.T("call.new_title", "Event", d.Title)
	} else {
		p.Title = p.P.T("call.edit_title", "Title", d.Call.Title.In(p.Lang))
	}
	p.Nav, p.Data = "events", d
	return "call_form", nil
}

func callValues(c *rencontres.Call, loc *time.Location) map[string]string {
	m := map[string]string{"kind": string(c.Kind), "visibility": string(c.Visibility), "min_reviews": strconv.Itoa(c.MinReviews)}
	for _, l := range rencontres.Langs {
		m["title_"+string(l)], m["intro_"+string(l)] = c.Title[l], c.Intro[l]
	}
	for name, t := range map[string]*time.Time{"opens": &c.Opens, "deadline": &c.Deadline, "review_opens": c.ReviewOpens,
		"review_closes": c.ReviewCloses, "decisions_at": c.DecisionsAt} {
		if t != nil && !t.IsZero() {
			m[name] = t.In(loc).Format(localLayout)
		}
	}
	if c.Blind {
		m["blind"] = "on"
	}
	if c.AuthorsEditInReview {
		m["authors_edit"] = "on"
	}
	return m
}

func categoryRows(cs []rencontres.ScoreCategory) []CategoryRow {
	var rows []CategoryRow
	for i, c := range cs {
		rows = append(rows, CategoryRow{Index: i, Key: c.Key, Label: c.Label, Min: strconv.Itoa(c.Min), Max: strconv.Itoa(c.Max),
			Wt: strconv.FormatFloat(c.Weight, 'f', -1, 64)})
	}
	return append(rows, CategoryRow{Index: len(rows), Label: rencontres.Text{}})
}

// readCategories reads the category rows; a row without a key is left out.
func readCategories(r *http.Request) ([]rencontres.ScoreCategory, []CategoryRow, []error) {
	var cs []rencontres.ScoreCategory
	var rows []CategoryRow
	var errs []error
	for i := 0; i < 30; i++ {
		pre := fmt.Sprintf("c%d_", i)
		if _, ok := r.PostForm[pre+"key"]; !ok {
			break
		}
		row := CategoryRow{Key: strings.TrimSpace(r.PostFormValue(pre + "key")), Label: formText(r, pre+"label"),
			Min: strings.TrimSpace(r.PostFormValue(pre + "min")), Max: strings.TrimSpace(r.PostFormValue(pre + "max")), Wt: strings.TrimSpace(r.PostFormValue(pre + "weight"))}
		if row.Key == "" {
			continue
		}
		row.Index = len(rows)
		rows = append(rows, row)
		c := rencontres.ScoreCategory{Key: row.Key, Label: row.Label}
		var e1, e2, e3 error
		c.Min, e1 = strconv.Atoi(row.Min)
		c.Max, e2 = strconv.Atoi(row.Max)
		c.Weight, e3 = strconv.ParseFloat(strings.ReplaceAll(row.Wt, ",", "."), 64)
		if e1 != nil || e2 != nil || e3 != nil {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "call.err_scale", Field: fmt.Sprintf("categories[%d]", row.Index), Message: "numbers"})
		}
		cs = append(cs, c)
	}
	return cs, append(rows, CategoryRow{Index: len(rows), Label: rencontres.Text{}}), errs
}

// readCall reads the call's form into c, returning every fault found in
// reading (dates, numbers, questions); the call's own checks come after.
func (s *Site) readCall(r *http.Request, e *rencontres.Event, c *rencontres.Call, d *CallForm) []error {
	loc := e.Location()
	d.Form = map[string]string{}
	for _, k := range []string{"kind", "opens", "deadline", "visibility", "min_reviews", "review_opens", "review_closes", "decisions_at", "blind", "authors_edit"} {
		d.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	c.Title, c.Intro = formText(r, "title"), formText(r, "intro")
	for _, l := range rencontres.Langs {
		d.Form["title_"+string(l)], d.Form["intro_"+string(l)] = c.Title[l], c.Intro[l]
	}
	c.Kind, c.Visibility = rencontres.CallKind(d.Form["kind"]), rencontres.ReviewVisibility(d.Form["visibility"])
	c.Blind, c.AuthorsEditInReview = d.Form["blind"] != "", d.Form["authors_edit"] != ""
	var errs []error
	var err error
	if c.Opens, err = parseLocal(d.Form["opens"], loc, "opens"); err != nil {
		errs = append(errs, err)
	}
	if c.Deadline, err = parseLocal(d.Form["deadline"], loc, "deadline"); err != nil {
		errs = append(errs, err)
	}
	for name, dst := range map[string]**time.Time{"review_opens": &c.ReviewOpens, "review_closes": &c.ReviewCloses, "decisions_at": &c.DecisionsAt} {
		*dst = nil
		if d.Form[name] == "" {
			continue
		}
		t, err := parseLocal(d.Form[name], loc, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		*dst = &t
	}
	c.MinReviews = 0
	if v := d.Form["min_reviews"]; v != "" {
		if c.MinReviews, err = strconv.Atoi(v); err != nil {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.answer_number", Field: "min_reviews", Message: "not a number", Args: map[string]any{"Value": v}})
		}
	}
	c.Workshops = []int{}
	d.Chosen = map[int]bool{}
	for _, v := range r.PostForm["workshops"] {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1
		}
		c.Workshops = append(c.Workshops, n)
		d.Chosen[n] = true
	}
	qs, rows, qerr := readQuestions(r)
	c.Questions, d.Questions = qs, rows
	if qerr != nil {
		errs = append(errs, qerr)
	}
	cs, crows, cerrs := readCategories(r)
	c.Categories, d.Categories = cs, crows
	return append(errs, cerrs...)
}

func (s *Site) saveCallForm(w http.ResponseWriter, r *http.Request, p *Page, e *rencontres.Event, c *rencontres.Call, d *CallForm) (string, error) {
	errs := s.readCall(r, e, c, d)
	if len(errs) > 0 {
		// The rest is checked too, with readable dates in place of those
		// already at fault.
		rest := *c
		if rest.Opens.IsZero() || rest.Deadline.IsZero() {
			rest.Opens, rest.Deadline = time.Now(), time.Now().Add(time.Hour)
		}
		ws, _ := s.prac.Workshops(r.Context(), e.ID)
		errs = append(errs, rest.Validate(len(ws)))
	}
	err := rencontres.Join(errs...)
	if err == nil {
		err = s.prac.SaveCall(r.Context(), p.Actor, c)
	}
	if err != nil {
		if err := formError(p, err, d.Errors); err != nil {
			return "", err
		}
		return s.callFormPage(r, p, d)
	}
	s.audit(r, "call.save", "call", strconv.FormatInt(c.ID, 10), map[string]any{"event": e.ID})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/events/%d/calls?done=saved", e.ID)), http.StatusSeeOther)
	return "", nil
}

func (s *Site) createCall(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	c := &rencontres.Call{EventID: e.ID}
	return s.saveCallForm(w, r, p, e, c, &CallForm{Event: e, Errors: map[string]string{}})
}

func (s *Site) updateCall(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, e, err := s.pathCall(r)
	if err != nil {
		return "", err
	}
	return s.saveCallForm(w, r, p, e, c, &CallForm{Event: e, Call: c, Errors: map[string]string{}})
}

func (s *Site) deleteCall(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, e, err := s.pathCall(r)
	if err != nil {
		return "", err
	}
	if err := s.prac.DeleteCall(r.Context(), p.Actor, c.ID); err != nil {
		return "", err
	}
	s.audit(r, "call.delete", "call", strconv.FormatInt(c.ID, 10), map[string]any{"event": e.ID})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/events/%d/calls?done=deleted", e.ID)), http.StatusSeeOther)
	return "", nil
}

// CallProposalsPage is a call's proposals, for the secretariat.
type CallProposalsPage struct {
	Call  *rencontres.Call
	Event *rencontres.Event
	Title string
	// Proposals are a page of them, oldest first, of Total.
	Proposals []*rencontres.Proposal
	Total     int
	Pager     Pager
	Workshops []rencontres.Workshop
	Pending   int
}

// WorkshopTitle is the title of workshop n, "" for none.
func (d *CallProposalsPage) WorkshopTitle(p *Page, n int) string {
	if w, ok := rencontres.EditionWorkshop(d.Workshops, n); ok {
		return w.Title.In(p.Lang)
	}
	return ""
}

func (s *Site) callProposals(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, e, err := s.pathCall(r)
	if err != nil {
		return "", err
	}
	d := &CallProposalsPage{Call: c, Event: e, Title: c.Title.In(p.Lang)}
	q := r.URL.Query()
	proposals, head, err := s.prac.ProposalsPage(r.Context(), p.Actor, rencontres.ProposalFilter{CallID: c.ID}, pageRequest(q))
	if rencontres.ErrorCode(err) == rencontres.EINVALID { // a bad cursor: the first page
		proposals, head, err = s.prac.ProposalsPage(r.Context(), p.Actor, rencontres.ProposalFilter{CallID: c.ID}, cursor.Request{Limit: cursorPageSize})
	}
	if err != nil {
		return "", err
	}
	d.Proposals, d.Total = proposals, head.Total
	d.Pager = NewPager(p.Href(fmt.Sprintf("/calls/%d/proposals", c.ID)), q, head, len(proposals))
	if d.Workshops, err = s.prac.Workshops(r.Context(), e.ID); err != nil {
		return "", err
	}
	if d.Pending, err = s.prac.ProposalsPending(r.Context(), p.Actor, c.ID); err != nil {
		return "", err
	}
	p.Title, p.Nav, p.Data = p.P.T("call.proposals_title", "Title", d.Title), "events", d
	return "call_proposals", nil
}

// setCampaignCall points a campaign to one of its event's calls, from the
// campaign's editor.
func (s *Site) setCampaignCall(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	id, err := strconv.ParseInt(r.PathValue("campaign"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("campaign")
	}
	callID, _ := strconv.ParseInt(r.PostFormValue("call"), 10, 64)
	if err := s.prac.SetCampaignCall(r.Context(), p.Actor, id, callID); err != nil {
		return "", err
	}
	s.audit(r, "campaign.call", "campaign", strconv.FormatInt(id, 10), map[string]any{"call": callID})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/campaigns/%d?done=call", id)), http.StatusSeeOther)
	return "", nil
}

// bothZones is an instant on the event's clock and on the other
// country's, as the registration's deadline is shown.
func bothZones(p *Page, t time.Time, e *rencontres.Event) (here, elsewhere string) {
	other, _ := time.LoadLocation(map[bool]string{true: "Europe/Paris", false: "Asia/Tokyo"}[e.TimeZone == "Asia/Tokyo"])
	return p.P.DateTime(t.In(e.Location())), p.P.DateTime(t.In(other))
}

// campaignCalls gives a campaign's editor its event's calls and the one
// the campaign points to.
func (s *Site) campaignCalls(r *http.Request, d *CampaignEditor) error {
	if s.prac == nil {
		return nil
	}
	calls, err := s.prac.Calls(r.Context(), d.Campaign.EventID)
	if err != nil {
		return err
	}
	d.Calls = calls
	if c, err := s.prac.CampaignCall(r.Context(), d.Campaign.ID); err != nil {
		return err
	} else if c != nil {
		d.Call = c.ID
	}
	return nil
}
