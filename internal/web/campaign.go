package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/api"
	"github.com/rencontres/rencontres/internal/campaign"
	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The secretariat's campaigns: the list and the form that starts one, a
// sent campaign's tracking, sending and cancelling. The draft's editor is
// in campaign_edit.go. Every page goes through the campaign service.

// CampaignsPage is the list of campaigns and the form that starts one.
type CampaignsPage struct {
	Rows []CampaignRow
	// Events are those a campaign may write about; Event is the one
	// chosen, whose campaigns alone are listed when set.
	Events []*rencontres.Event
	Event  *rencontres.Event
	Form   map[string]string
	Errors map[string]string
}

// CampaignRow is one campaign in the list.
type CampaignRow struct {
	Campaign *rencontres.Campaign
	Event    *rencontres.Event
	// Counts are its recipients by state, once sent.
	Counts []StateCount
}

// StateCount is how many recipients are in a state, and the link that
// lists them.
type StateCount struct {
	State   rencontres.RecipientState
	N       int
	Href    string
	Current bool
}

func (s *Site) campaignsList(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d := &CampaignsPage{Form: map[string]string{"event": r.URL.Query().Get("event")}, Errors: map[string]string{}}
	return s.campaignsPage(r, p, d)
}

func (s *Site) campaignsPage(r *http.Request, p *Page, d *CampaignsPage) (string, error) {
	ctx := r.Context()
	all, err := s.events.Events(ctx, rencontres.EventFilter{})
	if err != nil {
		return "", err
	}
	slices.Reverse(all) // the latest first
	byID := map[int64]*rencontres.Event{}
	for _, e := range all {
		byID[e.ID] = e
		if e.Status != rencontres.Cancelled {
			d.Events = append(d.Events, e)
		}
	}
	var eventID int64
	if v := d.Form["event"]; v != "" {
		if eventID, err = strconv.ParseInt(v, 10, 64); err != nil || byID[eventID] == nil {
			return "", rencontres.NotFound("event")
		}
		d.Event = byID[eventID]
	}
	list, err := s.camp.List(ctx, eventID)
	if err != nil {
		return "", err
	}
	for _, c := range list {
		row := CampaignRow{Campaign: c, Event: byID[c.EventID]}
		if c.Status != rencontres.CampaignDraft {
			counts, err := s.lists.CampaignRecipientCounts(ctx, c.ID, "")
			if err != nil {
				return "", err
			}
			row.Counts = stateCounts(p, c, counts, "")
		}
		d.Rows = append(d.Rows, row)
	}
	p.Title, p.Nav, p.Data = p.P.T("campaigns.title"), "campaigns", d
	return "campaigns", nil
}

// stateCounts counts recipients by state, each with the link that lists
// them on the campaign's page.
func stateCounts(p *Page, c *rencontres.Campaign, counts rencontres.CampaignCounts, current string) []StateCount {
	out := make([]StateCount, 0, len(rencontres.RecipientStates))
	for _, st := range rencontres.RecipientStates {
		out = append(out, StateCount{State: st, N: counts[st], Current: string(st) == current,
			Href: p.Href(fmt.Sprintf("/campaigns/%d?state=%s#recipients", c.ID, st))})
	}
	return out
}

// createCampaign starts a draft about an event, with the default letter in
// every language, and opens it.
func (s *Site) createCampaign(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d := &CampaignsPage{Form: map[string]string{"name": strings.TrimSpace(r.PostFormValue("name")), "event": r.PostFormValue("event")},
		Errors: map[string]string{}}
	c := &rencontres.Campaign{Name: d.Form["name"], Letters: map[rencontres.Lang]json.RawMessage{}}
	id, err := formID(r, "event")
	c.EventID = id
	if err == nil && id == 0 {
		err = &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "event", Message: "choose the event"}
	}
	if err == nil {
		for _, l := range rencontres.Langs {
			c.Letters[l], _ = json.Marshal(letter.Default(l))
		}
		err = s.camp.Save(r.Context(), p.Actor, c)
	} else {
		// Without an event the name is still checked, so that both
		// faults show at once.
		err = rencontres.Join(err, c.Validate())
	}
	if err != nil {
		if err := formError(p, err, d.Errors); err != nil {
			return "", err
		}
		d.Form["event"] = ""
		if id != 0 {
			d.Form["event"] = strconv.FormatInt(id, 10)
		}
		return s.campaignsPage(r, p, d)
	}
	s.audit(r, "campaign.save", "campaign", strconv.FormatInt(c.ID, 10), map[string]any{"event": c.EventID})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/campaigns/%d?done=created", c.ID)), http.StatusSeeOther)
	return "", nil
}

// pathCampaign is the campaign named by the path.
func (s *Site) pathCampaign(r *http.Request) (*rencontres.Campaign, error) {
	id, err := strconv.ParseInt(r.PathValue("campaign"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("campaign")
	}
	return s.camp.Get(r.Context(), id)
}

// CampaignTracking is the page of a sent (or cancelled) campaign: its
// recipients by state, what the mail server answered, their answers.
type CampaignTracking struct {
	Campaign *rencontres.Campaign
	Event    *rencontres.Event
	Counts   []StateCount
	Total    int
	State    string
	// Recipients are a page of those in State (every one when ""), of
	// Listed; Pager links the other pages.
	Recipients []*rencontres.Recipient
	Listed     int
	Pager      Pager
	Documents  []*rencontres.Document
	Errors     map[string]string
	Done       string
	// CSVHref and XLSXHref export the recipients listed; AllHref lists
	// every state.
	CSVHref, XLSXHref, AllHref string
}

// showCampaign opens a campaign: a draft's editor, else its tracking;
// ?format=csv or xlsx exports its recipients.
func (s *Site) showCampaign(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, err := s.pathCampaign(r)
	if err != nil {
		return "", err
	}
	q := r.URL.Query()
	if format := exportFormat(r); format != "" {
		return "", s.exportRecipients(w, r, p, c, q.Get("state"), format)
	}
	if c.Status == rencontres.CampaignDraft {
		d, err := s.newEditor(r, p, c)
		if err != nil {
			return "", err
		}
		d.Done = q.Get("done")
		return s.editorPage(r, p, d)
	}
	return s.trackingPage(r, p, &CampaignTracking{Campaign: c, State: q.Get("state"), Done: q.Get("done"), Errors: map[string]string{}})
}

func (s *Site) trackingPage(r *http.Request, p *Page, d *CampaignTracking) (string, error) {
	ctx := r.Context()
	c := d.Campaign
	var err error
	if d.Event, err = s.events.Event(ctx, c.EventID); err != nil {
		return "", err
	}
	state, err := api.ParseRecipientState(d.State)
	if err != nil {
		return "", err
	}
	// A page of the recipients listed is read by keyset (its cursor is
	// the sort key of the row it starts after), and the counts by state
	// by the database, so that the page stays short on a mailing of
	// thousands.
	q := r.URL.Query()
	req := pageRequest(q)
	page, head, err := s.lists.CampaignRecipientPage(ctx, c.ID, state, req)
	if rencontres.ErrorCode(err) == rencontres.EINVALID { // a bad cursor: the first page
		page, head, err = s.lists.CampaignRecipientPage(ctx, c.ID, state, cursor.Request{Limit: req.Limit})
	}
	if err != nil {
		return "", err
	}
	counts, err := s.lists.CampaignRecipientCounts(ctx, c.ID, "")
	if err != nil {
		return "", err
	}
	d.Recipients, d.Listed = page, head.Total
	d.Counts, d.Total = stateCounts(p, c, counts, d.State), 0
	for _, n := range counts {
		d.Total += n
	}
	if d.Documents, err = s.attachedDocuments(r, c); err != nil {
		return "", err
	}
	base := fmt.Sprintf("/campaigns/%d", c.ID)
	links := url.Values{}
	for _, k := range []string{"state", "limit"} {
		if v := q.Get(k); v != "" {
			links.Set(k, v)
		}
	}
	d.Pager = NewPager(p.Href(base), links, head, len(page))
	d.AllHref, d.CSVHref, d.XLSXHref = p.Href(base+"#recipients"), p.Href(base+"?format=csv"), p.Href(base+"?format=xlsx")
	if d.State != "" {
		d.CSVHref += "&state=" + d.State
		d.XLSXHref += "&state=" + d.State
	}
	p.Title, p.Nav, p.Data = c.Name, "campaigns", d
	return "campaign", nil
}

// attachedDocuments are the event's documents a campaign attaches.
func (s *Site) attachedDocuments(r *http.Request, c *rencontres.Campaign) ([]*rencontres.Document, error) {
	docs, err := s.events.Documents(r.Context(), c.EventID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(docs, func(d *rencontres.Document) bool { return !slices.Contains(c.Documents, d.ID) }), nil
}

// cancelCampaign stops a campaign once confirmed: what has not left does
// not leave.
func (s *Site) cancelCampaign(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, err := s.pathCampaign(r)
	if err != nil {
		return "", err
	}
	if r.PostFormValue("confirm") != "yes" {
		if c.Status == rencontres.CampaignDraft {
			return "", &rencontres.Error{Code: rencontres.EINVALID, Key: "campaign.confirm_needed", Message: "confirm the cancellation"}
		}
		p.Status = http.StatusUnprocessableEntity
		return s.trackingPage(r, p, &CampaignTracking{Campaign: c, Errors: map[string]string{"confirm": p.P.T("campaign.confirm_needed")}})
	}
	if err := s.camp.Cancel(r.Context(), p.Actor, c.ID); err != nil {
		return "", err
	}
	s.audit(r, "campaign.cancel", "campaign", strconv.FormatInt(c.ID, 10), nil)
	http.Redirect(w, r, p.Href(fmt.Sprintf("/campaigns/%d?done=cancelled", c.ID)), http.StatusSeeOther)
	return "", nil
}

// sendCampaign saves the draft as typed, then sends it. With problems it
// sends nothing unless told to send to the others; the page then lists
// them beside the refusal.
func (s *Site) sendCampaign(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, d, err := s.pathEditor(r, p)
	if err != nil {
		return "", err
	}
	if err := s.saveTyped(r, p, c, d); err != nil {
		return s.refused(r, p, d, err)
	}
	n, sendErr := s.camp.Send(r.Context(), p.Actor, c.ID, campaign.SendOptions{SkipProblems: r.PostFormValue("skip_problems") == "yes",
		ConfirmPast: r.PostFormValue("confirm_past") == "yes"})
	if sendErr != nil {
		var pe *campaign.ProblemsError
		if errors.As(sendErr, &pe) {
			sendErr = pe.Err
		}
		// The refusal shows next to the button; errors may be shared
		// values, so the field is set on a copy.
		if e, ok := sendErr.(*rencontres.Error); ok {
			at := *e
			at.Field = "send"
			sendErr = &at
		}
		// The draft was saved: the page shows it as it now stands.
		if d, err = s.newEditor(r, p, c); err != nil {
			return "", err
		}
		d.ConfirmPast = r.PostFormValue("confirm_past") == "yes"
		return s.refused(r, p, d, sendErr)
	}
	s.audit(r, "campaign.send", "campaign", strconv.FormatInt(c.ID, 10), map[string]any{"queued": n})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/campaigns/%d?done=sent", c.ID)), http.StatusSeeOther)
	return "", nil
}

// Day is the day of an instant on an event's clock (UTC without one).
func (p *Page) Day(t time.Time, e *rencontres.Event) rencontres.Date {
	if e != nil {
		t = t.In(e.Location())
	}
	return rencontres.DateOf(t)
}

// At is an instant as a campaign's page shows it: its day and hour on the
// event's clock, followed by that clock's zone; nothing for none.
func (p *Page) At(t *time.Time, e *rencontres.Event) string {
	if t == nil {
		return ""
	}
	local, zone := t.UTC(), "UTC"
	if e != nil {
		local, zone = t.In(e.Location()), e.TimeZone
	}
	return p.P.InZone(p.P.T("campaign.at", "Date", p.P.Date(rencontres.DateOf(local)), "Clock", p.P.Clock(local)), zone)
}
