package campaign

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// Remind queues the reminders that are due: N days before the registration
// deadline of a running campaign's event, to each recipient whose letter
// left at least a day before and who has not answered. When several of a
// campaign's reminder days have come (a campaign sent late), only the
// nearest to the deadline is sent. Each reminder is queued once per
// recipient and day, whichever instance runs this and however often.
func (s *Service) Remind(ctx context.Context) (int, error) {
	now := s.Now()
	due, err := s.st.RemindersDue(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for id, list := range due {
		c, err := s.st.Campaign(ctx, id)
		if err != nil {
			return n, err
		}
		f, err := s.st.RegistrationForm(ctx, c.EventID)
		if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
			continue // no deadline, no reminder
		}
		if err != nil {
			return n, err
		}
		if !now.Before(f.Deadline) {
			continue
		}
		days := slices.Clone(c.ReminderDays)
		slices.Sort(days)
		day := 0
		for _, d := range days {
			if !now.Before(f.Deadline.Add(-time.Duration(d) * 24 * time.Hour)) {
				day = d
				break
			}
		}
		if day == 0 {
			continue
		}
		var msgs []*rencontres.QueuedMail
		for _, r := range list {
			if r.Sent == nil || now.Sub(*r.Sent) < 24*time.Hour {
				continue
			}
			payload, _ := json.Marshal(letterPayload{Recipient: r.ID, Days: day})
			msgs = append(msgs, &rencontres.QueuedMail{Kind: store.CampaignReminderKind, ToEmail: r.Email, ToName: r.Name, Lang: r.Lang,
				Payload: payload, Deferred: true, UniqueKey: fmt.Sprintf("campaign:%d:recipient:%d:reminder:%d", c.ID, r.ID, day),
				CampaignID: c.ID, RecipientID: r.ID})
		}
		if len(msgs) == 0 {
			continue
		}
		if err := s.st.EnqueueMail(ctx, now, msgs...); err != nil {
			return n, err
		}
		for _, m := range msgs {
			if m.ID != 0 {
				n++
			}
		}
	}
	if n > 0 {
		s.outbox.Wake()
	}
	return n, nil
}

// RemindEvery is how often Run looks for reminders that are due.
const RemindEvery = time.Minute

// Run queues reminders as they come due, until ctx ends.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(RemindEvery)
	defer t.Stop()
	for {
		if n, err := s.Remind(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("campaign reminders", "err", err)
		} else if n > 0 {
			s.log.Info("campaign reminders queued", "messages", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
