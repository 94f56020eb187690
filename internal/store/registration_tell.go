package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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

// rowSteps are the statements that write rows of values (each len(cols)
// long) into table, at most batchRows rows each; suffix follows VALUES.
func rowSteps(table string, cols []string, rows [][]any, suffix string) []step {
	var steps []step
	for len(rows) > 0 {
		part := rows[:min(len(rows), batchRows)]
		rows = rows[len(part):]
		args := make([]any, 0, len(part)*len(cols))
		var q strings.Builder
		q.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		for i, row := range part {
			if i > 0 {
				q.WriteString(", ")
			}
			appendIn(&q, len(args), len(row))
			args = append(args, row...)
		}
		q.WriteString(suffix)
		steps = append(steps, step{query: q.String(), args: args})
	}
	return steps
}

// TellBatch writes, in one pipeline, a batch's registrations (as
// RegisterBatch left them in info) and what tells them: the emails
// (mailSteps), the audit entries, the webhooks of events (to the endpoints
// read with the batch), then each registered submission's answer under
// its key (status and body).
func (s *Store) TellBatch(ctx context.Context, info *BatchInfo, msgs []*rencontres.QueuedMail, entries []*rencontres.AuditEntry, events []HookEvent,
	now time.Time, subs []*Submission, status int, body func(*Submission) []byte) error {
	steps, endpoints := info.pending, info.Endpoints
	info.pending = nil
	for _, m := range msgs {
		if m.UniqueKey != "" {
			return errors.New("store: TellBatch writes no message with a unique key")
		}
	}
	steps = append(steps, mailSteps(msgs)...)
	steps = append(steps, auditSteps(entries)...)
	hooks, err := hookSteps(events, endpoints, now)
	if err != nil {
		return err
	}
	steps = append(steps, hooks...)
	steps = append(steps, finishKeys(subs, status, body)...)
	commit := info.Commit && s.conn != nil && s.commitEarly
	if commit {
		steps = append(steps, s.commitSteps()...)
	}
	if err := s.pipeline(ctx, steps...); err != nil {
		return err
	}
	s.committed = commit
	return nil
}

// mailSteps write the emails of a batch, each queued at its own Created:
// one statement for the messages that merge with one still queued (the
// last of a MergeKey in the batch wins, as if each had been queued in
// turn), one for the others. Their IDs are not read back.
func mailSteps(msgs []*rencontres.QueuedMail) []step {
	var plain, merged [][]any
	last := map[string]int{}
	for i, m := range msgs {
		if m.MergeKey != "" {
			last[m.MergeKey] = i
		}
	}
	for i, m := range msgs {
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
	return append(rowSteps("mail_outbox", cols, plain, ""), rowSteps("mail_outbox", cols, merged, ` ON CONFLICT (merge_key) WHERE status = 'queued' AND merge_key IS NOT NULL
		DO UPDATE SET payload = excluded.payload, not_before = excluded.not_before, to_name = excluded.to_name, lang = excluded.lang`)...)
}

// auditSteps write audit entries; their IDs are not read back.
func auditSteps(entries []*rencontres.AuditEntry) []step {
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
	return rowSteps("audit_log", []string{"at", "actor_id", "actor_email", "action", "object_type", "object_id", "ip", "detail"}, rows, "")
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
