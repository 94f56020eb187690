package registration

import (
	"context"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// The webhooks of a registration's changes, written in its transaction.

// hookTypes are the webhooks' types of a registration's changes.
var hookTypes = map[string]string{"registered": rencontres.HookRegistrationCreated, "changed": rencontres.HookRegistrationChanged,
	"withdrawn": rencontres.HookRegistrationWithdrawn}

// hookRegistration is what a webhook tells of a registration.
type hookRegistration struct {
	ID           int64                 `json:"id"`
	EventID      int64                 `json:"event_id"`
	Organisation string                `json:"organisation"`
	Status       rencontres.SeatStatus `json:"status"`
	Position     int                   `json:"waitlist_position,omitempty"`
	GivenName    string                `json:"given_name"`
	FamilyName   string                `json:"family_name"`
	Email        string                `json:"email"`
	Lang         rencontres.Lang       `json:"lang"`
	SessionID    int64                 `json:"session_id,omitempty"`
}

// hookOf is what a webhook tells of a registration; session is the
// session whose seat a promotion gave, 0 for the registration itself.
func hookOf(r *rencontres.Registration, session int64) hookRegistration {
	return hookRegistration{ID: r.ID, EventID: r.EventID, Organisation: r.OrgKey, Status: r.Status, Position: r.Position,
		GivenName: r.GivenName, FamilyName: r.FamilyName, Email: r.Email, Lang: r.Lang, SessionID: session}
}

// hooks writes the webhooks of a registration's change and of the
// promotions it caused, in its transaction.
func hooks(ctx context.Context, tx *store.Store, r *rencontres.Registration, what string, promoted []rencontres.Promotion, now time.Time) error {
	events := []store.HookEvent{{Type: hookTypes[what], Data: hookOf(r, 0)}}
	for _, p := range promoted {
		pr, err := tx.Registration(ctx, r.EventID, p.RegistrationID)
		if err != nil {
			return err
		}
		events = append(events, store.HookEvent{Type: rencontres.HookRegistrationPromoted, Data: hookOf(pr, p.SessionID)})
	}
	if err := tx.EnqueueWebhooks(ctx, events, now); err != nil {
		return err
	}
	if what == "registered" {
		return tx.TellRecipientsRegistered(ctx, r.EventID, r.DelegationID, now)
	}
	return nil
}
