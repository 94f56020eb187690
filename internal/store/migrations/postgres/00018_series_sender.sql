-- +goose Up
-- A series' emails may come under a sender name of its own and send the
-- answers to a Reply-To address of its own (the RAICT's to CUF, the
-- Rencontres' to the joint secretariat): an event's settings win, and an
-- event that sets neither takes its series', then its registration
-- contact's.
ALTER TABLE series ADD COLUMN sender_name TEXT NOT NULL DEFAULT '';
ALTER TABLE series ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE series DROP COLUMN reply_to;
ALTER TABLE series DROP COLUMN sender_name;
