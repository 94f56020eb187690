package store

import (
	"context"
	"database/sql"
	"time"
)

// OpsStats is what an operator's metrics read from the database at each
// scrape: the same for every instance, since they share it.
type OpsStats struct {
	// Outbox counts the messages by status; OldestQueued is the creation
	// of the oldest message not yet sent ("" when none waits).
	Outbox       map[string]int
	OldestQueued string
	// Registrations counts registrations by seat status.
	Registrations map[string]int
	// Campaigns is the progress of the campaigns launched, newest first,
	// at most MaxCampaignStats.
	Campaigns []CampaignProgress
}

// CampaignProgress is a launched campaign's recipients and messages.
type CampaignProgress struct {
	ID                           int64
	Recipients, Opened, Declined int
	// Mail counts the campaign's messages by outbox status.
	Mail map[string]int
}

// MaxCampaignStats bounds the campaigns the metrics follow, so that the
// number of series stays small.
const MaxCampaignStats = 20

// DB is the write pool, for its statistics (open, in use, waits).
func (s *Store) DB() *sql.DB { return s.db }

// OpsStats reads the operator's figures in a few grouped queries.
func (s *Store) OpsStats(ctx context.Context) (*OpsStats, error) {
	st := &OpsStats{Outbox: map[string]int{}, Registrations: map[string]int{}}
	r := s.reader()
	if err := countBy(ctx, r, st.Outbox, `SELECT status, COUNT(*) FROM mail_outbox GROUP BY status`); err != nil {
		return nil, err
	}
	var oldest sql.NullString
	if err := r.QueryRowContext(ctx, `SELECT MIN(created_at) FROM mail_outbox WHERE status IN ('queued', 'sending')`).Scan(&oldest); err != nil {
		return nil, err
	}
	st.OldestQueued = oldest.String
	if err := countBy(ctx, r, st.Registrations, `SELECT status, COUNT(*) FROM registrations GROUP BY status`); err != nil {
		return nil, err
	}
	rows, err := r.QueryContext(ctx, `SELECT c.id,
		(SELECT COUNT(*) FROM campaign_recipients cr WHERE cr.campaign_id = c.id),
		(SELECT COUNT(*) FROM campaign_recipients cr WHERE cr.campaign_id = c.id AND cr.opened_at IS NOT NULL),
		(SELECT COUNT(*) FROM campaign_recipients cr WHERE cr.campaign_id = c.id AND cr.declined_at IS NOT NULL)
		FROM campaigns c WHERE c.launched_at IS NOT NULL ORDER BY c.launched_at DESC, c.id DESC LIMIT $1`, MaxCampaignStats)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		c := CampaignProgress{Mail: map[string]int{}}
		if err := rows.Scan(&c.ID, &c.Recipients, &c.Opened, &c.Declined); err != nil {
			return nil, err
		}
		st.Campaigns = append(st.Campaigns, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range st.Campaigns {
		c := &st.Campaigns[i]
		if err := countBy(ctx, r, c.Mail, `SELECT status, COUNT(*) FROM mail_outbox WHERE campaign_id = $1 GROUP BY status`, c.ID); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// countBy fills m from a query of (key, count) rows.
func countBy(ctx context.Context, q querier, m map[string]int, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		m[k] = n
	}
	return rows.Err()
}

// ParseTime reads an instant as the store writes it.
func ParseTime(s string) (time.Time, error) { return parseTS(s) }
