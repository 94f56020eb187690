-- +goose Up
-- The mail outbox: every email the product sends is first a row here,
-- written in the same transaction as what it tells (a registration, a
-- campaign), then sent by a background worker that retries with back-off.
-- A message is never lost (it is in the database before anyone is told it
-- was sent) and never sent twice (unique_key; a claim with a lease).
CREATE TABLE mail_outbox (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,               -- registration-registered, sign-in-link, campaign-letter…
    to_email      TEXT NOT NULL,
    to_name       TEXT NOT NULL DEFAULT '',
    lang          TEXT NOT NULL DEFAULT 'fr',
    -- JSON: the rendered message, or (deferred) what its renderer needs to
    -- render it when it is sent.
    payload       TEXT NOT NULL,
    deferred      BOOLEAN NOT NULL DEFAULT FALSE,
    -- unique_key makes an enqueue idempotent whatever the row's state
    -- (campaign C, recipient R); merge_key merges messages while one is
    -- still queued (a delegation's summary after several changes).
    unique_key    TEXT,
    merge_key     TEXT,
    status        TEXT NOT NULL DEFAULT 'queued', -- queued, sending, sent, failed, cancelled
    attempts      INTEGER NOT NULL DEFAULT 0,
    not_before    TEXT NOT NULL,               -- UTC instant: not sent before
    lease_until   TEXT,                        -- while sending: the claim ends then
    last_error    TEXT NOT NULL DEFAULT '',    -- the server's answer to the last attempt
    campaign_id   BIGINT,
    recipient_id  BIGINT,
    created_at    TEXT NOT NULL,
    sent_at       TEXT
);
-- Partial indexes: a registration writes a message or two, and each index
-- a row enters is one more page written in its transaction.
CREATE UNIQUE INDEX mail_outbox_unique ON mail_outbox(unique_key) WHERE unique_key IS NOT NULL;
CREATE UNIQUE INDEX mail_outbox_merge ON mail_outbox(merge_key) WHERE status = 'queued' AND merge_key IS NOT NULL;
CREATE INDEX mail_outbox_due ON mail_outbox(status, not_before);
CREATE INDEX mail_outbox_sent ON mail_outbox(sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX mail_outbox_campaign ON mail_outbox(campaign_id, status) WHERE campaign_id IS NOT NULL;

-- +goose Down
DROP TABLE mail_outbox;
