-- +goose Up
-- What the first call under an idempotency key sent (a hash), so that the
-- key sent again with another request is refused instead of answered with
-- the first call's result.
ALTER TABLE idempotency_keys ADD COLUMN request TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN request;
