package registration_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/registration"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A batch that waits for its event's lock (held here by a transaction of
// the test's, as another instance's batch would hold it) takes in the
// submissions for that event that came while it waited, and leaves those
// for another event to the next batch: the waiting event's come out of
// the first commit, with lower ids than the other event's, although the
// other's came first and its id sorts first.
func TestBatchTakesWhatCameWhileItWaited(t *testing.T) {
	st := storetest.Postgres(t)
	ctx := context.Background()
	if _, err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var events []int64
	for _, n := range []int{8, 9} {
		ed, err := st.Edition(ctx, "rencontres-franco-japonaises", n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.SaveRegistrationForm(ctx, &rencontres.RegistrationForm{EventID: ed.ID, Opens: now.Add(-time.Hour), Deadline: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		events = append(events, ed.ID)
	}
	slices.Sort(events)
	other, waited := events[0], events[1]
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := registration.New(st, outbox.New(st, nil, log), i18n.MustLoad(), log, "http://rencontres.example.org")
	staff := &rencontres.User{Email: "accueil@example.org", Name: "Paul MARTIN", Lang: rencontres.French, Role: rencontres.Secretariat}
	if err := st.CreateUser(ctx, staff, ""); err != nil {
		t.Fatal(err)
	}
	actor := &rencontres.Actor{User: staff}

	holder, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	if _, err := holder.ExecContext(ctx, "SELECT id FROM events WHERE id = $1 FOR UPDATE", waited); err != nil {
		t.Fatal(err)
	}
	type result struct {
		event, id int64
		err       error
	}
	results := make(chan result, 8)
	submit := func(i int, event int64) {
		go func() {
			res, err := svc.Register(ctx, actor, &rencontres.Registration{EventID: event, OrgKey: "fr-06029", GivenName: "Personne",
				FamilyName: fmt.Sprintf("N%02d", i), Email: fmt.Sprintf("p%02d@example.org", i), Lang: rencontres.French}, "")
			r := result{event: event, err: err}
			if err == nil {
				r.id = res.Registration.ID
			}
			results <- r
		}()
	}
	submit(0, waited)
	// The first batch is waiting for the lock once PostgreSQL says so.
	for i := 0; ; i++ {
		var waiting int
		if err := st.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		if i == 500 {
			t.Fatal("the first batch never waited for the event's lock")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for i, event := range []int64{other, waited, other, waited} {
		submit(i+1, event)
	}
	time.Sleep(300 * time.Millisecond) // the four are queued for the batcher
	if err := holder.Commit(); err != nil {
		t.Fatal(err)
	}
	ids := map[int64][]int64{}
	for range 5 {
		r := <-results
		if r.err != nil {
			t.Fatal(r.err)
		}
		ids[r.event] = append(ids[r.event], r.id)
	}
	if len(ids[waited]) != 3 || len(ids[other]) != 2 {
		t.Fatalf("registered %v", ids)
	}
	if slices.Max(ids[waited]) > slices.Min(ids[other]) {
		t.Errorf("ids %v for the event waited for, %v for the other: the submissions that came while the batch waited were not in it", ids[waited], ids[other])
	}
}
