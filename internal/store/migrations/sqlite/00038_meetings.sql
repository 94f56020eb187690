-- +goose Up
-- One-to-one meetings at an edition (issue 17). The secretariat sets the
-- slots, tables, interpreters, cap and deadline of an edition's meetings;
-- registered authorities request meetings with each other; the schedule
-- is computed (internal/schedule) and published, provisional then final.
-- Instants are UTC text like every other table.

-- The settings of an edition's meetings. ranges is JSON: a list of
-- {day, from, to, minutes, interpreters}, each cut into slots of minutes
-- in the edition's zone. tables is the JSON list of the tables' names.
-- cap is the most meetings a delegation has (0: none). state: '' while no
-- schedule is published, provisional, final.
CREATE TABLE meeting_settings (
    event_id     INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    ranges       TEXT NOT NULL DEFAULT '[]',
    tables       TEXT NOT NULL DEFAULT '[]',
    cap          INTEGER NOT NULL DEFAULT 0,
    deadline     TEXT,
    state        TEXT NOT NULL DEFAULT '',
    scheduled_at TEXT,
    published_at TEXT,
    updated_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at   TEXT NOT NULL
);

-- A request of one authority (from_org) to meet another (to_org) at an
-- edition, with a message; state: pending, accepted, declined. One request
-- per pair of authorities, whichever asked (the store checks both ways).
-- The last run of the schedule put an accepted request at slot_start in
-- table_name (interpreter when one serves it), or left it out with
-- unplaced (no_common_slot, no_interpreter, no_table). shown_* are the
-- placement last published: what the authorities' agendas show and what
-- the emails of a change compare with.
CREATE TABLE meeting_requests (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    from_org_id    INTEGER NOT NULL REFERENCES organisations(id),
    to_org_id      INTEGER NOT NULL REFERENCES organisations(id),
    message        TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL DEFAULT 'pending',
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    answered_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    answered_at    TEXT,
    slot_start     TEXT,
    slot_end       TEXT,
    table_name     TEXT NOT NULL DEFAULT '',
    interpreter    BOOLEAN NOT NULL DEFAULT FALSE,
    unplaced       TEXT NOT NULL DEFAULT '',
    shown_start    TEXT,
    shown_end      TEXT,
    shown_table    TEXT NOT NULL DEFAULT '',
    shown_interpreter BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (event_id, from_org_id, to_org_id)
);
CREATE INDEX meeting_requests_to ON meeting_requests(to_org_id);
CREATE INDEX meeting_requests_from ON meeting_requests(from_org_id);
CREATE INDEX meeting_requests_created_by ON meeting_requests(created_by);
CREATE INDEX meeting_requests_answered_by ON meeting_requests(answered_by);

-- +goose Down
DROP TABLE meeting_requests;
DROP TABLE meeting_settings;
