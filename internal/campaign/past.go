package campaign

import (
	"context"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// A campaign invites people to answer before a deadline to an event to
// come. Sent once the deadline or the event is past, its links open
// nothing and its readers cannot answer: sending it is refused unless the
// secretariat confirms, having been told the dates (a thank-you note after
// the event is a reason to).

// Past says why a campaign's letters could no longer be answered, naming
// the dates: the event has ended, or its registration deadline has
// passed; nil when neither.
func (s *Service) Past(ctx context.Context, c *rencontres.Campaign) (*rencontres.Error, error) {
	ec, err := s.eventContext(ctx, c)
	if err != nil {
		return nil, err
	}
	return ec.past(s.Now()), nil
}

// past is the refusal for a campaign's event at now, or nil. The deadline
// is given on the event's clock, the end as the event's last day: the
// dates the letters print.
func (ec *eventContext) past(now time.Time) *rencontres.Error {
	ended := !now.Before(ec.event.EndsAt())
	closed := !ec.deadline.IsZero() && !now.Before(ec.deadline)
	deadline := ec.deadline.In(ec.event.Location())
	switch {
	case ended && closed:
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "sending.past_both", Field: "confirm_past",
			Message: "the event has ended and its registration deadline has passed; confirm to send all the same",
			Args:    map[string]any{"End": ec.event.End, "Deadline": deadline}}
	case ended:
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "sending.past_event", Field: "confirm_past",
			Message: "the event has ended; confirm to send all the same", Args: map[string]any{"End": ec.event.End}}
	case closed:
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "sending.past_deadline", Field: "confirm_past",
			Message: "the registration deadline has passed; confirm to send all the same", Args: map[string]any{"Deadline": deadline}}
	}
	return nil
}
