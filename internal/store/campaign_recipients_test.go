package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A sent campaign's recipients read a page at a time by SQL, walked
// forward and back in every state, give the rows, the total and the
// counts by state that reading them whole and filtering in Go gives, on
// both databases.
func TestCampaignRecipientPageWalk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ed := demoEdition(t, s, 7)
		now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
		c := &rencontres.Campaign{EventID: ed.ID, Name: "Paged", Filter: rencontres.RecipientFilter{Extra: []string{"x@example.org"}}}
		if err := s.SaveCampaign(ctx, c, now); err != nil {
			t.Fatal(err)
		}
		rows, err := s.DB().Query("SELECT key FROM organisations ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		orgs := []string{""} // a recipient of no authority
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			orgs = append(orgs, k)
		}
		rows.Close()
		var list []*rencontres.Recipient
		for i := range 47 {
			// Addresses in another order than the authorities', some
			// authorities with several recipients.
			list = append(list, &rencontres.Recipient{Email: fmt.Sprintf("r%02d@example.org", (i*17)%47), Name: fmt.Sprintf("Personne %d", i),
				Lang: rencontres.French, OrgKey: orgs[(i*5)%len(orgs)]})
		}
		if err := s.LaunchCampaign(ctx, c.ID, now, list, func(r *rencontres.Recipient) (*rencontres.QueuedMail, error) {
			return &rencontres.QueuedMail{Kind: store.CampaignLetterKind, ToEmail: r.Email, ToName: r.Name, Lang: r.Lang, Deferred: true,
				Payload: []byte(fmt.Sprintf(`{"recipient":%d}`, r.ID)), UniqueKey: fmt.Sprintf("campaign:%d:%d", r.CampaignID, r.ID),
				CampaignID: r.CampaignID, RecipientID: r.ID}, nil
		}); err != nil {
			t.Fatal(err)
		}
		// Letters in every state, and some refused.
		for _, q := range []string{
			"UPDATE mail_outbox SET status = 'sent', sent_at = '2026-05-01T10:00:00.000000Z' WHERE campaign_id = $1 AND recipient_id % 2 = 0",
			"UPDATE mail_outbox SET status = 'failed', last_error = 'no such mailbox' WHERE campaign_id = $1 AND recipient_id % 5 = 0",
			"UPDATE mail_outbox SET status = 'cancelled' WHERE campaign_id = $1 AND recipient_id % 11 = 0",
			"UPDATE campaign_recipients SET declined_at = '2026-05-02T10:00:00.000000Z' WHERE campaign_id = $1 AND id % 7 = 0",
			"UPDATE campaign_recipients SET opened_at = '2026-05-03T10:00:00.000000Z' WHERE campaign_id = $1 AND id % 9 = 0",
		} {
			if _, err := s.DB().Exec(q, c.ID); err != nil {
				t.Fatal(err)
			}
		}
		all, err := s.CampaignRecipients(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if counts := store.CampaignCounts(all); counts[rencontres.RecipientSent] == 0 || counts[rencontres.RecipientDeclined] == 0 ||
			counts[rencontres.RecipientQueued] == 0 || counts[rencontres.RecipientFailed] == 0 {
			t.Fatalf("the states are not all there: %v", counts)
		}
		for _, state := range append([]rencontres.RecipientState{""}, rencontres.RecipientStates...) {
			t.Run(string(state)+"_", func(t *testing.T) {
				var want []*rencontres.Recipient
				for _, r := range all {
					if state == "" || r.State == state {
						want = append(want, r)
					}
				}
				wantIDs := recipientIDs(want)
				for _, limit := range []int{1, 6, 100} {
					read := func(r cursor.Request) ([]int64, cursor.Head, error) {
						page, h, err := s.CampaignRecipientPage(ctx, c.ID, state, r)
						return recipientIDs(page), h, err
					}
					forward, back, first := walk(t, limit, read)
					if !slices.Equal(forward, wantIDs) {
						t.Fatalf("limit %d: forward %v, want %v", limit, forward, wantIDs)
					}
					if !slices.Equal(back, wantIDs[:len(back)]) || len(wantIDs)-len(back) > limit {
						t.Fatalf("limit %d: back %v, want the start of %v", limit, back, wantIDs)
					}
					if first.Total != len(want) {
						t.Errorf("limit %d: total %d, want %d", limit, first.Total, len(want))
					}
				}
				var each []*rencontres.Recipient
				if err := s.EachCampaignRecipient(ctx, c.ID, state, func(chunk []*rencontres.Recipient) error {
					each = append(each, chunk...)
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				if g, w := jsonText(t, each), jsonText(t, want); g != w {
					t.Errorf("each: %v, want %v", recipientIDs(each), wantIDs)
				}
				latest, err := s.CampaignRecipientsLatest(ctx, c.ID, state)
				if err != nil {
					t.Fatal(err)
				}
				if w := export.Recipients(export.Reader{API: true, P: i18n.MustLoad().Printer(rencontres.French)}, want, time.UTC).Modified; !latest.Equal(w) {
					t.Errorf("latest %v, want %v", latest, w)
				}
				got, err := s.CampaignRecipientCounts(ctx, c.ID, state)
				if err != nil {
					t.Fatal(err)
				}
				if w := store.CampaignCounts(want); !maps.Equal(got, w) {
					t.Errorf("counts %v, want %v", got, w)
				}
			})
		}
	})
}

func recipientIDs(list []*rencontres.Recipient) []int64 {
	out := make([]int64, len(list))
	for i, r := range list {
		out[i] = r.ID
	}
	return out
}

// jsonText is v as JSON, to compare rows field by field.
func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
