package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// An organisation's private page keeps, in one place, what the network
// knows of it: its contacts (added, edited, moved and removed by the
// secretariat, or by its own contacts for a colleague, without emailing
// anyone), its partnerships, the events it took part in and will take
// part in with each registration's status, and the letters it received.

// ManageOrgPage is the data of an organisation's private page.
type ManageOrgPage struct {
	Org      *rencontres.Organisation
	Contacts []*rencontres.Contact
	// Former are the contacts removed, kept with their history.
	Former       []*rencontres.Contact
	Partnerships []*rencontres.Partnership
	// Past and Coming are the events the organisation registered people
	// to, with their registrations, the most recent first and the next
	// first.
	Past, Coming []*OrgParticipation
	Letters      []*rencontres.OrgLetter
	// Campaigns are the letters' campaigns' events, by campaign id.
	Events map[int64]*rencontres.Event
	// Edit is the contact the form edits, nil when it adds one.
	Edit *rencontres.Contact
	// CanEdit: the actor may add, edit and remove contacts; CanMove: may
	// move one to another organisation and see the letters' recipients.
	CanEdit, CanMove bool
	Form             map[string]string
	Errors           map[string]string
	// MoveCandidates are the organisations a typed name for a move
	// matched, to choose from.
	MoveCandidates []*rencontres.Organisation
	MoveID         int64
	Done           string
	// Suggested is the form of address offered when the field is empty.
	Suggested string
	// Cooperation is the authority's cooperation profile, when the actor
	// may edit it (CanCooperate).
	Cooperation  *rencontres.CooperationProfile
	CanCooperate bool
}

// OrgParticipation is an event and the organisation's registrations to it.
type OrgParticipation struct {
	Event         *rencontres.Event
	Registrations []*rencontres.Registration
}

// contactFields are the inputs of the contact form, in its order.
var contactFields = []string{"civility", "name", "name_ja", "kana", "function", "service", "address_form", "postal_address", "email", "phone", "lang", "main_contact"}

func (s *Site) manageOrganisation(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d := &ManageOrgPage{Done: r.URL.Query().Get("done")}
	if id, err := strconv.ParseInt(r.URL.Query().Get("edit"), 10, 64); err == nil {
		c, err := s.contacts.Contact(r.Context(), r.PathValue("key"), id)
		if err != nil {
			return "", err
		}
		d.Edit = c
	}
	return s.orgPage(r, p, d)
}

// orgPage fills and shows the private page of the organisation in the
// path, with the form's values and errors already in d.
func (s *Site) orgPage(r *http.Request, p *Page, d *ManageOrgPage) (string, error) {
	ctx := r.Context()
	key := r.PathValue("key")
	if !p.Actor.Can(rencontres.ReadOrganisation, rencontres.Target{OrgKey: key}) {
		return "", errForbidden
	}
	o, err := s.svc.Organisation(ctx, key)
	if err != nil {
		return "", err
	}
	d.Org = o
	d.CanEdit = p.Actor.Can(rencontres.ManageContacts, rencontres.Target{OrgKey: key})
	d.CanMove = p.Actor.Can(rencontres.ManagePeople, rencontres.Target{OrgKey: key})
	all, err := s.contacts.Contacts(ctx, key, true)
	if err != nil {
		return "", err
	}
	for _, c := range all {
		if c.Removed != nil {
			d.Former = append(d.Former, c)
		} else {
			d.Contacts = append(d.Contacts, c)
		}
	}
	if d.Partnerships, err = s.svc.Partnerships(ctx, key); err != nil {
		return "", err
	}
	if d.CanCooperate = s.cooperation != nil && p.Actor.Can(rencontres.EditCooperation, rencontres.Target{OrgKey: key}) && o.Kind.IsAuthority(); d.CanCooperate {
		if d.Cooperation, err = s.cooperation.CooperationProfile(ctx, key); err != nil {
			return "", err
		}
	}
	keys := []string{key}
	for _, ps := range d.Partnerships {
		keys = append(keys, ps.A, ps.B)
	}
	if err := s.loadOrgs(ctx, p, keys...); err != nil {
		return "", err
	}
	if err := s.participations(r, d); err != nil {
		return "", err
	}
	if d.Letters, err = s.contacts.OrganisationLetters(ctx, key); err != nil {
		return "", err
	}
	for _, l := range d.Letters {
		if d.Events[l.EventID] == nil {
			if d.Events[l.EventID], err = s.events.Event(ctx, l.EventID); err != nil {
				return "", err
			}
		}
	}
	if d.Form == nil {
		d.Form = map[string]string{"lang": string(p.Lang)}
		if d.Edit != nil {
			d.Form = contactForm(d.Edit)
		}
	}
	d.Suggested = rencontres.SuggestAddressForm(d.Form["civility"], d.Form["function"])
	p.Title, p.Nav, p.Data = o.Name.In(p.Lang), "account", d
	return "manage_org", nil
}

// participations groups the organisation's registrations by event, past
// events (the latest first) apart from those to come (the next first).
func (s *Site) participations(r *http.Request, d *ManageOrgPage) error {
	regs, err := s.contacts.OrganisationRegistrations(r.Context(), d.Org.Key)
	if err != nil {
		return err
	}
	d.Events = map[int64]*rencontres.Event{}
	var list []*OrgParticipation
	byEvent := map[int64]*OrgParticipation{}
	for _, reg := range regs {
		op := byEvent[reg.EventID]
		if op == nil {
			e, err := s.events.Event(r.Context(), reg.EventID)
			if err != nil {
				return err
			}
			d.Events[e.ID] = e
			op = &OrgParticipation{Event: e}
			byEvent[reg.EventID] = op
			list = append(list, op)
		}
		op.Registrations = append(op.Registrations, reg)
	}
	today := rencontres.DateOf(s.now())
	for _, op := range list {
		if op.Event.End.Before(today) {
			d.Past = append(d.Past, op)
		} else {
			d.Coming = append(d.Coming, op)
		}
	}
	slices.SortFunc(d.Past, func(a, b *OrgParticipation) int {
		return strings.Compare(b.Event.Start.String(), a.Event.Start.String())
	})
	slices.SortFunc(d.Coming, func(a, b *OrgParticipation) int {
		return strings.Compare(a.Event.Start.String(), b.Event.Start.String())
	})
	return nil
}

// contactForm is the form filled with a contact's details.
func contactForm(c *rencontres.Contact) map[string]string {
	f := map[string]string{"civility": c.Civility, "name": c.Name, "name_ja": c.NameJa, "kana": c.Kana, "function": c.Function,
		"service": c.Service, "address_form": c.AddressForm, "postal_address": c.PostalAddress, "email": c.Email, "phone": c.Phone,
		"lang": string(c.Lang)}
	if c.Main {
		f["main_contact"] = "on"
	}
	return f
}

// orgContact checks that the actor may change the contacts of the
// organisation in the path and returns the contact the path names, if it
// names one. A contact of the organisation may not change the account of
// the secretariat or of a committee member bound to it.
func (s *Site) orgContact(r *http.Request, p *Page) (*rencontres.Contact, error) {
	key := r.PathValue("key")
	if !p.Actor.Can(rencontres.ManageContacts, rencontres.Target{OrgKey: key}) {
		return nil, errForbidden
	}
	if r.PathValue("id") == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("contact")
	}
	c, err := s.contacts.Contact(r.Context(), key, id)
	if err != nil {
		return nil, err
	}
	if c.Role != rencontres.AuthorityContact && c.Role != rencontres.Participant && !p.Actor.Can(rencontres.ManagePeople, rencontres.Target{}) {
		return nil, errForbidden
	}
	return c, nil
}

// saveContact adds a contact (no id in the path) or saves one's details,
// every fault of the form shown at once and nothing saved until there is
// none. No email is sent.
func (s *Site) saveContact(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, err := s.orgContact(r, p)
	if err != nil {
		return "", err
	}
	form := map[string]string{}
	for _, f := range contactFields {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	form["postal_address"] = strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("postal_address"), "\r\n", "\n"))
	u := &rencontres.User{Role: rencontres.AuthorityContact}
	if c != nil {
		u = c.User
	}
	u.Civility, u.Name, u.NameJa, u.Kana, u.Function = form["civility"], form["name"], form["name_ja"], form["kana"], form["function"]
	u.Service, u.AddressForm, u.PostalAddress, u.Email, u.Phone = form["service"], form["address_form"], form["postal_address"], form["email"], form["phone"]
	u.Lang = rencontres.Lang(form["lang"])
	key := r.PathValue("key")
	if err := s.contacts.SaveContact(r.Context(), key, u, form["main_contact"] != ""); err != nil {
		d := &ManageOrgPage{Form: form, Errors: map[string]string{}, Edit: c}
		if err := formError(p, err, d.Errors); err != nil {
			return "", err
		}
		return s.orgPage(r, p, d)
	}
	action := "contact.update"
	if c == nil {
		action = "contact.create"
	}
	s.audit(r, action, "user", u.Email, map[string]any{"organisation": key, "main_contact": form["main_contact"] != ""})
	done := "saved"
	if c == nil {
		done = "added"
	}
	http.Redirect(w, r, p.Href(fmt.Sprintf("/manage/organisations/%s?done=%s#contact-%d", key, done, u.ID)), http.StatusSeeOther)
	return "", nil
}

// removeContact ends a person's membership: their account and history
// stay, listed among the former contacts.
func (s *Site) removeContact(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, err := s.orgContact(r, p)
	if err != nil {
		return "", err
	}
	key := r.PathValue("key")
	if err := s.contacts.RemoveContact(r.Context(), key, c.ID); err != nil {
		return "", err
	}
	s.audit(r, "contact.remove", "user", c.Email, map[string]any{"organisation": key})
	http.Redirect(w, r, p.Href("/manage/organisations/"+key+"?done=removed#former"), http.StatusSeeOther)
	return "", nil
}

// moveContact makes a contact one of another organisation, picked by
// name or key; a name several organisations have offers them.
func (s *Site) moveContact(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, err := s.orgContact(r, p)
	if err != nil {
		return "", err
	}
	key := r.PathValue("key")
	typed := strings.TrimSpace(r.PostFormValue("organisation"))
	to, candidates, err := s.pickOrg(r.Context(), "organisation", typed)
	if err == nil && to == "" {
		err = &rencontres.Error{Code: rencontres.EINVALID, Key: "error.contact_move_to", Field: "organisation", Message: "choose the organisation to move them to"}
	}
	if err == nil {
		err = s.contacts.MoveContact(r.Context(), c.ID, key, to)
	}
	if err != nil {
		d := &ManageOrgPage{Errors: map[string]string{}, MoveCandidates: candidates, MoveID: c.ID,
			Form: map[string]string{"lang": string(p.Lang), "move_to": typed}}
		if err := formError(p, err, d.Errors); err != nil {
			return "", err
		}
		if msg, ok := d.Errors["organisation"]; ok {
			delete(d.Errors, "organisation")
			d.Errors["move_to"] = msg
		}
		return s.orgPage(r, p, d)
	}
	s.audit(r, "contact.move", "user", c.Email, map[string]any{"from": key, "to": to})
	http.Redirect(w, r, p.Href("/manage/organisations/"+to+"?done=moved#contact-"+strconv.FormatInt(c.ID, 10)), http.StatusSeeOther)
	return "", nil
}

// inviteContact emails a contact the invitation to sign in, the one that
// /admin/people sends: only when the secretariat (or a colleague) asks.
func (s *Site) inviteContact(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, err := s.orgContact(r, p)
	if err != nil {
		return "", err
	}
	if c.Disabled || c.Removed != nil {
		return "", &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.invite_disabled", Message: "this account is disabled or erased"}
	}
	why, err := s.invitationOf(r, c.User, 0)
	if err != nil {
		return "", err
	}
	if err := s.sendInvitation(r.Context(), p.Actor.User, c.User, why); err != nil {
		return "", err
	}
	key := r.PathValue("key")
	s.audit(r, "person.invitation_sent", "user", c.Email, map[string]any{"organisation": key})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/manage/organisations/%s?done=invited#contact-%d", key, c.ID)), http.StatusSeeOther)
	return "", nil
}

// DayOn is the day of an instant on an event's clock (UTC without one),
// written in full; nothing for none.
func (p *Page) DayOn(t *time.Time, e *rencontres.Event) string {
	if t == nil {
		return ""
	}
	return p.P.LongDate(p.Day(*t, e))
}
