package meetingmail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/meetingmail"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A request tells the requested authority's contact, in Japanese, who asks
// and what they wrote; its placement tells both contacts, each in their
// language, when and at which table.
func TestMeetingMails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		ed, err := s.Edition(ctx, "rencontres-franco-japonaises", 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []struct {
			email, org string
			lang       rencontres.Lang
		}{{"mail.kumamoto@example.org", "jp-431001", rencontres.Japanese}, {"mail.tours@example.org", "fr-37261", rencontres.French}} {
			if err := s.InviteUser(ctx, &rencontres.User{Email: u.email, Name: "Contact", Lang: u.lang, Role: rencontres.AuthorityContact}, u.org); err != nil {
				t.Fatal(err)
			}
		}
		now := time.Date(2022, 9, 20, 10, 0, 0, 0, time.UTC)
		// Room enough for every accepted request of the demo and this one:
		// the scheduler places them all, this one at a table and time read
		// back below.
		if err := s.SaveMeetingSettings(ctx, &rencontres.MeetingSettings{EventID: ed.ID, Tables: []string{"A", "B", "C", "D", "E", "F"},
			Ranges: []rencontres.SlotRange{{Day: rencontres.Date{Year: 2022, Month: 10, Day: 4}, From: "17:00", To: "19:00", Minutes: 30, Interpreters: 6}}}, 0, now); err != nil {
			t.Fatal(err)
		}
		q := &rencontres.MeetingRequest{EventID: ed.ID, From: "fr-37261", To: "jp-431001", Message: "観光について話しましょう。"}
		if err := s.RequestMeeting(ctx, q, 0, time.Date(2022, 9, 1, 10, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AnswerMeeting(ctx, ed.ID, q.ID, true, 0, now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ScheduleMeetings(ctx, ed.ID, 0, now); err != nil {
			t.Fatal(err)
		}
		if err := s.PublishMeetings(ctx, ed.ID, rencontres.MeetingsProvisional, 0, now); err != nil {
			t.Fatal(err)
		}
		var placed *rencontres.Meeting
		agenda, err := s.MeetingsOf(ctx, ed.ID, "fr-37261")
		if err != nil {
			t.Fatal(err)
		}
		for _, mt := range agenda {
			if mt.Partner.Key == "jp-431001" {
				placed = mt
			}
		}
		if placed == nil {
			t.Fatalf("the request is not placed: %d meetings for Tours", len(agenda))
		}
		loc, _ := time.LoadLocation(ed.TimeZone)
		start := placed.Start.In(loc)
		cat, err := i18n.Load()
		if err != nil {
			t.Fatal(err)
		}
		ob := outbox.New(s, nil, nil)
		m := meetingmail.Handle(ob, s, cat, "https://rencontres.example.org", mail.Address{})
		queued, err := s.Mails(ctx, store.MailFilter{Kind: store.MeetingMailKind})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, qm := range queued {
			if !strings.HasSuffix(qm.ToEmail, "@example.org") || !strings.HasPrefix(qm.ToEmail, "mail.") {
				continue
			}
			full, err := s.Mail(ctx, qm.ID)
			if err != nil {
				t.Fatal(err)
			}
			msg, err := m.Render(ctx, full)
			if err != nil {
				t.Fatal(err)
			}
			got[qm.ToEmail+" "+msg.Headers["X-Rencontres-Kind"]] = msg.Subject + "\n" + msg.Text
		}
		for key, want := range map[string][]string{
			"mail.kumamoto@example.org meeting-request": {"個別面談の申し込み", "観光について話しましょう。", "/ja/events/"},
			"mail.tours@example.org meeting-accepted":   {"accepte votre rendez-vous", "Kumamoto"},
			"mail.tours@example.org meeting-placed":     {"Table\u00A0: " + placed.Table, start.Format("15h04"), "Un interprète sera présent.", "provisoire"},
			"mail.kumamoto@example.org meeting-placed":  {"テーブル：" + placed.Table, start.Format("15:04"), "通訳者が同席します。"},
		} {
			text, ok := got[key]
			if !ok {
				t.Errorf("no %s among %d emails", key, len(got))
				continue
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s lacks %q:\n%s", key, w, text)
				}
			}
		}
	})
}
