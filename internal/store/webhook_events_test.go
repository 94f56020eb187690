package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A recipient's first opening and first refusal are each told once.
func TestRecipientAnswersTellTheWebhooks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		e := &rencontres.WebhookEndpoint{URL: "https://crm.example.org/hooks", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", EventTypes: rencontres.HookTypes}
		if err := s.SaveWebhookEndpoint(ctx, e, false, time.Now()); err != nil {
			t.Fatal(err)
		}
		campaigns, err := s.Campaigns(ctx, 0)
		if err != nil || len(campaigns) == 0 {
			t.Fatalf("the demo's campaigns: %d, %v", len(campaigns), err)
		}
		// A letter just left: its recipient has neither opened nor declined.
		var recID int64
		if err := s.DB().QueryRow(`INSERT INTO campaign_recipients (campaign_id, email, lang, created_at) VALUES ($1, 'maire@example.org', 'fr', $2)
			RETURNING id`, campaigns[0].ID, time.Now().UTC().Format(time.RFC3339)).Scan(&recID); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		for _, declined := range []bool{false, false, true, true} {
			if err := s.RecipientAnswered(ctx, recID, declined, now); err != nil {
				t.Fatal(err)
			}
		}
		ds, _ := s.WebhookDeliveries(ctx, e.ID, 10)
		var got []string
		for _, d := range ds {
			got = append(got, d.EventType)
		}
		if len(got) != 2 || got[0] != rencontres.HookRecipientDeclined || got[1] != rencontres.HookRecipientOpened {
			t.Errorf("deliveries %v, want one opened then one declined", got)
		}
	})
}

// hookEndpoint registers an endpoint hearing types; hookTypes lists the
// types of its deliveries, oldest first.
func hookEndpoint(t *testing.T, s *store.Store, types ...string) int64 {
	t.Helper()
	e := &rencontres.WebhookEndpoint{URL: "https://crm.example.org/hooks", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", EventTypes: types}
	if err := s.SaveWebhookEndpoint(context.Background(), e, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	return e.ID
}

func hookTypes(t *testing.T, s *store.Store, endpoint int64) []string {
	t.Helper()
	ds, err := s.WebhookDeliveries(context.Background(), endpoint, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(ds) - 1; i >= 0; i-- {
		out = append(out, ds[i].EventType)
	}
	return out
}
