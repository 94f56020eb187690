-- +goose Up
CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    country     TEXT NOT NULL,
    code        TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL,            -- translated text, JSON
    kana        TEXT NOT NULL DEFAULT '',
    parent_id   INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    population  INTEGER NOT NULL DEFAULT 0,
    lat         REAL,
    lng         REAL,
    website     TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL DEFAULT '',
    sort_name   TEXT NOT NULL DEFAULT '',
    -- Search results list towns before the larger areas of the same name.
    kind_rank   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX organisations_parent ON organisations(parent_id);
CREATE INDEX organisations_country_kind ON organisations(country, kind);
-- A trigram index makes the substring search of the directory fast on
-- kanji, kana and Latin names alike.
CREATE VIRTUAL TABLE organisations_fts USING fts5(search_text, content='organisations', content_rowid='id', tokenize='trigram');
-- +goose StatementBegin
CREATE TRIGGER organisations_ai AFTER INSERT ON organisations BEGIN
    INSERT INTO organisations_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_ad AFTER DELETE ON organisations BEGIN
    INSERT INTO organisations_fts(organisations_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_au AFTER UPDATE OF search_text ON organisations BEGIN
    INSERT INTO organisations_fts(organisations_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO organisations_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd

CREATE TABLE partnerships (
    id      INTEGER PRIMARY KEY,
    org_a   INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    org_b   INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    year    INTEGER NOT NULL DEFAULT 0,
    note    TEXT NOT NULL DEFAULT '{}',
    UNIQUE (org_a, org_b, kind)
);
CREATE INDEX partnerships_b ON partnerships(org_b);

CREATE TABLE series (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL DEFAULT '{}',
    rhythm      TEXT NOT NULL,
    alternating BOOLEAN NOT NULL DEFAULT FALSE,
    description TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE editions (
    id             INTEGER PRIMARY KEY,
    series_id      INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    number         INTEGER NOT NULL,
    year           INTEGER NOT NULL,
    host_id        INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    venue          TEXT NOT NULL DEFAULT '{}',
    start_date     TEXT,
    end_date       TEXT,
    time_zone      TEXT NOT NULL,
    theme          TEXT NOT NULL DEFAULT '{}',
    status         TEXT NOT NULL,
    declaration    TEXT NOT NULL DEFAULT '{}',
    summary        TEXT NOT NULL DEFAULT '{}',
    people         INTEGER,
    authorities_fr INTEGER,
    authorities_jp INTEGER,
    interpreters   INTEGER,
    record         BOOLEAN NOT NULL DEFAULT FALSE,
    figures_note   TEXT NOT NULL DEFAULT '{}',
    UNIQUE (series_id, number)
);
CREATE INDEX editions_host ON editions(host_id);

CREATE TABLE edition_date_changes (
    edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    from_start TEXT NOT NULL,
    from_end   TEXT NOT NULL,
    to_start   TEXT NOT NULL,
    to_end     TEXT NOT NULL,
    decided_on TEXT,
    reason     TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (edition_id, seq)
);

CREATE TABLE edition_organisations (
    edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    seq        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (edition_id, org_id, role)
);

CREATE TABLE edition_workshops (
    edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    title      TEXT NOT NULL,
    theme      TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (edition_id, seq)
);

CREATE TABLE committees (
    id         INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    UNIQUE (edition_id, kind)
);

CREATE TABLE committee_members (
    committee_id INTEGER NOT NULL REFERENCES committees(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    person       TEXT NOT NULL,
    role         TEXT NOT NULL,
    function     TEXT NOT NULL DEFAULT '{}',
    org_id       INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    PRIMARY KEY (committee_id, seq)
);

CREATE TABLE committee_meetings (
    committee_id INTEGER NOT NULL REFERENCES committees(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    title        TEXT NOT NULL,
    starts_at    TEXT NOT NULL,           -- RFC 3339, UTC
    ends_at      TEXT NOT NULL,
    time_zone    TEXT NOT NULL,
    venue        TEXT NOT NULL DEFAULT '{}',
    within       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (committee_id, seq)
);

-- +goose Down
DROP TABLE committee_meetings;
DROP TABLE committee_members;
DROP TABLE committees;
DROP TABLE edition_workshops;
DROP TABLE edition_organisations;
DROP TABLE edition_date_changes;
DROP TABLE editions;
DROP TABLE series;
DROP TABLE partnerships;
DROP TRIGGER organisations_au;
DROP TRIGGER organisations_ad;
DROP TRIGGER organisations_ai;
DROP TABLE organisations_fts;
DROP TABLE organisations;
