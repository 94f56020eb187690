package api

import (
	"net/http"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/webhook"
)

// The webhooks' endpoints: the secretariat registers them, rotates their
// secrets, reads their deliveries and sends one again.
func (a *API) registerWebhooks(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("GET", "/api/v1/webhooks", rencontres.ManageWebhooks, a.listWebhooks)
	route("POST", "/api/v1/webhooks", rencontres.ManageWebhooks, a.createWebhook)
	route("GET", "/api/v1/webhooks/{webhook}", rencontres.ManageWebhooks, a.getWebhook)
	route("PUT", "/api/v1/webhooks/{webhook}", rencontres.ManageWebhooks, a.putWebhook)
	route("DELETE", "/api/v1/webhooks/{webhook}", rencontres.ManageWebhooks, a.deleteWebhook)
	route("POST", "/api/v1/webhooks/{webhook}/rotate", rencontres.ManageWebhooks, a.rotateWebhook)
	route("GET", "/api/v1/webhooks/{webhook}/deliveries", rencontres.ManageWebhooks, a.listDeliveries)
	route("POST", "/api/v1/webhooks/{webhook}/deliveries/{delivery}/resend", rencontres.ManageWebhooks, a.resendDelivery)
}

// WebhookIn is the body of a new or changed endpoint. Enabled set to true
// enables again an endpoint that was disabled (after a 410).
type WebhookIn struct {
	URL         string   `json:"url"`
	Description string   `json:"description"`
	EventTypes  []string `json:"event_types"`
	Enabled     bool     `json:"enabled"`
}

// WebhookList is the body of GET /api/v1/webhooks.
type WebhookList struct {
	Webhooks []*rencontres.WebhookEndpoint `json:"webhooks"`
	Types    []string                      `json:"event_types"`
}

// RotationGrace is how long a rotated secret still signs.
const RotationGrace = 24 * time.Hour

func (a *API) listWebhooks(w http.ResponseWriter, r *http.Request) (any, error) {
	list, err := a.webhooks.WebhookEndpoints(r.Context())
	if err != nil {
		return nil, err
	}
	for _, e := range list {
		e.Secret = ""
	}
	if list == nil {
		list = []*rencontres.WebhookEndpoint{}
	}
	return WebhookList{Webhooks: list, Types: rencontres.HookTypes}, nil
}

func (a *API) webhook(r *http.Request) (*rencontres.WebhookEndpoint, error) {
	id, err := pathID(r, "webhook")
	if err != nil {
		return nil, err
	}
	return a.webhooks.WebhookEndpoint(r.Context(), id)
}

func (a *API) getWebhook(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.webhook(r)
	if err != nil {
		return nil, err
	}
	e.Secret = ""
	return e, nil
}

// createWebhook answers the endpoint with its secret, shown this once.
func (a *API) createWebhook(w http.ResponseWriter, r *http.Request) (any, error) {
	var in WebhookIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	e := &rencontres.WebhookEndpoint{URL: in.URL, Description: in.Description, EventTypes: in.EventTypes, Secret: webhook.NewSecret(),
		CreatedBy: auth.ActorFrom(r.Context()).User.ID}
	if err := webhook.Check(r.Context(), e, a.webhooksAllowPrivate); err != nil {
		return nil, err
	}
	if err := a.webhooks.SaveWebhookEndpoint(r.Context(), e, false, time.Now()); err != nil {
		return nil, err
	}
	a.audit(r, "webhook.create", "webhook", e.ID, map[string]any{"url": e.URL})
	return created(e), nil
}

func (a *API) putWebhook(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.webhook(r)
	if err != nil {
		return nil, err
	}
	var in WebhookIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	e.URL, e.Description, e.EventTypes = in.URL, in.Description, in.EventTypes
	if err := webhook.Check(r.Context(), e, a.webhooksAllowPrivate); err != nil {
		return nil, err
	}
	if err := a.webhooks.SaveWebhookEndpoint(r.Context(), e, in.Enabled, time.Now()); err != nil {
		return nil, err
	}
	a.audit(r, "webhook.update", "webhook", e.ID, map[string]any{"url": e.URL})
	return a.getWebhook(w, r)
}

func (a *API) deleteWebhook(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.webhook(r)
	if err != nil {
		return nil, err
	}
	if err := a.webhooks.DeleteWebhookEndpoint(r.Context(), e.ID); err != nil {
		return nil, err
	}
	a.audit(r, "webhook.delete", "webhook", e.ID, map[string]any{"url": e.URL})
	return withStatus{code: http.StatusNoContent}, nil
}

// rotateWebhook gives the endpoint a new secret, answered this once; the
// previous one signs beside it for RotationGrace.
func (a *API) rotateWebhook(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.webhook(r)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	secret := webhook.NewSecret()
	if err := a.webhooks.RotateWebhookSecret(r.Context(), e.ID, secret, now.Add(RotationGrace), now); err != nil {
		return nil, err
	}
	a.audit(r, "webhook.rotate", "webhook", e.ID, nil)
	e, err = a.webhooks.WebhookEndpoint(r.Context(), e.ID)
	return e, err
}

// DeliveryList is the body of GET /api/v1/webhooks/{webhook}/deliveries:
// the latest hundred.
type DeliveryList struct {
	Deliveries []*rencontres.WebhookDelivery `json:"deliveries"`
}

func (a *API) listDeliveries(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.webhook(r)
	if err != nil {
		return nil, err
	}
	ds, err := a.webhooks.WebhookDeliveries(r.Context(), e.ID, 100)
	if ds == nil {
		ds = []*rencontres.WebhookDelivery{}
	}
	return DeliveryList{Deliveries: ds}, err
}

func (a *API) resendDelivery(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.webhook(r)
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "delivery")
	if err != nil {
		return nil, err
	}
	if err := a.webhooks.ResendWebhook(r.Context(), e.ID, id, time.Now()); err != nil {
		return nil, err
	}
	a.audit(r, "webhook.resend", "webhook", e.ID, map[string]any{"delivery": id})
	return withStatus{code: http.StatusAccepted}, nil
}
