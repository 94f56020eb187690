package registration_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/registration"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Forty submissions at once, batched in shared transactions: the eight
// refused (an address already registered) leave nothing behind, neither
// registration nor email nor audit entry, and the thirty-two others are
// registered with their confirmation and audit entry, in the order they
// were submitted within each batch.
func TestBatchedRegistrations(t *testing.T) {
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
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		svc := registration.New(st, outbox.New(st, nil, log), i18n.MustLoad(), log, "http://rencontres.example.org")
		staff := &rencontres.User{Email: "accueil@example.org", Name: "Paul MARTIN", Lang: rencontres.French, Role: rencontres.Secretariat}
		if err := st.CreateUser(ctx, staff, ""); err != nil {
			t.Fatal(err)
		}
		actor := &rencontres.Actor{User: staff, IP: "192.0.2.1"}
		person := func(i int) *rencontres.Registration {
			email := fmt.Sprintf("p%02d@example.org", i)
			if i%5 == 4 {
				email = "deja@example.org" // taken before the burst
			}
			return &rencontres.Registration{EventID: e9.ID, OrgKey: "fr-06029", GivenName: "Personne", FamilyName: fmt.Sprintf("N%02d", i),
				Email: email, Lang: rencontres.French}
		}
		if _, err := svc.Register(ctx, actor, &rencontres.Registration{EventID: e9.ID, OrgKey: "fr-06029", GivenName: "Déjà", FamilyName: "LÀ",
			Email: "deja@example.org", Lang: rencontres.French}, ""); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		refused, registered := 0, 0
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := svc.Register(ctx, actor, person(i), fmt.Sprintf("key-%d", i))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case rencontres.ErrorCode(err) == rencontres.ECONFLICT && i%5 == 4:
					refused++
				case err == nil && res.Registration.ID != 0 && i%5 != 4:
					registered++
				default:
					t.Errorf("submission %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if refused != 8 || registered != 32 {
			t.Fatalf("%d refused, %d registered; want 8 and 32", refused, registered)
		}
		all, _ := st.Registrations(ctx, rencontres.RegistrationFilter{EventID: e9.ID})
		mails, _ := st.Mails(ctx, store.MailFilter{Kind: "registration-registered"})
		entries, _ := st.AuditLog(ctx, rencontres.AuditFilter{Action: "registration.create", Limit: 100})
		if len(all) != 33 || len(mails) != 33 || len(entries) != 33 {
			t.Errorf("%d registrations, %d confirmations, %d audit entries; want 33 of each", len(all), len(mails), len(entries))
		}
		// The batches' metrics: every submission decided in one batch,
		// each batch's wait for its lock and hold of it timed.
		reg := prometheus.NewRegistry()
		reg.MustRegister(svc.Collectors()...)
		families, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]*dto.Histogram{}
		for _, f := range families {
			got[f.GetName()] = f.GetMetric()[0].GetHistogram()
		}
		size := got["rencontres_registration_batch_submissions"]
		wait, held := got["rencontres_registration_batch_lock_wait_seconds"], got["rencontres_registration_batch_lock_held_seconds"]
		if size == nil || wait == nil || held == nil {
			t.Fatalf("metrics gathered: %v", got)
		}
		if size.GetSampleSum() != 41 || size.GetSampleCount() < 2 || size.GetSampleCount() > 41 {
			t.Errorf("%v submissions in %d batches; want 41 in 2 to 41", size.GetSampleSum(), size.GetSampleCount())
		}
		if wait.GetSampleCount() != size.GetSampleCount() || held.GetSampleCount() != size.GetSampleCount() || held.GetSampleSum() <= 0 {
			t.Errorf("lock timed in %d and %d batches (held %v s), want %d", wait.GetSampleCount(), held.GetSampleCount(), held.GetSampleSum(), size.GetSampleCount())
		}
	})
}
