package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// participantFixture registers five people for the 9th edition, three
// seats: p000–p002 (French authorities) confirmed, p003–p004 (Japanese)
// waitlisted; p000 chose the workshop and needs interpretation, p001 the
// visit, p003 the workshop. p000 has an account.
func participantFixture(t *testing.T, s *store.Store) (*registrationFixture, []*rencontres.Registration, *rencontres.User) {
	t.Helper()
	ctx := context.Background()
	f := newRegistrationFixture(t, s, 3)
	var regs []*rencontres.Registration
	for i := range 5 {
		var choices []int64
		switch i {
		case 0, 3:
			choices = []int64{f.workshop.ID}
		case 1:
			choices = []int64{f.visit.ID}
		}
		r := f.person(i, choices...)
		r.Interpretation = i == 0
		if i == 3 {
			r.Lang = rencontres.Japanese
		}
		if _, err := s.Register(ctx, r, f.now, false); err != nil {
			t.Fatal(err)
		}
		regs = append(regs, r)
	}
	u := &rencontres.User{Email: "p000@example.org", Name: "Personne NUMÉRO000", Lang: rencontres.French, Role: rencontres.Participant}
	if err := s.CreateUser(ctx, u, ""); err != nil {
		t.Fatal(err)
	}
	return f, regs, u
}

func TestFeedTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f, _, u := participantFixture(t, s)
		now := f.now
		first, err := s.NewFeedToken(ctx, u.ID, f.event.ID, "hash-1", now)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.FeedTokenByHash(ctx, "hash-1", now); err != nil || got.ID != first.ID || got.UserID != u.ID || got.EventID != f.event.ID {
			t.Fatalf("lookup = %+v, %v", got, err)
		}
		// Renewing: the first stops, the second works.
		second, err := s.NewFeedToken(ctx, u.ID, f.event.ID, "hash-2", now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.FeedTokenByHash(ctx, "hash-1", now); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("a renewed token still works: %v", err)
		}
		if got, err := s.ActiveFeedToken(ctx, u.ID, f.event.ID, now); err != nil || got == nil || got.ID != second.ID {
			t.Errorf("active = %+v, %v; want %d", got, err, second.ID)
		}
		// Revoking: nothing works, nothing is active.
		if err := s.RevokeFeedToken(ctx, u.ID, f.event.ID, now.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FeedTokenByHash(ctx, "hash-2", now); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("a revoked token still works: %v", err)
		}
		if got, err := s.ActiveFeedToken(ctx, u.ID, f.event.ID, now); err != nil || got != nil {
			t.Errorf("active after revocation = %+v, %v", got, err)
		}
		if _, err := s.FeedTokenByHash(ctx, "never-made", now); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("an unknown token: %v", err)
		}
		// Expired: made longer ago than the lifetime.
		if _, err := s.NewFeedToken(ctx, u.ID, f.event.ID, "hash-3", now); err != nil {
			t.Fatal(err)
		}
		later := now.Add(rencontres.FeedTokenLifetime + time.Hour)
		if _, err := s.FeedTokenByHash(ctx, "hash-3", later); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("an expired token still works: %v", err)
		}
		if _, err := s.FeedTokenByHash(ctx, "hash-3", now.Add(time.Hour)); err != nil {
			t.Errorf("a fresh token refused: %v", err)
		}

		// Export: the three, hashes not included.
		d, err := s.PersonalData(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.FeedTokens) != 3 || d.FeedTokens[0].Revoked == nil || d.FeedTokens[2].Revoked != nil {
			t.Errorf("exported feed tokens = %+v", d.FeedTokens)
		}
		// Retention: the revoked ones go a month after revocation.
		if _, err := s.PurgeExpired(ctx, now.Add(store.FeedTokenRetention+time.Hour), time.Hour); err != nil {
			t.Fatal(err)
		}
		if d, _ := s.PersonalData(ctx, u.ID); len(d.FeedTokens) != 1 {
			t.Errorf("after the retention period, %d feed tokens", len(d.FeedTokens))
		}
		// Erasure: none left, and the working one stops.
		if err := s.EraseUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FeedTokenByHash(ctx, "hash-3", now.Add(time.Hour)); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("an erased person's token still works: %v", err)
		}
	})
}

func TestMyRegistrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f, regs, u := participantFixture(t, s)
		got, err := s.MyRegistration(ctx, f.event.ID, u.ID)
		if err != nil || got.ID != regs[0].ID || len(got.Choices) != 1 || got.Choices[0].SessionID != f.workshop.ID {
			t.Fatalf("my registration = %+v, %v", got, err)
		}
		// Registered for a second event too: both are listed.
		ed7, err := s.Edition(ctx, "rencontres-franco-japonaises", 7)
		if err != nil {
			t.Fatal(err)
		}
		other := &rencontres.Registration{EventID: ed7.ID, OrgKey: "fr-13001", GivenName: "Personne", FamilyName: "NUMÉRO000", Email: "P000@example.org",
			Lang: rencontres.French, Answers: map[string]string{"shuttle": "no"}}
		if _, err := s.Register(ctx, other, f.now, true); err != nil {
			t.Fatal(err)
		}
		list, err := s.MyRegistrations(ctx, u.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("my registrations = %d, %v", len(list), err)
		}
		i := slices.IndexFunc(list, func(r *rencontres.Registration) bool { return r.ID == regs[0].ID })
		if i < 0 || len(list[i].Choices) != 1 || list[i].Choices[0].SessionID != f.workshop.ID {
			t.Errorf("my registrations: the first one at %d, want it with its workshop", i)
		}
		if _, err := s.MyRegistration(ctx, ed7.ID, u.ID); err != nil {
			t.Errorf("the second event: %v", err)
		}
		// Someone else is not registered.
		stranger := &rencontres.User{Email: "stranger@example.org", Name: "Inconnu", Lang: rencontres.French, Role: rencontres.Participant}
		if err := s.CreateUser(ctx, stranger, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MyRegistration(ctx, f.event.ID, stranger.ID); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("a stranger's registration: %v", err)
		}
		// Withdrawn: no longer theirs to see.
		if _, err := s.Withdraw(ctx, f.event.ID, regs[0].ID, f.now, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MyRegistration(ctx, f.event.ID, u.ID); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("a withdrawn registration: %v", err)
		}
	})
}

func TestRegistrantAudience(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f, regs, u := participantFixture(t, s)
		emails := func(list []*rencontres.Recipient) []string {
			var out []string
			for _, r := range list {
				out = append(out, r.Email)
			}
			slices.Sort(out)
			return out
		}
		p := func(is ...int) []string {
			var out []string
			for _, i := range is {
				out = append(out, fmt.Sprintf("p%03d@example.org", i))
			}
			return out
		}
		for _, tc := range []struct {
			name string
			f    rencontres.RegistrantFilter
			want []string
		}{
			{"all", rencontres.RegistrantFilter{All: true}, p(0, 1, 2, 3, 4)},
			{"by session", rencontres.RegistrantFilter{Sessions: []int64{f.workshop.ID}}, p(0, 3)},
			{"by two sessions", rencontres.RegistrantFilter{Sessions: []int64{f.workshop.ID, f.visit.ID}}, p(0, 1, 3)},
			{"waitlisted", rencontres.RegistrantFilter{Statuses: []rencontres.SeatStatus{rencontres.Waitlisted}}, p(3, 4)},
			{"confirmed", rencontres.RegistrantFilter{Statuses: []rencontres.SeatStatus{rencontres.Confirmed}}, p(0, 1, 2)},
			{"by country", rencontres.RegistrantFilter{Countries: []rencontres.Country{rencontres.Japan}}, p(3, 4)},
			{"interpretation", rencontres.RegistrantFilter{Interpretation: true}, p(0)},
			{"workshop, Japanese", rencontres.RegistrantFilter{Sessions: []int64{f.workshop.ID}, Countries: []rencontres.Country{rencontres.Japan}}, p(3)},
		} {
			list, _, err := s.RegistrantAudience(ctx, f.event.ID, &tc.f)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got := emails(list); !slices.Equal(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}
		all, _, _ := s.RegistrantAudience(ctx, f.event.ID, &rencontres.RegistrantFilter{All: true})
		for _, r := range all {
			switch r.Email {
			case "p000@example.org":
				if r.UserID != u.ID || r.RegistrationID != regs[0].ID || r.OrgKey != "fr-13001" || r.OrgName.In(rencontres.French) == "" {
					t.Errorf("p000 = %+v", r)
				}
			case "p003@example.org":
				if r.UserID != 0 || r.Lang != rencontres.Japanese || r.Country != rencontres.Japan {
					t.Errorf("p003 = %+v", r)
				}
			}
		}

		// A disabled account is not written to, and is told.
		if err := s.SetDisabled(ctx, u.ID, true); err != nil {
			t.Fatal(err)
		}
		list, problems, err := s.RegistrantAudience(ctx, f.event.ID, &rencontres.RegistrantFilter{Interpretation: true})
		if err != nil || len(list) != 0 || len(problems) != 1 || problems[0].Email != "p000@example.org" || problems[0].Key != "campaign.problem_disabled_account" {
			t.Errorf("a disabled account: %v, %+v, %v", emails(list), problems, err)
		}

		// What names nothing is refused, every fault told.
		bad := &rencontres.RegistrantFilter{Sessions: []int64{f.workshop.ID, 987654}, Statuses: []rencontres.SeatStatus{"maybe"},
			Countries: []rencontres.Country{"F1"}}
		_, _, err = s.RegistrantAudience(ctx, f.event.ID, bad)
		e, ok := err.(*rencontres.Error)
		if !ok || e.Code != rencontres.EINVALID {
			t.Fatalf("bad filter: %v", err)
		}
		var fields []string
		for _, x := range e.All() {
			fields = append(fields, x.Field)
		}
		if want := []string{"filter.registrants.sessions[1]", "filter.registrants.statuses[0]", "filter.registrants.countries[0]"}; !slices.Equal(fields, want) {
			t.Errorf("faults on %v, want %v", fields, want)
		}
		// The campaign is not saved with them, nor mixed with the
		// directory's criteria.
		for _, filter := range []rencontres.RecipientFilter{{Registrants: bad}, {Registrants: &rencontres.RegistrantFilter{All: true}, Countries: []rencontres.Country{rencontres.France}}} {
			c := &rencontres.Campaign{EventID: f.event.ID, Name: "Informations pratiques", Filter: filter}
			if err := s.SaveCampaign(ctx, c, f.now); rencontres.ErrorCode(err) != rencontres.EINVALID || c.ID != 0 {
				t.Errorf("campaign with %+v saved: %v", filter, err)
			}
		}
	})
}

// A campaign to registered people records each recipient's registration,
// gives an account to those without one (a participant's), and follows
// their letter, not their authority's registration.
func TestLaunchCampaignToRegistrants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f, regs, u := participantFixture(t, s)
		c := &rencontres.Campaign{EventID: f.event.ID, Name: "Changement de salle",
			Filter: rencontres.RecipientFilter{Registrants: &rencontres.RegistrantFilter{Sessions: []int64{f.workshop.ID}}}}
		if err := s.SaveCampaign(ctx, c, f.now); err != nil {
			t.Fatal(err)
		}
		again, err := s.Campaign(ctx, c.ID)
		if err != nil || again.Filter.Registrants == nil || !slices.Equal(again.Filter.Registrants.Sessions, []int64{f.workshop.ID}) {
			t.Fatalf("saved filter = %+v, %v", again.Filter, err)
		}
		list, _, err := s.RegistrantAudience(ctx, f.event.ID, c.Filter.Registrants)
		if err != nil || len(list) != 2 {
			t.Fatalf("%d recipients, %v", len(list), err)
		}
		if err := s.LaunchCampaign(ctx, c.ID, f.now, list, func(r *rencontres.Recipient) (*rencontres.QueuedMail, error) {
			return &rencontres.QueuedMail{Kind: store.CampaignLetterKind, ToEmail: r.Email, ToName: r.Name, Lang: r.Lang, Deferred: true,
				Payload: []byte(fmt.Sprintf(`{"recipient":%d}`, r.ID)), UniqueKey: fmt.Sprintf("campaign:%d:%d", r.CampaignID, r.ID),
				CampaignID: r.CampaignID, RecipientID: r.ID}, nil
		}); err != nil {
			t.Fatal(err)
		}
		got, err := s.CampaignRecipients(ctx, c.ID)
		if err != nil || len(got) != 2 {
			t.Fatalf("%d recipients, %v", len(got), err)
		}
		for _, r := range got {
			if r.State != rencontres.RecipientQueued || r.RegistrationID == 0 || r.UserID == 0 {
				t.Errorf("recipient %s: %+v", r.Email, r)
			}
		}
		if got[0].UserID != u.ID && got[1].UserID != u.ID {
			t.Errorf("p000's own account not used: %+v", got)
		}
		made, err := s.UserByEmail(ctx, regs[3].Email)
		if err != nil || made.Role != rencontres.Participant || made.Lang != rencontres.Japanese || len(made.OrgKeys) != 0 {
			t.Errorf("p003's account = %+v, %v", made, err)
		}
		// A campaign to registered people sends no reminders.
		due, err := s.RemindersDue(ctx)
		if err != nil || len(due[c.ID]) != 0 {
			t.Errorf("reminders due = %v, %v", due, err)
		}
	})
}
