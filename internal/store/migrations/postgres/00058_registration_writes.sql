-- +goose Up
-- What PostgreSQL did for each row a batch of registrations writes while
-- it holds the event's lock (issue 18), and need not: measured on 32 rows
-- after a burst, 0.27 ms for the map's check and 0.25 ms for the audit
-- log's foreign key, of the batch's 5.5 ms of statements.
--
-- A new registration raised the map's version when it was its
-- delegation's first one not withdrawn (00029, 00054), checked by a row
-- trigger: a call of PL/pgSQL and a look at the delegation's
-- registrations for each row. The tallies (00055) already say how many
-- registrations a delegation has of each status: the statement trigger
-- that moves them now asks them first, once for the statement, whether
-- one of its delegations had none but withdrawn ones. Rows deleted keep
-- their row trigger (a delegation's last one).
--
-- The audit log's actor was a foreign key to users: a lookup of the user
-- for each entry. Users are never deleted (erasure blanks them, and the
-- log's entries with them), so the key's ON DELETE never ran, and a
-- journal records who acted as it was, the address beside the id. Nor
-- was its index on the actor read: a person's entries are found by their
-- id or their address folded (LOWER), which no index holds, so by a scan
-- whatever the index; each entry had to enter it.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_id_fkey;
DROP INDEX audit_log_actor;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION tally_registrations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE registration_tallies t SET n = t.n - o.n, checked_in = t.checked_in - o.c
            FROM (SELECT delegation_id, status, elected, COUNT(*) AS n, COUNT(checked_in_at) AS c FROM old_rows GROUP BY delegation_id, status, elected) o
            WHERE t.delegation_id = o.delegation_id AND t.status = o.status AND t.elected = o.elected;
    ELSIF TG_OP = 'INSERT' THEN
        -- Before the tallies move: they hold the delegations as they were.
        IF EXISTS (SELECT 1 FROM (SELECT DISTINCT delegation_id FROM new_rows WHERE status <> 'withdrawn') d
                WHERE NOT EXISTS (SELECT 1 FROM registration_tallies t WHERE t.delegation_id = d.delegation_id AND t.status <> 'withdrawn' AND t.n > 0)) THEN
            PERFORM bump_data_version('map');
        END IF;
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
DROP TRIGGER map_registrations_insert_delete ON registrations;
CREATE TRIGGER map_registrations_delete AFTER DELETE ON registrations FOR EACH ROW EXECUTE FUNCTION bump_map_version_registration();

-- +goose Down
CREATE INDEX audit_log_actor ON audit_log(actor_id);
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES users(id) ON DELETE SET NULL;
DROP TRIGGER map_registrations_delete ON registrations;
CREATE TRIGGER map_registrations_insert_delete AFTER INSERT OR DELETE ON registrations FOR EACH ROW EXECUTE FUNCTION bump_map_version_registration();
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION tally_registrations() RETURNS trigger LANGUAGE plpgsql AS $$
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
