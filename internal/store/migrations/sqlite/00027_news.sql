-- +goose Up
-- News posts of the secretariat, in each language, attached to events
-- and authorities; a draft has no published_at. The author stays linked
-- when their account is erased (the account row is kept, anonymised).
CREATE TABLE news_posts (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL DEFAULT '{}',
    body         TEXT NOT NULL DEFAULT '{}',
    author_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    published_at TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX news_posts_published ON news_posts(published_at);

CREATE TABLE news_post_events (
    post_id  INTEGER NOT NULL REFERENCES news_posts(id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, event_id)
);
CREATE INDEX news_post_events_event ON news_post_events(event_id);

CREATE TABLE news_post_organisations (
    post_id INTEGER NOT NULL REFERENCES news_posts(id) ON DELETE CASCADE,
    org_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, org_id)
);
CREATE INDEX news_post_organisations_org ON news_post_organisations(org_id);

-- A photo: its texts, and its files at each width, stored in the
-- database like an event's documents (one backup holds everything, and
-- instances keep no files of their own). Only the re-encoded files are
-- kept, never the upload with its metadata.
CREATE TABLE news_photos (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES news_posts(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    caption     TEXT NOT NULL DEFAULT '{}',
    alt         TEXT NOT NULL DEFAULT '{}',
    credit      TEXT NOT NULL DEFAULT '',
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX news_photos_post ON news_photos(post_id, seq);

CREATE TABLE news_photo_files (
    photo_id INTEGER NOT NULL REFERENCES news_photos(id) ON DELETE CASCADE,
    width    INTEGER NOT NULL,
    height   INTEGER NOT NULL,
    sha256   TEXT NOT NULL,
    data     BLOB NOT NULL,
    PRIMARY KEY (photo_id, width)
);

-- +goose Down
DROP TABLE news_photo_files;
DROP TABLE news_photos;
DROP TABLE news_post_organisations;
DROP TABLE news_post_events;
DROP TABLE news_posts;
