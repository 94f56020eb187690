package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// demoEdition loads the demo into s and returns its n-th edition of the
// Rencontres franco-japonaises: the fixtures of the calls, the reviews,
// the library and the declaration start from the 7th, which has
// registrations, committees and a programme.
func demoEdition(t *testing.T, s *store.Store, n int) *rencontres.Edition {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	ed, err := s.Edition(ctx, "rencontres-franco-japonaises", n)
	if err != nil {
		t.Fatal(err)
	}
	return ed
}

// freeSeventh loads the demo and returns its 7th edition, whose
// registrations and committees the declaration's tests use, after moving
// the demo's adopted declaration from it to the 8th, so that they start
// their own on the 7th.
func freeSeventh(t *testing.T, s *store.Store) *rencontres.Edition {
	t.Helper()
	seventh := demoEdition(t, s, 7)
	eighth, err := s.Edition(context.Background(), "rencontres-franco-japonaises", 8)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MoveDeclaration(context.Background(), seventh.ID, eighth.ID); err != nil {
		t.Fatal(err)
	}
	return seventh
}

// queuedMails lists the emails of a kind queued, oldest first, as
// "address language what" (the payload's "what": the amendment's
// decision, the declaration's step), each checked to be deferred: rendered
// when it leaves, as the declaration stands then.
func queuedMails(t *testing.T, s *store.Store, kind string) []string {
	t.Helper()
	ms, err := s.Mails(context.Background(), store.MailFilter{Kind: kind, Status: rencontres.MailQueued})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(ms)
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		var p struct {
			What string `json:"what"`
		}
		if err := json.Unmarshal(m.Payload, &p); err != nil || !m.Deferred {
			t.Errorf("mail %d: %v, deferred %v", m.ID, err, m.Deferred)
		}
		out = append(out, m.ToEmail+" "+string(m.Lang)+" "+p.What)
	}
	return out
}
