-- +goose Up
-- Every page of an event's registrations shows how many there are (with
-- its filters) and the event's and sessions' seats, and a session's
-- attendance list shows its length: each counted by a pass over the
-- event's registrations, 42-66 ms at 100,000 (issue 18). The counts are
-- now kept as registrations and choices change, whatever writes them, so
-- that a page sums a few rows however long the edition:
-- registration_tallies holds how many registrations a delegation has of
-- each status, elected or not, and how many of them checked in (the
-- filters on delegation, authority, country, kind, status and elected
-- read it); session_tallies how many choices a session has of each
-- status. A row that falls to nought stays.
CREATE TABLE registration_tallies (
    delegation_id INTEGER NOT NULL REFERENCES delegations(id) ON DELETE CASCADE,
    event_id      INTEGER NOT NULL,
    status        TEXT NOT NULL,
    elected       BOOLEAN NOT NULL,
    n             INTEGER NOT NULL,
    checked_in    INTEGER NOT NULL,
    PRIMARY KEY (delegation_id, status, elected)
);
CREATE INDEX registration_tallies_event ON registration_tallies(event_id);
CREATE TABLE session_tallies (
    session_id INTEGER NOT NULL REFERENCES programme_sessions(id) ON DELETE CASCADE,
    status     TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (session_id, status)
);
-- The index that let the counts read only an index (00047) is no
-- longer read, and each registration written had to enter it.
DROP INDEX registrations_event_counts;
INSERT INTO registration_tallies (delegation_id, event_id, status, elected, n, checked_in)
    SELECT delegation_id, MIN(event_id), status, elected, COUNT(*), COUNT(checked_in_at) FROM registrations GROUP BY delegation_id, status, elected;
INSERT INTO session_tallies (session_id, status, n)
    SELECT session_id, status, COUNT(*) FROM registration_choices GROUP BY session_id, status;

-- A session's attendance list is ordered by seat, place, then names
-- folded as the attendance sheets compare them (lower case, no accents):
-- each choice keeps its person's names so folded (the application writes
-- them, by Go's rules, whatever the database's locale; here the
-- database's LOWER fills the rows already there, and Store.Migrate then
-- writes again those where Go's rules differ), and an index in that order
-- lets a page start anywhere in the list and stop after its rows.
ALTER TABLE registration_choices ADD COLUMN family_key TEXT NOT NULL DEFAULT '';
ALTER TABLE registration_choices ADD COLUMN given_key TEXT NOT NULL DEFAULT '';
UPDATE registration_choices SET family_key = LOWER(r.family_name), given_key = LOWER(r.given_name)
    FROM registrations r WHERE r.id = registration_choices.registration_id;
CREATE INDEX registration_choices_attendance ON registration_choices(session_id, status, position, family_key, given_key, registration_id)
    WHERE status IN ('confirmed', 'waitlisted');

-- Each row written moves the tallies (SQLite writes one statement at a
-- time, and a row's step costs little there). Rows deleted only lower
-- rows there: a delegation deleted takes its own with it.
-- +goose StatementBegin
CREATE TRIGGER registrations_tally_insert AFTER INSERT ON registrations BEGIN
    INSERT INTO registration_tallies (delegation_id, event_id, status, elected, n, checked_in)
        VALUES (NEW.delegation_id, NEW.event_id, NEW.status, NEW.elected, 1, NEW.checked_in_at IS NOT NULL)
        ON CONFLICT (delegation_id, status, elected) DO UPDATE SET n = n + 1, checked_in = checked_in + excluded.checked_in;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER registrations_tally_update AFTER UPDATE OF delegation_id, status, elected, checked_in_at ON registrations BEGIN
    UPDATE registration_tallies SET n = n - 1, checked_in = checked_in - (OLD.checked_in_at IS NOT NULL)
        WHERE delegation_id = OLD.delegation_id AND status = OLD.status AND elected = OLD.elected;
    INSERT INTO registration_tallies (delegation_id, event_id, status, elected, n, checked_in)
        VALUES (NEW.delegation_id, NEW.event_id, NEW.status, NEW.elected, 1, NEW.checked_in_at IS NOT NULL)
        ON CONFLICT (delegation_id, status, elected) DO UPDATE SET n = n + 1, checked_in = checked_in + excluded.checked_in;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER registrations_tally_delete AFTER DELETE ON registrations BEGIN
    UPDATE registration_tallies SET n = n - 1, checked_in = checked_in - (OLD.checked_in_at IS NOT NULL)
        WHERE delegation_id = OLD.delegation_id AND status = OLD.status AND elected = OLD.elected;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER registration_choices_tally_insert AFTER INSERT ON registration_choices BEGIN
    INSERT INTO session_tallies (session_id, status, n) VALUES (NEW.session_id, NEW.status, 1)
        ON CONFLICT (session_id, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER registration_choices_tally_update AFTER UPDATE OF session_id, status ON registration_choices BEGIN
    UPDATE session_tallies SET n = n - 1 WHERE session_id = OLD.session_id AND status = OLD.status;
    INSERT INTO session_tallies (session_id, status, n) VALUES (NEW.session_id, NEW.status, 1)
        ON CONFLICT (session_id, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER registration_choices_tally_delete AFTER DELETE ON registration_choices BEGIN
    UPDATE session_tallies SET n = n - 1 WHERE session_id = OLD.session_id AND status = OLD.status;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER registration_choices_tally_delete;
DROP TRIGGER registration_choices_tally_update;
DROP TRIGGER registration_choices_tally_insert;
DROP TRIGGER registrations_tally_delete;
DROP TRIGGER registrations_tally_update;
DROP TRIGGER registrations_tally_insert;
DROP INDEX registration_choices_attendance;
ALTER TABLE registration_choices DROP COLUMN given_key;
ALTER TABLE registration_choices DROP COLUMN family_key;
DROP TABLE session_tallies;
DROP TABLE registration_tallies;
CREATE INDEX registrations_event_counts ON registrations(event_id, status, checked_in_at);
