-- +goose Up
-- A person's civility, for letters: « Madame la Maire, », 様.
ALTER TABLE users ADD COLUMN civility TEXT NOT NULL DEFAULT '';

-- Secrets the instances share: the key that signs personal links.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A mailing: a letter written once per language, sent to authorities'
-- contacts chosen from the directory, about one event.
CREATE TABLE campaigns (
    id            INTEGER PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'draft',  -- draft, sending, cancelled
    letters       TEXT NOT NULL DEFAULT '{}',     -- JSON: a letter template per language
    filter        TEXT NOT NULL DEFAULT '{}',     -- JSON: who receives it
    documents     TEXT NOT NULL DEFAULT '[]',     -- JSON: ids of the event's documents attached
    reminder_days TEXT NOT NULL DEFAULT '[]',     -- JSON: days before the deadline a reminder leaves
    letter_date   TEXT NOT NULL DEFAULT '',       -- the date on the letters; empty: the day of sending
    created_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    launched_at   TEXT,
    cancelled_at  TEXT
);
CREATE INDEX campaigns_event ON campaigns(event_id);

-- One recipient of a campaign: an authority's contact, as they were when
-- it was sent.
CREATE TABLE campaign_recipients (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    org_id      INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    email       TEXT NOT NULL,
    lang        TEXT NOT NULL,
    opened_at   TEXT,                             -- first use of the personal link
    declined_at TEXT,
    created_at  TEXT NOT NULL,
    UNIQUE (campaign_id, email)
);
CREATE INDEX campaign_recipients_user ON campaign_recipients(user_id);

-- +goose Down
DROP TABLE campaign_recipients;
DROP TABLE campaigns;
DROP TABLE settings;
ALTER TABLE users DROP COLUMN civility;
