-- +goose Up
-- Webhooks (issue 18): endpoints the secretariat registers (a URL, the
-- types of event it hears, its secret, whsec_…; during a rotation the
-- previous secret still signs until previous_until), and one delivery per
-- event and endpoint, written in the transaction of what it tells (the
-- outbox pattern), sent by a worker in every instance that claims due
-- deliveries with a lease. msg_id is the webhook-id, the same at every
-- attempt, so that a receiver drops a repeat. Instants are UTC text.
CREATE TABLE webhook_endpoints (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    event_types     TEXT NOT NULL DEFAULT '[]',
    secret          TEXT NOT NULL,
    previous_secret TEXT NOT NULL DEFAULT '',
    previous_until  TEXT,
    disabled_at     TEXT,
    disabled_reason TEXT NOT NULL DEFAULT '',
    created_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
-- status: queued, sending, delivered, failed (given up, or the endpoint
-- answered 410 Gone and was disabled).
CREATE TABLE webhook_deliveries (
    id            INTEGER PRIMARY KEY,
    endpoint_id   INTEGER NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    msg_id        TEXT NOT NULL,
    event_type    TEXT NOT NULL,
    payload       TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'queued',
    attempts      INTEGER NOT NULL DEFAULT 0,
    not_before    TEXT NOT NULL,
    lease_until   TEXT,
    response_code INTEGER NOT NULL DEFAULT 0,
    response_body TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    delivered_at  TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, not_before);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
