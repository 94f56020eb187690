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
	tok, err := s.Token(ctx, r)
	if err != nil {
		return "", err
	}
	return s.baseURL + "/" + string(r.Lang) + "/invitation/" + tok, nil
}

var errBadLink = &rencontres.Error{Code: rencontres.ENOTFOUND, Key: "error.invitation_unusable",
	Message: "this invitation link is unknown, expired or withdrawn"}

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
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 8+18 {
		return nil, errBadLink
	}
	id := int64(binary.BigEndian.Uint64(b[:8]))
	want, err := s.sign(ctx, id)
	if err != nil {
		return nil, err
	}
	if !hmac.Equal(b[8:], want) {
		return nil, errBadLink
	}
	r, err := s.st.RecipientByID(ctx, id)
	if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
		return nil, errBadLink
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
	if c.Status == rencontres.CampaignCancelled || r.UserID == 0 || !s.Now().Before(inv.Expires) {
		return nil, errBadLink
	}
	return inv, nil
}

// Answer records a recipient's answer through their link: opened (they
// go on to register) or declined.
func (s *Service) Answer(ctx context.Context, inv *Invitation, declined bool) error {
	return s.st.RecipientAnswered(ctx, inv.Recipient.ID, declined, s.Now())
}
