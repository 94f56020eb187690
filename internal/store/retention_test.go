package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Emails that left, failed or were cancelled go after MailRetention; those
// still queued stay whatever their age; one whose key must keep it from
// going twice stays as an empty row. Idempotency answers go after
// IdempotencyRetention.
func TestRetentionOfMailAndAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Now()
		old, recent := now.Add(-store.MailRetention-time.Hour), now.Add(-store.MailRetention+48*time.Hour)
		leave := func(m *rencontres.QueuedMail, at time.Time, status rencontres.MailStatus) {
			t.Helper()
			if err := s.EnqueueMail(ctx, at, m); err != nil {
				t.Fatal(err)
			}
			claimed, err := s.ClaimMail(ctx, at, time.Minute, 1)
			if err != nil || len(claimed) != 1 || claimed[0].ID != m.ID {
				t.Fatalf("claimed %v, %v; want message %d", claimed, err, m.ID)
			}
			if status == rencontres.MailSent {
				err = s.MailsSent(ctx, at, []int64{m.ID}, nil)
			} else {
				err = s.MailFailed(ctx, m.ID, status, "550 5.1.1 <old@example.org>: unknown")
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		oldSent := rendered("old@example.org", "Old SENT", "s", "old sent")
		leave(oldSent, old, rencontres.MailSent)
		oldFailed := rendered("old@example.org", "Old FAILED", "s", "old failed")
		leave(oldFailed, old, rencontres.MailFailed)
		oldKeyed := rendered("old@example.org", "Old KEYED", "s", "old keyed")
		oldKeyed.UniqueKey = "invitation:1:1"
		leave(oldKeyed, old, rencontres.MailSent)
		recentSent := rendered("recent@example.org", "Recent SENT", "s", "recent sent")
		leave(recentSent, recent, rencontres.MailSent)
		oldQueued := rendered("waiting@example.org", "Old QUEUED", "s", "old queued")
		oldQueued.NotBefore = now.Add(time.Hour)
		if err := s.EnqueueMail(ctx, old, oldQueued); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := s.Idempotent(ctx, "user:1", "k", func(*store.Store) (int, []byte, error) {
			return 201, []byte(`{"given_name":"Ayako"}`), nil
		}); err != nil {
			t.Fatal(err)
		}
		answers := func() int {
			var n int
			if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM idempotency_keys").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		n1, err := s.PurgeExpired(ctx, now.Add(store.IdempotencyRetention-time.Hour), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if answers() != 1 {
			t.Error("an idempotency answer younger than its retention was purged")
		}
		n2, err := s.PurgeExpired(ctx, now.Add(store.IdempotencyRetention+time.Hour), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if answers() != 0 {
			t.Error("an idempotency answer older than its retention is still there")
		}
		for _, gone := range []*rencontres.QueuedMail{oldSent, oldFailed} {
			if _, err := s.Mail(ctx, gone.ID); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
				t.Errorf("%s is still in the outbox (%v)", gone.ToName, err)
			}
		}
		for _, kept := range []*rencontres.QueuedMail{recentSent, oldQueued} {
			if m, err := s.Mail(ctx, kept.ID); err != nil || m.ToEmail != kept.ToEmail || string(m.Payload) != string(kept.Payload) {
				t.Errorf("%s was purged or changed: %+v, %v", kept.ToName, m, err)
			}
		}
		m, err := s.Mail(ctx, oldKeyed.ID)
		if err != nil || m.Status != rencontres.MailSent || m.ToEmail != "" || m.ToName != "" || string(m.Payload) != "{}" {
			t.Errorf("the keyed message should stay, emptied: %+v, %v", m, err)
		}
		// Its key still keeps the message from going twice.
		again := rendered("old@example.org", "Old KEYED", "s", "old keyed")
		again.UniqueKey = "invitation:1:1"
		if err := s.EnqueueMail(ctx, now, again); err != nil || again.ID != 0 {
			t.Errorf("the keyed message was queued again: id %d, %v", again.ID, err)
		}
		if n := n1 + n2; n != 4 {
			t.Errorf("purged %d rows, want 4 (an answer, two emails deleted, one emptied)", n)
		}
		if n, err := s.PurgeExpired(ctx, now.Add(store.IdempotencyRetention+time.Hour), time.Hour); err != nil || n != 0 {
			t.Errorf("a second purge touched %d rows (%v), want none", n, err)
		}
	})
}

// The registrations of an event that ended more than
// RegistrationRetentionYears ago are anonymised; the counts of the edition
// stay; later events keep theirs.
func TestRetentionOfRegistrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRegistrationFixture(t, s, 100)
		mine := f.person(1, f.workshop.ID)
		if _, err := s.Register(ctx, mine, f.now, false); err != nil {
			t.Fatal(err)
		}
		ed7, err := s.Edition(ctx, "rencontres-franco-japonaises", 7)
		if err != nil {
			t.Fatal(err)
		}
		ev7, _ := s.Event(ctx, ed7.ID)
		ended := ev7.End.Time(time.UTC)
		before := editionCounts(t, s, ed7.ID, f.event.ID)
		if len(findEverywhere(t, s, "k.mori@example.org")) == 0 {
			t.Fatal("the 7th edition's demo registrations are missing")
		}

		justBefore := ended.AddDate(store.RegistrationRetentionYears, 0, 0)
		if _, err := s.PurgeExpired(ctx, justBefore, time.Hour); err != nil {
			t.Fatal(err)
		}
		if len(findEverywhere(t, s, "k.mori@example.org")) == 0 {
			t.Errorf("registrations were anonymised before %d years had passed", store.RegistrationRetentionYears)
		}
		n, err := s.PurgeExpired(ctx, justBefore.AddDate(0, 0, 2), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		regs, err := s.Registrations(ctx, rencontres.RegistrationFilter{EventID: ed7.ID, Status: rencontres.Confirmed})
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(regs)) > n || len(regs) == 0 {
			t.Errorf("anonymised %d rows for %d registrations", n, len(regs))
		}
		for _, r := range regs {
			if r.GivenName != "" || r.FamilyName != store.ErasedName || r.NameJa != "" || len(r.Answers) != 0 || r.Dietary != "" ||
				!strings.HasSuffix(r.Email, "@erased.invalid") {
				t.Errorf("registration %d after its retention: %+v", r.ID, r)
			}
		}
		// Kenji MORI also spoke and sat on a committee: the programme and
		// the committees are the archive's public record, which the
		// retention of registrations leaves alone.
		public := func(column string) bool {
			return strings.HasPrefix(column, "committee_seats.") || strings.HasPrefix(column, "session_speakers.")
		}
		for _, trace := range []string{"k.mori@example.org", "森 健二", "Végétarienne", "3 octobre, 11h58"} {
			where := slices.DeleteFunc(findEverywhere(t, s, trace), public)
			if len(where) > 0 {
				t.Errorf("%q is still in %s", trace, strings.Join(where, ", "))
			}
		}
		if after := editionCounts(t, s, ed7.ID, f.event.ID); after != before {
			t.Errorf("counts after the purge:\n%s\nbefore:\n%s", after, before)
		}
		got, err := s.Registration(ctx, f.event.ID, mine.ID)
		if err != nil || got.Email != mine.Email || got.FamilyName != mine.FamilyName {
			t.Errorf("a registration of a recent event was anonymised: %+v, %v", got, err)
		}
		if n, err := s.PurgeExpired(ctx, justBefore.AddDate(0, 0, 2), time.Hour); err != nil || n != 0 {
			t.Errorf("a second purge touched %d rows (%v), want none", n, err)
		}
	})
}
