-- +goose Up
-- The outbox claims the oldest queued messages in the order of their ids:
-- with (status, id) it reads them from the index and stops at the batch's
-- size, instead of passing over every message already sent.
CREATE INDEX mail_outbox_status_id ON mail_outbox(status, id);

-- +goose Down
DROP INDEX mail_outbox_status_id;
