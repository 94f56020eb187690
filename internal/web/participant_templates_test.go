package web

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// participantSamples are the samples of a participant's own page: Nadia
// Bensaïd, registered for the 7th edition in the demo, signed in; the
// demo has no meetings nor feed, so the sample adds a meeting, a feed
// just made, and a clock of her own.
func (x *sampler) participantSamples() map[string][]sample {
	s := x.site
	fill := func(t *testing.T, p *Page, waitlisted bool) {
		ctx := context.Background()
		u, err := x.st.UserByEmail(ctx, "n.bensaid@example.org")
		if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
			u = &rencontres.User{Email: "n.bensaid@example.org", Name: "Nadia BENSAÏD", Lang: rencontres.French, Role: rencontres.Participant}
			err = x.st.InviteUser(ctx, u, "")
		}
		if err != nil {
			t.Fatal(err)
		}
		p.Actor = &rencontres.Actor{User: u}
		id := fmt.Sprint(x.edition)
		x.run(t, p, s.myEvent, "/me/events/"+id, "event", id)
		d := p.Data.(*ParticipantPage)
		if len(d.Programme) == 0 || len(d.Answers) == 0 || len(d.Contacts) == 0 {
			t.Fatalf("the demo's participant page is empty: %+v", d)
		}
		d.OwnZone, _ = time.LoadLocation("Asia/Tokyo")
		start := d.Programme[0].Start.Add(3 * time.Hour)
		d.Programme = append(d.Programme, ProgrammeEntry{Start: start, End: start.Add(20 * time.Minute), Title: "Rendez-vous avec Kumamoto", Place: "T3",
			Meeting: true, Interpreter: true, Final: true})
		d.Feed = &rencontres.FeedToken{ID: 1, UserID: u.ID, EventID: x.edition, Created: time.Now()}
		if waitlisted {
			d.Reg.Status, d.Reg.Position = rencontres.Waitlisted, 4
			d.Reg.Choices[0].Status, d.Reg.Choices[0].Position = rencontres.Waitlisted, 2
			d.Programme[0].Status = rencontres.Waitlisted
		} else {
			d.FeedURL = "https://rencontres.example.org/fr/feeds/" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/calendar.ics"
		}
	}
	return map[string][]sample{
		"me_event": {
			{role: rencontres.Participant, fill: func(t *testing.T, p *Page) { fill(t, p, false) }},
			{role: rencontres.Participant, fill: func(t *testing.T, p *Page) { fill(t, p, true) }},
		},
	}
}
