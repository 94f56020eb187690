package campaign

import (
	"context"
	"fmt"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Campaigns to registered people (issue 17): the secretariat writes to the
// people registered for the campaign's event themselves (practical
// information, the final programme, a room change), chosen by session,
// seat status, country or need of interpretation. Each reads the letter in
// their language, with a link to their own page of the event instead of
// an invitation; the outbox and the per-recipient tracking are the same.

// audience resolves a campaign's recipients: registered people of its
// event, or the directory's contacts.
func (s *Service) audience(ctx context.Context, c *rencontres.Campaign) ([]*rencontres.Recipient, []rencontres.Problem, error) {
	if !c.Filter.ForRegistrants() {
		return s.st.CampaignAudience(ctx, c.Filter)
	}
	if err := c.Filter.CheckRegistrants(); err != nil {
		return nil, nil, err
	}
	return s.st.RegistrantAudience(ctx, c.EventID, c.Filter.Registrants)
}

// pageLink is a registered person's link to their own page of the
// campaign's event, in their language; the page asks them to sign in
// (by a link sent to the same address) when they are not.
func (s *Service) pageLink(ctx context.Context, r *rencontres.Recipient) (string, error) {
	c, err := s.st.Campaign(ctx, r.CampaignID)
	if err != nil {
		return "", err
	}
	return s.meLink(r.Lang, c.EventID), nil
}

// meLink is the address of a person's own page of an event.
func (s *Service) meLink(l rencontres.Lang, eventID int64) string {
	return fmt.Sprintf("%s/%s/me/events/%d", s.baseURL, l, eventID)
}
