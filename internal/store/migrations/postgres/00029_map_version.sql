-- +goose Up
-- The twinning map's version (issue 14): a number every write to what the
-- map draws raises in its own transaction (partnerships, the authorities'
-- names, kinds, parents and positions, series and editions, who took part
-- through a delegation with someone not withdrawn), so that each instance
-- keeps the map's data in memory and reads it again only when the number
-- it read no longer is the one stored. Triggers rather than Go, so that no
-- write path (an import, a merge, a cascade, an erasure) can forget it.
CREATE TABLE data_versions (
    name    TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO data_versions (name, version) VALUES ('map', 1);

-- +goose StatementBegin
CREATE FUNCTION bump_map_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- Once per statement: an import of thousands of rows raises it once.
CREATE TRIGGER map_partnerships AFTER INSERT OR DELETE OR UPDATE ON partnerships FOR EACH STATEMENT EXECUTE FUNCTION bump_map_version();
CREATE TRIGGER map_organisations AFTER INSERT OR DELETE OR UPDATE OF key, kind, country, code, name, sort_name, parent_id, lat, lng ON organisations FOR EACH STATEMENT EXECUTE FUNCTION bump_map_version();
CREATE TRIGGER map_series AFTER INSERT OR DELETE OR UPDATE ON series FOR EACH STATEMENT EXECUTE FUNCTION bump_map_version();
CREATE TRIGGER map_series_organisations AFTER INSERT OR DELETE OR UPDATE ON series_organisations FOR EACH STATEMENT EXECUTE FUNCTION bump_map_version();
CREATE TRIGGER map_editions AFTER INSERT OR DELETE OR UPDATE ON editions FOR EACH STATEMENT EXECUTE FUNCTION bump_map_version();
CREATE TRIGGER map_edition_organisations AFTER INSERT OR DELETE OR UPDATE ON edition_organisations FOR EACH STATEMENT EXECUTE FUNCTION bump_map_version();

-- A delegation is who took part only through its registrations: made
-- empty, it changes nothing (registering upserts it, rewriting its
-- event_id); moved, it does.
CREATE TRIGGER map_delegations_delete AFTER DELETE ON delegations FOR EACH STATEMENT EXECUTE FUNCTION bump_map_version();
CREATE TRIGGER map_delegations_update AFTER UPDATE OF event_id, org_id ON delegations FOR EACH ROW
    WHEN (OLD.event_id <> NEW.event_id OR OLD.org_id <> NEW.org_id) EXECUTE FUNCTION bump_map_version();

-- A registration changes who took part only when it is its delegation's
-- first or last one not withdrawn: the others leave the number alone, so
-- that registering does not queue on its row.
-- +goose StatementBegin
CREATE FUNCTION bump_map_version_registration() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND (NEW.status = 'withdrawn' OR EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = NEW.delegation_id AND r.id <> NEW.id AND r.status <> 'withdrawn')) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' AND (OLD.status = 'withdrawn' OR EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = OLD.delegation_id AND r.id <> OLD.id AND r.status <> 'withdrawn')) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.delegation_id = NEW.delegation_id
        AND EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = NEW.delegation_id AND r.id <> NEW.id AND r.status <> 'withdrawn') THEN
        RETURN NULL;
    END IF;
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER map_registrations_insert_delete AFTER INSERT OR DELETE ON registrations FOR EACH ROW EXECUTE FUNCTION bump_map_version_registration();
CREATE TRIGGER map_registrations_update AFTER UPDATE OF status, delegation_id ON registrations FOR EACH ROW
    WHEN ((OLD.status = 'withdrawn') IS DISTINCT FROM (NEW.status = 'withdrawn') OR OLD.delegation_id <> NEW.delegation_id)
    EXECUTE FUNCTION bump_map_version_registration();

-- +goose Down
DROP TRIGGER map_partnerships ON partnerships;
DROP TRIGGER map_organisations ON organisations;
DROP TRIGGER map_series ON series;
DROP TRIGGER map_series_organisations ON series_organisations;
DROP TRIGGER map_editions ON editions;
DROP TRIGGER map_edition_organisations ON edition_organisations;
DROP TRIGGER map_delegations_delete ON delegations;
DROP TRIGGER map_delegations_update ON delegations;
DROP TRIGGER map_registrations_insert_delete ON registrations;
DROP TRIGGER map_registrations_update ON registrations;
DROP FUNCTION bump_map_version_registration();
DROP FUNCTION bump_map_version();
DROP TABLE data_versions;
