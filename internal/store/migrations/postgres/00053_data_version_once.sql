-- +goose Up
-- The map's and the library's versions (00029, 00034) rose once per
-- statement: a transaction of many statements (the reference import
-- writes and reindexes each authority with a statement of its own)
-- updated one row of data_versions tens of thousands of times, and each
-- update walked the row's versions the same transaction had left, which
-- no vacuum may remove before it ends: the first import took 52 s where
-- SQLite took 5. A version now rises once per transaction, which is all a
-- reader comparing numbers needs: whether the bump was made is a setting
-- local to the transaction (and undone with a savepoint rolled back).
-- +goose StatementBegin
CREATE FUNCTION bump_data_version(which TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('rencontres.bumped_' || which, true) IS DISTINCT FROM '1' THEN
        UPDATE data_versions SET version = version + 1 WHERE name = which;
        PERFORM set_config('rencontres.bumped_' || which, '1', true);
    END IF;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_map_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_data_version('map');
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_map_version_registration() RETURNS trigger LANGUAGE plpgsql AS $$
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
    PERFORM bump_data_version('map');
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_library_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_data_version('library');
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_library_version_proposal_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM practice_index i WHERE i.proposal_id = NEW.proposal_id))
        OR (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM practice_index i WHERE i.proposal_id = OLD.proposal_id)) THEN
        PERFORM bump_data_version('library');
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_map_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'map';
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_map_version_registration() RETURNS trigger LANGUAGE plpgsql AS $$
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
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_library_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_library_version_proposal_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM practice_index i WHERE i.proposal_id = NEW.proposal_id))
        OR (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM practice_index i WHERE i.proposal_id = OLD.proposal_id)) THEN
        UPDATE data_versions SET version = version + 1 WHERE name = 'library';
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
DROP FUNCTION bump_data_version(TEXT);
