package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// EnqueueMail writes messages to the outbox, in the caller's transaction
// when there is one, so that a message exists exactly when what it tells
// does. A message whose UniqueKey was already used is dropped (its ID stays
// 0); one whose MergeKey matches a message still queued replaces that one's
// payload and delay.
func (s *Store) EnqueueMail(ctx context.Context, now time.Time, msgs ...*rencontres.QueuedMail) error {
	for _, m := range msgs {
		if m.NotBefore.IsZero() {
			m.NotBefore = now
		}
		m.Status, m.Created = rencontres.MailQueued, now.UTC()
		conflict := ""
		switch {
		case m.MergeKey != "":
			conflict = ` ON CONFLICT (merge_key) WHERE status = 'queued' AND merge_key IS NOT NULL DO UPDATE SET payload = excluded.payload, not_before = excluded.not_before,
				to_name = excluded.to_name, lang = excluded.lang`
		case m.UniqueKey != "":
			conflict = " ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL DO NOTHING"
		}
		err := s.writer().QueryRowContext(ctx, `INSERT INTO mail_outbox (kind, to_email, to_name, lang, payload, deferred, unique_key, merge_key,
			not_before, campaign_id, recipient_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`+conflict+` RETURNING id`,
			m.Kind, m.ToEmail, m.ToName, m.Lang, string(m.Payload), m.Deferred, nullText(m.UniqueKey), nullText(m.MergeKey),
			ts(m.NotBefore), nullID(m.CampaignID), nullID(m.RecipientID), ts(now)).Scan(&m.ID)
		if errors.Is(err, sql.ErrNoRows) {
			m.ID = 0 // already enqueued once
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

const mailColumns = `id, kind, to_email, to_name, lang, payload, deferred, status, attempts, not_before, last_error,
	COALESCE(campaign_id, 0), COALESCE(recipient_id, 0), created_at, sent_at`

func scanMail(row scanner) (*rencontres.QueuedMail, error) {
	var m rencontres.QueuedMail
	var payload, notBefore, created string
	var sent sql.NullString
	if err := row.Scan(&m.ID, &m.Kind, &m.ToEmail, &m.ToName, &m.Lang, &payload, &m.Deferred, &m.Status, &m.Attempts, &notBefore,
		&m.LastError, &m.CampaignID, &m.RecipientID, &created, &sent); err != nil {
		return nil, err
	}
	m.Payload = []byte(payload)
	m.NotBefore, _ = parseTS(notBefore)
	m.Created, _ = parseTS(created)
	m.Sent = parseNullTS(sent)
	return &m, nil
}

// ClaimMail takes up to limit messages that are due, oldest first, for a
// worker to send before the lease ends: queued ones whose time has come,
// and those whose sender died mid-send (their lease ran out). Two workers
// never claim the same message: PostgreSQL skips rows another worker
// holds, and SQLite has one writer.
func (s *Store) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*rencontres.QueuedMail, error) {
	return s.claimMail(ctx, now, lease, limit, "")
}

// MailPlace is a message's place in the queue: messages are claimed in
// the order they fell due, then of their ids.
type MailPlace struct {
	NotBefore time.Time
	ID        int64
}

// Place returns where m stands in the queue.
func Place(m *rencontres.QueuedMail) MailPlace { return MailPlace{m.NotBefore, m.ID} }

// ClaimMailAfter is ClaimMail for the queued messages that stand after
// place, for a worker going through a long queue. On PostgreSQL, a
// claimed message leaves its old version in the index of queued messages
// until the table is vacuumed, so that each claim from the start of the
// queue read all those claimed before it: a campaign of 40,000 letters
// took 3 ms a claim of 128 after its first 20,000. A worker claims after
// its last claim, and from the start when that finds too few, so that
// messages queued behind it (retried, or due earlier) are still sent.
func (s *Store) ClaimMailAfter(ctx context.Context, now time.Time, lease time.Duration, limit int, place MailPlace) ([]*rencontres.QueuedMail, error) {
	return s.claimMail(ctx, now, lease, limit, " AND (not_before, id) > ($4, $5)", ts(place.NotBefore), place.ID)
}

func (s *Store) claimMail(ctx context.Context, now time.Time, lease time.Duration, limit int, after string, args ...any) ([]*rencontres.QueuedMail, error) {
	rows, err := s.writer().QueryContext(ctx, s.claimQuery("mail_outbox", after, mailColumns), append([]any{ts(now), ts(now.Add(lease)), limit}, args...)...)
	out, err := scanAll(rows, err, scanMail)
	slices.SortFunc(out, func(a, b *rencontres.QueuedMail) int {
		return cmp.Or(a.NotBefore.Compare(b.NotBefore), cmp.Compare(a.ID, b.ID))
	})
	return out, err
}

// claimQuery is the statement that claims rows of a queue (the mail
// outbox, the webhooks' deliveries): up to $3 queued rows due at $1 whose
// condition after holds, and as many whose lease ran out before $1, all
// leased until $2; it returns their columns. Two subqueries, each cut at
// the limit and read in the order of its index (migration 00050), joined
// on the id: the queued ones, so that a claim reads its batch and no more
// of the queue; the ones left by a dead worker, which are rare (with them
// a claim may hold up to twice the limit). Joined by OR in a WHERE,
// PostgreSQL read the whole table to test each row against both.
func (s *Store) claimQuery(table, after, columns string) string {
	return `UPDATE ` + table + ` SET status = 'sending', attempts = attempts + 1, lease_until = $2
		FROM (SELECT id AS claimed FROM (SELECT id FROM ` + table + ` WHERE status = 'queued' AND not_before <= $1` + after + `
				ORDER BY not_before, id LIMIT $3` + s.dialect.skipLocked + `) due
			UNION ALL SELECT id FROM (SELECT id FROM ` + table + ` WHERE status = 'sending' AND lease_until < $1
				ORDER BY lease_until, id LIMIT $3` + s.dialect.skipLocked + `) left_behind) claim
		WHERE id = claim.claimed
		RETURNING ` + columns
}

// RecoverMail queues again the messages a worker was sending when its
// process ended; only for a database one process serves.
func (s *Store) RecoverMail(ctx context.Context) (int64, error) {
	res, err := s.writer().ExecContext(ctx, "UPDATE mail_outbox SET status = 'queued', lease_until = NULL WHERE status = 'sending'")
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// MailsSent records, in one statement, that claimed messages were
// accepted by the server: kept ones with their content, scrubbed ones
// without. A sign-in link must not stay readable in the database once it
// has left.
func (s *Store) MailsSent(ctx context.Context, now time.Time, kept, scrubbed []int64) error {
	if len(kept)+len(scrubbed) == 0 {
		return nil
	}
	all := append(slices.Clip(kept), scrubbed...)
	_, err := s.writer().ExecContext(ctx, `UPDATE mail_outbox SET status = 'sent', sent_at = $1, lease_until = NULL, last_error = '',
			payload = CASE WHEN id`+s.dialect.inIDs(3)+` THEN '{}' ELSE payload END
		WHERE status = 'sending' AND id`+s.dialect.inIDs(2),
		ts(now), s.dialect.idList(all), s.dialect.idList(scrubbed))
	return err
}

// MailRetry puts a claimed message back in the queue until next, keeping
// the server's answer.
func (s *Store) MailRetry(ctx context.Context, id int64, answer string, next time.Time) error {
	_, err := s.writer().ExecContext(ctx, `UPDATE mail_outbox SET status = 'queued', not_before = $2, lease_until = NULL, last_error = $3
		WHERE id = $1 AND status = 'sending'`, id, ts(next), answer)
	return err
}

// MailFailed records that a claimed message will not be sent: the server
// refused it, or every attempt failed, or (status cancelled) there was
// nothing left to tell when its time came.
func (s *Store) MailFailed(ctx context.Context, id int64, status rencontres.MailStatus, answer string) error {
	_, err := s.writer().ExecContext(ctx, `UPDATE mail_outbox SET status = $2, lease_until = NULL, last_error = $3
		WHERE id = $1 AND status = 'sending'`, id, status, answer)
	return err
}

// MailSentSince counts the messages sent after t by every instance (the
// rate limit is the product's, not each process's), and says when the
// first of them was sent.
func (s *Store) MailSentSince(ctx context.Context, t time.Time) (int, time.Time, error) {
	var n int
	var first sql.NullString
	err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*), MIN(sent_at) FROM mail_outbox WHERE sent_at IS NOT NULL AND sent_at > $1", ts(t)).Scan(&n, &first)
	if f := parseNullTS(first); f != nil {
		return n, *f, err
	}
	return n, time.Time{}, err
}

// NextMailDue returns when the next queued message is due, or the zero
// time when none is queued.
func (s *Store) NextMailDue(ctx context.Context) (time.Time, error) {
	var next sql.NullString
	if err := s.reader().QueryRowContext(ctx, "SELECT MIN(not_before) FROM mail_outbox WHERE status = 'queued'").Scan(&next); err != nil {
		return time.Time{}, err
	}
	if t := parseNullTS(next); t != nil {
		return *t, nil
	}
	return time.Time{}, nil
}

// Mail returns one message of the outbox.
func (s *Store) Mail(ctx context.Context, id int64) (*rencontres.QueuedMail, error) {
	m, err := scanMail(s.reader().QueryRowContext(ctx, "SELECT "+mailColumns+" FROM mail_outbox WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("mail")
	}
	return m, err
}

// MailFilter selects messages of the outbox.
type MailFilter struct {
	CampaignID int64
	Kind       string
	Status     rencontres.MailStatus
	Limit      int
}

// Mails lists messages of the outbox, newest first.
func (s *Store) Mails(ctx context.Context, f MailFilter) ([]*rencontres.QueuedMail, error) {
	if f.Limit <= 0 {
		f.Limit = 1000
	}
	rows, err := s.reader().QueryContext(ctx, "SELECT "+mailColumns+` FROM mail_outbox
		WHERE ($1 = 0 OR campaign_id = $1) AND ($2 = '' OR kind = $2) AND ($3 = '' OR status = $3) ORDER BY id DESC LIMIT $4`,
		f.CampaignID, f.Kind, string(f.Status), f.Limit)
	return scanAll(rows, err, scanMail)
}

// MailCounts counts the outbox's messages by status, for a campaign or
// (0) for all.
func (s *Store) MailCounts(ctx context.Context, campaignID int64) (rencontres.MailCounts, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT status, COUNT(*) FROM mail_outbox WHERE ($1 = 0 OR campaign_id = $1) GROUP BY status`, campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	c := rencontres.MailCounts{}
	for rows.Next() {
		var st rencontres.MailStatus
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		c[st] = n
	}
	return c, rows.Err()
}
