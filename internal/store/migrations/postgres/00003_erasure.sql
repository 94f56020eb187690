-- +goose Up
-- A person's request to be erased, until the secretariat carries it out.
ALTER TABLE users ADD COLUMN erasure_requested_at TEXT;

-- +goose Down
ALTER TABLE users DROP COLUMN erasure_requested_at;
