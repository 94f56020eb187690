-- +goose Up
-- A seat's holder in Japanese script, family name first, and its reading
-- in kana: Japanese pages show Japanese members by these names.
ALTER TABLE committee_seats ADD COLUMN person_ja TEXT NOT NULL DEFAULT '';
ALTER TABLE committee_seats ADD COLUMN kana TEXT NOT NULL DEFAULT '';
-- A speaker's name in Japanese script, likewise.
ALTER TABLE session_speakers ADD COLUMN person_ja TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE session_speakers DROP COLUMN person_ja;
ALTER TABLE committee_seats DROP COLUMN kana;
ALTER TABLE committee_seats DROP COLUMN person_ja;
