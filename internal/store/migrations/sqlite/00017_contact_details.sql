-- +goose Up
-- An authority's contact as its secretariat keeps them: their service, the
-- form of address letters use (« Monsieur le Maire »), a postal address and
-- a phone number. A contact is an account that has never signed in until
-- the secretariat invites them to.
ALTER TABLE users ADD COLUMN service TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN address_form TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN postal_address TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
-- Whether the person is the organisation's main contact for the
-- Rencontres, and when they stopped being one of its contacts: a removed
-- contact keeps their past registrations and letters in the history.
ALTER TABLE user_organisations ADD COLUMN main_contact BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE user_organisations ADD COLUMN removed_at TEXT;

-- +goose Down
ALTER TABLE user_organisations DROP COLUMN removed_at;
ALTER TABLE user_organisations DROP COLUMN main_contact;
ALTER TABLE users DROP COLUMN phone;
ALTER TABLE users DROP COLUMN postal_address;
ALTER TABLE users DROP COLUMN address_form;
ALTER TABLE users DROP COLUMN service;
