package web

import (
	"context"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// webhookSamples are the samples of the webhooks' pages, over an endpoint
// disabled after a 410 with a delivery of each state.
func (x *sampler) webhookSamples() map[string][]sample {
	s := x.site
	hook := func(t *testing.T) string {
		t.Helper()
		ctx := context.Background()
		if list, _ := x.st.WebhookEndpoints(ctx); len(list) > 0 {
			return id(list[0].ID)
		}
		e := &rencontres.WebhookEndpoint{URL: "https://crm.example.org/hooks/rencontres", Description: "CRM de Cités Unies France",
			EventTypes: []string{rencontres.HookRegistrationCreated, rencontres.HookDeclarationAdopted}, Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
		now := time.Now()
		if err := x.st.SaveWebhookEndpoint(ctx, e, false, now); err != nil {
			t.Fatal(err)
		}
		x.st.RotateWebhookSecret(ctx, e.ID, "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", now.Add(24*time.Hour), now)
		for range 3 {
			x.st.EnqueueWebhook(ctx, rencontres.HookRegistrationCreated, map[string]any{"id": 1}, now)
		}
		ds, _ := x.st.ClaimWebhooks(ctx, now, time.Minute, 2)
		x.st.WebhookAnswered(ctx, ds[0].ID, rencontres.DeliveryDelivered, 200, "merci", time.Time{}, now)
		x.st.WebhookAnswered(ctx, ds[1].ID, rencontres.DeliveryQueued, 503, "Service Unavailable", now.Add(5*time.Minute), now)
		x.st.DisableWebhookEndpoint(ctx, e.ID, "410 Gone", now)
		return id(e.ID)
	}
	return map[string][]sample{
		"webhooks": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			hook(t)
			x.run(t, p, s.manageWebhooks, "/manage/webhooks")
			d := p.Data.(*WebhooksPage)
			d.Made = d.Endpoints[0]
			d.Made.Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
			d.Form = map[string]string{"url": "http://10.0.0.5/hooks", "description": "Imprimante"}
			d.Chosen = map[string]bool{rencontres.HookRegistrationPromoted: true}
			d.Errors = errorsOn(p, d.Form, "url", "event_types")
		}}},
		"webhook": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			h := hook(t)
			x.run(t, p, s.showWebhook, "/manage/webhooks/"+h+"?done=saved", "webhook", h)
			d := p.Data.(*WebhookPage)
			d.Secret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
			d.Errors = errorsOn(p, d.Form, "url", "description")
		}}},
	}
}
