package registration_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/registration"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A registration and its withdrawal each write a webhook delivery in
// their own transaction; a refused registration writes none.
func TestRegistrationWebhooks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		e9, _ := st.Edition(ctx, "rencontres-franco-japonaises", 9)
		now := time.Now()
		if _, err := st.SaveRegistrationForm(ctx, &rencontres.RegistrationForm{EventID: e9.ID, Opens: now.Add(-time.Hour), Deadline: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		hook := &rencontres.WebhookEndpoint{URL: "https://crm.example.org/hooks", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
			EventTypes: []string{rencontres.HookRegistrationCreated, rencontres.HookRegistrationWithdrawn}}
		if err := st.SaveWebhookEndpoint(ctx, hook, false, now); err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		svc := registration.New(st, outbox.New(st, nil, log), i18n.MustLoad(), log, "http://rencontres.example.org")
		staff := &rencontres.User{Email: "accueil@example.org", Name: "Paul MARTIN", Lang: rencontres.French, Role: rencontres.Secretariat}
		if err := st.CreateUser(ctx, staff, ""); err != nil {
			t.Fatal(err)
		}
		actor := &rencontres.Actor{User: staff}
		person := &rencontres.Registration{EventID: e9.ID, OrgKey: "jp-431001", GivenName: "Haruka", FamilyName: "MORI", Email: "haruka.mori@example.org", Lang: rencontres.Japanese}
		res, err := svc.Register(ctx, actor, person, "")
		if err != nil {
			t.Fatal(err)
		}
		twice := *person
		twice.ID = 0
		if _, err := svc.Register(ctx, actor, &twice, ""); err == nil {
			t.Fatal("the same address registered twice")
		}
		if _, err := svc.Withdraw(ctx, actor, e9.ID, res.Registration.ID); err != nil {
			t.Fatal(err)
		}
		ds, _ := st.WebhookDeliveries(ctx, hook.ID, 10)
		if len(ds) != 2 || ds[1].EventType != rencontres.HookRegistrationCreated || ds[0].EventType != rencontres.HookRegistrationWithdrawn {
			t.Fatalf("deliveries: %d", len(ds))
		}
		var body struct {
			Type string
			Data struct {
				ID     int64
				Email  string
				Status string
			}
		}
		json.Unmarshal([]byte(ds[1].Payload), &body)
		if body.Type != rencontres.HookRegistrationCreated || body.Data.ID != res.Registration.ID || body.Data.Email != "haruka.mori@example.org" || body.Data.Status != "confirmed" {
			t.Errorf("payload %s", ds[1].Payload)
		}
	})
}
