package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// registerBatch runs the set path on subs in one transaction, writing
// each registered one's answer under its key, and returns how many it
// decided.
func registerBatch(t *testing.T, s *store.Store, subs []*store.Submission) int {
	t.Helper()
	ctx := context.Background()
	var n int
	if err := s.InBatchTx(ctx, nil, func(tx *store.Store) error {
		var err error
		var info *store.BatchInfo
		if n, info, err = tx.RegisterBatch(ctx, subs); err != nil || info == nil {
			return err
		}
		return tx.TellBatch(ctx, info, nil, nil, nil, time.Now(), subs[:n], http.StatusCreated, func(sub *store.Submission) []byte {
			b, _ := json.Marshal(sub.R)
			return b
		})
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// One batch of the set path: the refused submissions (an address already
// registered, before or earlier in the batch; a session not to choose; a
// closed form; a key used with another request) leave nothing, the others
// are registered in the order they came, the seats and waiting lists as
// Register gives them, and each reads back as Registration returns it. A
// key sent again replays; the waiting lists still move on a withdrawal.
func TestRegisterBatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistrationFixture(t, s, 4)
		if _, err := s.Register(ctx, f.person(100), f.now, false); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := s.IdempotentRequest(ctx, "user:1", "used", "A", func(tx *store.Store) (int, []byte, error) {
			_, err := tx.Register(ctx, f.person(101), f.now, false)
			return http.StatusCreated, []byte(`{}`), err
		}); err != nil {
			t.Fatal(err)
		}
		closed := f.form.Deadline.Add(time.Minute)
		sub := func(r *rencontres.Registration, key string) *store.Submission {
			return &store.Submission{R: r, Now: f.now, Scope: "user:1", Key: key, Request: key}
		}
		twin := f.person(8, f.visit.ID)
		twin.Email = "p000@example.org"
		subs := []*store.Submission{
			sub(f.person(0, f.visit.ID), "k0"),
			sub(f.person(100), "k1"),               // registered before the batch
			sub(f.person(2, f.plenary.ID), "k2"),   // not a session to choose
			{R: f.person(3), Now: closed, Key: ""}, // the form is closed
			{R: f.person(4), Now: f.now, Scope: "user:1", Key: "used", Request: "B"},
			sub(f.person(5, f.visit.ID, f.workshop.ID), "k5"),
			sub(f.person(6, f.visit.ID), "k6"),
			sub(f.person(7, f.visit.ID), ""),
			sub(twin, "k8"), // p000's address, earlier in the batch
		}
		if n := registerBatch(t, s, subs); n != len(subs) {
			t.Fatalf("the set path decided %d of %d", n, len(subs))
		}
		want := []string{"", rencontres.ECONFLICT, rencontres.EINVALID, rencontres.ECONFLICT, rencontres.EREUSED, "", "", "", rencontres.ECONFLICT}
		for i, sub := range subs {
			if got := rencontres.ErrorCode(sub.Err); got != want[i] || sub.Replayed {
				t.Errorf("submission %d: %q (%v), replayed %v; want %q", i, got, sub.Err, sub.Replayed, want[i])
			}
		}
		// Seats in the order of submission: p100, p101 then p0 and p5 have
		// the event's four; p6 and p7 wait, 1st and 2nd. The visit's two
		// seats go to p0 and p5; p6 and p7 wait for it too.
		type seat struct {
			status rencontres.SeatStatus
			pos    int
			visit  rencontres.SeatStatus
			vpos   int
		}
		wantSeat := map[int]seat{0: {rencontres.Confirmed, 0, rencontres.Confirmed, 0}, 5: {rencontres.Confirmed, 0, rencontres.Confirmed, 0},
			6: {rencontres.Waitlisted, 1, rencontres.Waitlisted, 1}, 7: {rencontres.Waitlisted, 2, rencontres.Waitlisted, 2}}
		var last int64
		for i, sub := range subs {
			w, ok := wantSeat[i]
			if !ok {
				continue
			}
			r := sub.R
			if r.ID <= last {
				t.Errorf("submission %d has id %d, after %d", i, r.ID, last)
			}
			last = r.ID
			if got := (seat{r.Status, r.Position, r.Choices[0].Status, r.Choices[0].Position}); got != w {
				t.Errorf("submission %d: %+v; want %+v", i, got, w)
			}
			back, err := s.Registration(ctx, f.event.ID, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(r)
			b, _ := json.Marshal(back)
			if string(a) != string(b) {
				t.Errorf("submission %d as decided:\n%s\nas read back:\n%s", i, a, b)
			}
		}
		if w := subs[5].R.Choices[1]; w.Status != rencontres.Confirmed || w.Rank != 2 {
			t.Errorf("p5's workshop: %+v", w)
		}
		all, _ := s.Registrations(ctx, rencontres.RegistrationFilter{EventID: f.event.ID})
		if len(all) != 6 {
			t.Fatalf("%d registrations; want 6", len(all))
		}
		var keys int
		s.DB().QueryRow("SELECT COUNT(*) FROM idempotency_keys WHERE scope = 'user:1'").Scan(&keys)
		if keys != 4 { // used, k0, k5, k6
			t.Errorf("%d keys kept; want 4", keys)
		}
		// Sent again: the first answer, whatever the instance.
		again := []*store.Submission{sub(f.person(0, f.visit.ID), "k0"), {R: f.person(4), Now: f.now, Scope: "user:1", Key: "used", Request: "A"}}
		if n := registerBatch(t, s, again); n != 2 || !again[0].Replayed || !again[1].Replayed || again[0].Err != nil {
			t.Fatalf("replay: %d, %+v %+v", n, again[0], again[1])
		}
		var first rencontres.Registration
		if err := json.Unmarshal(again[0].Body, &first); err != nil || first.ID != subs[0].R.ID {
			t.Fatalf("replayed %s, %v", again[0].Body, err)
		}
		// p0 withdraws: p6 has the event's seat and the visit's.
		promoted, err := s.Withdraw(ctx, f.event.ID, subs[0].R.ID, f.now, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(promoted) != 2 || promoted[0].RegistrationID != subs[6].R.ID || promoted[1].SessionID != f.visit.ID {
			t.Errorf("promoted %+v", promoted)
		}
		p7, _ := s.Registration(ctx, f.event.ID, subs[7].R.ID)
		if p7.Position != 1 || p7.Choices[0].Position != 1 {
			t.Errorf("p7 waits %d, for the visit %d; want 1 and 1", p7.Position, p7.Choices[0].Position)
		}
	})
}

// Seats a change outside registration freed (a capacity raised in the
// database) go first to those waiting: the set path leaves such a batch
// to Register, whose fill gives them.
func TestRegisterBatchLeavesFillToRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistrationFixture(t, s, 1)
		for i := range 2 {
			if _, err := s.Register(ctx, f.person(i), f.now, false); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.DB().Exec("UPDATE registration_forms SET capacity = 5 WHERE event_id = $1", f.event.ID); err != nil {
			t.Fatal(err)
		}
		subs := []*store.Submission{{R: f.person(2), Now: f.now, Scope: "user:1", Key: "k"}}
		if n := registerBatch(t, s, subs); n != 0 {
			t.Fatalf("the set path decided %d", n)
		}
		var keys int
		s.DB().QueryRow("SELECT COUNT(*) FROM idempotency_keys").Scan(&keys)
		if keys != 0 {
			t.Errorf("%d keys left behind", keys)
		}
		// A submission for another event, or a key used earlier in the
		// batch, ends what the set path decides.
		other := f.person(3)
		other.EventID++
		subs = []*store.Submission{{R: f.person(4), Now: f.now, Scope: "user:1", Key: "a"}, {R: f.person(5), Now: f.now, Scope: "user:1", Key: "a"}}
		if _, err := s.Register(ctx, f.person(6), f.now, false); err != nil { // fill runs
			t.Fatal(err)
		}
		if n := registerBatch(t, s, subs); n != 1 {
			t.Errorf("with a key used twice, the set path decided %d; want 1", n)
		}
		if n := registerBatch(t, s, []*store.Submission{{R: f.person(7), Now: f.now}, {R: other, Now: f.now}}); n != 1 {
			t.Errorf("with another event, the set path decided %d; want 1", n)
		}
	})
}

// On PostgreSQL a batch reads only a few registrations, however many
// people registered since the batch's connection first ran its reads: a
// plan made once, while the event was empty, read the event's whole range
// for each address, and a sequential scan of every registration checked
// the waiting lists. The connection makes its plans again as the
// registrations grow (batchPlans), when a batch locks its events.
func TestBatchReadsStayOnTheirIndexes(t *testing.T) {
	s := storetest.Postgres(t)
	ctx := context.Background()
	f := newRegistrationFixture(t, s, 0)
	next := 0
	batch := func() []*store.Submission {
		var subs []*store.Submission
		for range 4 {
			subs = append(subs, &store.Submission{R: f.person(next), Now: f.now})
			next++
		}
		return subs
	}
	for range 8 {
		if n := registerBatch(t, s, batch()); n != 4 {
			t.Fatalf("the set path decided %d of 4", n)
		}
	}
	const grown = 20_000
	storetest.FillRegistrations(t, s, f.event.ID, grown, 0)
	var fetched int64
	errMeasured := errors.New("measured")
	err := s.InBatchTx(ctx, []int64{f.event.ID}, func(tx *store.Store) error {
		before, err := tx.RowsReadForTest(ctx, "registrations")
		if err != nil {
			return err
		}
		subs := batch()
		if n, _, err := tx.RegisterBatch(ctx, subs); err != nil || n != len(subs) {
			return fmt.Errorf("the set path decided %d of %d: %v", n, len(subs), err)
		}
		for _, sub := range subs {
			if sub.Err != nil {
				return sub.Err
			}
		}
		after, err := tx.RowsReadForTest(ctx, "registrations")
		fetched = after - before
		if err != nil {
			return err
		}
		return errMeasured
	})
	if !errors.Is(err, errMeasured) {
		t.Fatal(err)
	}
	t.Logf("a batch of 4 read %d registrations", fetched)
	if fetched > 100 {
		t.Errorf("a batch of 4 read %d registrations in an event of %d; want a few", fetched, grown)
	}
}

// On PostgreSQL a batch whose writes carry its commit (BatchInfo.Commit)
// releases the event's lock without waiting for the disk, but InBatchTx
// returns, and its people are answered, only once the log is on disk past
// the batch's commit. Writing in the transaction after that commit is
// refused: it would no longer be the batch's.
func TestBatchAnswersOnceOnDisk(t *testing.T) {
	s := storetest.Postgres(t)
	f := newRegistrationFixture(t, s, 0)
	for i := range 20 {
		lsn := commitBatch(t, s, f, i)
		if lsn == "" {
			t.Fatal("the batch's commit was not sent with its writes")
		}
		var flushed bool
		if err := s.DB().QueryRowContext(context.Background(), "SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn", lsn).Scan(&flushed); err != nil {
			t.Fatal(err)
		}
		if !flushed {
			t.Fatalf("batch %d: answered before the log reached %s on disk", i, lsn)
		}
	}
	countRegistrations(t, s, f, 40)
}

// Where the database's role may not write a logical message (a privilege
// an administrator may take away), a batch commits as other transactions
// do, and registers all the same.
func TestBatchCommitsWithoutLogicalMessages(t *testing.T) {
	ctx := context.Background()
	dbURL := storetest.NewPostgresDB(t)
	admin, err := store.Open(ctx, dbURL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f := newRegistrationFixture(t, admin, 0)
	role := fmt.Sprintf("rencontres_plain_%d", time.Now().UnixNano())
	for _, q := range []string{"CREATE ROLE " + role + " LOGIN", "GRANT ALL ON SCHEMA public TO " + role,
		"GRANT ALL ON ALL TABLES IN SCHEMA public TO " + role, "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO " + role,
		"REVOKE EXECUTE ON FUNCTION pg_logical_emit_message(boolean, text, text) FROM PUBLIC"} {
		if _, err := admin.DB().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	defer func() {
		admin.DB().ExecContext(ctx, "DROP OWNED BY "+role)
		admin.DB().ExecContext(ctx, "DROP ROLE "+role)
	}()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	plain, err := store.Open(ctx, u.String(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	for i := range 3 {
		if lsn := commitBatch(t, plain, f, i); lsn != "" {
			t.Fatalf("batch %d sent its commit with its writes, to wait for a message at %s its role may not write", i, lsn)
		}
	}
	countRegistrations(t, admin, f, 6)
}

// commitBatch registers two people in a batch whose writes are its last
// (BatchInfo.Commit), checks that nothing can be written in it after
// them, and returns where in the log its answers waited for (empty when
// the batch committed as other transactions do).
func commitBatch(t *testing.T, s *store.Store, f *registrationFixture, i int) (lsn string) {
	t.Helper()
	ctx := context.Background()
	subs := []*store.Submission{{R: f.person(2 * i), Now: f.now}, {R: f.person(2*i + 1), Now: f.now}}
	if err := s.InBatchTx(ctx, nil, func(tx *store.Store) error {
		n, info, err := tx.RegisterBatch(ctx, subs)
		if err != nil || n != len(subs) {
			return fmt.Errorf("the set path decided %d of %d: %v", n, len(subs), err)
		}
		info.Commit = true
		if err := tx.TellBatch(ctx, info, nil, nil, nil, time.Now(), subs, http.StatusCreated, func(*store.Submission) []byte { return []byte(`{}`) }); err != nil {
			return err
		}
		if lsn = tx.FlushLSNForTest(); lsn == "" {
			return nil
		}
		if _, _, err := tx.RegisterBatch(ctx, []*store.Submission{{R: f.person(1000 + i), Now: f.now}}); err == nil {
			return errors.New("a batch written after the commit was accepted")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return lsn
}

func countRegistrations(t *testing.T, s *store.Store, f *registrationFixture, want int) {
	t.Helper()
	var n int
	if err := s.DB().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM registrations WHERE event_id = $1", f.event.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("%d registrations, want %d", n, want)
	}
}

// A batch takes the ids of its registrations and delegations from
// sequences it names: they must be the sequences of those tables' ids,
// so that the ids taken are those the rows would have been given.
func TestTakeIDsSequences(t *testing.T) {
	s := storetest.Postgres(t)
	ctx := context.Background()
	for _, table := range []string{"registrations", "delegations"} {
		var seq string
		if err := s.DB().QueryRowContext(ctx, "SELECT pg_get_serial_sequence($1, 'id')", table).Scan(&seq); err != nil {
			t.Fatal(err)
		}
		if want := "public." + table + "_id_seq"; seq != want {
			t.Errorf("the ids of %s come from %s; the batch takes them from %s", table, seq, want)
		}
		ids, err := s.TakeIDsForTest(ctx, table, 3)
		if err != nil {
			t.Fatal(err)
		}
		var next int64
		if err := s.DB().QueryRowContext(ctx, "SELECT nextval(pg_get_serial_sequence($1, 'id'))", table).Scan(&next); err != nil {
			t.Fatal(err)
		}
		if len(ids) != 3 || ids[1] != ids[0]+1 || ids[2] != ids[1]+1 || next != ids[2]+1 {
			t.Errorf("%s: took %v, then the column's sequence gave %d", table, ids, next)
		}
	}
}
