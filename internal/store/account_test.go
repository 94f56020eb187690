package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

func newUser(t *testing.T, s *store.Store, email string, role rencontres.Role) *rencontres.User {
	t.Helper()
	u := &rencontres.User{Email: email, Name: "Claire DUMONT", Lang: rencontres.French, Role: role}
	if err := s.CreateUser(context.Background(), u, ""); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, _, err := s.UpsertOrganisations(ctx, kumamoto()); err != nil {
			t.Fatal(err)
		}
		u := &rencontres.User{Email: "  Taro.Yamada@Example.org ", Name: "Taro YAMADA", NameJa: "山田 太郎", Kana: "やまだ たろう",
			Lang: rencontres.Japanese, Role: rencontres.AuthorityContact}
		if err := s.InviteUser(ctx, u, "jp-431001"); err != nil {
			t.Fatal(err)
		}
		got, err := s.UserByEmail(ctx, "TARO.YAMADA@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if got.Email != "taro.yamada@example.org" || got.NameJa != "山田 太郎" || len(got.OrgKeys) != 1 || got.OrgKeys[0] != "jp-431001" {
			t.Errorf("user = %+v", got)
		}
		dup := &rencontres.User{Email: "taro.yamada@example.org", Lang: "fr", Role: rencontres.Participant}
		if err := s.CreateUser(ctx, dup, ""); rencontres.ErrorCode(err) != rencontres.ECONFLICT {
			t.Errorf("a second account with the same address: %v, want a conflict", err)
		}
		// An invitation to an unknown organisation leaves no account.
		if err := s.InviteUser(ctx, &rencontres.User{Email: "x@example.org", Lang: "fr", Role: rencontres.AuthorityContact}, "jp-000000"); err == nil {
			t.Error("invitation to an unknown organisation succeeded")
		}
		if _, err := s.UserByEmail(ctx, "x@example.org"); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("half-saved invitation: %v", err)
		}
		for _, bad := range []rencontres.User{
			{Email: "not an address", Lang: "fr", Role: rencontres.Participant},
			{Email: "a@b", Lang: "fr", Role: rencontres.Participant},
			{Email: "a@example.org", Lang: "de", Role: rencontres.Participant},
			{Email: "a@example.org", Lang: "fr", Role: "king"},
			{Email: "a@example.org", Lang: "fr", Role: rencontres.Participant, Kana: "yamada"},
		} {
			if err := s.CreateUser(ctx, &bad, ""); rencontres.ErrorCode(err) != rencontres.EINVALID {
				t.Errorf("%+v: %v, want invalid", bad, err)
			}
		}
		contacts, err := s.OrganisationContacts(ctx, "jp-431001")
		if err != nil || len(contacts) != 1 || contacts[0].ID != u.ID {
			t.Errorf("contacts of Kumamoto = %v, %v", contacts, err)
		}
	})
}

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "claire@example.org", rencontres.Secretariat)
		now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
		if err := s.CreateSession(ctx, "h1", u.ID, now, now.Add(12*time.Hour), "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		idle := 2 * time.Hour
		for _, tc := range []struct {
			at   time.Duration
			live bool
		}{
			{time.Minute, true},
			{90 * time.Minute, true}, // seen at 10:01… then 11:30
			{3 * time.Hour, true},    // 90 minutes after 11:30
			{6 * time.Hour, false},   // idle over two hours
		} {
			_, err := s.SessionUser(ctx, "h1", now.Add(tc.at), idle)
			if live := err == nil; live != tc.live {
				t.Errorf("at +%s: live %v (%v), want %v", tc.at, live, err, tc.live)
			}
		}
		// The absolute expiry holds however active the session is.
		if err := s.CreateSession(ctx, "h2", u.ID, now, now.Add(12*time.Hour), "", ""); err != nil {
			t.Fatal(err)
		}
		for at := time.Hour; at < 12*time.Hour; at += time.Hour {
			if _, err := s.SessionUser(ctx, "h2", now.Add(at), idle); err != nil {
				t.Fatalf("at +%s: %v", at, err)
			}
		}
		if _, err := s.SessionUser(ctx, "h2", now.Add(12*time.Hour+time.Minute), idle); err == nil {
			t.Error("a session outlived its absolute expiry")
		}
		// Disabling an account ends its sessions.
		s.CreateSession(ctx, "h3", u.ID, now, now.Add(12*time.Hour), "", "")
		if err := s.SetDisabled(ctx, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, "h3", now.Add(time.Minute), idle); err == nil {
			t.Error("a disabled account's session still works")
		}
	})
}

func TestMagicLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "contact@example.org", rencontres.AuthorityContact)
		now := time.Now()
		s.CreateMagicLink(ctx, "l1", u.ID, u.Email, now, now.Add(30*time.Minute))
		// Two clicks at once: exactly one signs in.
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.ConsumeMagicLink(ctx, "l1", now.Add(time.Minute)); err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if ok != 1 {
			t.Errorf("%d of 8 concurrent uses of one link succeeded, want 1", ok)
		}
		s.CreateMagicLink(ctx, "l2", u.ID, u.Email, now, now.Add(30*time.Minute))
		if _, err := s.ConsumeMagicLink(ctx, "l2", now.Add(31*time.Minute)); err == nil {
			t.Error("an expired link worked")
		}
		if _, err := s.ConsumeMagicLink(ctx, "unknown", now); err == nil {
			t.Error("an unknown link worked")
		}
		// A link is bound to the address it was sent to.
		s.CreateMagicLink(ctx, "l3", u.ID, "old-address@example.org", now, now.Add(30*time.Minute))
		if _, err := s.ConsumeMagicLink(ctx, "l3", now.Add(time.Minute)); err == nil {
			t.Error("a link sent to another address worked")
		}
	})
}

func TestAPITokensAndRateLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "script@example.org", rencontres.Secretariat)
		other := newUser(t, s, "other@example.org", rencontres.Participant)
		tok, err := s.CreateAPIToken(ctx, u.ID, "export", "th", "rct_abcdef")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.APITokenUser(ctx, "th", time.Now()); err != nil || got.ID != u.ID {
			t.Fatalf("token user = %v, %v", got, err)
		}
		if err := s.RevokeAPIToken(ctx, other.ID, tok.ID); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("another account revoked the token: %v", err)
		}
		if err := s.RevokeAPIToken(ctx, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.APITokenUser(ctx, "th", time.Now()); err == nil {
			t.Error("a revoked token still works")
		}
		list, _ := s.APITokens(ctx, u.ID)
		if len(list) != 1 || list[0].Revoked == nil || list[0].LastUsed == nil {
			t.Errorf("tokens = %+v", list)
		}

		now := time.Date(2026, 11, 22, 10, 7, 0, 0, time.UTC)
		for i := 1; i <= 3; i++ {
			n, err := s.HitRateLimit(ctx, "login:email:a@example.org", 15*time.Minute, now.Add(time.Duration(i)*time.Minute))
			if err != nil || n != i {
				t.Fatalf("hit %d: count %d, %v", i, n, err)
			}
		}
		if n, _ := s.HitRateLimit(ctx, "login:email:a@example.org", 15*time.Minute, now.Add(10*time.Minute)); n != 1 {
			t.Errorf("a new window starts at %d, want 1", n)
		}

		s.Audit(ctx, &rencontres.AuditEntry{ActorID: u.ID, ActorEmail: u.Email, Action: "profile.update", ObjectType: "user", ObjectID: u.Email, IP: "192.0.2.1", Detail: map[string]any{"lang": "ja"}})
		s.Audit(ctx, &rencontres.AuditEntry{Action: "login.failed", ObjectType: "user", ObjectID: "x@example.org"})
		log, err := s.AuditLog(ctx, rencontres.AuditFilter{ActorEmail: u.Email})
		if err != nil || len(log) != 1 || log[0].Action != "profile.update" || log[0].Detail["lang"] != "ja" || log[0].IP != "192.0.2.1" {
			t.Errorf("audit for %s = %+v, %v", u.Email, log, err)
		}
		if log, _ := s.AuditLog(ctx, rencontres.AuditFilter{Action: "login.failed"}); len(log) != 1 {
			t.Errorf("audit of failed logins = %d entries", len(log))
		}
	})
}

func TestEraseUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, _, err := s.UpsertOrganisations(ctx, kumamoto()); err != nil {
			t.Fatal(err)
		}
		u := &rencontres.User{Email: "haruka.suzuki@example.org", Name: "Haruka SUZUKI", NameJa: "鈴木 遥", Kana: "すずき はるか",
			Function: "国際交流課", Lang: rencontres.Japanese, Role: rencontres.AuthorityContact}
		if err := s.InviteUser(ctx, u, "jp-431001"); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		s.CreateSession(ctx, "sess", u.ID, now, now.Add(time.Hour), "198.51.100.7", "")
		s.CreateAPIToken(ctx, u.ID, "t", "tokhash", "rct_abcdef")
		s.Audit(ctx, &rencontres.AuditEntry{ActorID: u.ID, ActorEmail: u.Email, Action: "profile.update", ObjectType: "user", ObjectID: u.Email, IP: "198.51.100.7"})
		s.Audit(ctx, &rencontres.AuditEntry{Action: "person.invite", ObjectType: "user", ObjectID: u.Email})
		if err := s.RequestErasure(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.User(ctx, u.ID); got.ErasureRequested == nil {
			t.Fatal("the erasure request is not recorded")
		}
		if err := s.EraseUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Erased || !got.Disabled || got.Name != "" || got.NameJa != "" || got.Kana != "" || got.Function != "" ||
			got.Email != store.ErasedEmail(u.ID) || len(got.OrgKeys) != 0 {
			t.Errorf("after erasure: %+v", got)
		}
		if _, err := s.SessionUser(ctx, "sess", now, time.Hour); err == nil {
			t.Error("the session survived the erasure")
		}
		if _, err := s.APITokenUser(ctx, "tokhash", now); err == nil {
			t.Error("the token survived the erasure")
		}
		log, _ := s.AuditLog(ctx, rencontres.AuditFilter{})
		for _, e := range log {
			if e.ActorEmail == "haruka.suzuki@example.org" || e.ObjectID == "haruka.suzuki@example.org" || e.IP == "198.51.100.7" {
				t.Errorf("the audit log still names the person: %+v", e)
			}
		}
		if len(log) != 2 {
			t.Errorf("audit entries after erasure = %d, want the 2 kept", len(log))
		}
		// The address is free for a new account.
		if err := s.CreateUser(ctx, &rencontres.User{Email: "haruka.suzuki@example.org", Lang: "ja", Role: rencontres.Participant}, ""); err != nil {
			t.Errorf("the erased address cannot be used again: %v", err)
		}
	})
}

func TestPurgeExpired(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "old@example.org", rencontres.Participant)
		now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
		s.CreateSession(ctx, "live", u.ID, now.Add(-time.Hour), now.Add(11*time.Hour), "", "")
		s.CreateSession(ctx, "ended", u.ID, now.Add(-13*time.Hour), now.Add(-time.Hour), "", "")
		s.CreateMagicLink(ctx, "recent", u.ID, u.Email, now.Add(-time.Hour), now.Add(-30*time.Minute))
		s.CreateMagicLink(ctx, "old", u.ID, u.Email, now.Add(-40*24*time.Hour), now.Add(-40*24*time.Hour+30*time.Minute))
		s.Audit(ctx, &rencontres.AuditEntry{At: now.AddDate(-4, 0, 0), Action: "login.link"})
		s.Audit(ctx, &rencontres.AuditEntry{At: now.AddDate(-1, 0, 0), Action: "login.link"})
		n, err := s.PurgeExpired(ctx, now, 2*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("purged %d rows, want 3 (an ended session, an old link, an old audit entry)", n)
		}
		if _, err := s.SessionUser(ctx, "live", now, 2*time.Hour); err != nil {
			t.Errorf("a live session was purged: %v", err)
		}
		if log, _ := s.AuditLog(ctx, rencontres.AuditFilter{}); len(log) != 1 {
			t.Errorf("audit entries kept = %d, want 1", len(log))
		}
	})
}

func TestCommitteeSeats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		u := newUser(t, s, "member@example.org", rencontres.CommitteeMember)
		all, err := s.AllCommittees(ctx)
		if err != nil || len(all) < 5 {
			t.Fatalf("committees = %d, %v", len(all), err)
		}
		if all[0].SeriesSlug != "rencontres-franco-japonaises" || all[0].Number != 8 {
			t.Errorf("newest committee first: got edition %s/%d", all[0].SeriesSlug, all[0].Number)
		}
		if err := s.BindCommittee(ctx, u.ID, all[0].Committee.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.BindCommittee(ctx, u.ID, all[0].Committee.ID); err != nil {
			t.Errorf("binding twice: %v", err)
		}
		if err := s.BindCommittee(ctx, u.ID, 999999); rencontres.ErrorCode(err) != rencontres.EINVALID {
			t.Errorf("binding to an unknown committee: %v", err)
		}
		mine, err := s.UserCommittees(ctx, u.ID)
		if err != nil || len(mine) != 1 || mine[0].Committee.Name["fr"] != all[0].Committee.Name["fr"] || len(mine[0].Committee.Meetings) == 0 {
			t.Errorf("the member's committees = %+v, %v", mine, err)
		}
	})
}
