package campaign_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/campaign"
	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/mail/mailtest"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// The demo campaign, sent to French and Japanese contacts through a real
// SMTP server: the letters and their reminders greet each person as the
// letter does, and a Japanese reminder is 【再度のご案内】 with the
// deadline's zone.
func TestRemindersThroughSMTP(t *testing.T) {
	if _, err := letter.FindFonts(); err != nil {
		t.Skip(err)
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		sink, err := mailtest.Start()
		if err != nil {
			t.Fatal(err)
		}
		defer sink.Close()
		smtp, err := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: sink.Port, TLS: "none", From: mail.DefaultFrom, Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		now := time.Date(2020, 7, 20, 10, 0, 0, 0, time.UTC)
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		w := outbox.New(st, smtp, log)
		w.Rate, w.Now = 0, clock
		svc := campaign.New(st, w, i18n.MustLoad(), log, "http://rencontres.example.org")
		svc.Now = clock

		list, _ := st.Campaigns(ctx, 0)
		c := list[0]
		c.Filter.Countries = append(c.Filter.Countries, "JP")
		secretariat := &rencontres.Actor{User: &rencontres.User{ID: 1, Role: rencontres.Secretariat, Lang: rencontres.French}}
		if err := svc.Save(ctx, secretariat, c); err != nil {
			t.Fatal(err)
		}
		n, err := svc.Send(ctx, secretariat, c.ID, campaign.SendOptions{SkipProblems: true, ConfirmPast: true})
		if err != nil || n != 10 {
			t.Fatalf("Send = %d, %v; want the ten present demo contacts", n, err)
		}
		if sent, err := w.SendDue(ctx); err != nil || sent != 10 {
			t.Fatalf("letters: %d sent, %v", sent, err)
		}
		mu.Lock()
		now = time.Date(2020, 9, 4, 8, 0, 0, 0, time.UTC) // seven days before the deadline
		mu.Unlock()
		if queued, err := svc.Remind(ctx); err != nil || queued != 10 {
			t.Fatalf("Remind = %d, %v", queued, err)
		}
		if sent, err := w.SendDue(ctx); err != nil || sent != 10 {
			t.Fatalf("reminders: %d sent, %v", sent, err)
		}
		people, err := st.CampaignRecipients(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := sink.Received()
		if len(got) != 20 {
			t.Fatalf("%d messages received, want 20", len(got))
		}
		for _, r := range people {
			var reminder, invitation *mail.Received
			for _, m := range got {
				if m.To[0].Email != r.Email {
					continue
				}
				if m.Header.Get("X-Rencontres-Kind") == store.CampaignReminderKind {
					reminder = m
				} else {
					invitation = m
				}
			}
			if reminder == nil || invitation == nil {
				t.Errorf("%s: invitation %v, reminder %v", r.Email, invitation != nil, reminder != nil)
				continue
			}
			// The greeting is the letter's, with the contact's own form of
			// address when the secretariat keeps one.
			person := letter.Person(r.Civility, r.Name, r.NameJa, r.Function)
			person.AddressForm = r.AddressForm
			greeting := letter.Greeting(r.Lang, person)
			if first := strings.TrimSpace(strings.SplitN(reminder.Text, "\n", 2)[0]); first != greeting {
				t.Errorf("%s: the reminder opens %q, want %q", r.Email, first, greeting)
			}
			if r.Lang == rencontres.Japanese {
				if !strings.HasPrefix(reminder.Subject, "【再度のご案内】") || !strings.Contains(reminder.Text, "（パリ時間）") ||
					!strings.Contains(invitation.Text, "16:00〜17:30（パリ時間）") {
					t.Errorf("%s: reminder %q:\n%s\ninvitation:\n%s", r.Email, reminder.Subject, reminder.Text, invitation.Text)
				}
			} else if !strings.Contains(reminder.Text, "(heure de Paris)") || !strings.Contains(invitation.Text, greeting) {
				t.Errorf("%s: reminder:\n%s\ninvitation:\n%s", r.Email, reminder.Text, invitation.Text)
			}
			if strings.Contains(reminder.Text, "Bonjour") {
				t.Errorf("%s: %s", r.Email, reminder.Text)
			}
		}
	})
}
