package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The contacts of an organisation, as its secretariat keeps them: the
// accounts bound to it by user_organisations, with the main contact and
// the day a contact was removed. Nothing here sends an email.

// Contacts lists an organisation's contacts: the main contact first, then
// by name; the removed ones after them, most recently removed first, when
// includeRemoved.
func (s *Store) Contacts(ctx context.Context, orgKey string, includeRemoved bool) ([]*rencontres.Contact, error) {
	org, err := orgID(ctx, s.reader(), orgKey)
	if err != nil {
		return nil, err
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT uo.user_id, uo.main_contact, uo.removed_at FROM user_organisations uo
		JOIN users u ON u.id = uo.user_id
		WHERE uo.org_id = $1 AND NOT u.erased AND ($2 OR uo.removed_at IS NULL)
		ORDER BY uo.removed_at IS NOT NULL, uo.main_contact DESC, uo.removed_at DESC, LOWER(u.name), u.name_ja, u.email`, org, includeRemoved)
	if err != nil {
		return nil, err
	}
	type member struct {
		id      int64
		main    bool
		removed sql.NullString
	}
	var ms []member
	for rows.Next() {
		var m member
		if err := rows.Scan(&m.id, &m.main, &m.removed); err != nil {
			rows.Close()
			return nil, err
		}
		ms = append(ms, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]*rencontres.Contact, 0, len(ms))
	for _, m := range ms {
		u, err := s.User(ctx, m.id)
		if err != nil {
			return nil, err
		}
		out = append(out, &rencontres.Contact{User: u, OrgKey: orgKey, Main: m.main, Removed: parseNullTS(m.removed)})
	}
	return out, nil
}

// Contact returns one contact of an organisation, removed or not; a person
// who never was one is not found.
func (s *Store) Contact(ctx context.Context, orgKey string, userID int64) (*rencontres.Contact, error) {
	var main bool
	var removed sql.NullString
	err := s.reader().QueryRowContext(ctx, `SELECT uo.main_contact, uo.removed_at FROM user_organisations uo
		JOIN organisations o ON o.id = uo.org_id JOIN users u ON u.id = uo.user_id
		WHERE o.key = $1 AND uo.user_id = $2 AND NOT u.erased`, orgKey, userID).Scan(&main, &removed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("contact")
	}
	if err != nil {
		return nil, err
	}
	u, err := s.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	return &rencontres.Contact{User: u, OrgKey: orgKey, Main: main, Removed: parseNullTS(removed)}, nil
}

// SaveContact creates a contact (u.ID == 0) or updates one, in one
// transaction: the person's details, their membership of the organisation
// (made present again if they had been removed) and, when main, the
// organisation's main contact, the former one unset. A new person gets the
// role of an authority's contact unless u.Role says otherwise; an address
// another account has is refused, naming that person and their
// organisation. No email is sent.
func (s *Store) SaveContact(ctx context.Context, orgKey string, u *rencontres.User, main bool) error {
	if u.Role == "" {
		u.Role = rencontres.AuthorityContact
	}
	if u.Lang == "" {
		u.Lang = rencontres.French
	}
	errs := []error{u.ValidateContact()}
	if u.Email != "" {
		if other, err := s.UserByEmail(ctx, u.Email); err == nil && other.ID != u.ID {
			errs = append(errs, s.emailTaken(ctx, other))
		}
	}
	if err := rencontres.Join(errs...); err != nil {
		return err
	}
	return s.InTx(ctx, func(s *Store) error {
		org, err := orgID(ctx, s.writer(), orgKey)
		if err != nil {
			return err
		}
		if u.ID == 0 {
			if err := s.CreateUser(ctx, u, ""); err != nil {
				return err
			}
		} else {
			if _, err := s.Contact(ctx, orgKey, u.ID); err != nil {
				return err
			}
			if _, err := s.writer().ExecContext(ctx, `UPDATE users SET email = $2, civility = $3, name = $4, name_ja = $5, kana = $6, function = $7,
				lang = $8, service = $9, address_form = $10, postal_address = $11, phone = $12, updated_at = $13 WHERE id = $1`,
				u.ID, u.Email, u.Civility, u.Name, u.NameJa, u.Kana, u.Function, u.Lang, u.Service, u.AddressForm, u.PostalAddress, u.Phone,
				ts(time.Now())); err != nil {
				return err
			}
		}
		if main {
			if _, err := s.writer().ExecContext(ctx, "UPDATE user_organisations SET main_contact = FALSE WHERE org_id = $1 AND user_id <> $2 AND main_contact",
				org, u.ID); err != nil {
				return err
			}
		}
		_, err = s.writer().ExecContext(ctx, `INSERT INTO user_organisations (user_id, org_id, main_contact) VALUES ($1, $2, $3)
			ON CONFLICT (user_id, org_id) DO UPDATE SET removed_at = NULL, main_contact = $3`, u.ID, org, main)
		if err != nil {
			return err
		}
		fresh, err := s.User(ctx, u.ID)
		if err != nil {
			return err
		}
		*u = *fresh
		return nil
	})
}

// emailTaken is the refusal of an address another person has, naming them
// and the organisation they are a contact of, so that the secretariat
// finds the existing record rather than making a second one.
func (s *Store) emailTaken(ctx context.Context, other *rencontres.User) error {
	name := strings.TrimSpace(other.Name)
	if name == "" {
		name = other.NameJa
	}
	if name == "" {
		name = other.Email
	}
	args := map[string]any{"Value": other.Email, "Name": name}
	key := "error.contact_email_taken"
	if len(other.OrgKeys) > 0 {
		if o, err := s.Organisation(ctx, other.OrgKeys[0]); err == nil {
			args["Org"], key = o.Name, "error.contact_email_taken_org"
		}
	}
	return &rencontres.Error{Code: rencontres.ECONFLICT, Key: key, Field: "email",
		Message: fmt.Sprintf("%s already has the address %s", name, other.Email), Args: args}
}

// MoveContact makes a present contact of from a contact of to, in one
// transaction: they are listed among from's former contacts (their
// registrations stay with from's delegations) and are no longer its main
// contact.
func (s *Store) MoveContact(ctx context.Context, userID int64, from, to string) error {
	if from == to {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.contact_move_same", Field: "organisation", Message: "choose another organisation"}
	}
	return s.InTx(ctx, func(s *Store) error {
		c, err := s.Contact(ctx, from, userID)
		if err != nil {
			return err
		}
		if c.Removed != nil {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.contact_removed", Message: "this person is no longer a contact of the organisation"}
		}
		if err := s.RemoveContact(ctx, from, userID); err != nil {
			return err
		}
		return s.BindOrganisation(ctx, userID, to)
	})
}

// RemoveContact ends a person's membership of an organisation: the
// account stays, with its past registrations and the letters it received;
// they are no longer written to for the organisation nor register its
// delegation.
func (s *Store) RemoveContact(ctx context.Context, orgKey string, userID int64) error {
	org, err := orgID(ctx, s.reader(), orgKey)
	if err != nil {
		return err
	}
	res, err := s.writer().ExecContext(ctx, `UPDATE user_organisations SET removed_at = $3, main_contact = FALSE
		WHERE org_id = $1 AND user_id = $2 AND removed_at IS NULL`, org, userID, ts(time.Now()))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rencontres.NotFound("contact")
	}
	return nil
}

// OrganisationRegistrations lists every registration of an organisation's
// delegations, withdrawn ones included, by event then order of
// registration.
func (s *Store) OrganisationRegistrations(ctx context.Context, orgKey string) ([]*rencontres.Registration, error) {
	return scanRegistrations(s.reader().QueryContext(ctx, "SELECT "+registrationColumns+registrationFrom+` WHERE o.key = $1 ORDER BY r.event_id, r.id`, orgKey))
}

// OrganisationLetters lists the campaign letters addressed to an
// organisation's contacts, present or former, newest campaign first.
func (s *Store) OrganisationLetters(ctx context.Context, orgKey string) ([]*rencontres.OrgLetter, error) {
	recipients, err := s.campaignRecipients(ctx, "cr.org_id = (SELECT id FROM organisations WHERE key = $1)", orgKey)
	if err != nil {
		return nil, err
	}
	campaigns := map[int64]*rencontres.OrgLetter{}
	rows, err := s.reader().QueryContext(ctx, `SELECT DISTINCT c.id, c.name, c.event_id, c.launched_at FROM campaigns c
		JOIN campaign_recipients cr ON cr.campaign_id = c.id JOIN organisations o ON o.id = cr.org_id WHERE o.key = $1`, orgKey)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var l rencontres.OrgLetter
		var launched sql.NullString
		if err := rows.Scan(&l.CampaignID, &l.CampaignName, &l.EventID, &launched); err != nil {
			rows.Close()
			return nil, err
		}
		l.Launched = parseNullTS(launched)
		campaigns[l.CampaignID] = &l
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]*rencontres.OrgLetter, 0, len(recipients))
	for _, r := range recipients {
		c := *campaigns[r.CampaignID]
		c.Recipient = r
		out = append(out, &c)
	}
	// Newest campaign first; a campaign's letters in the order of their
	// recipients.
	slices.SortStableFunc(out, func(a, b *rencontres.OrgLetter) int { return cmp.Compare(b.CampaignID, a.CampaignID) })
	return out, nil
}

// memberships lists the organisations a person is or was a contact of,
// for their personal data.
func (s *Store) memberships(ctx context.Context, userID int64) ([]rencontres.Membership, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT o.key, uo.main_contact, uo.removed_at FROM user_organisations uo
		JOIN organisations o ON o.id = uo.org_id WHERE uo.user_id = $1 ORDER BY o.key`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []rencontres.Membership{}
	for rows.Next() {
		var m rencontres.Membership
		var removed sql.NullString
		if err := rows.Scan(&m.OrgKey, &m.Main, &removed); err != nil {
			return nil, err
		}
		m.Removed = parseNullTS(removed)
		out = append(out, m)
	}
	return out, rows.Err()
}
