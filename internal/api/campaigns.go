package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/campaign"
	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The campaign endpoints: letters written once per language, sent to
// contacts chosen from the directory, followed per recipient. They are the
// secretariat's.
func (a *API) registerCampaigns(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("GET", "/api/v1/letter-fields", rencontres.ManageEvents, a.letterFields)
	route("GET", "/api/v1/campaigns", rencontres.ManageEvents, a.listCampaigns)
	route("POST", "/api/v1/campaigns", rencontres.ManageEvents, a.saveCampaign)
	route("GET", "/api/v1/campaigns/{campaign}", rencontres.ManageEvents, a.getCampaign)
	route("PUT", "/api/v1/campaigns/{campaign}", rencontres.ManageEvents, a.saveCampaign)
	route("GET", "/api/v1/campaigns/{campaign}/preview", rencontres.ManageEvents, a.previewCampaign)
	route("POST", "/api/v1/campaigns/{campaign}/send", rencontres.ManageEvents, a.sendCampaign)
	route("POST", "/api/v1/campaigns/{campaign}/cancel", rencontres.ManageEvents, a.cancelCampaign)
	route("GET", "/api/v1/campaigns/{campaign}/recipients", rencontres.ManageEvents, a.campaignRecipients)
	route("GET", "/api/v1/campaigns/{campaign}/letters.pdf", rencontres.ManageEvents, a.campaignLetters)
	route("GET", "/api/v1/campaigns/{campaign}/recipients/{recipient}/letter.pdf", rencontres.ManageEvents, a.recipientLetter)
}

// LetterField is a field a letter template may name, with its label.
type LetterField struct {
	Name  string          `json:"name"`
	Label rencontres.Text `json:"label"`
}

// LetterFields is the body of GET /api/v1/letter-fields: the fields, and a
// starting template per language.
type LetterFields struct {
	Fields   []LetterField                       `json:"fields"`
	Defaults map[rencontres.Lang]letter.Template `json:"defaults"`
}

func (a *API) letterFields(w http.ResponseWriter, r *http.Request) (any, error) {
	out := LetterFields{Defaults: map[rencontres.Lang]letter.Template{}}
	for _, f := range letter.Fields {
		out.Fields = append(out.Fields, LetterField{Name: f.Name, Label: f.Label})
	}
	for _, l := range rencontres.Langs {
		out.Defaults[l] = letter.Default(l)
	}
	return out, nil
}

// CampaignSummary is a campaign in a list, with its counts.
type CampaignSummary struct {
	*rencontres.Campaign
	Counts rencontres.CampaignCounts `json:"counts"`
}

func (a *API) listCampaigns(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	if err := checkParams(q, "lang", "event"); err != nil {
		return nil, err
	}
	var event int64
	if v := q.Get("event"); v != "" {
		var err error
		if event, err = strconv.ParseInt(v, 10, 64); err != nil {
			return nil, badParam("event", "error.bad_parameter")
		}
	}
	list, err := a.campaigns.List(r.Context(), event)
	if err != nil {
		return nil, err
	}
	out := struct {
		Campaigns []CampaignSummary `json:"campaigns"`
	}{Campaigns: []CampaignSummary{}}
	for _, c := range list {
		// A sent campaign's counts are the database's; a draft's come
		// from the audience it would write to.
		if c.Status != rencontres.CampaignDraft {
			counts, err := a.lists.CampaignRecipientCounts(r.Context(), c.ID, "")
			if err != nil {
				return nil, err
			}
			out.Campaigns = append(out.Campaigns, CampaignSummary{Campaign: c, Counts: counts})
			continue
		}
		recipients, _, err := a.campaigns.Recipients(r.Context(), c)
		if err != nil && rencontres.ErrorCode(err) != rencontres.EINVALID {
			return nil, err
		}
		out.Campaigns = append(out.Campaigns, CampaignSummary{Campaign: c, Counts: campaign.Counts(recipients)})
	}
	return out, nil
}

func (a *API) pathCampaign(r *http.Request) (*rencontres.Campaign, error) {
	id, err := pathID(r, "campaign")
	if err != nil {
		return nil, err
	}
	return a.campaigns.Get(r.Context(), id)
}

func (a *API) saveCampaign(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := optionalID(r, "campaign")
	if err != nil {
		return nil, err
	}
	var c rencontres.Campaign
	if err := decode(r, &c); err != nil {
		return nil, err
	}
	c.ID, c.Status, c.Launched, c.Cancelled = id, "", nil, nil
	if err := a.campaigns.Save(r.Context(), auth.ActorFrom(r.Context()), &c); err != nil {
		return nil, err
	}
	a.audit(r, "campaign.save", "campaign", c.ID, map[string]any{"event": c.EventID})
	return saved(id == 0, &c), nil
}

// CampaignDetail is the body of GET /api/v1/campaigns/{id}: the campaign,
// its counts, its recipients with their state, and (while a draft) those
// it cannot write to, and why.
type CampaignDetail struct {
	*rencontres.Campaign
	Counts     rencontres.CampaignCounts `json:"counts"`
	Recipients []*rencontres.Recipient   `json:"recipients"`
	Problems   []ProblemDetail           `json:"problems"`
}

// ProblemDetail is a recipient the campaign cannot write to, with the
// reason in the client's language.
type ProblemDetail struct {
	rencontres.Problem
	Text string `json:"text"`
}

func (a *API) problems(r *http.Request, list []rencontres.Problem) []ProblemDetail {
	p := a.cat.Printer(clientLang(r))
	out := []ProblemDetail{}
	for _, pr := range list {
		out = append(out, ProblemDetail{Problem: pr, Text: p.Error(&rencontres.Error{Key: pr.Key, Args: pr.Args, Message: pr.Message})})
	}
	return out
}

func (a *API) getCampaign(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := a.pathCampaign(r)
	if err != nil {
		return nil, err
	}
	recipients, problems, err := a.campaigns.Recipients(r.Context(), c)
	if err != nil && rencontres.ErrorCode(err) != rencontres.EINVALID {
		return nil, err
	}
	return CampaignDetail{Campaign: c, Counts: campaign.Counts(recipients), Recipients: orEmpty(recipients), Problems: a.problems(r, problems)}, nil
}

// Preview is the body of GET /api/v1/campaigns/{id}/preview: one
// recipient's letter as text and HTML, and the fields they lack.
type Preview struct {
	Lang    rencontres.Lang `json:"lang"`
	Subject string          `json:"subject"`
	Text    string          `json:"text"`
	HTML    string          `json:"html"`
	Missing []string        `json:"missing"`
}

// previewCampaign renders the letter of ?recipient= (an id once sent, an
// address before), or of the first recipient, in ?letter_lang= or theirs.
func (a *API) previewCampaign(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := a.pathCampaign(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	if err := checkParams(q, "lang", "letter_lang", "recipient"); err != nil {
		return nil, err
	}
	var lang rencontres.Lang
	if v := q.Get("letter_lang"); v != "" {
		l, ok := rencontres.ParseLang(v)
		if !ok {
			return nil, badParam("letter_lang", "error.bad_parameter")
		}
		lang = l
	}
	rec, err := a.findRecipient(r, c, q.Get("recipient"))
	if err != nil {
		return nil, err
	}
	l, err := a.campaigns.Preview(r.Context(), c, rec, lang)
	if err != nil {
		return nil, err
	}
	return Preview{Lang: l.Lang, Subject: campaign.Subject(l), Text: letter.Text(l), HTML: string(letter.HTML(l)), Missing: orEmpty(l.Missing)}, nil
}

// findRecipient finds a recipient of a campaign by id (once sent) or
// address; nil for none named.
func (a *API) findRecipient(r *http.Request, c *rencontres.Campaign, v string) (*rencontres.Recipient, error) {
	if v == "" {
		return nil, nil
	}
	list, _, err := a.campaigns.Recipients(r.Context(), c)
	if err != nil {
		return nil, err
	}
	for _, rec := range list {
		if strconv.FormatInt(rec.ID, 10) == v || strings.EqualFold(rec.Email, v) {
			return rec, nil
		}
	}
	return nil, &rencontres.Error{Code: rencontres.ENOTFOUND, Key: "error.unknown_recipient", Field: "recipient",
		Message: fmt.Sprintf("%q is not a recipient of this campaign", v), Args: map[string]any{"Value": v}}
}

// SendInput is the body of POST /api/v1/campaigns/{id}/send.
type SendInput struct {
	// SkipProblems sends to the recipients without a problem, leaving the
	// others out; without it, a campaign with problems is not sent.
	SkipProblems bool `json:"skip_problems"`
	// ConfirmPast sends although the event has ended or its registration
	// deadline has passed; without it such a campaign is refused (409)
	// with a message naming the dates.
	ConfirmPast bool `json:"confirm_past"`
}

// Sent is the answer to a send: how many letters were queued.
type Sent struct {
	Queued int `json:"queued"`
}

func (a *API) sendCampaign(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := a.pathCampaign(r)
	if err != nil {
		return nil, err
	}
	var in SendInput
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return nil, err
		}
	}
	n, err := a.campaigns.Send(r.Context(), auth.ActorFrom(r.Context()), c.ID, campaign.SendOptions{SkipProblems: in.SkipProblems, ConfirmPast: in.ConfirmPast})
	var pe *campaign.ProblemsError
	if errors.As(err, &pe) {
		p := a.cat.Printer(clientLang(r))
		writeJSON(w, http.StatusConflict, struct {
			ErrorBody
			Problems []ProblemDetail `json:"problems"`
		}{ErrorBody{ErrorDetail{Code: pe.Err.Code, Message: p.Error(pe.Err), Field: pe.Err.Field}}, a.problems(r, pe.Problems)})
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a.audit(r, "campaign.send", "campaign", c.ID, map[string]any{"queued": n})
	return withStatus{http.StatusAccepted, Sent{Queued: n}}, nil
}

func (a *API) cancelCampaign(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := a.pathCampaign(r)
	if err != nil {
		return nil, err
	}
	if err := a.campaigns.Cancel(r.Context(), auth.ActorFrom(r.Context()), c.ID); err != nil {
		return nil, err
	}
	a.audit(r, "campaign.cancel", "campaign", c.ID, nil)
	return a.campaigns.Get(r.Context(), c.ID)
}

// RecipientList is the body of GET /api/v1/campaigns/{campaign}/recipients:
// the counts by state of the recipients listed, their number, and a page
// of them (all of them without limit, after or before).
type RecipientList struct {
	Counts     rencontres.CampaignCounts `json:"counts"`
	Total      int                       `json:"total"`
	Limit      int                       `json:"limit"`
	Next       string                    `json:"next,omitempty"`
	Prev       string                    `json:"prev,omitempty"`
	Recipients []*rencontres.Recipient   `json:"recipients"`
}

// campaignRecipients lists the recipients with their state, filtered by
// ?state=, as JSON, CSV or Excel.
func (a *API) campaignRecipients(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := a.pathCampaign(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	if err := checkParams(q, "lang", "format", "state", "limit", "after", "before"); err != nil {
		return nil, err
	}
	req, err := cursor.Parse(q, 100, 500)
	if err != nil {
		return nil, err
	}
	state, err := ParseRecipientState(q.Get("state"))
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	switch q.Get("format") {
	case "", "json":
		if c.Status == rencontres.CampaignDraft {
			return a.draftRecipients(r, c, state, req)
		}
		// A page is read by keyset when asked (limit, after or before);
		// without, the list is whole, read by the same query a chunk at
		// a time. The counts are those of the recipients listed.
		var out RecipientList
		if q.Has("limit") || req.Cursor() != "" {
			list, h, err := a.lists.CampaignRecipientPage(ctx, c.ID, state, req)
			if err != nil {
				return nil, err
			}
			out = RecipientList{Total: h.Total, Limit: h.Limit, Next: h.Next, Prev: h.Prev, Recipients: list}
		} else {
			list, err := a.sentRecipients(ctx, c, state)
			if err != nil {
				return nil, err
			}
			out = RecipientList{Total: len(list), Limit: len(list), Recipients: list}
		}
		if out.Counts, err = a.lists.CampaignRecipientCounts(ctx, c.ID, state); err != nil {
			return nil, err
		}
		out.Recipients = orEmpty(out.Recipients)
		return out, nil
	case "csv", "xlsx":
		zone, err := a.eventZone(ctx, c.EventID)
		if err != nil {
			return nil, err
		}
		return nil, SendRecipients(ctx, w, a.lists, a.campaigns, c, state, q.Get("format"), a.exportReader(r), zone)
	}
	return nil, badParam("format", "error.bad_parameter")
}

// SendRecipients sends a campaign's recipients in a state ("" for every
// one) as CSV or Excel, for rd, their dates in zone: a sent campaign's
// streamed from the database a chunk at a time, a draft's found whole from
// its audience. The site's export sends them too.
func SendRecipients(ctx context.Context, w http.ResponseWriter, lists Lists, camp *campaign.Service, c *rencontres.Campaign,
	state rencontres.RecipientState, format string, rd export.Reader, zone *time.Location) error {
	name := fmt.Sprintf("campaign-%d-recipients.%s", c.ID, format)
	if c.Status == rencontres.CampaignDraft {
		list, _, err := camp.Recipients(ctx, c)
		if err != nil {
			return err
		}
		if list, err = RecipientsInState(list, string(state)); err != nil {
			return err
		}
		return export.Send(w, name, format, export.Recipients(rd, list, zone))
	}
	latest, err := lists.CampaignRecipientsLatest(ctx, c.ID, state)
	if err != nil {
		return err
	}
	export.SetAttachment(w, name, format)
	return export.StreamRecipients(w, format, rd, zone, latest, func(fn func([]*rencontres.Recipient) error) error {
		return lists.EachCampaignRecipient(ctx, c.ID, state, fn)
	})
}

// sentRecipients reads a sent campaign's recipients in a state ("" for
// every one) whole, a chunk at a time.
func (a *API) sentRecipients(ctx context.Context, c *rencontres.Campaign, state rencontres.RecipientState) ([]*rencontres.Recipient, error) {
	var list []*rencontres.Recipient
	err := a.lists.EachCampaignRecipient(ctx, c.ID, state, func(chunk []*rencontres.Recipient) error {
		list = append(list, chunk...)
		return nil
	})
	return list, err
}

// draftRecipients lists those a draft would write to: they are not
// recorded yet but found from its audience, whole, and a page is cut
// from them by cursor (the id of the row it starts after) when asked.
func (a *API) draftRecipients(r *http.Request, c *rencontres.Campaign, state rencontres.RecipientState, req cursor.Request) (any, error) {
	list, _, err := a.campaigns.Recipients(r.Context(), c)
	if err != nil {
		return nil, err
	}
	if list, err = RecipientsInState(list, string(state)); err != nil {
		return nil, err
	}
	out := RecipientList{Counts: campaign.Counts(list), Total: len(list), Limit: len(list)}
	if r.URL.Query().Has("limit") || req.Cursor() != "" {
		var h cursor.Head
		if list, h, err = cursor.Slice(req, list, func(rec *rencontres.Recipient) int64 { return rec.ID }); err != nil {
			return nil, err
		}
		out.Limit, out.Next, out.Prev = h.Limit, h.Next, h.Prev
	}
	out.Recipients = orEmpty(list)
	return out, nil
}

// ParseRecipientState reads a state of recipients to list; "" lists them
// all. A state that is not one is an error on the parameter "state".
func ParseRecipientState(state string) (rencontres.RecipientState, error) {
	if state != "" && !slices.Contains(rencontres.RecipientStates, rencontres.RecipientState(state)) {
		return "", badParam("state", "error.bad_parameter")
	}
	return rencontres.RecipientState(state), nil
}

// RecipientsInState keeps the recipients in a state; "" keeps them all. A
// state that is not one is an error on the parameter "state".
func RecipientsInState(list []*rencontres.Recipient, state string) ([]*rencontres.Recipient, error) {
	if state == "" {
		return list, nil
	}
	if !slices.Contains(rencontres.RecipientStates, rencontres.RecipientState(state)) {
		return nil, badParam("state", "error.bad_parameter")
	}
	var kept []*rencontres.Recipient
	for _, rec := range list {
		if rec.State == rencontres.RecipientState(state) {
			kept = append(kept, rec)
		}
	}
	return kept, nil
}

func writePDF(w http.ResponseWriter, name string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(b)
}

// campaignLetters answers every recipient's letter in one PDF, to print.
func (a *API) campaignLetters(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := a.pathCampaign(r)
	if err != nil {
		return nil, err
	}
	// The PDF library holds the whole document until it writes it; it is
	// written straight to the response, not copied through a buffer.
	out := &httpcode.Attachment{W: w, Type: "application/pdf", Name: fmt.Sprintf("campaign-%d-letters.pdf", c.ID)}
	_, err = a.campaigns.LettersPDF(r.Context(), out, c)
	return nil, err
}

func (a *API) recipientLetter(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := a.pathCampaign(r)
	if err != nil {
		return nil, err
	}
	rec, err := a.findRecipient(r, c, r.PathValue("recipient"))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := a.campaigns.RecipientPDF(r.Context(), &buf, c, rec); err != nil {
		return nil, err
	}
	writePDF(w, fmt.Sprintf("campaign-%d-letter-%s.pdf", c.ID, r.PathValue("recipient")), buf.Bytes())
	return nil, nil
}

// eventZone is the time zone of an event, in which the dates of what
// concerns it are written; UTC when it names none.
func (a *API) eventZone(ctx context.Context, eventID int64) (*time.Location, error) {
	e, err := a.events.Event(ctx, eventID)
	if err != nil {
		return nil, err
	}
	return export.Zone(e), nil
}
