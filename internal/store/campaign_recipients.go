package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// A sent campaign's recipients, read a page at a time by keyset
// (internal/cursor), with the state filter in SQL and the counts by state
// by a GROUP BY: a mailing of thousands is never read whole for a page.
// Their order is their authority's country and key, then their address;
// its keyset is (country, key, email, id), an empty country and key for a
// recipient of no authority, which come first on both databases.

// recipientKeyCols are the recipients' keyset, and recipientOrder the
// same as a row value.
var (
	recipientKeyCols = []string{"COALESCE(o.country, '')", "COALESCE(o.key, '')", "cr.email", "cr.id"}
	recipientOrder   = strings.Join(recipientKeyCols, ", ")
)

// recipientState is a recipient's state, as campaignRecipients decides it
// in Go: the answer they gave (a refusal, or a registration of their
// authority for the event), else where their letter stands in the outbox.
var recipientState = fmt.Sprintf(`CASE WHEN cr.declined_at IS NOT NULL THEN '%s'
	WHEN cr.registration_id IS NULL AND EXISTS (SELECT 1 FROM delegations d JOIN registrations r ON r.delegation_id = d.id
		WHERE d.event_id = c.event_id AND d.org_id = cr.org_id AND r.status <> 'withdrawn') THEN '%s'
	WHEN m.status = '%s' THEN '%s' WHEN m.status = '%s' THEN '%s' WHEN m.status = '%s' THEN '%s' ELSE '%s' END`,
	rencontres.RecipientDeclined, rencontres.RecipientRegistered, rencontres.MailSent, rencontres.RecipientSent,
	rencontres.MailFailed, rencontres.RecipientFailed, rencontres.MailCancelled, rencontres.RecipientCancelled, rencontres.RecipientQueued)

// recipientFrom joins a recipient to its campaign, account, authority and
// letter, the letter's kind bound as argument $n.
func recipientFrom(n int) string {
	return fmt.Sprintf(` FROM campaign_recipients cr JOIN campaigns c ON c.id = cr.campaign_id
		LEFT JOIN users u ON u.id = cr.user_id LEFT JOIN organisations o ON o.id = cr.org_id
		LEFT JOIN mail_outbox m ON m.campaign_id = cr.campaign_id AND m.recipient_id = cr.id AND m.kind = $%d`, n)
}

// recipientWhere selects a campaign's recipients in a state ("" for every
// one), its arguments from $1.
func recipientWhere(campaignID int64, state rencontres.RecipientState) (string, []any) {
	if state == "" {
		return "cr.campaign_id = $1", []any{campaignID}
	}
	return "cr.campaign_id = $1 AND " + recipientState + " = $2", []any{campaignID, string(state)}
}

// CampaignRecipients lists a campaign's recipients with their state: the
// answer they gave (a registration of their authority for the event, or a
// refusal), else where their letter stands in the outbox.
func (s *Store) CampaignRecipients(ctx context.Context, id int64) ([]*rencontres.Recipient, error) {
	return s.campaignRecipients(ctx, "cr.campaign_id = $1", id)
}

// CampaignRecipient returns one recipient of a campaign.
func (s *Store) CampaignRecipient(ctx context.Context, campaignID, id int64) (*rencontres.Recipient, error) {
	list, err := s.campaignRecipients(ctx, "cr.campaign_id = $1 AND cr.id = $2", campaignID, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, rencontres.NotFound("recipient")
	}
	return list[0], nil
}

// CampaignRecipientPage reads one page of a campaign's recipients in a
// state ("" for every one), in their order; the head counts them all.
func (s *Store) CampaignRecipientPage(ctx context.Context, campaignID int64, state rencontres.RecipientState, req cursor.Request) ([]*rencontres.Recipient, cursor.Head, error) {
	var k recipientKey
	has, err := req.Key(&k.country, &k.org, &k.email, &k.id)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	rows, err := s.recipientRows(ctx, campaignID, state, has, k, req.Cmp(false), req.Order(false), req.Limit+1)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	page, head := cursor.Cut(req, rows, func(r *rencontres.Recipient) []any { return recipientKeyOf(r).values() })
	where, args := recipientWhere(campaignID, state)
	args = append(args, CampaignLetterKind)
	err = s.reader().QueryRowContext(ctx, "SELECT COUNT(*)"+recipientFrom(len(args))+" WHERE "+where, args...).Scan(&head.Total)
	return page, head, err
}

// CampaignRecipientCounts counts a campaign's recipients in a state (""
// for every one) by their state, every state named.
func (s *Store) CampaignRecipientCounts(ctx context.Context, campaignID int64, state rencontres.RecipientState) (rencontres.CampaignCounts, error) {
	where, args := recipientWhere(campaignID, state)
	args = append(args, CampaignLetterKind)
	rows, err := s.reader().QueryContext(ctx, "SELECT "+recipientState+", COUNT(*)"+recipientFrom(len(args))+" WHERE "+where+" GROUP BY 1", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	c := CampaignCounts(nil)
	for rows.Next() {
		var st rencontres.RecipientState
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		c[st] = n
	}
	return c, rows.Err()
}

// EachCampaignRecipient calls fn with a campaign's recipients in a state
// ("" for every one), in their order, a chunk of at most 500 at a time.
// fn must not keep the slice.
func (s *Store) EachCampaignRecipient(ctx context.Context, campaignID int64, state rencontres.RecipientState, fn func([]*rencontres.Recipient) error) error {
	var k recipientKey
	for first := true; ; first = false {
		rows, err := s.recipientRows(ctx, campaignID, state, !first, k, ">", "ASC", exportChunk)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		if err := fn(rows); err != nil {
			return err
		}
		if len(rows) < exportChunk {
			return nil
		}
		k = recipientKeyOf(rows[len(rows)-1])
	}
}

// recipientKey is a recipient's place in the list, as a cursor holds it.
type recipientKey struct {
	country, org, email string
	id                  int64
}

func (k recipientKey) values() []any { return []any{k.country, k.org, k.email, k.id} }

func recipientKeyOf(r *rencontres.Recipient) recipientKey {
	return recipientKey{string(r.Country), r.OrgKey, r.Email, r.ID}
}

// recipientRows reads at most limit recipients of a campaign in a state,
// beyond key k when has, comparing with cmp and ordering in dir.
func (s *Store) recipientRows(ctx context.Context, campaignID int64, state rencontres.RecipientState, has bool, k recipientKey, cmp, dir string, limit int) ([]*rencontres.Recipient, error) {
	where, args := recipientWhere(campaignID, state)
	if has {
		n := len(args)
		args = append(args, k.values()...)
		where += fmt.Sprintf(" AND (%s) %s ($%d, $%d, $%d, $%d)", recipientOrder, cmp, n+1, n+2, n+3, n+4)
	}
	order := strings.Join(recipientKeyCols, " "+dir+", ") + " " + dir
	return s.readRecipients(ctx, where, fmt.Sprintf("%s LIMIT %d", order, limit), args...)
}

func (s *Store) campaignRecipients(ctx context.Context, where string, args ...any) ([]*rencontres.Recipient, error) {
	return s.readRecipients(ctx, where, recipientOrder, args...)
}

// readRecipients reads the recipients of condition where in order tail
// (an ORDER BY's terms and perhaps a LIMIT).
func (s *Store) readRecipients(ctx context.Context, where, tail string, args ...any) ([]*rencontres.Recipient, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT cr.id, cr.campaign_id, COALESCE(cr.user_id, 0), cr.email, COALESCE(u.civility, ''), COALESCE(u.name, ''),
			COALESCE(u.name_ja, ''), COALESCE(u.function, ''), COALESCE(u.address_form, ''), cr.lang, COALESCE(o.key, ''), COALESCE(o.name, '{}'), COALESCE(o.country, ''),
			cr.opened_at, cr.declined_at, COALESCE(m.status, ''), COALESCE(m.last_error, ''), COALESCE(m.attempts, 0), m.sent_at,
			(SELECT COUNT(*) FROM mail_outbox x WHERE x.campaign_id = cr.campaign_id AND x.recipient_id = cr.id AND x.kind = $`+fmt.Sprint(len(args)+1)+`),
			cr.registration_id IS NULL AND EXISTS (SELECT 1 FROM delegations d JOIN registrations r ON r.delegation_id = d.id
				WHERE d.event_id = c.event_id AND d.org_id = cr.org_id AND r.status <> 'withdrawn'), COALESCE(cr.registration_id, 0)`+
		recipientFrom(len(args)+2)+` WHERE `+where+` ORDER BY `+tail, append(args, CampaignReminderKind, CampaignLetterKind)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*rencontres.Recipient
	for rows.Next() {
		var r rencontres.Recipient
		var opened, declined, sent sql.NullString
		var status rencontres.MailStatus
		var registered bool
		if err := rows.Scan(&r.ID, &r.CampaignID, &r.UserID, &r.Email, &r.Civility, &r.Name, &r.NameJa, &r.Function, &r.AddressForm, &r.Lang, &r.OrgKey, &r.OrgName, &r.Country,
			&opened, &declined, &status, &r.Answer, &r.Attempts, &sent, &r.Reminders, &registered, &r.RegistrationID); err != nil {
			return nil, err
		}
		r.Opened, r.Declined, r.Sent = parseNullTS(opened), parseNullTS(declined), parseNullTS(sent)
		switch {
		case r.Declined != nil:
			r.State = rencontres.RecipientDeclined
		case registered:
			r.State = rencontres.RecipientRegistered
		case status == rencontres.MailSent:
			r.State = rencontres.RecipientSent
		case status == rencontres.MailFailed:
			r.State = rencontres.RecipientFailed
		case status == rencontres.MailCancelled:
			r.State = rencontres.RecipientCancelled
		default:
			r.State = rencontres.RecipientQueued
		}
		if r.State != rencontres.RecipientFailed && status != rencontres.MailQueued {
			r.Answer = ""
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// CampaignRecipientsLatest is the latest sending, opening or refusal
// among a campaign's recipients in a state ("" for every one), zero when
// none: an export's date, which a workbook gives before its rows.
func (s *Store) CampaignRecipientsLatest(ctx context.Context, campaignID int64, state rencontres.RecipientState) (time.Time, error) {
	where, args := recipientWhere(campaignID, state)
	args = append(args, CampaignLetterKind)
	from := recipientFrom(len(args)) + " WHERE " + where
	var latest sql.NullString
	err := s.reader().QueryRowContext(ctx, "SELECT MAX(t) FROM (SELECT m.sent_at AS t"+from+" UNION ALL SELECT cr.opened_at"+from+
		" UNION ALL SELECT cr.declined_at"+from+") dates", args...).Scan(&latest)
	if err != nil || !latest.Valid {
		return time.Time{}, err
	}
	return parseTS(latest.String)
}
