-- +goose Up
-- The registration form of an event: when it opens and closes, the seats,
-- and the questions asked beyond the standard ones.
CREATE TABLE registration_forms (
    event_id    INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    opens_at    TEXT NOT NULL,                -- UTC instants
    deadline    TEXT NOT NULL,
    capacity    INTEGER NOT NULL DEFAULT 0,   -- seats for the event; 0: no limit
    max_choices INTEGER NOT NULL DEFAULT 1,   -- sessions a person may choose
    ranked      BOOLEAN NOT NULL DEFAULT FALSE, -- choices in order of preference
    contact     TEXT NOT NULL DEFAULT '',     -- whom to write to after the deadline
    questions   TEXT NOT NULL DEFAULT '[]'    -- JSON: the extra questions
);

-- An authority's delegation to an event.
CREATE TABLE delegations (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL REFERENCES organisations(id),
    created_at TEXT NOT NULL,
    UNIQUE (event_id, org_id)
);

-- One person registered, in the order of submission (id). status is the
-- seat at the event: confirmed, waitlisted or withdrawn.
CREATE TABLE registrations (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    delegation_id  INTEGER NOT NULL REFERENCES delegations(id) ON DELETE CASCADE,
    status         TEXT NOT NULL,
    civility       TEXT NOT NULL DEFAULT '',
    given_name     TEXT NOT NULL,
    family_name    TEXT NOT NULL,
    name_ja        TEXT NOT NULL DEFAULT '',
    kana           TEXT NOT NULL DEFAULT '',
    function       TEXT NOT NULL DEFAULT '',
    elected        BOOLEAN NOT NULL DEFAULT FALSE,
    email          TEXT NOT NULL,
    lang           TEXT NOT NULL,
    dietary        TEXT NOT NULL DEFAULT '',
    accessibility  TEXT NOT NULL DEFAULT '',
    interpretation BOOLEAN NOT NULL DEFAULT FALSE,
    answers        TEXT NOT NULL DEFAULT '{}',
    code           TEXT NOT NULL UNIQUE,     -- the badge's code
    checked_in_at  TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    withdrawn_at   TEXT
);
CREATE INDEX registrations_event ON registrations(event_id, status, id);
CREATE INDEX registrations_delegation ON registrations(delegation_id);
CREATE UNIQUE INDEX registrations_email ON registrations(event_id, email) WHERE status <> 'withdrawn';

-- A person's choice of a session, with its rank and its seat.
CREATE TABLE registration_choices (
    registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    session_id      INTEGER NOT NULL REFERENCES programme_sessions(id) ON DELETE CASCADE,
    rank            INTEGER NOT NULL,
    status          TEXT NOT NULL,            -- confirmed, waitlisted
    seq             INTEGER NOT NULL,         -- order on the session's list
    PRIMARY KEY (registration_id, session_id)
);
CREATE INDEX registration_choices_session ON registration_choices(session_id, status, seq);

-- Idempotency keys: a retried submission gets the first answer back.
CREATE TABLE idempotency_keys (
    scope      TEXT NOT NULL,                 -- who sent it: user id or form token
    key        TEXT NOT NULL,
    status     INTEGER NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE registration_choices;
DROP TABLE registrations;
DROP TABLE delegations;
DROP TABLE registration_forms;
