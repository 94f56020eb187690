-- +goose Up
-- The map's version rises when a registration is its delegation's first
-- or last one not withdrawn (00029). PostgreSQL runs a statement's row
-- triggers once the statement has written every row: the first two
-- people of an authority, written by one statement (a batch of
-- registrations), each saw the other and neither raised the version, so
-- that the map did not show the authority. A new registration now looks
-- only at the delegation's registrations before it (a lower id): the
-- first of the statement's finds none. Ids follow the order of the
-- event's lock, under which every registration of a delegation (of one
-- event) is written, so that a registration already there has a lower id.
-- (A check per statement over a transition table was tried: it halved
-- the rate of two instances registering at once.)
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_map_version_registration() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND (NEW.status = 'withdrawn' OR EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = NEW.delegation_id AND r.id < NEW.id AND r.status <> 'withdrawn')) THEN
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

-- +goose Down
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
