package api

import (
	"net/http"
	"strconv"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// An organisation's contacts: read by the secretariat and by the
// organisation's own contacts, kept by the same (a contact adds a
// colleague), moved to another organisation by the secretariat only.
// Nothing here sends an email.
func (a *API) registerContacts(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("GET", "/api/v1/organisations/{key}/contacts", rencontres.ReadOrganisation, a.listContacts)
	route("POST", "/api/v1/organisations/{key}/contacts", rencontres.ManageContacts, a.createContact)
	route("PATCH", "/api/v1/organisations/{key}/contacts/{id}", rencontres.ManageContacts, a.patchContact)
	route("DELETE", "/api/v1/organisations/{key}/contacts/{id}", rencontres.ManageContacts, a.deleteContact)
}

// ContactBody is what a client writes of a contact.
type ContactBody struct {
	Email         string          `json:"email"`
	Civility      string          `json:"civility"`
	Name          string          `json:"name"`
	NameJa        string          `json:"name_ja"`
	Kana          string          `json:"kana"`
	Function      string          `json:"function"`
	Service       string          `json:"service"`
	AddressForm   string          `json:"address_form"`
	PostalAddress string          `json:"postal_address"`
	Phone         string          `json:"phone"`
	Lang          rencontres.Lang `json:"lang"`
	Main          bool            `json:"main_contact"`
	// MoveTo, in a PATCH, makes the contact one of another organisation
	// (the secretariat only).
	MoveTo string `json:"move_to,omitempty"`
}

func (b *ContactBody) apply(u *rencontres.User) {
	u.Email, u.Civility, u.Name, u.NameJa, u.Kana, u.Function = b.Email, b.Civility, b.Name, b.NameJa, b.Kana, b.Function
	u.Service, u.AddressForm, u.PostalAddress, u.Phone, u.Lang = b.Service, b.AddressForm, b.PostalAddress, b.Phone, b.Lang
}

// orgAllowed checks the actor's right p on the organisation in the path,
// and that it exists.
func (a *API) orgAllowed(r *http.Request, p rencontres.Permission) (string, error) {
	key := r.PathValue("key")
	if !auth.ActorFrom(r.Context()).Can(p, rencontres.Target{OrgKey: key}) {
		return "", errForbidden
	}
	if _, err := a.svc.Organisation(r.Context(), key); err != nil {
		return "", err
	}
	return key, nil
}

// listContacts lists an organisation's contacts, main contact first;
// ?removed=true adds the former ones.
func (a *API) listContacts(w http.ResponseWriter, r *http.Request) (any, error) {
	key, err := a.orgAllowed(r, rencontres.ReadOrganisation)
	if err != nil {
		return nil, err
	}
	removed, _ := strconv.ParseBool(r.URL.Query().Get("removed"))
	list, err := a.contacts.Contacts(r.Context(), key, removed)
	if err != nil {
		return nil, err
	}
	return map[string]any{"contacts": list}, nil
}

func (a *API) createContact(w http.ResponseWriter, r *http.Request) (any, error) {
	key, err := a.orgAllowed(r, rencontres.ManageContacts)
	if err != nil {
		return nil, err
	}
	b := ContactBody{Lang: rencontres.French}
	if err := decode(r, &b); err != nil {
		return nil, err
	}
	if b.MoveTo != "" {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.param_unknown", Field: "move_to", Message: "move_to is for PATCH"}
	}
	u := &rencontres.User{Role: rencontres.AuthorityContact}
	b.apply(u)
	if err := a.contacts.SaveContact(r.Context(), key, u, b.Main); err != nil {
		return nil, err
	}
	a.auditUser(r, "contact.create", u.ID, map[string]any{"organisation": key, "main_contact": b.Main})
	c, err := a.contacts.Contact(r.Context(), key, u.ID)
	if err != nil {
		return nil, err
	}
	return created(c), nil
}

// contactOf returns the contact the path names, refusing to let an
// organisation's contact change the account of the secretariat or a
// committee member.
func (a *API) contactOf(r *http.Request, key string) (*rencontres.Contact, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("contact")
	}
	c, err := a.contacts.Contact(r.Context(), key, id)
	if err != nil {
		return nil, err
	}
	actor := auth.ActorFrom(r.Context())
	if c.Role != rencontres.AuthorityContact && c.Role != rencontres.Participant && !actor.Can(rencontres.ManagePeople, rencontres.Target{}) {
		return nil, errForbidden
	}
	return c, nil
}

// patchContact changes the fields the body gives, the others as they
// were; move_to moves the contact to another organisation.
func (a *API) patchContact(w http.ResponseWriter, r *http.Request) (any, error) {
	key, err := a.orgAllowed(r, rencontres.ManageContacts)
	if err != nil {
		return nil, err
	}
	c, err := a.contactOf(r, key)
	if err != nil {
		return nil, err
	}
	b := ContactBody{Email: c.Email, Civility: c.Civility, Name: c.Name, NameJa: c.NameJa, Kana: c.Kana, Function: c.Function,
		Service: c.Service, AddressForm: c.AddressForm, PostalAddress: c.PostalAddress, Phone: c.Phone, Lang: c.Lang, Main: c.Main}
	if err := decode(r, &b); err != nil {
		return nil, err
	}
	if b.MoveTo != "" && !auth.ActorFrom(r.Context()).Can(rencontres.ManagePeople, rencontres.Target{}) {
		return nil, errForbidden
	}
	if b.MoveTo == key {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.contact_move_same", Field: "move_to", Message: "choose another organisation"}
	}
	if b.MoveTo != "" {
		if _, err := a.svc.Organisation(r.Context(), b.MoveTo); err != nil {
			return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_organisation", Field: "move_to",
				Message: "unknown organisation", Args: map[string]any{"Key": b.MoveTo}}
		}
	}
	u := c.User
	b.apply(u)
	if err := a.contacts.SaveContact(r.Context(), key, u, b.Main && b.MoveTo == ""); err != nil {
		return nil, err
	}
	a.auditUser(r, "contact.update", u.ID, map[string]any{"organisation": key, "main_contact": b.Main})
	if b.MoveTo != "" {
		if err := a.contacts.MoveContact(r.Context(), u.ID, key, b.MoveTo); err != nil {
			return nil, err
		}
		a.auditUser(r, "contact.move", u.ID, map[string]any{"from": key, "to": b.MoveTo})
		key = b.MoveTo
	}
	return a.contacts.Contact(r.Context(), key, u.ID)
}

// deleteContact removes a contact from the organisation: the account and
// its history stay, among the former contacts.
func (a *API) deleteContact(w http.ResponseWriter, r *http.Request) (any, error) {
	key, err := a.orgAllowed(r, rencontres.ManageContacts)
	if err != nil {
		return nil, err
	}
	c, err := a.contactOf(r, key)
	if err != nil {
		return nil, err
	}
	if err := a.contacts.RemoveContact(r.Context(), key, c.ID); err != nil {
		return nil, err
	}
	a.auditUser(r, "contact.remove", c.ID, map[string]any{"organisation": key})
	return noContent, nil
}

// auditUser records an action on a person's account, by the account's
// number, which the person's data export finds.
func (a *API) auditUser(r *http.Request, action string, userID int64, detail map[string]any) {
	if a.auditor == nil {
		return
	}
	e := &rencontres.AuditEntry{Action: action, ObjectType: "user", ObjectID: "user:" + strconv.FormatInt(userID, 10), IP: auth.ClientIP(r), Detail: detail}
	if u := auth.ActorFrom(r.Context()).User; u != nil {
		e.ActorID, e.ActorEmail = u.ID, u.Email
	}
	if err := a.auditor.Audit(r.Context(), e); err != nil {
		a.log.Error("audit", "action", action, "err", err)
	}
}
