package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The emails that tell the contacts of the authorities registered for an
// edition where its declaration stands: its amendment period opens, its
// text is frozen (with the endorsement's deadline), it is adopted, an
// adopted text is corrected. Each is queued in the transaction of the
// step, one per contact (a contact of two registered authorities gets
// one), deferred: rendered when it leaves the outbox, in the contact's
// language, by declaration.Mailer. Their unique keys make each step tell
// each contact once, whatever is done again.

// DeclarationMailKind is the outbox kind of the declaration's notices.
const DeclarationMailKind = "declaration-notice"

// What a declaration's notice tells.
const (
	NoticePeriod    = "period"
	NoticeFrozen    = "frozen"
	NoticeAdopted   = "adopted"
	NoticeCorrected = "corrected"
)

// DeclarationMail is the payload of a declaration's notice: What it tells,
// Opens the opening of the period it announces (period: a period changed
// since is not announced by it), Correction the correction it tells of,
// Orgs the registered authorities the recipient is a contact of.
type DeclarationMail struct {
	Declaration int64      `json:"declaration"`
	What        string     `json:"what"`
	Opens       *time.Time `json:"opens,omitempty"`
	Correction  int64      `json:"correction,omitempty"`
	Orgs        []string   `json:"organisations"`
}

// registeredContact is a contact of authorities registered for an
// edition, with those authorities.
type registeredContact struct {
	id                  int64
	email, name, nameJA string
	lang                rencontres.Lang
	orgs                []string
}

// registeredContacts lists the contacts (not removed, disabled nor erased)
// of the authorities registered for the edition (a delegation with
// someone not withdrawn), each once, in order of account.
func (s *Store) registeredContacts(ctx context.Context, editionID int64) ([]*registeredContact, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT u.id, u.email, u.name, u.name_ja, u.lang, o.key
		FROM users u JOIN user_organisations uo ON uo.user_id = u.id AND uo.removed_at IS NULL
		JOIN organisations o ON o.id = uo.org_id
		WHERE u.role = $2 AND NOT u.disabled AND NOT u.erased
		AND EXISTS (SELECT 1 FROM delegations g WHERE g.event_id = $1 AND g.org_id = o.id
			AND EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = g.id AND r.status <> 'withdrawn'))
		ORDER BY u.id, o.key`, editionID, string(rencontres.AuthorityContact))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*registeredContact
	for rows.Next() {
		var c registeredContact
		var lang, org string
		if err := rows.Scan(&c.id, &c.email, &c.name, &c.nameJA, &lang, &org); err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].id == c.id {
			out[n-1].orgs = append(out[n-1].orgs, org)
			continue
		}
		l, ok := rencontres.ParseLang(lang)
		if !ok {
			l = rencontres.French
		}
		c.lang, c.orgs = l, []string{org}
		out = append(out, &c)
	}
	return out, rows.Err()
}

// enqueueDeclarationMails queues a notice to every contact of the
// authorities registered for the edition, not before notBefore (zero: at
// once); key makes it once per contact (the contact's id is added).
func (s *Store) enqueueDeclarationMails(ctx context.Context, editionID int64, m DeclarationMail, key string, notBefore, now time.Time) error {
	to, err := s.registeredContacts(ctx, editionID)
	if err != nil {
		return err
	}
	for _, c := range to {
		name := c.name
		if c.lang == rencontres.Japanese && c.nameJA != "" {
			name = c.nameJA
		}
		m.Orgs = c.orgs
		payload, err := json.Marshal(m)
		if err != nil {
			return err
		}
		if err := s.EnqueueMail(ctx, now, &rencontres.QueuedMail{Kind: DeclarationMailKind, ToEmail: c.email, ToName: name, Lang: c.lang,
			Payload: payload, Deferred: true, NotBefore: notBefore,
			UniqueKey: fmt.Sprintf("%s:%d", key, c.id)}); err != nil {
			return err
		}
	}
	return nil
}

// declarationNoticeKey is the unique key of a step's notices, before the
// recipient: "declaration-frozen:12", "declaration-period:12:1662015600",
// "declaration-corrected:12:3".
func declarationNoticeKey(what string, declID int64, more ...int64) string {
	k := fmt.Sprintf("declaration-%s:%d", what, declID)
	for _, x := range more {
		k += fmt.Sprintf(":%d", x)
	}
	return k
}
