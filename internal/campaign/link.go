package campaign

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// linkSecret names the key that signs personal links in the settings.
const linkSecret = "campaign-link-key"

// A personal link is /{lang}/invitation/{token}: the recipient's number and
// a signature of it by a key the instances share, so that nothing secret is
// stored per recipient and a reminder carries the same link as the letter.
// It works until the registration deadline (or thirty days after sending
// when the event takes no registrations), and never once the campaign is
// cancelled.

func (s *Service) sign(ctx context.Context, id int64) ([]byte, error) {
	key, err := s.st.Secret(ctx, linkSecret)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "invitation:%d", id)
	return mac.Sum(nil)[:18], nil
}

// Token is a recipient's personal token.
func (s *Service) Token(ctx context.Context, r *rencontres.Recipient) (string, error) {
	sig, err := s.sign(ctx, r.ID)
	if err != nil {
		return "", err
	}
	b := binary.BigEndian.AppendUint64(nil, uint64(r.ID))
	return base64.RawURLEncoding.EncodeToString(append(b, sig...)), nil
}

// Link is a recipient's personal link, in their language.
func (s *Service) Link(ctx context.Context, r *rencontres.Recipient) (string, error) {
	if r.RegistrationID != 0 {
		return s.pageLink(ctx, r)
	}
	tok, err := s.Token(ctx, r)
	if err != nil {
		return "", err
	}
	return s.baseURL + "/" + string(r.Lang) + "/invitation/" + tok, nil
}

// Why a personal link opens nothing.
const (
	LinkUnknown   = "unknown"   // forged, altered, or its recipient erased
	LinkExpired   = "expired"   // the registration deadline has passed
	LinkCancelled = "cancelled" // the campaign was cancelled
)

// LinkError is a personal link that opens nothing, and why. For an
// expired or cancelled link it names the event and the address of the
// secretariat to write to, so that the page can say what to do.
type LinkError struct {
	Reason string
	Event  *rencontres.Event
	// Expired is when the link stopped working.
	Expired time.Time
	// Secretariat is the event's Reply-To or registration contact, else
	// the instance's sender address.
	Secretariat string
}

func (e *LinkError) Error() string { return "invitation link " + e.Reason }

// Unwrap gives the link's refusal as a domain error: not found for an
// unknown link, gone for the others.
func (e *LinkError) Unwrap() error {
	if e.Reason == LinkUnknown {
		return errBadLink
	}
	return &rencontres.Error{Code: rencontres.ENOTFOUND, Key: "error.invitation_unusable", Message: "this invitation link is expired or withdrawn"}
}

var errBadLink = &rencontres.Error{Code: rencontres.ENOTFOUND, Key: "error.invitation_unusable",
	Message: "this invitation link is unknown, expired or withdrawn"}

var errUnknownLink = &LinkError{Reason: LinkUnknown}

// Invitation is what a personal link opens.
type Invitation struct {
	Campaign  *rencontres.Campaign
	Recipient *rencontres.Recipient
	Event     *rencontres.Event
	// Expires is when the link stops working.
	Expires time.Time
}

// Open checks a personal link and returns what it opens.
func (s *Service) Open(ctx context.Context, token string) (*Invitation, error) {
	// Strict: the last character's unused bits must be zero, so that one
	// token has one spelling and an altered last character never opens it.
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(b) != 8+18 {
		return nil, errUnknownLink
	}
	id := int64(binary.BigEndian.Uint64(b[:8]))
	want, err := s.sign(ctx, id)
	if err != nil {
		return nil, err
	}
	if !hmac.Equal(b[8:], want) {
		return nil, errUnknownLink
	}
	r, err := s.st.RecipientByID(ctx, id)
	if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
		return nil, errUnknownLink
	}
	if err != nil {
		return nil, err
	}
	c, err := s.st.Campaign(ctx, r.CampaignID)
	if err != nil {
		return nil, err
	}
	e, err := s.st.Event(ctx, c.EventID)
	if err != nil {
		return nil, err
	}
	inv := &Invitation{Campaign: c, Recipient: r, Event: e}
	if f, err := s.st.RegistrationForm(ctx, e.ID); err == nil {
		inv.Expires = f.Deadline
	} else if c.Launched != nil {
		inv.Expires = c.Launched.Add(30 * 24 * time.Hour)
	}
	switch {
	case r.UserID == 0:
		return nil, errUnknownLink
	case c.Status == rencontres.CampaignCancelled:
		return nil, s.gone(ctx, LinkCancelled, inv)
	case !s.Now().Before(inv.Expires):
		return nil, s.gone(ctx, LinkExpired, inv)
	}
	return inv, nil
}

// Answer records a recipient's answer through their link: opened (they
// go on to register) or declined.
func (s *Service) Answer(ctx context.Context, inv *Invitation, declined bool) error {
	return s.st.RecipientAnswered(ctx, inv.Recipient.ID, declined, s.Now())
}

// gone is the refusal of a link that worked once, with whom to write to.
func (s *Service) gone(ctx context.Context, reason string, inv *Invitation) error {
	e := &LinkError{Reason: reason, Event: inv.Event, Expired: inv.Expires.In(inv.Event.Location()), Secretariat: s.From.Email}
	if set, _, err := senderSettings(ctx, s.st, inv.Event.ID); err == nil {
		if a := set.Secretariat(); a != "" {
			e.Secretariat = a
		}
	}
	return e
}
