package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// What tells a batch of registrations, written for the batch in a few
// statements: the emails, the audit entries, the contacts they go to.

// batchRows bounds the rows of one statement: the parameters stay under
// SQLite's and PostgreSQL's limits.
const batchRows = 500

// insertRows writes rows of values (each len(cols) long) into table, in
// statements of at most batchRows rows; suffix follows VALUES.
func (s *Store) insertRows(ctx context.Context, table string, cols []string, rows [][]any, suffix string) error {
	for len(rows) > 0 {
		part := rows[:min(len(rows), batchRows)]
		rows = rows[len(part):]
		var args []any
		marks := make([]string, len(part))
		for i, row := range part {
			args = append(args, row...)
			marks[i] = in(len(args)-len(row), len(row))
		}
		if _, err := s.bulk().ExecContext(ctx, "INSERT INTO "+table+" ("+strings.Join(cols, ", ")+") VALUES "+strings.Join(marks, ", ")+suffix,
			args...); err != nil {
			return err
		}
	}
	return nil
}

// EnqueueMailBatch is EnqueueMail for the emails of a batch, each queued
// at its own Created (set by the caller): one statement for the messages
// that merge with one still queued (the last of a MergeKey in the batch
// wins, as if each had been queued in turn), one for the others. Messages
// with a UniqueKey go through EnqueueMail. Their IDs are not read back.
func (s *Store) EnqueueMailBatch(ctx context.Context, msgs []*rencontres.QueuedMail) error {
	var plain, merged [][]any
	last := map[string]int{}
	for i, m := range msgs {
		if m.MergeKey != "" {
			last[m.MergeKey] = i
		}
	}
	for i, m := range msgs {
		if m.UniqueKey != "" {
			if err := s.EnqueueMail(ctx, m.Created, m); err != nil {
				return err
			}
			continue
		}
		if m.NotBefore.IsZero() {
			m.NotBefore = m.Created
		}
		m.Status = rencontres.MailQueued
		row := []any{m.Kind, m.ToEmail, m.ToName, m.Lang, string(m.Payload), m.Deferred, nullText(m.MergeKey), ts(m.NotBefore),
			nullID(m.CampaignID), nullID(m.RecipientID), ts(m.Created)}
		switch {
		case m.MergeKey == "":
			plain = append(plain, row)
		case last[m.MergeKey] == i:
			merged = append(merged, row)
		}
	}
	cols := []string{"kind", "to_email", "to_name", "lang", "payload", "deferred", "merge_key", "not_before", "campaign_id", "recipient_id", "created_at"}
	if err := s.insertRows(ctx, "mail_outbox", cols, plain, ""); err != nil {
		return err
	}
	return s.insertRows(ctx, "mail_outbox", cols, merged, ` ON CONFLICT (merge_key) WHERE status = 'queued' AND merge_key IS NOT NULL
		DO UPDATE SET payload = excluded.payload, not_before = excluded.not_before, to_name = excluded.to_name, lang = excluded.lang`)
}

// AuditBatch is Audit for several entries, in one statement; their IDs
// are not read back.
func (s *Store) AuditBatch(ctx context.Context, entries []*rencontres.AuditEntry) error {
	rows := make([][]any, len(entries))
	for i, e := range entries {
		if e.At.IsZero() {
			e.At = time.Now()
		}
		detail, err := json.Marshal(e.Detail)
		if err != nil || e.Detail == nil {
			detail = []byte("{}")
		}
		rows[i] = []any{ts(e.At), sql.NullInt64{Int64: e.ActorID, Valid: e.ActorID != 0}, e.ActorEmail, e.Action, e.ObjectType, e.ObjectID, e.IP, string(detail)}
	}
	return s.insertRows(ctx, "audit_log", []string{"at", "actor_id", "actor_email", "action", "object_type", "object_id", "ip", "detail"}, rows, "")
}

// OrgsContacts is OrgContacts for several authorities at once, by key:
// of each contact only what an email to them needs (id, address, name,
// language).
func (s *Store) OrgsContacts(ctx context.Context, orgKeys []string) (map[string][]*rencontres.User, error) {
	out := map[string][]*rencontres.User{}
	if len(orgKeys) == 0 {
		return out, nil
	}
	args := []any{string(rencontres.AuthorityContact)}
	for _, k := range orgKeys {
		args = append(args, k)
	}
	err := s.scanRows(ctx, `SELECT o.key, u.id, u.email, u.name, u.lang FROM users u JOIN user_organisations uo ON uo.user_id = u.id
		JOIN organisations o ON o.id = uo.org_id
		WHERE o.key IN `+in(1, len(orgKeys))+` AND uo.removed_at IS NULL AND u.role = $1 AND NOT u.disabled AND NOT u.erased ORDER BY o.key, u.email`,
		args, func(scan func(...any) error) error {
			var key string
			u := &rencontres.User{}
			if err := scan(&key, &u.ID, &u.Email, &u.Name, &u.Lang); err != nil {
				return err
			}
			out[key] = append(out[key], u)
			return nil
		})
	return out, err
}

// TellRecipientsRegisteredBatch is TellRecipientsRegistered for the
// delegations of a batch, each with the number of registrations the batch
// added to it: those that had none before are told.
func (s *Store) TellRecipientsRegisteredBatch(ctx context.Context, eventID int64, added map[int64]int, now time.Time) error {
	endpoints, err := s.WebhookEndpoints(ctx)
	if err != nil || !slices.ContainsFunc(endpoints, func(e *rencontres.WebhookEndpoint) bool { return e.Hears(rencontres.HookRecipientRegistered) }) {
		return err
	}
	ids := make([]int64, 0, len(added))
	for id := range added {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := s.tellRecipients(ctx, eventID, id, added[id], now); err != nil {
			return fmt.Errorf("delegation %d: %w", id, err)
		}
	}
	return nil
}
