-- +goose Up
-- A document has a title in each language (JSON, as every translated
-- text): the campaign's attachments and the letter's « PJ : » list are
-- named from it. Documents stored before have none; the file name stands
-- in for it.
ALTER TABLE documents ADD COLUMN title TEXT NOT NULL DEFAULT '{}';
-- Who an event's emails come from and whom answers go to: the sender's
-- display name (the instance's when empty) and the Reply-To address (the
-- registration contact when empty).
ALTER TABLE registration_forms ADD COLUMN sender_name TEXT NOT NULL DEFAULT '';
ALTER TABLE registration_forms ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE registration_forms DROP COLUMN reply_to;
ALTER TABLE registration_forms DROP COLUMN sender_name;
ALTER TABLE documents DROP COLUMN title;
