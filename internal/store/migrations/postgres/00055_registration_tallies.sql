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
    delegation_id BIGINT NOT NULL REFERENCES delegations(id) ON DELETE CASCADE,
    event_id      BIGINT NOT NULL,
    status        TEXT NOT NULL,
    elected       BOOLEAN NOT NULL,
    n             INTEGER NOT NULL,
    checked_in    INTEGER NOT NULL,
    PRIMARY KEY (delegation_id, status, elected)
);
CREATE INDEX registration_tallies_event ON registration_tallies(event_id);
CREATE TABLE session_tallies (
    session_id BIGINT NOT NULL REFERENCES programme_sessions(id) ON DELETE CASCADE,
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

-- The tallies move once a statement, by the differences its rows make
-- (a row trigger costs a write for each registration of a batch). Rows
-- deleted only lower rows there: a delegation deleted takes its own with
-- it.
-- +goose StatementBegin
CREATE FUNCTION tally_registrations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE registration_tallies t SET n = t.n - o.n, checked_in = t.checked_in - o.c
            FROM (SELECT delegation_id, status, elected, COUNT(*) AS n, COUNT(checked_in_at) AS c FROM old_rows GROUP BY delegation_id, status, elected) o
            WHERE t.delegation_id = o.delegation_id AND t.status = o.status AND t.elected = o.elected;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO registration_tallies AS t (delegation_id, event_id, status, elected, n, checked_in)
            SELECT delegation_id, MIN(event_id), status, elected, COUNT(*), COUNT(checked_in_at) FROM new_rows
            GROUP BY delegation_id, status, elected ORDER BY delegation_id, status, elected
            ON CONFLICT (delegation_id, status, elected) DO UPDATE SET n = t.n + excluded.n, checked_in = t.checked_in + excluded.checked_in;
    ELSE
        INSERT INTO registration_tallies AS t (delegation_id, event_id, status, elected, n, checked_in)
            SELECT delegation_id, MIN(event_id), status, elected, SUM(n), SUM(c) FROM (
                SELECT delegation_id, event_id, status, elected, 1 AS n, CASE WHEN checked_in_at IS NULL THEN 0 ELSE 1 END AS c FROM new_rows
                UNION ALL SELECT delegation_id, event_id, status, elected, -1, CASE WHEN checked_in_at IS NULL THEN 0 ELSE -1 END FROM old_rows) d
            GROUP BY delegation_id, status, elected HAVING SUM(n) <> 0 OR SUM(c) <> 0 ORDER BY delegation_id, status, elected
            ON CONFLICT (delegation_id, status, elected) DO UPDATE SET n = t.n + excluded.n, checked_in = t.checked_in + excluded.checked_in;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER registrations_tally_insert AFTER INSERT ON registrations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally_registrations();
CREATE TRIGGER registrations_tally_update AFTER UPDATE ON registrations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally_registrations();
CREATE TRIGGER registrations_tally_delete AFTER DELETE ON registrations REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally_registrations();

-- +goose StatementBegin
CREATE FUNCTION tally_choices() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE session_tallies t SET n = t.n - o.n
            FROM (SELECT session_id, status, COUNT(*) AS n FROM old_rows GROUP BY session_id, status) o
            WHERE t.session_id = o.session_id AND t.status = o.status;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO session_tallies AS t (session_id, status, n)
            SELECT session_id, status, COUNT(*) FROM new_rows GROUP BY session_id, status ORDER BY session_id, status
            ON CONFLICT (session_id, status) DO UPDATE SET n = t.n + excluded.n;
    ELSE
        INSERT INTO session_tallies AS t (session_id, status, n)
            SELECT session_id, status, SUM(n) FROM (
                SELECT session_id, status, 1 AS n FROM new_rows UNION ALL SELECT session_id, status, -1 FROM old_rows) d
            GROUP BY session_id, status HAVING SUM(n) <> 0 ORDER BY session_id, status
            ON CONFLICT (session_id, status) DO UPDATE SET n = t.n + excluded.n;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER registration_choices_tally_insert AFTER INSERT ON registration_choices REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally_choices();
CREATE TRIGGER registration_choices_tally_update AFTER UPDATE ON registration_choices REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally_choices();
CREATE TRIGGER registration_choices_tally_delete AFTER DELETE ON registration_choices REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally_choices();

-- +goose Down
DROP TRIGGER registration_choices_tally_delete ON registration_choices;
DROP TRIGGER registration_choices_tally_update ON registration_choices;
DROP TRIGGER registration_choices_tally_insert ON registration_choices;
DROP FUNCTION tally_choices();
DROP TRIGGER registrations_tally_delete ON registrations;
DROP TRIGGER registrations_tally_update ON registrations;
DROP TRIGGER registrations_tally_insert ON registrations;
DROP FUNCTION tally_registrations();
DROP INDEX registration_choices_attendance;
ALTER TABLE registration_choices DROP COLUMN given_key;
ALTER TABLE registration_choices DROP COLUMN family_key;
DROP TABLE session_tallies;
DROP TABLE registration_tallies;
CREATE INDEX registrations_event_counts ON registrations(event_id, status, checked_in_at);
