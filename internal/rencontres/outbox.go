package rencontres

import (
	"encoding/json"
	"time"
)

// MailStatus is where a message of the outbox stands.
type MailStatus string

// Mail statuses. A message is queued until a worker claims it (sending);
// then it is sent, or queued again for a later attempt, or failed for good
// (the server refused it, or every attempt failed). A cancelled message was
// never sent.
const (
	MailQueued    MailStatus = "queued"
	MailSending   MailStatus = "sending"
	MailSent      MailStatus = "sent"
	MailFailed    MailStatus = "failed"
	MailCancelled MailStatus = "cancelled"
)

// QueuedMail is a message of the outbox: written in the transaction of what
// it tells, sent later by a worker, once.
type QueuedMail struct {
	ID      int64  `json:"id"`
	Kind    string `json:"kind"`
	ToEmail string `json:"to"`
	ToName  string `json:"to_name,omitempty"`
	Lang    Lang   `json:"lang"`
	// Payload is the rendered message; when Deferred, it is what the
	// renderer of Kind needs to render the message at the time of sending
	// (a delegation's summary tells its state when it leaves, not when the
	// first change was made).
	Payload  json.RawMessage `json:"-"`
	Deferred bool            `json:"-"`
	// UniqueKey, when set, makes enqueueing idempotent for ever: a second
	// message with the key is dropped, whatever became of the first.
	UniqueKey string `json:"-"`
	// MergeKey, when set, merges a message into one still queued with the
	// same key: that one takes the later NotBefore and the new payload.
	MergeKey    string     `json:"-"`
	Status      MailStatus `json:"status"`
	Attempts    int        `json:"attempts"`
	NotBefore   time.Time  `json:"not_before"`
	LastError   string     `json:"last_error,omitempty"`
	CampaignID  int64      `json:"campaign_id,omitempty"`
	RecipientID int64      `json:"recipient_id,omitempty"`
	Created     time.Time  `json:"created"`
	Sent        *time.Time `json:"sent,omitempty"`
}

// MailCounts counts an outbox's messages by status.
type MailCounts map[MailStatus]int
