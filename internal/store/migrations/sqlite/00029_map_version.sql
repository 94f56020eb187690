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
CREATE TRIGGER map_partnerships_ai AFTER INSERT ON partnerships BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_partnerships_ad AFTER DELETE ON partnerships BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_partnerships_au AFTER UPDATE ON partnerships BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_organisations_ai AFTER INSERT ON organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_organisations_ad AFTER DELETE ON organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_organisations_au AFTER UPDATE OF key, kind, country, code, name, sort_name, parent_id, lat, lng ON organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_series_ai AFTER INSERT ON series BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_series_ad AFTER DELETE ON series BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_series_au AFTER UPDATE ON series BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_series_organisations_ai AFTER INSERT ON series_organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_series_organisations_ad AFTER DELETE ON series_organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_series_organisations_au AFTER UPDATE ON series_organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_editions_ai AFTER INSERT ON editions BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_editions_ad AFTER DELETE ON editions BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_editions_au AFTER UPDATE ON editions BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_edition_organisations_ai AFTER INSERT ON edition_organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_edition_organisations_ad AFTER DELETE ON edition_organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_edition_organisations_au AFTER UPDATE ON edition_organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- A delegation is who took part only through its registrations: made
-- empty, it changes nothing (registering upserts it, rewriting its
-- event_id); moved, it does.
-- +goose StatementBegin
CREATE TRIGGER map_delegations_ad AFTER DELETE ON delegations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_delegations_au AFTER UPDATE OF event_id, org_id ON delegations
WHEN old.event_id <> new.event_id OR old.org_id <> new.org_id
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- A registration changes who took part only when it is its delegation's
-- first or last one not withdrawn: the others leave the number alone, so
-- that registering does not queue on its row.

-- +goose StatementBegin
CREATE TRIGGER map_registrations_ai AFTER INSERT ON registrations
WHEN new.status <> 'withdrawn' AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = new.delegation_id AND r.id <> new.id AND r.status <> 'withdrawn')
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_registrations_ad AFTER DELETE ON registrations
WHEN old.status <> 'withdrawn' AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = old.delegation_id AND r.id <> old.id AND r.status <> 'withdrawn')
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER map_registrations_au AFTER UPDATE OF status, delegation_id ON registrations
WHEN old.delegation_id <> new.delegation_id OR ((old.status = 'withdrawn') <> (new.status = 'withdrawn')
    AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = new.delegation_id AND r.id <> new.id AND r.status <> 'withdrawn'))
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER map_partnerships_ai;
DROP TRIGGER map_partnerships_ad;
DROP TRIGGER map_partnerships_au;
DROP TRIGGER map_organisations_ai;
DROP TRIGGER map_organisations_ad;
DROP TRIGGER map_organisations_au;
DROP TRIGGER map_series_ai;
DROP TRIGGER map_series_ad;
DROP TRIGGER map_series_au;
DROP TRIGGER map_series_organisations_ai;
DROP TRIGGER map_series_organisations_ad;
DROP TRIGGER map_series_organisations_au;
DROP TRIGGER map_editions_ai;
DROP TRIGGER map_editions_ad;
DROP TRIGGER map_editions_au;
DROP TRIGGER map_edition_organisations_ai;
DROP TRIGGER map_edition_organisations_ad;
DROP TRIGGER map_edition_organisations_au;
DROP TRIGGER map_delegations_ad;
DROP TRIGGER map_delegations_au;
DROP TRIGGER map_registrations_ai;
DROP TRIGGER map_registrations_ad;
DROP TRIGGER map_registrations_au;
DROP TABLE data_versions;
