-- +goose Up
-- A participant's own page (issue 17): the personal iCalendar feed of a
-- registered person for one event, at a secret address. Only the token's
-- SHA-256 is kept; revoking stamps revoked_at, renewing revokes and makes a
-- new one. Personal data: exported, deleted at erasure, purged a while
-- after revocation (store/retention.go).
CREATE TABLE feed_tokens (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX feed_tokens_user ON feed_tokens(user_id, event_id);

-- A campaign written to registered people: the registration each recipient
-- was chosen for, so that their state is their letter's (not their
-- authority's registration) and their link opens their own page.
ALTER TABLE campaign_recipients ADD COLUMN registration_id INTEGER REFERENCES registrations(id) ON DELETE SET NULL;

-- +goose Down
ALTER TABLE campaign_recipients DROP COLUMN registration_id;
DROP TABLE feed_tokens;
