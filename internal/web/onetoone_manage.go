package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/badge"
	"github.com/rencontres/rencontres/internal/fonts"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/tableplan"
)

// The secretariat's pages of an edition's one-to-one meetings: the
// settings, every request, running and publishing the schedule, the
// requests left out and why; the table plan (page and PDF) and the
// interpreters' rota.

// rangeRows is how many slot ranges the settings' form offers.
const rangeRows = 3

// ScheduleRow is a request of the schedule as the secretariat's pages show
// it: placed (When, Table) or left out (Unplaced, a reason's key).
type ScheduleRow struct {
	ID          int64
	When, Table string
	From, To    string
	Interpreter bool
	Unplaced    string
	Shown       bool
}

// RotaRow is a slot of the interpreters' rota: how many serve it, and the
// meetings that need one.
type RotaRow struct {
	When         string
	Interpreters int
	Meetings     []ScheduleRow
}

// MeetingsManagePage is the secretariat's page of an edition's meetings.
type MeetingsManagePage struct {
	Event    *rencontres.Event
	Settings *rencontres.MeetingSettings
	Slots    int
	Requests []*rencontres.MeetingRequest
	Pending  int
	Schedule []ScheduleRow
	Placed   int
	Unplaced []ScheduleRow
	Rota     []RotaRow
	// Plan is the table plan: a row per slot, a cell per table.
	Plan         [][]string
	PlanWhen     []string
	Tables       []string
	Ranges       []int
	Form, Errors map[string]string
	Done         string
}

// RangeField is the name of the settings' field of range i.
func (MeetingsManagePage) RangeField(i int, name string) string {
	return "range" + strconv.Itoa(i) + "_" + name
}

// Nth is range i's number, from 1.
func (MeetingsManagePage) Nth(i int) int { return i + 1 }

// RangeError is the fault of range i's field, as faultsBeside names it.
func (d MeetingsManagePage) RangeError(i int, name string) string {
	return d.Errors["ranges["+strconv.Itoa(i)+"]_"+name]
}

func (s *Site) meetingsManageOf(r *http.Request, p *Page, d *MeetingsManagePage, tmpl string) (string, error) {
	ctx := r.Context()
	e, err := s.meetingEdition(r)
	if err != nil {
		return "", err
	}
	d.Event = e
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	for i := range rangeRows {
		d.Ranges = append(d.Ranges, i)
	}
	sch, err := s.meetings.MeetingSchedule(ctx, e.ID)
	if err != nil {
		return "", err
	}
	d.Settings, d.Slots, d.Tables = sch.Settings, len(sch.Slots), sch.Settings.Tables
	if d.Form == nil {
		d.Form = settingsForm(sch.Settings, e)
	}
	if d.Requests, err = s.meetings.MeetingRequests(ctx, e.ID, ""); err != nil {
		return "", err
	}
	var keys []string
	for _, q := range d.Requests {
		keys = append(keys, q.From, q.To)
		if q.State == rencontres.RequestPending {
			d.Pending++
		}
	}
	if err := s.loadOrgs(ctx, p, keys...); err != nil {
		return "", err
	}
	slotIndex := map[int64]int{}
	for i, sl := range sch.Slots {
		slotIndex[sl.Start.Unix()] = i
		d.Rota = append(d.Rota, RotaRow{When: meetingWhen(p, sl.Start, sl.End, e), Interpreters: sl.Interpreters})
		d.PlanWhen = append(d.PlanWhen, d.Rota[i].When)
		d.Plan = append(d.Plan, make([]string, len(d.Tables)))
	}
	for _, q := range sch.Requests {
		row := ScheduleRow{ID: q.ID, From: q.From, To: q.To, Interpreter: q.Interpreter, Unplaced: q.Unplaced, Table: q.Table, Shown: q.Shown != nil}
		if q.Start == nil {
			if q.Unplaced != "" {
				d.Unplaced = append(d.Unplaced, row)
			}
			continue
		}
		row.When = meetingWhen(p, *q.Start, *q.End, e)
		d.Schedule = append(d.Schedule, row)
		d.Placed++
		i, ok := slotIndex[q.Start.Unix()]
		if !ok {
			continue
		}
		if q.Interpreter {
			d.Rota[i].Meetings = append(d.Rota[i].Meetings, row)
		}
		for t, name := range d.Tables {
			if name == q.Table {
				d.Plan[i][t] = p.OrgText(q.From) + " – " + p.OrgText(q.To)
			}
		}
	}
	titles := map[string]string{"meetings_manage": "meetings.manage_title", "meetings_tables": "meetings.tables_title", "meetings_rota": "meetings.rota_title"}
	p.Title, p.Data = p.P.T(titles[tmpl], "Event", p.EventTitleText(e)), d
	return tmpl, nil
}

// settingsForm is the settings' form filled from saved settings.
func settingsForm(set *rencontres.MeetingSettings, e *rencontres.Event) map[string]string {
	f := map[string]string{"tables": strings.Join(set.Tables, ", "), "cap": strconv.Itoa(set.Cap)}
	if set.Deadline != nil {
		f["deadline"] = set.Deadline.In(e.Location()).Format(localLayout)
	}
	for i, rg := range set.Ranges {
		if i >= rangeRows {
			break
		}
		pre := "range" + strconv.Itoa(i) + "_"
		f[pre+"day"], f[pre+"from"], f[pre+"to"] = rg.Day.String(), rg.From, rg.To
		f[pre+"minutes"], f[pre+"interpreters"] = strconv.Itoa(rg.Minutes), strconv.Itoa(rg.Interpreters)
	}
	return f
}

func (s *Site) meetingsManage(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.meetingsManageOf(r, p, &MeetingsManagePage{Done: r.URL.Query().Get("done")}, "meetings_manage")
}

func (s *Site) tablePlan(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.meetingsManageOf(r, p, &MeetingsManagePage{}, "meetings_tables")
}

func (s *Site) interpreterRota(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.meetingsManageOf(r, p, &MeetingsManagePage{}, "meetings_rota")
}

// manageRefused shows the secretariat's page again with the faults
// beside their fields.
func (s *Site) manageRefused(r *http.Request, p *Page, d *MeetingsManagePage, err error) (string, error) {
	d.Errors = map[string]string{}
	if ferr := faultsBeside(p, err, d.Errors); ferr != nil {
		return "", ferr
	}
	return s.meetingsManageOf(r, p, d, "meetings_manage")
}

func manageDone(w http.ResponseWriter, r *http.Request, p *Page, e *rencontres.Event, done string) (string, error) {
	http.Redirect(w, r, p.Href("/events/"+strconv.FormatInt(e.ID, 10)+"/meetings/manage?done="+done+"#"+done), http.StatusSeeOther)
	return "", nil
}

func (s *Site) meetingSettingsForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.meetingEdition(r)
	if err != nil {
		return "", err
	}
	d := &MeetingsManagePage{Form: map[string]string{}}
	for _, k := range []string{"tables", "cap", "deadline"} {
		d.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	set := &rencontres.MeetingSettings{EventID: e.ID}
	var faults []error
	for i := range rangeRows {
		pre := "range" + strconv.Itoa(i) + "_"
		for _, k := range []string{"day", "from", "to", "minutes", "interpreters"} {
			d.Form[pre+k] = strings.TrimSpace(r.PostFormValue(pre + k))
		}
		if d.Form[pre+"day"] == "" && d.Form[pre+"from"] == "" && d.Form[pre+"to"] == "" {
			continue
		}
		rg := rencontres.SlotRange{From: d.Form[pre+"from"], To: d.Form[pre+"to"]}
		field := fmt.Sprintf("ranges[%d]", len(set.Ranges))
		if day, derr := rencontres.ParseDate(d.Form[pre+"day"]); derr != nil {
			faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_date", Field: field + ".day", Message: "not a date", Args: map[string]any{"Value": d.Form[pre+"day"]}})
		} else {
			rg.Day = day
		}
		rg.Minutes = formInt(d.Form[pre+"minutes"], field+".minutes", &faults)
		rg.Interpreters = formInt(d.Form[pre+"interpreters"], field+".interpreters", &faults)
		set.Ranges = append(set.Ranges, rg)
	}
	if n, cerr := strconv.Atoi(d.Form["tables"]); cerr == nil {
		set.Tables = rencontres.TableNames(n)
	} else {
		set.Tables = strings.FieldsFunc(d.Form["tables"], func(c rune) bool { return c == ',' || c == '\n' || c == '、' })
	}
	set.Cap = formInt(d.Form["cap"], "cap", &faults)
	if d.Form["deadline"] != "" {
		t, derr := parseLocal(d.Form["deadline"], e.Location(), "deadline")
		if derr != nil {
			faults = append(faults, derr)
		} else {
			set.Deadline = &t
		}
	}
	if len(faults) == 0 {
		err = s.meetings.SaveMeetingSettings(r.Context(), set, p.Actor.User.ID, s.now())
	} else {
		err = rencontres.Join(append(faults, set.Validate(e))...)
	}
	if err != nil {
		return s.manageRefused(r, p, d, err)
	}
	s.audit(r, "meeting.settings", "event", strconv.FormatInt(e.ID, 10), nil)
	return manageDone(w, r, p, e, "saved")
}

// formInt reads a whole number of a form; empty is 0.
func formInt(v, field string, faults *[]error) int {
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		*faults = append(*faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "meetings.error_not_number", Field: field, Message: "not a whole number", Args: map[string]any{"Value": v}})
	}
	return n
}

func (s *Site) scheduleMeetingsForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.meetingEdition(r)
	if err != nil {
		return "", err
	}
	sch, err := s.meetings.ScheduleMeetings(r.Context(), e.ID, p.Actor.User.ID, s.now())
	if err != nil {
		return s.manageRefused(r, p, &MeetingsManagePage{}, err)
	}
	s.audit(r, "meeting.schedule", "event", strconv.FormatInt(e.ID, 10), map[string]any{"placed": sch.Placed, "unplaced": sch.Unplaced})
	return manageDone(w, r, p, e, "scheduled")
}

func (s *Site) publishMeetingsForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.meetingEdition(r)
	if err != nil {
		return "", err
	}
	state := rencontres.MeetingState(r.PostFormValue("state"))
	if err := s.meetings.PublishMeetings(r.Context(), e.ID, state, p.Actor.User.ID, s.now()); err != nil {
		return s.manageRefused(r, p, &MeetingsManagePage{}, err)
	}
	s.audit(r, "meeting.publish", "event", strconv.FormatInt(e.ID, 10), map[string]any{"state": string(state)})
	return manageDone(w, r, p, e, "published")
}

func (s *Site) tablePlanPDF(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d := &MeetingsManagePage{}
	if _, err := s.meetingsManageOf(r, p, d, "meetings_tables"); err != nil {
		return "", err
	}
	faces, err := badge.FindFonts()
	if err != nil {
		return "", fonts.Missing(err)
	}
	plan := tableplan.Plan{Kind: p.P.T("meetings.tables_pdf_kind"), Title: p.EventTitleText(d.Event), When: p.EventWhen(d.Event),
		Columns: [5]string{p.P.T("meetings.when"), p.P.T("meetings.table"), p.P.T("meetings.authority"), p.P.T("meetings.authority"), p.P.T("meetings.interpreter")},
		Nobody:  p.P.T("meetings.none_placed"),
		Page:    func(n, total int) string { return p.P.T("signin_pdf.page", "N", n, "Total", total) }}
	if !d.Event.Venue.IsZero() {
		plan.Place = d.Event.Venue.In(p.Lang)
	}
	for _, row := range d.Schedule {
		interp := ""
		if row.Interpreter {
			interp = p.P.T("meetings.yes")
		}
		plan.Rows = append(plan.Rows, tableplan.Row{When: row.When, Table: row.Table, A: p.OrgText(row.From), B: p.OrgText(row.To), Interpreter: interp})
	}
	var buf bytes.Buffer
	if err := tableplan.Write(&buf, faces, plan); err != nil {
		return "", err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="table-plan-%d.pdf"`, d.Event.ID))
	w.Write(buf.Bytes())
	return "", nil
}
