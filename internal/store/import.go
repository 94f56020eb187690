package store

import (
	"context"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// ImportDirectory returns every organisation with its names and code, for
// an import to match a contact list against in memory.
func (s *Store) ImportDirectory(ctx context.Context) ([]*rencontres.Organisation, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+orgColumns+orgFrom+" ORDER BY o.key")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*rencontres.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// KnownContacts returns every account that is not erased, by email, with
// the organisations it is or was a contact of: what an import compares a
// contact list with. Two queries, whatever the number of accounts.
func (s *Store) KnownContacts(ctx context.Context) (map[string]*rencontres.KnownContact, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT id, email, civility, name, name_ja, kana, function, lang, role, disabled,
		service, address_form, postal_address, phone FROM users WHERE NOT erased`)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*rencontres.KnownContact{}
	out := map[string]*rencontres.KnownContact{}
	for rows.Next() {
		var k rencontres.KnownContact
		u := &k.User
		if err := rows.Scan(&u.ID, &u.Email, &u.Civility, &u.Name, &u.NameJa, &u.Kana, &u.Function, &u.Lang, &u.Role, &u.Disabled,
			&u.Service, &u.AddressForm, &u.PostalAddress, &u.Phone); err != nil {
			rows.Close()
			return nil, err
		}
		byID[u.ID], out[u.Email] = &k, &k
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.reader().QueryContext(ctx, `SELECT uo.user_id, o.key, uo.main_contact, uo.removed_at IS NOT NULL
		FROM user_organisations uo JOIN organisations o ON o.id = uo.org_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var m rencontres.ImportMembership
		if err := rows.Scan(&id, &m.OrgKey, &m.MainContact, &m.Removed); err != nil {
			return nil, err
		}
		if k := byID[id]; k != nil {
			k.Memberships = append(k.Memberships, m)
			if !m.Removed {
				k.OrgKeys = append(k.OrgKeys, m.OrgKey)
			}
		}
	}
	return out, rows.Err()
}

// ImportContacts writes the contacts of an import in one transaction:
// each account created or updated by its email (its role, password and
// sign-in state untouched), and made a contact of its organisation again
// if it had been removed. Writing the same contacts twice changes nothing
// the second time. The audit log says who imported how many.
func (s *Store) ImportContacts(ctx context.Context, actor *rencontres.Actor, file string, contacts []rencontres.ContactImport) (created, updated int, err error) {
	err = s.InTx(ctx, func(s *Store) error {
		created, updated = 0, 0
		orgIDs := map[string]int64{}
		now := ts(time.Now())
		for i := range contacts {
			c := &contacts[i]
			u := &c.Contact
			if err := u.Validate(); err != nil {
				return err
			}
			org, ok := orgIDs[c.OrgKey]
			if !ok {
				id, err := orgID(ctx, s.writer(), c.OrgKey)
				if err != nil {
					return err
				}
				orgIDs[c.OrgKey], org = id, id
			}
			var inserted bool
			err := s.writer().QueryRowContext(ctx, `INSERT INTO users (email, civility, name, name_ja, kana, function, lang, role, created_at, updated_at,
				service, address_form, postal_address, phone)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13)
				ON CONFLICT (email) DO UPDATE SET civility = excluded.civility, name = excluded.name, name_ja = excluded.name_ja,
					kana = excluded.kana, function = excluded.function, lang = excluded.lang, updated_at = excluded.updated_at,
					service = excluded.service, address_form = excluded.address_form, postal_address = excluded.postal_address,
					phone = excluded.phone
				RETURNING id, created_at = updated_at`,
				u.Email, u.Civility, u.Name, u.NameJa, u.Kana, u.Function, u.Lang, u.Role, now,
				u.Service, u.AddressForm, u.PostalAddress, u.Phone).Scan(&u.ID, &inserted)
			if err != nil {
				return err
			}
			if inserted {
				created++
			} else {
				updated++
			}
			if _, err := s.writer().ExecContext(ctx, `INSERT INTO user_organisations (user_id, org_id, main_contact) VALUES ($1, $2, $3)
				ON CONFLICT (user_id, org_id) DO UPDATE SET main_contact = excluded.main_contact, removed_at = NULL`,
				u.ID, org, c.MainContact); err != nil {
				return err
			}
		}
		e := &rencontres.AuditEntry{Action: "contacts.import", ObjectType: "import", ObjectID: file,
			Detail: map[string]any{"created": created, "updated": updated}}
		if actor != nil {
			e.IP = actor.IP
			if actor.User != nil {
				e.ActorID, e.ActorEmail = actor.User.ID, actor.User.Email
			}
		}
		return s.Audit(ctx, e)
	})
	return created, updated, err
}
