package registration_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
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

// Two instances on one database, each with its own service and batches,
// register eighty people at once for an event of twenty seats and a visit
// of five: no seat is given twice, the waiting lists are numbered from 1
// in the order of the registrations, each person has one confirmation and
// one webhook delivery, and a key sent again to the other instance gives
// back the first registration.
func TestTwoInstances(t *testing.T) {
	storetest.EachTwice(t, func(t *testing.T, a, b *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, a); err != nil {
			t.Fatal(err)
		}
		e9, _ := a.Edition(ctx, "rencontres-franco-japonaises", 9)
		now := time.Now()
		ev, _ := a.Event(ctx, e9.ID)
		ev.Start, _ = rencontres.ParseDate("2026-10-12")
		ev.End, _ = rencontres.ParseDate("2026-10-15")
		ev.TimeZone = "Europe/Paris"
		if err := a.SaveEvent(ctx, ev, nil); err != nil {
			t.Fatal(err)
		}
		paris, _ := time.LoadLocation("Europe/Paris")
		visit := &rencontres.Session{EditionID: e9.ID, Kind: rencontres.Visit, Title: rencontres.Text{"fr": "Visite du port"},
			Start: time.Date(2026, 10, 13, 14, 0, 0, 0, paris), End: time.Date(2026, 10, 13, 16, 0, 0, 0, paris), Capacity: 5}
		if err := a.SaveSession(ctx, visit); err != nil {
			t.Fatal(err)
		}
		if _, err := a.SaveRegistrationForm(ctx, &rencontres.RegistrationForm{EventID: e9.ID, Opens: now.Add(-time.Hour), Deadline: now.Add(time.Hour),
			Capacity: 20, MaxChoices: 1}); err != nil {
			t.Fatal(err)
		}
		hook := &rencontres.WebhookEndpoint{URL: "https://crm.example.org/hooks", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
			EventTypes: []string{rencontres.HookRegistrationCreated}}
		if err := a.SaveWebhookEndpoint(ctx, hook, false, now); err != nil {
			t.Fatal(err)
		}
		staff := &rencontres.User{Email: "accueil@example.org", Name: "Paul MARTIN", Lang: rencontres.French, Role: rencontres.Secretariat}
		if err := a.CreateUser(ctx, staff, ""); err != nil {
			t.Fatal(err)
		}
		actor := &rencontres.Actor{User: staff}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		services := []*registration.Service{
			registration.New(a, outbox.New(a, nil, log), i18n.MustLoad(), log, "http://rencontres.example.org"),
			registration.New(b, outbox.New(b, nil, log), i18n.MustLoad(), log, "http://rencontres.example.org"),
		}
		person := func(i int) *rencontres.Registration {
			return &rencontres.Registration{EventID: e9.ID, OrgKey: orgKeys[i%len(orgKeys)], GivenName: "Personne", FamilyName: fmt.Sprintf("N%02d", i),
				Email: fmt.Sprintf("p%02d@example.org", i), Lang: rencontres.French, Choices: []rencontres.Choice{{SessionID: visit.ID}}}
		}
		const n = 80
		ids := make([]int64, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := services[i%2].Register(ctx, actor, person(i), fmt.Sprintf("key-%d", i))
				if err != nil {
					t.Errorf("submission %d: %v", i, err)
					return
				}
				ids[i] = res.Registration.ID
			}()
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		all, err := b.Registrations(ctx, rencontres.RegistrationFilter{EventID: e9.ID})
		if err != nil || len(all) != n {
			t.Fatalf("%d registrations, %v", len(all), err)
		}
		// In the order of the registrations (of ids): the first twenty have
		// the event's seats, the first five of them the visit's; the others
		// wait, numbered from 1.
		for i, r := range all {
			wantEvent, wantPos := rencontres.Confirmed, 0
			if i >= 20 {
				wantEvent, wantPos = rencontres.Waitlisted, i-19
			}
			wantVisit, wantVisitPos := rencontres.Confirmed, 0
			if i >= 5 {
				wantVisit, wantVisitPos = rencontres.Waitlisted, i-4
			}
			c := r.Choices[0]
			if r.Status != wantEvent || r.Position != wantPos || c.Status != wantVisit || c.Position != wantVisitPos {
				t.Fatalf("registration %d (id %d): %s %d, visit %s %d; want %s %d, %s %d", i, r.ID, r.Status, r.Position, c.Status, c.Position,
					wantEvent, wantPos, wantVisit, wantVisitPos)
			}
		}
		mails, _ := a.Mails(ctx, store.MailFilter{Kind: "registration-registered"})
		sent := map[string]int{}
		for _, m := range mails {
			sent[m.ToEmail]++
		}
		ds, _ := a.WebhookDeliveries(ctx, hook.ID, 1000)
		if len(mails) != n || len(sent) != n || len(ds) != n {
			t.Errorf("%d confirmations to %d people, %d webhook deliveries; want %d of each", len(mails), len(sent), len(ds), n)
		}
		// Each key sent again to the other instance: the first registration.
		for i := range n {
			res, err := services[(i+1)%2].Register(ctx, actor, person(i), fmt.Sprintf("key-%d", i))
			if err != nil || !res.Replayed || res.Registration.ID != ids[i] {
				t.Fatalf("key %d again: %+v, %v; want the replay of %d", i, res, err, ids[i])
			}
		}
		if again, _ := b.Registrations(ctx, rencontres.RegistrationFilter{EventID: e9.ID}); len(again) != n {
			t.Errorf("%d registrations after the replays", len(again))
		}
	})
}

var orgKeys = []string{"fr-13001", "fr-54395", "jp-431001", "jp-221007", "fr-06029"}
