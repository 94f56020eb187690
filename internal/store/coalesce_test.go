package store_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Reads of tokens and events that come together are made in a few
// statements, each request given the same as a read of its own, in a copy
// of its own; and a read asked after a change sees the change.
func TestCoalescedReads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "script@example.org", rencontres.Secretariat)
		if _, err := s.CreateAPIToken(ctx, u.ID, "burst", "th-burst", "rct_burst"); err != nil {
			t.Fatal(err)
		}
		d := func(v string) rencontres.Date { x, _ := rencontres.ParseDate(v); return x }
		outer := &rencontres.Event{Kind: rencontres.OtherMeeting, Title: rencontres.Text{"fr": "Séminaire", "ja": "セミナー"},
			TimeZone: "Europe/Paris", Start: d("2019-11-05"), End: d("2019-11-07"), Status: rencontres.Held}
		if err := s.SaveEvent(ctx, outer, nil); err != nil {
			t.Fatal(err)
		}
		inner := &rencontres.Event{Kind: rencontres.OtherMeeting, Title: rencontres.Text{"fr": "COPIL mixte", "ja": "日仏合同運営委員会"},
			WithinID: outer.ID, TimeZone: "Europe/Paris", Start: d("2019-11-06"), End: d("2019-11-06"), Status: rencontres.Held}
		if err := s.SaveEvent(ctx, inner, nil); err != nil {
			t.Fatal(err)
		}
		want := map[int64]*rencontres.Event{}
		for _, id := range []int64{outer.ID, inner.ID} {
			e, err := s.Event(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			want[id] = e
		}
		wantUser, err := s.APITokenUser(ctx, "th-burst", time.Now())
		if err != nil {
			t.Fatal(err)
		}

		gate := make(chan struct{})
		statements := s.CoalesceReadsForTest(gate)
		const n = 60
		events := make([]*rencontres.Event, n)
		users := make([]*rencontres.User, n)
		errs := make([]error, 2*n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(2)
			go func() {
				defer wg.Done()
				users[i], errs[2*i] = s.APITokenUser(ctx, "th-burst", time.Now())
			}()
			go func() {
				defer wg.Done()
				events[i], errs[2*i+1] = s.Event(ctx, []int64{outer.ID, inner.ID}[i%2])
			}()
		}
		time.Sleep(100 * time.Millisecond) // let the reads gather behind the first statements
		close(gate)
		wg.Wait()
		for i := range n {
			if errs[2*i] != nil || errs[2*i+1] != nil {
				t.Fatalf("read %d: %v, %v", i, errs[2*i], errs[2*i+1])
			}
			if !reflect.DeepEqual(users[i], wantUser) {
				t.Fatalf("token read %d = %+v, want %+v", i, users[i], wantUser)
			}
			if e := events[i]; !reflect.DeepEqual(e, want[e.ID]) {
				t.Fatalf("event read %d = %+v, want %+v", i, e, want[e.ID])
			}
		}
		if got := statements(); got > n/2 {
			t.Errorf("%d reads made %d statements", 2*n, got)
		}
		// Each request has its own copy: changing one changes no other.
		events[1].Title["fr"] = "changé"
		events[1].Within.Title["fr"] = "changé"
		users[0].OrgKeys = append(users[0].OrgKeys, "changé")
		for i := range n {
			if i != 1 && (events[i].Title["fr"] == "changé" || events[i].Within != nil && events[i].Within.Title["fr"] == "changé") {
				t.Fatalf("event read %d shares its title with read 1", i)
			}
			if i != 0 && len(users[i].OrgKeys) != 0 {
				t.Fatalf("token read %d shares its authorities with read 0", i)
			}
		}

		// A read asked after a change sees it: nothing is kept.
		inner.Title = rencontres.Text{"fr": "COPIL franco-japonais", "ja": "日仏合同運営委員会"}
		if err := s.SaveEvent(ctx, inner, nil); err != nil {
			t.Fatal(err)
		}
		if e, err := s.Event(ctx, inner.ID); err != nil || e.Title["fr"] != "COPIL franco-japonais" {
			t.Errorf("event after its change = %v, %v", e, err)
		}
		tokens, _ := s.APITokens(ctx, u.ID)
		if err := s.RevokeAPIToken(ctx, u.ID, tokens[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.APITokenUser(ctx, "th-burst", time.Now()); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("a revoked token read after its revocation: %v", err)
		}
		if _, err := s.Event(ctx, 999999); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("an event that does not exist: %v", err)
		}
	})
}
