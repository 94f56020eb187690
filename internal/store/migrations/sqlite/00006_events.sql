-- +goose Up
-- Every event in one table: editions (which keep their own row in editions,
-- under the same id) and meetings of any kind. Venue, zone, dates and
-- status move here from editions.
CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,               -- edition, committee_meeting, meeting
    title        TEXT NOT NULL DEFAULT '{}',  -- translated text, JSON; editions derive theirs
    edition_id   INTEGER REFERENCES events(id) ON DELETE SET NULL, -- the edition a meeting prepares
    committee_id INTEGER REFERENCES committees(id) ON DELETE SET NULL,
    within_id    INTEGER REFERENCES events(id) ON DELETE SET NULL,
    venue        TEXT NOT NULL DEFAULT '{}',
    address      TEXT NOT NULL DEFAULT '',
    time_zone    TEXT NOT NULL,
    start_date   TEXT,                        -- civil days in the zone
    end_date     TEXT,
    start_time   TEXT,                        -- clock times in the zone, 15:04
    end_time     TEXT,
    status       TEXT NOT NULL,
    published    BOOLEAN NOT NULL DEFAULT FALSE,
    minutes      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_start ON events(start_date);
CREATE INDEX events_committee ON events(committee_id);
CREATE INDEX events_edition ON events(edition_id);

INSERT INTO events (id, kind, edition_id, venue, time_zone, start_date, end_date, status)
    SELECT id, 'edition', id, venue, time_zone, start_date, end_date, status FROM editions;

ALTER TABLE editions DROP COLUMN venue;
ALTER TABLE editions DROP COLUMN time_zone;
ALTER TABLE editions DROP COLUMN start_date;
ALTER TABLE editions DROP COLUMN end_date;
ALTER TABLE editions DROP COLUMN status;

CREATE TABLE event_date_changes (
    event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    from_start TEXT NOT NULL,
    from_end   TEXT NOT NULL,
    to_start   TEXT NOT NULL,
    to_end     TEXT NOT NULL,
    decided_on TEXT,
    reason     TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (event_id, seq)
);
INSERT INTO event_date_changes SELECT edition_id, seq, from_start, from_end, to_start, to_end, decided_on, reason FROM edition_date_changes;
DROP TABLE edition_date_changes;

-- Seats get an identity, a link to the person's account when they have
-- one, and a mandate.
CREATE TABLE committee_seats (
    id            INTEGER PRIMARY KEY,
    committee_id  INTEGER NOT NULL REFERENCES committees(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    person        TEXT NOT NULL,
    role          TEXT NOT NULL,
    function      TEXT NOT NULL DEFAULT '{}',
    org_id        INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    mandate_start TEXT,
    mandate_end   TEXT
);
CREATE INDEX committee_seats_committee ON committee_seats(committee_id, seq);
INSERT INTO committee_seats (committee_id, seq, person, role, function, org_id)
    SELECT committee_id, seq, person, role, function, org_id FROM committee_members;
DROP TABLE committee_members;

CREATE TABLE agenda_items (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    title       TEXT NOT NULL,
    notes       TEXT NOT NULL DEFAULT '{}',
    presenter   TEXT NOT NULL DEFAULT '',
    org_id      INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    minutes     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX agenda_items_event ON agenda_items(event_id, seq);

CREATE TABLE decisions (
    id       INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    text     TEXT NOT NULL,
    owner    TEXT NOT NULL DEFAULT '',
    due      TEXT,
    status   TEXT NOT NULL DEFAULT 'open',
    note     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX decisions_event ON decisions(event_id);

-- Documents live in the database, so that a backup holds them and a
-- transaction covers them.
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    agenda_item  INTEGER REFERENCES agenda_items(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    public       BOOLEAN NOT NULL DEFAULT FALSE,
    uploaded_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    uploaded_at  TEXT NOT NULL,
    data         BLOB NOT NULL
);
CREATE INDEX documents_event ON documents(event_id);

-- +goose Down
DROP TABLE documents;
DROP TABLE decisions;
DROP TABLE agenda_items;
CREATE TABLE committee_members (
    committee_id INTEGER NOT NULL REFERENCES committees(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    person       TEXT NOT NULL,
    role         TEXT NOT NULL,
    function     TEXT NOT NULL DEFAULT '{}',
    org_id       INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    PRIMARY KEY (committee_id, seq)
);
INSERT INTO committee_members SELECT committee_id, ROW_NUMBER() OVER (PARTITION BY committee_id ORDER BY seq, id) - 1, person, role, function, org_id FROM committee_seats;
DROP TABLE committee_seats;
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
INSERT INTO edition_date_changes SELECT c.* FROM event_date_changes c JOIN editions e ON e.id = c.event_id;
DROP TABLE event_date_changes;
ALTER TABLE editions ADD COLUMN venue TEXT NOT NULL DEFAULT '{}';
ALTER TABLE editions ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Paris';
ALTER TABLE editions ADD COLUMN start_date TEXT;
ALTER TABLE editions ADD COLUMN end_date TEXT;
ALTER TABLE editions ADD COLUMN status TEXT NOT NULL DEFAULT 'planned';
UPDATE editions SET venue = (SELECT venue FROM events v WHERE v.id = editions.id),
    time_zone = (SELECT time_zone FROM events v WHERE v.id = editions.id),
    start_date = (SELECT start_date FROM events v WHERE v.id = editions.id),
    end_date = (SELECT end_date FROM events v WHERE v.id = editions.id),
    status = (SELECT status FROM events v WHERE v.id = editions.id);
DROP TABLE events;
