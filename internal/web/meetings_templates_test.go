package web

import (
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// meetingSamples are the samples of the one-to-one meetings' pages, run by
// their handlers on the demo's 7th edition (requests in every state, a
// provisional schedule), then given what the demo leaves out: a request
// waiting for an answer, a request left out, a fault on every field.
func (x *sampler) meetingSamples() map[string][]sample {
	s := x.site
	ev, ed := id(x.edition), "/events/"+id(x.edition)
	manage := func(h handlerFunc, target string) func(t *testing.T, p *Page) {
		return func(t *testing.T, p *Page) {
			x.run(t, p, h, ed+target, "event", ev)
			d := p.Data.(*MeetingsManagePage)
			if len(d.Schedule) == 0 {
				t.Fatal("the demo's schedule places no meeting")
			}
			left := d.Schedule[0]
			left.Unplaced = "no_interpreter"
			d.Unplaced = append(d.Unplaced, left)
			d.Errors = map[string]string{"form": "x", "ranges": "x", "ranges[0]_day": "x", "tables": "x", "cap": "x", "deadline": "x", "state": "x"}
		}
	}
	return map[string][]sample{
		"meetings": {
			{role: rencontres.AuthorityContact, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.meetingsPage, ed+"/meetings?done=requested", "event", ev)
				d := p.Data.(*MeetingsPage)
				if len(d.Received) == 0 || len(d.Sent) == 0 || len(d.Agenda) == 0 {
					t.Fatalf("Aix-en-Provence's demo meetings: %d received, %d sent, %d placed", len(d.Received), len(d.Sent), len(d.Agenda))
				}
				d.Received[0].State = rencontres.RequestPending
				d.Form = map[string]string{"to": d.Partners[0], "message": "Parlons tourisme."}
				d.Errors = map[string]string{"form": "x", "to": "x", "message": "x", "answer": "x"}
			}},
			// The secretariat on an authority's page, once the deadline
			// has passed.
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.meetingsPage, ed+"/meetings?org=jp-221007", "event", ev)
				d := p.Data.(*MeetingsPage)
				d.Form, d.Errors = map[string]string{"to": "x"}, map[string]string{"to": "x"}
			}, empty: []string{"Orgs", "Received"}},
		},
		"meetings_manage": {{role: rencontres.Secretariat, fill: manage(s.meetingsManage, "/meetings/manage?done=scheduled")}},
		"meetings_tables": {{role: rencontres.Secretariat, fill: manage(s.tablePlan, "/meetings/tables")}},
		"meetings_rota":   {{role: rencontres.Secretariat, fill: manage(s.interpreterRota, "/meetings/interpreters")}},
	}
}
