package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Inviting a person: the account is created with the least powerful role
// unless another is chosen, and the invitation is emailed only when the
// secretariat asks for it, at once or later from the list.

// invitableRoles are the roles the invitation form offers, from the least
// powerful to the most, the first being the default: one slip must not
// make a mayor an administrator.
var invitableRoles = []rencontres.Role{rencontres.Participant, rencontres.AuthorityContact, rencontres.CommitteeMember, rencontres.Secretariat}

// invitation is what an invitation email says about why the person is
// invited: the authority they speak for and the committee they sit on, in
// their language.
type invitation struct {
	Org       string
	Committee string
}

// sendInvitation emails a person the invitation to their new account:
// who invites them, with which role and for which authority or
// committee, and a sign-in link that lasts long enough to be used.
func (s *Site) sendInvitation(ctx context.Context, inviter, u *rencontres.User, why invitation) error {
	tok, hash := auth.NewLinkToken()
	now := s.now()
	if err := s.accounts.CreateMagicLink(ctx, hash, u.ID, u.Email, now, now.Add(auth.InvitationLifetime)); err != nil {
		return err
	}
	pr := s.cat.Printer(u.Lang)
	name := u.Name
	if u.Lang == rencontres.Japanese && u.NameJa != "" {
		name = u.NameJa
	}
	who := inviter.Name
	if u.Lang == rencontres.Japanese && inviter.NameJa != "" {
		who = inviter.NameJa
	}
	if who == "" {
		who = inviter.Email
	}
	var b strings.Builder
	b.WriteString(pr.T("mail.link_greeting", "Name", name) + "\n\n")
	by := pr.T("mail.invite_by", "Inviter", who)
	if len(inviter.OrgKeys) > 0 {
		if o, err := s.svc.Organisation(ctx, inviter.OrgKeys[0]); err == nil {
			by = pr.T("mail.invite_by_org", "Inviter", who, "Org", o.Name.In(u.Lang))
		}
	}
	b.WriteString(by + "\n\n")
	b.WriteString(pr.T("mail.invite_role", "Role", pr.T("user_role."+string(u.Role)), "Help", pr.T("people.role_help_"+string(u.Role))) + "\n")
	if why.Org != "" {
		b.WriteString(pr.T("mail.invite_for_org", "Org", why.Org) + "\n")
	}
	if why.Committee != "" {
		b.WriteString(pr.T("mail.invite_for_committee", "Committee", why.Committee) + "\n")
	}
	days := int(auth.InvitationLifetime.Hours() / 24)
	b.WriteString("\n" + pr.T("mail.invite_link", "Days", days) + "\n\n")
	b.WriteString(s.baseURL + "/" + string(u.Lang) + "/login/link/" + tok + "\n\n")
	b.WriteString(pr.T("mail.invite_later", "Login", s.baseURL+"/"+string(u.Lang)+"/login") + "\n")
	b.WriteString(pr.T("mail.invite_reply", "Inviter", who, "Email", inviter.Email) + "\n")
	return s.mail.Send(ctx, &mail.Message{
		To:      []mail.Address{{Name: u.Name, Email: u.Email}},
		Subject: pr.T("mail.invite_subject", "Inviter", who),
		Text:    b.String(),
		// An answer reaches the person who invited, not a no-reply box.
		ReplyTo: &mail.Address{Name: inviter.Name, Email: inviter.Email},
		Headers: map[string]string{"X-Rencontres-Kind": "invitation"},
	})
}

// invitationOf says why a person was invited, in their language: the name
// of the authority they speak for, the committee they sit on.
func (s *Site) invitationOf(r *http.Request, u *rencontres.User, committeeID int64) (invitation, error) {
	var why invitation
	if len(u.OrgKeys) > 0 {
		o, err := s.svc.Organisation(r.Context(), u.OrgKeys[0])
		if err != nil {
			return why, err
		}
		why.Org = o.Name.In(u.Lang)
	}
	if committeeID != 0 {
		c, err := s.accounts.Committee(r.Context(), committeeID)
		if err != nil {
			return why, err
		}
		series, err := s.seriesBySlug(r)
		if err != nil {
			return why, err
		}
		why.Committee = c.Committee.Name.In(u.Lang)
		if se := series[c.SeriesSlug]; se != nil {
			why.Committee = s.cat.Printer(u.Lang).EditionTitleText(c.Number, se.Short) + " — " + why.Committee
		}
	}
	return why, nil
}

// resendInvitation emails the invitation of an account created without
// one, or whose link has expired.
func (s *Site) resendInvitation(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	u, err := s.personFromPath(r)
	if err != nil {
		return "", err
	}
	if u.Disabled || u.Erased {
		return "", &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.invite_disabled", Message: "this account is disabled or erased"}
	}
	why, err := s.invitationOf(r, u, 0)
	if err != nil {
		return "", err
	}
	if err := s.sendInvitation(r.Context(), p.Actor.User, u, why); err != nil {
		return "", err
	}
	s.audit(r, "person.invitation_sent", "user", u.Email, nil)
	http.Redirect(w, r, p.Href(fmt.Sprintf("/admin/people?done=invited#person-%s", strconv.FormatInt(u.ID, 10))), http.StatusSeeOther)
	return "", nil
}
