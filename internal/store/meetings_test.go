package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// meetFixture is the demo's 7th edition (2–6 October 2022, Paris), whose
// delegations all have a workshop seat on 5 October from 9:30 to 12:00.
type meetFixture struct {
	event    int64
	contact  int64
	outsider string
	now      time.Time
}

func newMeetFixture(t *testing.T, s *store.Store) *meetFixture {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	// The demo's own meetings are not these tests'.
	for _, q := range []string{"DELETE FROM meeting_requests", "DELETE FROM meeting_settings", "DELETE FROM mail_outbox WHERE kind = 'meeting'"} {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	ed, err := s.Edition(ctx, "rencontres-franco-japonaises", 7)
	if err != nil {
		t.Fatal(err)
	}
	f := &meetFixture{event: ed.ID, now: time.Date(2022, 9, 20, 10, 0, 0, 0, time.UTC)}
	if err := s.DB().QueryRow(`SELECT key FROM organisations WHERE country = 'FR' AND id NOT IN (SELECT org_id FROM delegations WHERE event_id = $1)
		ORDER BY key LIMIT 1`, ed.ID).Scan(&f.outsider); err != nil {
		t.Fatal(err)
	}
	u := &rencontres.User{Email: "meet.kumamoto@example.org", Name: "Contact Kumamoto", NameJa: "熊本 担当", Lang: rencontres.Japanese, Role: rencontres.AuthorityContact}
	if err := s.InviteUser(ctx, u, "jp-431001"); err != nil {
		t.Fatal(err)
	}
	f.contact = u.ID
	return f
}

// meetSettings are 30-minute slots from 11:00 to 13:00 on 5 October: the
// first two overlap the workshops.
func (f *meetFixture) settings() *rencontres.MeetingSettings {
	deadline := time.Date(2022, 9, 30, 16, 0, 0, 0, time.UTC)
	return &rencontres.MeetingSettings{EventID: f.event, Ranges: []rencontres.SlotRange{
		{Day: rencontres.Date{Year: 2022, Month: 10, Day: 5}, From: "11:00", To: "13:00", Minutes: 30, Interpreters: 1},
	}, Tables: []string{"A", "B"}, Cap: 2, Deadline: &deadline}
}

func faultKeys(err error) map[string]string {
	out := map[string]string{}
	if e, ok := err.(*rencontres.Error); ok {
		for _, f := range e.All() {
			out[f.Field] = f.Key
		}
	}
	return out
}

func TestMeetingSettingsValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newMeetFixture(t, s)
		bad := f.settings()
		bad.Ranges[0].Day = rencontres.Date{Year: 2022, Month: 10, Day: 9}
		bad.Tables = []string{" ", ""}
		err := s.SaveMeetingSettings(ctx, bad, f.contact, f.now)
		got := faultKeys(err)
		if got["ranges[0].day"] != "meetings.error_day_outside" || got["tables"] != "meetings.error_no_tables" {
			t.Fatalf("faults %v, want the day outside the edition and no tables", got)
		}
		if set, err := s.MeetingSettings(ctx, f.event); err != nil || len(set.Ranges) != 0 {
			t.Fatalf("refused settings saved: %+v, %v", set, err)
		}
		if err := s.SaveMeetingSettings(ctx, f.settings(), f.contact, f.now); err != nil {
			t.Fatal(err)
		}
		set, err := s.MeetingSettings(ctx, f.event)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(set.Slots(time.UTC)), 4; got != want {
			t.Errorf("%d slots, want %d", got, want)
		}
		if set.Deadline == nil || !set.Deadline.Equal(*f.settings().Deadline) || set.Cap != 2 || len(set.Tables) != 2 {
			t.Errorf("settings read back %+v", set)
		}
	})
}

func TestMeetingRequestRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newMeetFixture(t, s)
		if err := s.SaveMeetingSettings(ctx, f.settings(), 0, f.now); err != nil {
			t.Fatal(err)
		}
		ok := &rencontres.MeetingRequest{EventID: f.event, From: "fr-13001", To: "jp-431001", Message: "Parlons tourisme."}
		if err := s.RequestMeeting(ctx, ok, 0, f.now); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name, from, to string
			at             time.Time
			field, key     string
		}{
			{"not registered", "fr-13001", f.outsider, f.now, "to", "meetings.error_not_registered"},
			{"oneself", "fr-13001", "fr-13001", f.now, "to", "meetings.error_self"},
			{"twice", "fr-13001", "jp-431001", f.now, "to", "meetings.error_twice"},
			{"twice, the other way", "jp-431001", "fr-13001", f.now, "to", "meetings.error_twice"},
			{"after the deadline", "fr-37261", "jp-221007", time.Date(2022, 10, 1, 0, 0, 0, 0, time.UTC), "to", "meetings.error_deadline"},
		} {
			q := &rencontres.MeetingRequest{EventID: f.event, From: c.from, To: c.to}
			err := s.RequestMeeting(ctx, q, 0, c.at)
			if got := faultKeys(err); got[c.field] != c.key {
				t.Errorf("%s: faults %v, want %s on %s", c.name, got, c.key, c.field)
			}
		}
		all, err := s.MeetingRequests(ctx, f.event, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 || all[0].State != rencontres.RequestPending || all[0].Message != "Parlons tourisme." {
			t.Fatalf("requests %+v, want the one accepted", all)
		}
		mails, err := s.Mails(ctx, store.MailFilter{Kind: store.MeetingMailKind})
		if err != nil {
			t.Fatal(err)
		}
		if len(mails) != 1 || mails[0].ToEmail != "meet.kumamoto@example.org" || mails[0].Lang != rencontres.Japanese {
			t.Fatalf("mails %+v, want one to Kumamoto's contact in Japanese", mails)
		}
		q, err := s.AnswerMeeting(ctx, f.event, ok.ID, true, f.contact, f.now)
		if err != nil || q.State != rencontres.RequestAccepted {
			t.Fatalf("answer: %+v, %v", q, err)
		}
		if _, err := s.AnswerMeeting(ctx, f.event, ok.ID, false, f.contact, f.now); rencontres.ErrorCode(err) != rencontres.ECONFLICT {
			t.Errorf("second answer: %v, want a conflict", err)
		}
		if mine, err := s.MeetingRequests(ctx, f.event, "jp-431001"); err != nil || len(mine) != 1 {
			t.Errorf("Kumamoto's requests %v, %v", mine, err)
		}
		if theirs, err := s.MeetingRequests(ctx, f.event, "fr-37261"); err != nil || len(theirs) != 0 {
			t.Errorf("Tours' requests %v, %v", theirs, err)
		}
	})
}

func TestMeetingScheduleStoredAndStable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newMeetFixture(t, s)
		if _, err := s.ScheduleMeetings(ctx, f.event, 0, f.now); faultKeys(err)["ranges"] != "meetings.error_no_slots" {
			t.Errorf("schedule without settings: %v", err)
		}
		if err := s.SaveMeetingSettings(ctx, f.settings(), 0, f.now); err != nil {
			t.Fatal(err)
		}
		accept := func(from, to string) int64 {
			q := &rencontres.MeetingRequest{EventID: f.event, From: from, To: to}
			if err := s.RequestMeeting(ctx, q, 0, f.now); err != nil {
				t.Fatal(err)
			}
			if _, err := s.AnswerMeeting(ctx, f.event, q.ID, true, 0, f.now); err != nil {
				t.Fatal(err)
			}
			return q.ID
		}
		frJP := accept("fr-13001", "jp-431001") // needs the interpreter
		accept("fr-37261", "fr-13055")
		pending := &rencontres.MeetingRequest{EventID: f.event, From: "jp-221007", To: "fr-54395"}
		if err := s.RequestMeeting(ctx, pending, 0, f.now); err != nil {
			t.Fatal(err)
		}
		sch, err := s.ScheduleMeetings(ctx, f.event, 0, f.now)
		if err != nil {
			t.Fatal(err)
		}
		if sch.Placed != 2 || len(sch.Requests) != 2 {
			t.Fatalf("placed %d of %d, want both accepted requests", sch.Placed, len(sch.Requests))
		}
		paris, _ := time.LoadLocation("Europe/Paris")
		first := map[int64]string{}
		for _, q := range sch.Requests {
			if q.Start.In(paris).Hour() < 12 {
				t.Errorf("request %d placed at %v, during the workshops its delegations registered for", q.ID, q.Start.In(paris))
			}
			if got, want := q.Interpreter, q.ID == frJP; got != want {
				t.Errorf("request %d: interpreter %v, want %v", q.ID, got, want)
			}
			first[q.ID] = meetTS(*q.Start) + q.Table
		}
		if got, err := s.MeetingsOf(ctx, f.event, "fr-13001"); err != nil || len(got) != 0 {
			t.Errorf("agenda before publication: %v, %v", got, err)
		}
		if err := s.PublishMeetings(ctx, f.event, rencontres.MeetingsProvisional, 0, f.now); err != nil {
			t.Fatal(err)
		}
		for _, side := range []struct{ org, partner string }{{"fr-13001", "jp-431001"}, {"jp-431001", "fr-13001"}} {
			ms, err := s.MeetingsOf(ctx, f.event, side.org)
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != 1 || ms[0].Partner.Key != side.partner || ms[0].Table == "" || ms[0].Final || !ms[0].Interpreter {
				t.Fatalf("%s's agenda %+v, want one provisional meeting with %s", side.org, ms, side.partner)
			}
		}
		placed, err := s.Mails(ctx, store.MailFilter{Kind: store.MeetingMailKind})
		if err != nil {
			t.Fatal(err)
		}
		// The request and the placement, to Kumamoto's one contact; the
		// demo's other contacts get theirs.
		n := 0
		for _, m := range placed {
			if m.ToEmail == "meet.kumamoto@example.org" {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%d emails to Kumamoto's contact, want the request's and the placement's", n)
		}
		// A new acceptance, then a run again: the published meetings stay.
		late := accept("jp-401307", "fr-21231")
		sch, err = s.ScheduleMeetings(ctx, f.event, 0, f.now.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range sch.Requests {
			if q.ID == late {
				continue
			}
			if q.Start == nil || first[q.ID] != meetTS(*q.Start)+q.Table {
				t.Errorf("request %d moved on a new run: %v at %s, was %s", q.ID, q.Start, q.Table, first[q.ID])
			}
		}
		if err := s.PublishMeetings(ctx, f.event, rencontres.MeetingsFinal, 0, f.now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if ms, err := s.MeetingsOf(ctx, f.event, "fr-37261"); err != nil || len(ms) != 1 || !ms[0].Final || ms[0].Partner.Key != "fr-13055" {
			t.Errorf("Tours' final agenda %+v, %v", ms, err)
		}
		if err := s.PublishMeetings(ctx, f.event, "draft", 0, f.now); faultKeys(err)["state"] != "meetings.error_bad_state" {
			t.Errorf("publish as draft: %v", err)
		}
	})
}

func TestMeetingUnplacedWithReason(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newMeetFixture(t, s)
		set := f.settings()
		set.Ranges[0].Interpreters = 0
		set.Cap = 1
		if err := s.SaveMeetingSettings(ctx, set, 0, f.now); err != nil {
			t.Fatal(err)
		}
		for _, pair := range [][2]string{{"fr-37261", "fr-13055"}, {"fr-37261", "fr-67482"}, {"fr-13001", "jp-431001"}} {
			q := &rencontres.MeetingRequest{EventID: f.event, From: pair[0], To: pair[1]}
			if err := s.RequestMeeting(ctx, q, 0, f.now); err != nil {
				t.Fatal(err)
			}
			if _, err := s.AnswerMeeting(ctx, f.event, q.ID, true, 0, f.now); err != nil {
				t.Fatal(err)
			}
		}
		sch, err := s.ScheduleMeetings(ctx, f.event, 0, f.now)
		if err != nil {
			t.Fatal(err)
		}
		// Tours meets once (the cap); the French and Japanese cities find
		// no interpreter.
		if sch.Placed != 1 || sch.Unplaced != 2 {
			t.Fatalf("placed %d, unplaced %d, want 1 and 2", sch.Placed, sch.Unplaced)
		}
		for _, q := range sch.Requests {
			if q.Start == nil && q.Unplaced == "" {
				t.Errorf("request %d left out with no reason", q.ID)
			}
		}
	})
}

func meetTS(t time.Time) string { return t.UTC().Format(time.RFC3339) }
