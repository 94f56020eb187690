package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// The demo's one-to-one meetings (issue 17): the 7th Rencontres, whose
// delegations are registered, with its slots between the workshops and
// the afternoon's plenary, requests in every state and a provisional
// schedule, so that each page has something to show.

// demoMeeting is a request between two registered authorities; answer is
// "", "accept" or "decline".
type demoMeeting struct {
	from, to, message, answer string
}

var demoMeetings = []demoMeeting{
	{"fr-13001", "jp-431001", "Tourisme et gastronomie\u00A0: poursuivre nos échanges de chefs et d’étudiants.", "accept"},
	{"jp-221007", "fr-37261", "防災と観光の取り組みについて意見交換をお願いします。", "accept"},
	{"fr-54395", "jp-372013", "Échanges scolaires et jeunesse\u00A0: pourrions-nous en parler\u00A0?", "accept"},
	{"fr-13055", "fr-67482", "Coordonner nos partenariats japonais.", "accept"},
	{"jp-401307", "fr-21231", "ワインと日本酒の交流について。", ""},
	{"jp-261009", "fr-13001", "文化遺産の保存について。", "decline"},
	{"jp-430005", "jp-462012", "", ""},
}

// loadMeetings stores the 7th edition's meetings.
func loadMeetings(ctx context.Context, st *store.Store, editions map[string]int64) error {
	edition, ok := editions["rencontres-franco-japonaises/7"]
	if !ok {
		return fmt.Errorf("meetings: no 7th edition")
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return err
	}
	deadline := time.Date(2022, 9, 28, 18, 0, 0, 0, paris)
	set := &rencontres.MeetingSettings{EventID: edition, Cap: 3, Deadline: &deadline, Tables: rencontres.TableNames(4),
		Ranges: []rencontres.SlotRange{{Day: rencontres.Date{Year: 2022, Month: 10, Day: 5}, From: "12:00", To: "14:20", Minutes: 20, Interpreters: 1}}}
	at := time.Date(2022, 9, 12, 10, 0, 0, 0, paris)
	if err := st.SaveMeetingSettings(ctx, set, 0, at); err != nil {
		return fmt.Errorf("meeting settings: %w", err)
	}
	for i, m := range demoMeetings {
		q := &rencontres.MeetingRequest{EventID: edition, From: m.from, To: m.to, Message: m.message}
		sent := at.Add(time.Duration(i+1) * 26 * time.Hour)
		if err := st.RequestMeeting(ctx, q, 0, sent); err != nil {
			return fmt.Errorf("meeting %s → %s: %w", m.from, m.to, err)
		}
		if m.answer == "" {
			continue
		}
		if _, err := st.AnswerMeeting(ctx, edition, q.ID, m.answer == "accept", 0, sent.Add(20*time.Hour)); err != nil {
			return fmt.Errorf("meeting %s → %s: %w", m.from, m.to, err)
		}
	}
	if _, err := st.ScheduleMeetings(ctx, edition, 0, deadline.Add(time.Hour)); err != nil {
		return fmt.Errorf("meetings' schedule: %w", err)
	}
	if err := st.PublishMeetings(ctx, edition, rencontres.MeetingsProvisional, 0, deadline.Add(2*time.Hour)); err != nil {
		return fmt.Errorf("meetings' schedule: %w", err)
	}
	return st.CancelMeetingMail(ctx, edition)
}
