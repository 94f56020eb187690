package store

import (
	"context"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The retention periods, all in one place: PurgeExpired enforces them and
// docs/security.md tells them. Sessions end by their own rules (the idle
// time and absolute expiry given to PurgeExpired).
const (
	// LinkRetention is how long a used or expired sign-in link is kept,
	// for the audit trail.
	LinkRetention = 30 * 24 * time.Hour
	// AuditRetention is how long the audit log is kept: the usual
	// limitation period for proving who changed what.
	AuditRetention = 3 * 365 * 24 * time.Hour
	// RateLimitRetention is how long a rate-limit window is kept.
	RateLimitRetention = 24 * time.Hour
	// MailRetention is how long an email that left (or failed for good, or
	// was cancelled) stays in the outbox, to answer "was it sent?".
	MailRetention = 30 * 24 * time.Hour
	// IdempotencyRetention is how long the answer to a submission is kept
	// for a retry of it: a client retries within minutes, not days.
	IdempotencyRetention = 24 * time.Hour
	// RegistrationRetentionYears is how many years after its event ended
	// a registration keeps the person's details; it is then anonymised
	// like an erasure, so that the edition's counts stay right. The series
	// meet every year or two, and the secretariat welcomes back those who
	// came to the previous editions.
	RegistrationRetentionYears = 5
	// PartnershipReportRetentionYears is how many years an answer to the
	// état des lieux, once reviewed, is kept with its author: the
	// partnership keeps what it reported, and the survey is asked again
	// before every edition.
	PartnershipReportRetentionYears = 5
	// FeedTokenRetention is how long a personal feed's address is kept
	// once revoked or expired (rencontres.FeedTokenLifetime): long
	// enough to tell its holder when it stopped, no longer.
	FeedTokenRetention = 30 * 24 * time.Hour
)

// PurgeExpired deletes or anonymises what the retention rules no longer
// allow to keep: ended sessions, sign-in links, rate-limit windows and
// audit entries past their period, emails that left more than
// MailRetention ago, idempotency answers, and the personal details of
// registrations to events that ended more than RegistrationRetentionYears
// ago, and of proposals to their calls (ProposalRetentionYears). It returns the number of rows deleted or anonymised. Every statement
// is idempotent, so that several instances may run it at once.
func (s *Store) PurgeExpired(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	mailCutoff := ts(now.Add(-MailRetention))
	regCutoff := now.UTC().AddDate(-RegistrationRetentionYears, 0, 0).Format("2006-01-02")
	var total int64
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2", []any{ts(now), ts(now.Add(-idle))}},
		{"DELETE FROM magic_links WHERE expires_at <= $1", []any{ts(now.Add(-LinkRetention))}},
		{"DELETE FROM rate_limits WHERE window_start < $1", []any{ts(now.Add(-RateLimitRetention))}},
		{"DELETE FROM audit_log WHERE at < $1", []any{ts(now.Add(-AuditRetention))}},
		{"DELETE FROM idempotency_keys WHERE created_at < $1", []any{ts(now.Add(-IdempotencyRetention))}},
		{"DELETE FROM feed_tokens WHERE revoked_at < $1 OR created_at < $2",
			[]any{ts(now.Add(-FeedTokenRetention)), ts(now.Add(-rencontres.FeedTokenLifetime - FeedTokenRetention))}},
		{"DELETE FROM partnership_reports WHERE reviewed_at IS NOT NULL AND created_at < $1",
			[]any{ts(now.AddDate(-PartnershipReportRetentionYears, 0, 0))}},
		// A message that is part of a campaign, or whose key keeps it from
		// being queued twice, stays as an empty row: the campaign's counts
		// and that guarantee need it, not its content.
		{`DELETE FROM mail_outbox WHERE status IN ('sent', 'failed', 'cancelled') AND COALESCE(sent_at, created_at) < $1
			AND campaign_id IS NULL AND unique_key IS NULL`, []any{mailCutoff}},
		{`UPDATE mail_outbox SET to_email = '', to_name = '', payload = '{}', last_error = ''
			WHERE status IN ('sent', 'failed', 'cancelled') AND COALESCE(sent_at, created_at) < $1
			AND (to_email <> '' OR to_name <> '' OR payload <> '{}' OR last_error <> '')`, []any{mailCutoff}},
		// A webhook delivered or given up is kept as long as an email, to
		// answer "did the CRM hear it?".
		{`DELETE FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND created_at < $1`, []any{mailCutoff}},
		// A meeting request keeps its authorities, not who sent or
		// answered it, as long as a registration keeps its person.
		{`UPDATE meeting_requests SET created_by = NULL, answered_by = NULL WHERE (created_by IS NOT NULL OR answered_by IS NOT NULL)
			AND event_id IN (SELECT id FROM events WHERE COALESCE(end_date, start_date) < $1)`, []any{regCutoff}},
	} {
		res, err := s.writer().ExecContext(ctx, q.sql, q.args...)
		if err != nil {
			return total, err
		}
		n, _ := res.RowsAffected()
		total += n
	}
	n, err := s.anonymiseRegistrations(ctx, `event_id IN (SELECT id FROM events WHERE COALESCE(end_date, start_date) < $1)
		AND email NOT LIKE '%@erased.invalid'`, regCutoff)
	if err != nil {
		return total + n, err
	}
	p, err := s.purgeProposals(ctx, now)
	if err != nil {
		return total + n + p, err
	}
	am, err := s.purgeAmendments(ctx, now)
	return total + n + p + am, err
}
