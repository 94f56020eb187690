package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/rencontres/rencontres/internal/campaign"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// InvitationPage is what a personal invitation link shows before anything
// is done: which event, for which authority, until when; two buttons.
type InvitationPage struct {
	Invitation *campaign.Invitation
	Action     string
	Declined   bool
	// Gone, for a link that opens nothing, says why and whom to write to.
	Gone *campaign.LinkError
}

// linkRefused shows why a personal link opens nothing, in the link's
// language, with the secretariat's address: 410 Gone for a link that
// worked once (expired, or its campaign cancelled), 404 for one that never
// did. Other errors go on as they are.
func (s *Site) linkRefused(p *Page, err error) (string, error) {
	var le *campaign.LinkError
	if !errors.As(err, &le) {
		return "", err
	}
	p.Status = http.StatusGone
	if le.Reason == campaign.LinkUnknown {
		p.Status = http.StatusNotFound
	}
	p.Title, p.Data = p.P.T("sending.link_"+le.Reason+"_title"), &InvitationPage{Gone: le}
	return "invitation", nil
}

// invitation opens a personal link. Like a sign-in link, it asks for a
// click: a mail scanner that opens every link neither signs anyone in nor
// declines for them.
func (s *Site) invitation(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	inv, err := s.camp.Open(r.Context(), r.PathValue("token"))
	if err != nil {
		return s.linkRefused(p, err)
	}
	p.Title, p.Data = p.P.T("invitation.title", "Event", p.EventTitleText(inv.Event)), &InvitationPage{Invitation: inv,
		Action: p.Href("/invitation/" + r.PathValue("token")), Declined: inv.Recipient.Declined != nil}
	return "invitation", nil
}

// answerInvitation signs the recipient in and opens their authority's
// registration form, or records that they decline.
func (s *Site) answerInvitation(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	inv, err := s.camp.Open(r.Context(), r.PathValue("token"))
	if err != nil {
		return s.linkRefused(p, err)
	}
	declined := r.PostFormValue("answer") == "decline"
	if err := s.camp.Answer(r.Context(), inv, declined); err != nil {
		return "", err
	}
	u, err := s.accounts.User(r.Context(), inv.Recipient.UserID)
	if err != nil {
		return "", err
	}
	if u.Disabled || u.Erased {
		return "", &rencontres.Error{Code: rencontres.ENOTFOUND, Key: "error.invitation_unusable", Message: "this invitation link is unusable"}
	}
	if declined {
		s.auditAs(r, u, "invitation.decline", "recipient", fmt.Sprint(inv.Recipient.ID), map[string]any{"campaign": inv.Campaign.ID})
		p.Title, p.Data = p.P.T("invitation.title", "Event", p.EventTitleText(inv.Event)), &InvitationPage{Invitation: inv, Declined: true}
		return "invitation", nil
	}
	if err := s.auth.StartSession(w, r, u); err != nil {
		return "", err
	}
	s.auditAs(r, u, "invitation.accept", "recipient", fmt.Sprint(inv.Recipient.ID), map[string]any{"campaign": inv.Campaign.ID})
	http.Redirect(w, r, fmt.Sprintf("/%s/events/%d/delegation?org=%s", u.Lang, inv.Event.ID, inv.Recipient.OrgKey), http.StatusSeeOther)
	return "", nil
}
