package rencontres

import (
	"context"
	"slices"
	"time"
)

// Webhooks (issue 18): another system (a CRM, a chat channel, a badge
// printer) hears what happens through endpoints the secretariat registers.
// Deliveries follow Standard Webhooks: headers webhook-id,
// webhook-timestamp and webhook-signature (HMAC-SHA256 over
// "id.timestamp.body" with the secret's bytes, base64). The tables are in
// migration 00042.

// The types of event a webhook tells.
const (
	HookRegistrationCreated   = "registration.created"
	HookRegistrationChanged   = "registration.changed"
	HookRegistrationWithdrawn = "registration.withdrawn"
	HookRegistrationPromoted  = "registration.promoted"
	HookRecipientSent         = "campaign.recipient.sent"
	HookRecipientFailed       = "campaign.recipient.failed"
	HookRecipientOpened       = "campaign.recipient.opened"
	HookRecipientRegistered   = "campaign.recipient.registered"
	HookRecipientDeclined     = "campaign.recipient.declined"
	HookProposalSubmitted     = "proposal.submitted"
	HookProposalDecided       = "proposal.decided"
	HookDeclarationAdopted    = "declaration.adopted"
)

// HookTypes lists every type, in the order forms offer them.
var HookTypes = []string{HookRegistrationCreated, HookRegistrationChanged, HookRegistrationWithdrawn, HookRegistrationPromoted,
	HookRecipientSent, HookRecipientFailed, HookRecipientOpened, HookRecipientRegistered, HookRecipientDeclined,
	HookProposalSubmitted, HookProposalDecided, HookDeclarationAdopted}

// WebhookEndpoint is a receiver of events.
type WebhookEndpoint struct {
	ID          int64    `json:"id"`
	URL         string   `json:"url"`
	Description string   `json:"description,omitempty"`
	EventTypes  []string `json:"event_types"`
	// Secret is whsec_ and the base64 of at least 24 random bytes; it is
	// shown when the endpoint is made or its secret rotated, never listed.
	Secret string `json:"secret,omitempty"`
	// PreviousSecret still signs, beside Secret, until PreviousUntil: a
	// receiver changes its secret within that time without losing events.
	PreviousSecret string     `json:"-"`
	PreviousUntil  *time.Time `json:"previous_valid_until,omitempty"`
	DisabledAt     *time.Time `json:"disabled_at,omitempty"`
	DisabledReason string     `json:"disabled_reason,omitempty"`
	CreatedBy      int64      `json:"-"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// Hears reports whether the endpoint takes events of type t.
func (e *WebhookEndpoint) Hears(t string) bool {
	return e.DisabledAt == nil && slices.Contains(e.EventTypes, t)
}

// DeliveryStatus is where a delivery stands.
type DeliveryStatus string

// Delivery statuses.
const (
	DeliveryQueued    DeliveryStatus = "queued"
	DeliverySending   DeliveryStatus = "sending"
	DeliveryDelivered DeliveryStatus = "delivered"
	DeliveryFailed    DeliveryStatus = "failed"
)

// WebhookDelivery is one event for one endpoint, and its last attempt.
type WebhookDelivery struct {
	ID           int64          `json:"id"`
	EndpointID   int64          `json:"endpoint_id"`
	MsgID        string         `json:"webhook_id"`
	EventType    string         `json:"event_type"`
	Payload      string         `json:"payload"`
	Status       DeliveryStatus `json:"status"`
	Attempts     int            `json:"attempts"`
	NotBefore    time.Time      `json:"next_attempt_at"`
	ResponseCode int            `json:"response_code,omitempty"`
	ResponseBody string         `json:"response_body,omitempty"`
	CreatedAt    time.Time      `json:"created_at"`
	DeliveredAt  *time.Time     `json:"delivered_at,omitempty"`
}

// WebhookService keeps the endpoints and lists their deliveries.
type WebhookService interface {
	SaveWebhookEndpoint(ctx context.Context, e *WebhookEndpoint, enable bool, now time.Time) error
	WebhookEndpoint(ctx context.Context, id int64) (*WebhookEndpoint, error)
	WebhookEndpoints(ctx context.Context) ([]*WebhookEndpoint, error)
	DeleteWebhookEndpoint(ctx context.Context, id int64) error
	RotateWebhookSecret(ctx context.Context, id int64, secret string, previousUntil, now time.Time) error
	WebhookDeliveries(ctx context.Context, endpointID int64, limit int) ([]*WebhookDelivery, error)
	ResendWebhook(ctx context.Context, endpointID, id int64, now time.Time) error
}
