package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The webhooks' endpoints and deliveries (migration 00042).

const endpointColumns = `id, url, description, event_types, secret, previous_secret, previous_until, disabled_at, disabled_reason,
	COALESCE(created_by, 0), created_at, updated_at`

func scanEndpoint(row interface{ Scan(...any) error }) (*rencontres.WebhookEndpoint, error) {
	var e rencontres.WebhookEndpoint
	var types, created, updated string
	var prevUntil, disabled sql.NullString
	if err := row.Scan(&e.ID, &e.URL, &e.Description, &types, &e.Secret, &e.PreviousSecret, &prevUntil, &disabled, &e.DisabledReason,
		&e.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(types), &e.EventTypes); err != nil {
		return nil, err
	}
	e.PreviousUntil, e.DisabledAt = parseNullTS(prevUntil), parseNullTS(disabled)
	e.CreatedAt, _ = parseTS(created)
	e.UpdatedAt, _ = parseTS(updated)
	return &e, nil
}

// SaveWebhookEndpoint creates an endpoint (ID 0) or changes its address,
// description and types; enabling it again clears its disabling. Checking
// the address is the caller's (webhook.CheckEndpoint).
func (s *Store) SaveWebhookEndpoint(ctx context.Context, e *rencontres.WebhookEndpoint, enable bool, now time.Time) error {
	types, _ := json.Marshal(e.EventTypes)
	if e.ID == 0 {
		e.CreatedAt, e.UpdatedAt = now.UTC(), now.UTC()
		return s.writer().QueryRowContext(ctx, `INSERT INTO webhook_endpoints (url, description, event_types, secret, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, e.URL, e.Description, string(types), e.Secret, nullID(e.CreatedBy), ts(now)).Scan(&e.ID)
	}
	q := `UPDATE webhook_endpoints SET url = $2, description = $3, event_types = $4, updated_at = $5 WHERE id = $1`
	if enable {
		q = `UPDATE webhook_endpoints SET url = $2, description = $3, event_types = $4, updated_at = $5, disabled_at = NULL, disabled_reason = '' WHERE id = $1`
	}
	res, err := s.writer().ExecContext(ctx, q, e.ID, e.URL, e.Description, string(types), ts(now))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rencontres.NotFound("webhook")
	}
	return nil
}

// WebhookEndpoint reads an endpoint with its secrets.
func (s *Store) WebhookEndpoint(ctx context.Context, id int64) (*rencontres.WebhookEndpoint, error) {
	e, err := scanEndpoint(s.reader().QueryRowContext(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("webhook")
	}
	return e, err
}

// WebhookEndpoints lists every endpoint, oldest first.
func (s *Store) WebhookEndpoints(ctx context.Context) ([]*rencontres.WebhookEndpoint, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*rencontres.WebhookEndpoint
	for rows.Next() {
		e, err := scanEndpoint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeleteWebhookEndpoint removes an endpoint and its deliveries.
func (s *Store) DeleteWebhookEndpoint(ctx context.Context, id int64) error {
	res, err := s.writer().ExecContext(ctx, `DELETE FROM webhook_endpoints WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rencontres.NotFound("webhook")
	}
	return nil
}

// RotateWebhookSecret gives an endpoint a new secret; the one it had
// still signs until previousUntil.
func (s *Store) RotateWebhookSecret(ctx context.Context, id int64, secret string, previousUntil, now time.Time) error {
	res, err := s.writer().ExecContext(ctx, `UPDATE webhook_endpoints SET previous_secret = secret, previous_until = $3, secret = $2, updated_at = $4 WHERE id = $1`,
		id, secret, ts(previousUntil), ts(now))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rencontres.NotFound("webhook")
	}
	return nil
}

// DisableWebhookEndpoint stops deliveries to an endpoint (it answered
// 410 Gone): those queued fail with the reason.
func (s *Store) DisableWebhookEndpoint(ctx context.Context, id int64, reason string, now time.Time) error {
	return s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.writer().ExecContext(ctx, `UPDATE webhook_endpoints SET disabled_at = $2, disabled_reason = $3, updated_at = $2 WHERE id = $1`,
			id, ts(now), reason); err != nil {
			return err
		}
		_, err := tx.writer().ExecContext(ctx, `UPDATE webhook_deliveries SET status = 'failed', lease_until = NULL
			WHERE endpoint_id = $1 AND status IN ('queued', 'sending')`, id)
		return err
	})
}

// HookEvent is one event to tell the webhooks: its type and its data.
type HookEvent struct {
	Type string
	Data any
}

// EnqueueWebhook writes one delivery of an event for each endpoint that
// hears its type, in the caller's transaction: the event is told if and
// only if what it tells is committed.
func (s *Store) EnqueueWebhook(ctx context.Context, eventType string, data any, now time.Time) error {
	return s.EnqueueWebhooks(ctx, []HookEvent{{Type: eventType, Data: data}}, now)
}

// EnqueueWebhooks is EnqueueWebhook for several events told in one
// transaction (a batch of letters, a registration and the promotions it
// caused): the endpoints are read once for them all.
func (s *Store) EnqueueWebhooks(ctx context.Context, events []HookEvent, now time.Time) error {
	if len(events) == 0 {
		return nil
	}
	endpoints, err := s.WebhookEndpoints(ctx)
	if err != nil || len(endpoints) == 0 {
		return err
	}
	steps, err := hookSteps(events, endpoints, now)
	if err != nil {
		return err
	}
	return s.pipeline(ctx, steps...)
}

// hookSteps write the deliveries of events to the endpoints that hear
// them: one statement for them all, since a batch of registrations or
// letters tells many.
func hookSteps(events []HookEvent, endpoints []*rencontres.WebhookEndpoint, now time.Time) ([]step, error) {
	var rows [][]any
	for _, ev := range events {
		var payload []byte
		for _, e := range endpoints {
			if !e.Hears(ev.Type) {
				continue
			}
			if payload == nil {
				var err error
				if payload, err = json.Marshal(map[string]any{"type": ev.Type, "timestamp": now.UTC().Format(time.RFC3339), "data": ev.Data}); err != nil {
					return nil, err
				}
			}
			rows = append(rows, []any{e.ID, newMsgID(), ev.Type, string(payload), ts(now), ts(now)})
		}
	}
	return rowSteps("webhook_deliveries", []string{"endpoint_id", "msg_id", "event_type", "payload", "not_before", "created_at"}, rows, ""), nil
}

// newMsgID is a delivery's webhook-id: msg_ and 24 hexadecimal digits.
func newMsgID() string {
	var b [12]byte
	rand.Read(b[:])
	return "msg_" + hex.EncodeToString(b[:])
}

const deliveryColumns = `id, endpoint_id, msg_id, event_type, payload, status, attempts, not_before, response_code, response_body, created_at, delivered_at`

func scanDelivery(row scanner) (*rencontres.WebhookDelivery, error) {
	var d rencontres.WebhookDelivery
	var notBefore, created string
	var delivered sql.NullString
	if err := row.Scan(&d.ID, &d.EndpointID, &d.MsgID, &d.EventType, &d.Payload, &d.Status, &d.Attempts, &notBefore, &d.ResponseCode,
		&d.ResponseBody, &created, &delivered); err != nil {
		return nil, err
	}
	d.NotBefore, _ = parseTS(notBefore)
	d.CreatedAt, _ = parseTS(created)
	d.DeliveredAt = parseNullTS(delivered)
	return &d, nil
}

func scanDeliveries(rows *sql.Rows, err error) ([]*rencontres.WebhookDelivery, error) {
	return scanAll(rows, err, scanDelivery)
}

// ClaimWebhooks takes up to limit due deliveries for a worker, until the
// lease ends: queued ones whose time has come, and those whose worker
// died mid-send. Two workers never claim the same delivery.
func (s *Store) ClaimWebhooks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*rencontres.WebhookDelivery, error) {
	return scanDeliveries(s.writer().QueryContext(ctx, s.claimQuery("webhook_deliveries", "", deliveryColumns), ts(now), ts(now.Add(lease)), limit))
}

// WebhookAnswered records an attempt's answer: delivered, queued again at
// next (non-zero), or failed for good.
func (s *Store) WebhookAnswered(ctx context.Context, id int64, status rencontres.DeliveryStatus, code int, body string, next, now time.Time) error {
	var delivered sql.NullString
	if status == rencontres.DeliveryDelivered {
		delivered = sql.NullString{String: ts(now), Valid: true}
	}
	notBefore := ts(now)
	if !next.IsZero() {
		notBefore = ts(next)
	}
	_, err := s.writer().ExecContext(ctx, `UPDATE webhook_deliveries SET status = $2, response_code = $3, response_body = $4, not_before = $5,
		delivered_at = $6, lease_until = NULL WHERE id = $1 AND status = 'sending'`, id, status, code, body, notBefore, delivered)
	return err
}

// WebhookDeliveries lists an endpoint's deliveries, newest first, at most
// limit.
func (s *Store) WebhookDeliveries(ctx context.Context, endpointID int64, limit int) ([]*rencontres.WebhookDelivery, error) {
	return scanDeliveries(s.reader().QueryContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE endpoint_id = $1
		ORDER BY id DESC LIMIT $2`, endpointID, limit))
}

// ResendWebhook queues a delivery again, due now, whatever became of it;
// it keeps its webhook-id, so that a receiver that had it drops it.
func (s *Store) ResendWebhook(ctx context.Context, endpointID, id int64, now time.Time) error {
	res, err := s.writer().ExecContext(ctx, `UPDATE webhook_deliveries SET status = 'queued', not_before = $3, lease_until = NULL
		WHERE id = $1 AND endpoint_id = $2 AND status <> 'sending'`, id, endpointID, ts(now))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rencontres.Errorf(rencontres.ECONFLICT, "error.webhook_busy", "the delivery is being sent or does not exist")
	}
	return nil
}

// TellRecipientsRegistered tells the webhooks, once a delegation has its
// first person registered for an event, that the recipients of the
// event's campaigns at that authority registered.
func (s *Store) TellRecipientsRegistered(ctx context.Context, eventID, delegationID int64, now time.Time) error {
	endpoints, err := s.WebhookEndpoints(ctx)
	if err != nil || !slices.ContainsFunc(endpoints, func(e *rencontres.WebhookEndpoint) bool { return e.Hears(rencontres.HookRecipientRegistered) }) {
		return err
	}
	return s.tellRecipients(ctx, eventID, delegationID, 1, now)
}

// tellRecipients tells the recipients of the event's campaigns in a
// delegation that it is registered, if its registrations are the added
// ones alone.
func (s *Store) tellRecipients(ctx context.Context, eventID, delegationID int64, added int, now time.Time) error {
	var n int
	if err := s.writer().QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations WHERE delegation_id = $1 AND status <> 'withdrawn'`,
		delegationID).Scan(&n); err != nil || n != added {
		return err
	}
	rows, err := s.writer().QueryContext(ctx, `SELECT cr.id, cr.campaign_id, cr.email FROM campaign_recipients cr
		JOIN campaigns c ON c.id = cr.campaign_id JOIN delegations d ON d.org_id = cr.org_id AND d.event_id = c.event_id
		WHERE c.event_id = $1 AND d.id = $2 ORDER BY cr.id`, eventID, delegationID)
	if err != nil {
		return err
	}
	var events []HookEvent
	for rows.Next() {
		var id, campaign int64
		var email string
		if err := rows.Scan(&id, &campaign, &email); err != nil {
			rows.Close()
			return err
		}
		events = append(events, HookEvent{Type: rencontres.HookRecipientRegistered,
			Data: map[string]any{"campaign_id": campaign, "recipient_id": id, "email": email}})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return s.EnqueueWebhooks(ctx, events, now)
}

// RecoverWebhooks queues again the deliveries a worker was sending when
// its process ended; only for a database one process serves.
func (s *Store) RecoverWebhooks(ctx context.Context) (int64, error) {
	res, err := s.writer().ExecContext(ctx, "UPDATE webhook_deliveries SET status = 'queued', lease_until = NULL WHERE status = 'sending'")
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
