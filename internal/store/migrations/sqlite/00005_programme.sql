-- +goose Up
CREATE TABLE rooms (
    id         INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,               -- translated text, JSON
    capacity   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX rooms_edition ON rooms(edition_id);

-- A programme session; times are UTC text, shown in the edition's zone.
CREATE TABLE programme_sessions (
    id             INTEGER PRIMARY KEY,
    edition_id     INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '{}',
    starts_at      TEXT NOT NULL,
    ends_at        TEXT NOT NULL,
    room_id        INTEGER REFERENCES rooms(id) ON DELETE SET NULL,
    sdgs           TEXT NOT NULL DEFAULT '[]', -- JSON array of goal numbers
    interpretation BOOLEAN NOT NULL DEFAULT FALSE,
    capacity       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX programme_sessions_edition ON programme_sessions(edition_id, starts_at);

CREATE TABLE session_speakers (
    session_id INTEGER NOT NULL REFERENCES programme_sessions(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    person     TEXT NOT NULL,
    person_key TEXT NOT NULL,               -- folded name, to find a person twice
    role       TEXT NOT NULL,
    org_id     INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    PRIMARY KEY (session_id, seq)
);
CREATE INDEX session_speakers_person ON session_speakers(person_key);

-- +goose Down
DROP TABLE session_speakers;
DROP TABLE programme_sessions;
DROP TABLE rooms;
