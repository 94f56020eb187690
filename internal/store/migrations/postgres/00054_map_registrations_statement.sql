-- +goose Up
-- The map's version rose when a registration was its delegation's first
-- or last one not withdrawn (00029), checked row by row. PostgreSQL runs
-- a statement's row triggers once the statement has written every row:
-- the first two people of an authority, written by one statement (a batch
-- of registrations), each saw the other and neither raised the version,
-- so that the map did not show the authority. The check is now made once
-- per statement over its rows (transition tables): rows written by the
-- statement itself do not count as being there before. Once per
-- statement rather than once per row, it also costs a batch one query
-- under the event's lock where it cost one per registration.
-- +goose StatementBegin
CREATE FUNCTION bump_map_version_registrations_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows n WHERE n.status <> 'withdrawn' AND NOT EXISTS (
            SELECT 1 FROM registrations r WHERE r.delegation_id = n.delegation_id AND r.status <> 'withdrawn'
                AND NOT EXISTS (SELECT 1 FROM new_rows m WHERE m.id = r.id))) THEN
        PERFORM bump_data_version('map');
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION bump_map_version_registrations_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_rows o WHERE o.status <> 'withdrawn' AND NOT EXISTS (
            SELECT 1 FROM registrations r WHERE r.delegation_id = o.delegation_id AND r.status <> 'withdrawn')) THEN
        PERFORM bump_data_version('map');
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
DROP TRIGGER map_registrations_insert_delete ON registrations;
CREATE TRIGGER map_registrations_insert AFTER INSERT ON registrations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_map_version_registrations_inserted();
CREATE TRIGGER map_registrations_delete AFTER DELETE ON registrations REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_map_version_registrations_deleted();

-- +goose Down
DROP TRIGGER map_registrations_delete ON registrations;
DROP TRIGGER map_registrations_insert ON registrations;
DROP FUNCTION bump_map_version_registrations_deleted();
DROP FUNCTION bump_map_version_registrations_inserted();
CREATE TRIGGER map_registrations_insert_delete AFTER INSERT OR DELETE ON registrations FOR EACH ROW EXECUTE FUNCTION bump_map_version_registration();
