package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/webhook"
)

// The secretariat's webhooks: the endpoints that hear the product's
// events, their secrets and their deliveries.

// WebhooksPage is the data of the list of endpoints and of the form of a
// new one.
type WebhooksPage struct {
	Endpoints []*rencontres.WebhookEndpoint
	Types     []string
	Form      map[string]string
	Chosen    map[string]bool
	Errors    map[string]string
	// Made is the endpoint just made, whose secret is shown this once.
	Made *rencontres.WebhookEndpoint
}

// WebhookPage is the data of one endpoint's page: its form, its secret
// just rotated, its latest deliveries.
type WebhookPage struct {
	Endpoint   *rencontres.WebhookEndpoint
	Types      []string
	Form       map[string]string
	Chosen     map[string]bool
	Errors     map[string]string
	Secret     string
	Deliveries []*rencontres.WebhookDelivery
	Done       string
}

func (s *Site) manageWebhooks(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.webhooksPage(r, p, &WebhooksPage{Form: map[string]string{}, Chosen: map[string]bool{}, Errors: map[string]string{}})
}

func (s *Site) webhooksPage(r *http.Request, p *Page, d *WebhooksPage) (string, error) {
	list, err := s.webhooks.WebhookEndpoints(r.Context())
	if err != nil {
		return "", err
	}
	d.Endpoints, d.Types = list, rencontres.HookTypes
	p.Title, p.Nav, p.Data = p.P.T("webhooks.title"), "admin", d
	return "webhooks", nil
}

// webhookForm reads an endpoint's fields from a form.
func webhookForm(r *http.Request) (map[string]string, map[string]bool, *rencontres.WebhookEndpoint) {
	form := map[string]string{"url": r.PostFormValue("url"), "description": r.PostFormValue("description")}
	chosen := map[string]bool{}
	e := &rencontres.WebhookEndpoint{URL: form["url"], Description: form["description"]}
	for _, t := range r.PostForm["event_types"] {
		chosen[t] = true
		e.EventTypes = append(e.EventTypes, t)
	}
	return form, chosen, e
}

// fieldErrors puts each fault of err beside its field; an error that is
// no fault of the input is returned.
func fieldErrors(p *Page, err error, errs map[string]string) error {
	var e *rencontres.Error
	if !errors.As(err, &e) || e.Code != rencontres.EINVALID {
		return err
	}
	for _, f := range e.All() {
		k := cmpOr(f.Field, "form")
		if _, done := errs[k]; !done {
			errs[k] = p.P.Error(f)
		}
	}
	p.Status = httpcode.Of(e.Code)
	return nil
}

func (s *Site) createWebhook(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	form, chosen, e := webhookForm(r)
	d := &WebhooksPage{Form: form, Chosen: chosen, Errors: map[string]string{}}
	e.Secret = webhook.NewSecret()
	if p.Actor.User != nil {
		e.CreatedBy = p.Actor.User.ID
	}
	err := webhook.Check(r.Context(), e, s.webhooksAllowPrivate)
	if err == nil {
		err = s.webhooks.SaveWebhookEndpoint(r.Context(), e, false, time.Now())
	}
	if err != nil {
		if err := fieldErrors(p, err, d.Errors); err != nil {
			return "", err
		}
		return s.webhooksPage(r, p, d)
	}
	s.audit(r, "webhook.create", "webhook", strconv.FormatInt(e.ID, 10), map[string]any{"url": e.URL})
	d.Made, d.Form, d.Chosen = e, map[string]string{}, map[string]bool{}
	return s.webhooksPage(r, p, d)
}

func (s *Site) webhookFromPath(r *http.Request) (*rencontres.WebhookEndpoint, error) {
	id, err := strconv.ParseInt(r.PathValue("webhook"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("webhook")
	}
	return s.webhooks.WebhookEndpoint(r.Context(), id)
}

func (s *Site) webhookPage(r *http.Request, p *Page, d *WebhookPage) (string, error) {
	ds, err := s.webhooks.WebhookDeliveries(r.Context(), d.Endpoint.ID, 50)
	if err != nil {
		return "", err
	}
	d.Deliveries, d.Types = ds, rencontres.HookTypes
	if d.Form == nil {
		d.Form = map[string]string{"url": d.Endpoint.URL, "description": d.Endpoint.Description}
		d.Chosen = map[string]bool{}
		for _, t := range d.Endpoint.EventTypes {
			d.Chosen[t] = true
		}
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	p.Title, p.Nav, p.Data = p.P.T("webhooks.endpoint_title", "URL", d.Endpoint.URL), "admin", d
	return "webhook", nil
}

func (s *Site) showWebhook(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.webhookFromPath(r)
	if err != nil {
		return "", err
	}
	return s.webhookPage(r, p, &WebhookPage{Endpoint: e, Done: r.URL.Query().Get("done")})
}

func (s *Site) updateWebhook(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	old, err := s.webhookFromPath(r)
	if err != nil {
		return "", err
	}
	form, chosen, e := webhookForm(r)
	e.ID = old.ID
	d := &WebhookPage{Endpoint: old, Form: form, Chosen: chosen, Errors: map[string]string{}}
	err = webhook.Check(r.Context(), e, s.webhooksAllowPrivate)
	if err == nil {
		err = s.webhooks.SaveWebhookEndpoint(r.Context(), e, r.PostFormValue("enable") == "1", time.Now())
	}
	if err != nil {
		if err := fieldErrors(p, err, d.Errors); err != nil {
			return "", err
		}
		return s.webhookPage(r, p, d)
	}
	s.audit(r, "webhook.update", "webhook", strconv.FormatInt(e.ID, 10), map[string]any{"url": e.URL})
	http.Redirect(w, r, p.Href("/manage/webhooks/"+strconv.FormatInt(e.ID, 10)+"?done=saved"), http.StatusSeeOther)
	return "", nil
}

// rotateWebhook gives a new secret, shown this once; the previous one
// signs beside it for a day.
func (s *Site) rotateWebhook(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.webhookFromPath(r)
	if err != nil {
		return "", err
	}
	now := time.Now()
	secret := webhook.NewSecret()
	if err := s.webhooks.RotateWebhookSecret(r.Context(), e.ID, secret, now.Add(24*time.Hour), now); err != nil {
		return "", err
	}
	s.audit(r, "webhook.rotate", "webhook", strconv.FormatInt(e.ID, 10), nil)
	if e, err = s.webhooks.WebhookEndpoint(r.Context(), e.ID); err != nil {
		return "", err
	}
	return s.webhookPage(r, p, &WebhookPage{Endpoint: e, Secret: secret, Done: "rotated"})
}

func (s *Site) deleteWebhook(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.webhookFromPath(r)
	if err != nil {
		return "", err
	}
	if err := s.webhooks.DeleteWebhookEndpoint(r.Context(), e.ID); err != nil {
		return "", err
	}
	s.audit(r, "webhook.delete", "webhook", strconv.FormatInt(e.ID, 10), map[string]any{"url": e.URL})
	http.Redirect(w, r, p.Href("/manage/webhooks"), http.StatusSeeOther)
	return "", nil
}

func (s *Site) resendWebhook(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.webhookFromPath(r)
	if err != nil {
		return "", err
	}
	id, err := strconv.ParseInt(r.PathValue("delivery"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("delivery")
	}
	if err := s.webhooks.ResendWebhook(r.Context(), e.ID, id, time.Now()); err != nil {
		return "", err
	}
	s.audit(r, "webhook.resend", "webhook", strconv.FormatInt(e.ID, 10), map[string]any{"delivery": id})
	http.Redirect(w, r, p.Href("/manage/webhooks/"+strconv.FormatInt(e.ID, 10)+"?done=resent"), http.StatusSeeOther)
	return "", nil
}

// HookTypeKey is the catalogue key of a type of event's name.
func (p *Page) HookTypeKey(t string) string {
	return "webhooks.type_" + strings.ReplaceAll(t, ".", "_")
}
