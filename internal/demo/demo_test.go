package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

func TestLoadTwiceChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		loaded, err := demo.Load(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if !loaded {
			t.Fatal("first load reported nothing loaded")
		}
		before, _ := s.Editions(ctx, rencontres.EditionFilter{})
		loaded, err = demo.Load(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if loaded {
			t.Error("second load reported loading again")
		}
		after, _ := s.Editions(ctx, rencontres.EditionFilter{})
		if got, want := len(after), len(before); got != want {
			t.Errorf("editions after second load = %d, want %d", got, want)
		}
	})
}

// The facts of the seeds, read back through the store on both databases.
func TestSeedFacts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		seventh, err := s.Edition(ctx, "rencontres-franco-japonaises", 7)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := seventh.Start.String()+"/"+seventh.End.String(), "2022-10-03/2022-10-06"; got != want {
			t.Errorf("7th edition dates = %s, want %s", got, want)
		}
		var moves []string
		for _, c := range seventh.DateChanges {
			moves = append(moves, c.FromStart.String()+"→"+c.ToStart.String())
		}
		if got, want := strings.Join(moves, " "), "2020-11-17→2021-10-18 2021-10-18→2022-10-03"; got != want {
			t.Errorf("7th edition date changes = %s, want %s", got, want)
		}
		if seventh.Host == nil || seventh.Host.Key != "fr-13001" {
			t.Errorf("7th edition host = %+v, want Aix-en-Provence", seventh.Host)
		}
		if got, want := len(seventh.Workshops), 3; got != want {
			t.Errorf("7th edition workshops = %d, want %d", got, want)
		}
		if got, want := len(seventh.Committees), 3; got != want {
			t.Fatalf("7th edition committees = %d, want %d", got, want)
		}
		m := seventh.Committees[0].Meetings[0]
		if got, want := m.Start.String()+" "+m.StartTime+"–"+m.EndTime, "2020-09-22 16:00–17:30"; got != want {
			t.Errorf("3rd COPIL meeting is %s, want %s", got, want)
		}
		if m.Within == nil || m.Within.Series != "raict" || m.Within.Number != 11 {
			t.Errorf("3rd COPIL meeting held within %+v, want the 11th RAICT", m.Within)
		}
		agenda, err := s.AgendaItems(ctx, m.ID)
		if err != nil || len(agenda) != 5 || agenda[1].Presenter != "Sophie MARCHAND" {
			t.Errorf("3rd COPIL agenda = %d items (%v), want 5, the 2nd presented by the secretariat", len(agenda), err)
		}
		decisions, err := s.CommitteeDecisions(ctx, seventh.Committees[0].ID)
		if err != nil || len(decisions) != 2 || decisions[0].Status != rencontres.DecisionOpen {
			t.Errorf("French committee decisions = %+v (%v), want 2, the open one first", decisions, err)
		}
		sessions, err := s.Sessions(ctx, seventh.ID)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[rencontres.SessionKind]int{}
		for _, ses := range sessions {
			kinds[ses.Kind]++
		}
		if kinds[rencontres.RoundTable] != 2 || kinds[rencontres.WorkshopKind] != 3 {
			t.Errorf("7th edition programme = %v, want 2 round tables and 3 workshops", kinds)
		}
		if ev, err := s.Event(ctx, seventh.ID); err != nil || !ev.Published {
			t.Errorf("7th edition programme published = %v (%v), want true", ev != nil && ev.Published, err)
		}
		sixth, err := s.Edition(ctx, "rencontres-franco-japonaises", 6)
		if err != nil {
			t.Fatal(err)
		}
		if n := sixth.Figures.Authorities(); n == nil || *n != 52 || !sixth.Figures.Record {
			t.Errorf("6th edition authorities = %v record %v, want 52 and a record", n, sixth.Figures.Record)
		}
		var roles []string
		for _, o := range sixth.Organisations {
			roles = append(roles, string(o.Role)+":"+o.OrgKey)
		}
		if got, want := strings.Join(roles, " "), "co_organiser:inst-cuf co_organiser:inst-clair-paris patron:inst-meae patron:inst-mic"; got != want {
			t.Errorf("6th edition organisations = %s, want %s", got, want)
		}
		partners, err := s.Partnerships(ctx, "fr-13001")
		if err != nil {
			t.Fatal(err)
		}
		// Kumamoto since 2013, and Tübingen since 1960: a twin of a
		// third country, as the secretariat records them.
		years := map[string]int{}
		for _, p := range partners {
			years[p.Other.Key] = p.Year
		}
		if len(partners) != 2 || years["jp-431001"] != 2013 || years["de-08416041"] != 1960 {
			t.Errorf("Aix-en-Provence partnerships = %v, want Kumamoto since 2013 and Tübingen since 1960", years)
		}
		cannes, err := s.Edition(ctx, "rencontres-franco-japonaises", 9)
		if err != nil {
			t.Fatal(err)
		}
		if !cannes.Start.IsZero() || cannes.Status != rencontres.Planned || cannes.Year != 2026 {
			t.Errorf("9th edition = %+v, want planned for 2026 with no dates", cannes)
		}
	})
}

// People in the demo are fictitious: no email outside example.org, and none
// of the real names the seed letters carry.
func TestNoRealPeople(t *testing.T) {
	d, err := demo.Parse()
	if err != nil {
		t.Fatal(err)
	}
	real := []string{"BERLEMONT", "ZERKANI", "TEBALDI", "BABARY", "ONISHI", "KONAGAYA", "FUNAYAMA", "REBSAMEN", "JOISSAINS", "FOTIC"}
	check := func(e *demo.Edition, person string) {
		for _, r := range real {
			if strings.Contains(strings.ToUpper(person), r) {
				t.Errorf("edition %d: %q is a real person", e.Number, person)
			}
		}
	}
	for _, e := range d.Editions {
		for _, c := range e.Committees {
			for _, m := range c.Members {
				check(e, m.Person)
			}
			for _, m := range c.Meetings {
				for _, a := range m.Agenda {
					check(e, a.Presenter)
				}
			}
		}
		if e.Programme != nil {
			for _, ses := range e.Programme.Sessions {
				for _, sp := range ses.Speakers {
					check(e, sp.Person)
				}
			}
		}
		if e.Registration != nil {
			if !strings.HasSuffix(e.Registration.Form.Contact, "@example.org") {
				t.Errorf("edition %d: registration contact %q is not at example.org", e.Number, e.Registration.Form.Contact)
			}
			for _, d := range e.Registration.Delegations {
				for _, p := range d.People {
					check(e, p.GivenName+" "+p.FamilyName)
					if !strings.HasSuffix(p.Email, "@example.org") {
						t.Errorf("edition %d: %s is not at example.org", e.Number, p.Email)
					}
				}
			}
		}
	}
	for _, c := range d.Contacts {
		check(d.Editions[0], c.Name)
		if !strings.HasSuffix(c.Email, "@example.org") {
			t.Errorf("contact %s is not at example.org", c.Email)
		}
	}
}

// The demo's contacts and its draft campaign: the invitation to the 3rd
// French steering committee of the 7th Rencontres (seed 000) reaches the
// six present French contacts, not Aix's former one, with its form's
// deadline for the letter.
func TestCampaignDemo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		contacts, err := st.Users(ctx, rencontres.UserFilter{Role: rencontres.AuthorityContact})
		if err != nil || len(contacts) != 11 {
			t.Fatalf("%d contacts, %v", len(contacts), err)
		}
		campaigns, err := st.Campaigns(ctx, 0)
		if err != nil || len(campaigns) != 1 || campaigns[0].Status != rencontres.CampaignDraft || len(campaigns[0].Letters) != 3 {
			t.Fatalf("campaigns: %+v, %v", campaigns, err)
		}
		c := campaigns[0]
		recipients, problems, err := st.CampaignAudience(ctx, c.Filter)
		if err != nil || len(recipients) != 6 || len(problems) != 0 {
			t.Errorf("%d recipients, problems %v, %v", len(recipients), problems, err)
		}
		for _, r := range recipients {
			if r.Email == "t.giraud@example.org" {
				t.Error("Aix's former contact is among the recipients")
			}
		}
		ev, _ := st.Event(ctx, c.EventID)
		f, err := st.RegistrationForm(ctx, c.EventID)
		if err != nil || ev.Start.String() != "2020-09-22" || f.Deadline.In(ev.Location()).Format("2006-01-02 15:04") != "2020-09-10 23:59" {
			t.Errorf("the campaign's meeting %s, its deadline %v (%v)", ev.Start, f, err)
		}
	})
}

// The 7th edition's registrations, read back through the store on both
// databases: the form as the dataset gives it, every person registered in
// the delegation of their authority, and each session's seats given in
// the order of submission up to its capacity, the others waiting in that
// order.
func TestRegistrationDemo(t *testing.T) {
	d, err := demo.Parse()
	if err != nil {
		t.Fatal(err)
	}
	var data *demo.Edition
	for _, e := range d.Editions {
		if e.SeriesSlug == "rencontres-franco-japonaises" && e.Number == 7 {
			data = e
		}
	}
	if data == nil || data.Registration == nil {
		t.Fatal("the 7th edition has no registrations in demo.json")
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		seventh, err := s.Event(ctx, mustEdition(t, s, 7).ID)
		if err != nil {
			t.Fatal(err)
		}
		form, err := s.RegistrationForm(ctx, seventh.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := form.Deadline.In(seventh.Location()).Format("2006-01-02 15:04 MST"), "2022-09-09 18:00 CEST"; got != want {
			t.Errorf("deadline in the event's zone = %s, want %s", got, want)
		}
		conditional := 0
		for _, q := range form.Questions {
			for _, l := range rencontres.Langs {
				if q.Label[l] == "" {
					t.Errorf("question %s has no label in %s", q.Key, l)
				}
			}
			if q.ShowIf != nil {
				conditional++
			}
		}
		if len(form.Questions) != len(data.Registration.Form.Questions) || conditional == 0 {
			t.Errorf("form questions = %d, %d conditional; want %d, one at least conditional", len(form.Questions), conditional, len(data.Registration.Form.Questions))
		}

		regs, err := s.Registrations(ctx, rencontres.RegistrationFilter{EventID: seventh.ID})
		if err != nil {
			t.Fatal(err)
		}
		byEmail := map[string]*rencontres.Registration{}
		for _, r := range regs {
			byEmail[r.Email] = r
		}
		// Who chose each session, in the order of submission.
		chosen := map[string][]string{}
		countries := map[rencontres.Country]bool{}
		n := 0
		var people []*demo.Person
		for _, del := range data.Registration.Delegations {
			for _, p := range del.People {
				n++
				people = append(people, p)
				r := byEmail[strings.ToLower(p.Email)]
				if r == nil || r.OrgKey != del.Organisation || r.Status != rencontres.Confirmed {
					t.Errorf("%s: registered as %+v, want confirmed for %s", p.Email, r, del.Organisation)
					continue
				}
				countries[r.Country] = true
				if _, asked := r.Answers["arrival"]; asked != (r.Answers["shuttle"] == "yes") {
					t.Errorf("%s: answers %v, want the arrival only with the shuttle", p.Email, r.Answers)
				}
			}
		}
		if len(regs) != n || !countries[rencontres.France] || !countries[rencontres.Japan] {
			t.Errorf("%d registrations from %v, want %d from France and Japan", len(regs), countries, n)
		}
		slices.SortStableFunc(people, func(a, b *demo.Person) int { return a.Submitted.Compare(b.Submitted) })
		for _, p := range people {
			for _, key := range p.Choices {
				chosen[key] = append(chosen[key], strings.ToLower(p.Email))
			}
		}

		sessions, err := s.Sessions(ctx, seventh.ID)
		if err != nil {
			t.Fatal(err)
		}
		rooms, err := s.Rooms(ctx, seventh.ID)
		if err != nil {
			t.Fatal(err)
		}
		lists := rencontres.Attendances(sessions, rooms, regs, 0)
		if got, want := len(lists), len(chosen); got != want {
			t.Fatalf("%d sessions with attendance lists, want %d", got, want)
		}
		title := map[string]string{}
		for _, ses := range data.Programme.Sessions {
			title[ses.Key] = ses.Title.In(rencontres.French)
		}
		waiting := 0
		for key, who := range chosen {
			var a *rencontres.Attendance
			for _, l := range lists {
				if l.Session.Title.In(rencontres.French) == title[key] {
					a = l
				}
			}
			if a == nil || a.Capacity == 0 {
				t.Fatalf("session %s: attendance %+v, want one with a capacity", key, a)
			}
			seats := min(len(who), a.Capacity)
			var seated, queue []string
			for _, x := range a.Seated {
				seated = append(seated, x.Email)
			}
			for _, x := range a.Waiting {
				queue = append(queue, x.Email)
			}
			slices.Sort(seated)
			first := slices.Clone(who[:seats])
			slices.Sort(first)
			if !slices.Equal(seated, first) || !slices.Equal(queue, who[seats:]) {
				t.Errorf("session %s (%d seats): seated %v waiting %v, want %v then %v", key, a.Capacity, seated, queue, first, who[seats:])
			}
			waiting += len(queue)
		}
		if waiting == 0 {
			t.Error("nobody waits for a seat in the demo")
		}
	})
}

func mustEdition(t *testing.T, s *store.Store, number int) *rencontres.Edition {
	t.Helper()
	e, err := s.Edition(context.Background(), "rencontres-franco-japonaises", number)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// The demo's review: two fictitious committee members of the 7th edition
// have reviewed the open call's proposals, one proposal with too few
// reviews; the practices of the library have presenters, who speak in
// their workshops' sessions.
func TestReviewDemo(t *testing.T) {
	d, err := demo.Parse()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range d.Reviewers {
		if !strings.HasSuffix(r.Email, "@example.org") {
			t.Errorf("reviewer %s is not at example.org", r.Email)
		}
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		ed, err := s.Edition(ctx, "rencontres-franco-japonaises", 7)
		if err != nil {
			t.Fatal(err)
		}
		calls, err := s.Calls(ctx, ed.ID)
		if err != nil || len(calls) == 0 {
			t.Fatalf("calls of the 7th edition: %v %v", calls, err)
		}
		dash, err := s.Dashboard(ctx, calls[0].ID, time.Date(2022, 4, 20, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		reviews, withComments := 0, 0
		for _, row := range dash.Proposals {
			reviews += row.Reviews
			list, err := s.Reviews(ctx, row.ProposalID, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, rv := range list {
				if rv.CommentAuthors != "" && rv.CommentCommittee != "" && len(rv.Scores) == 3 {
					withComments++
				}
			}
		}
		if reviews != 7 || withComments != 7 || dash.TooFew < 1 {
			t.Errorf("the demo's dashboard: %d reviews, %d with scores and both comments, %d with too few", reviews, withComments, dash.TooFew)
		}
		sessions, err := s.Sessions(ctx, ed.ID)
		if err != nil {
			t.Fatal(err)
		}
		speaks := map[string]bool{}
		for _, ses := range sessions {
			for _, sp := range ses.Speakers {
				speaks[sp.Person] = true
			}
		}
		for _, name := range []string{"Haruka OGATA", "Antoine MERCIER", "Paul WEBER"} {
			if !speaks[name] {
				t.Errorf("%s presents a practice of the 7th edition but speaks in no session", name)
			}
		}
		list, _, err := s.Practices(ctx, rencontres.PracticeFilter{Query: "foret urbaine"})
		if err != nil || len(list) != 1 {
			t.Fatalf("the urban forest in the library: %v %v", list, err)
		}
		p, err := s.Practice(ctx, list[0].ID)
		if err != nil || len(p.Presenters) != 1 || p.Presenters[0].Person != "Paul WEBER" || p.Presenters[0].Function["ja"] != "緑地管理責任者" ||
			p.Presenters[0].OrgKey != "fr-67482" {
			t.Errorf("the urban forest's presenters in the library: %+v %v", p, err)
		}
	})
}
