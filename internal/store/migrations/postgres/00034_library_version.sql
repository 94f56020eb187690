-- +goose Up
-- The library's version (issue 15): a number every write to what the
-- library of good practices shows or filters raises in its own transaction
-- (its index, terms and texts; the proposals in it, their decisions,
-- release, session and authorities; those authorities' names, kinds and
-- countries; series, editions, their workshops; events and sessions), so
-- that each instance keeps the library's searchable data in memory
-- (store/library.go) and reads it again only when the number it read no
-- longer is the one stored. Triggers rather than Go, as for the map
-- (00029), so that no write path can forget it. Once per statement, but a
-- proposal's writes raise it only when it is in the library before or
-- after (a draft's edits leave it).
INSERT INTO data_versions (name, version) VALUES ('library', 1);

-- +goose StatementBegin
CREATE FUNCTION bump_library_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
    RETURN NULL;
END $$;
-- +goose StatementEnd

CREATE TRIGGER library_practice_index AFTER INSERT OR DELETE OR UPDATE ON practice_index FOR EACH STATEMENT EXECUTE FUNCTION bump_library_version();
CREATE TRIGGER library_practice_texts AFTER INSERT OR DELETE OR UPDATE ON practice_texts FOR EACH STATEMENT EXECUTE FUNCTION bump_library_version();
CREATE TRIGGER library_practice_terms AFTER INSERT OR DELETE OR UPDATE ON practice_terms FOR EACH STATEMENT EXECUTE FUNCTION bump_library_version();
CREATE TRIGGER library_practice_sdgs AFTER INSERT OR DELETE OR UPDATE ON practice_sdgs FOR EACH STATEMENT EXECUTE FUNCTION bump_library_version();
CREATE TRIGGER library_proposals_insert AFTER INSERT ON proposals FOR EACH ROW
    WHEN (NEW.released_at IS NOT NULL AND NEW.decision IN ('accepted', 'accepted_other') AND NEW.state = 'submitted')
    EXECUTE FUNCTION bump_library_version();
CREATE TRIGGER library_proposals_delete AFTER DELETE ON proposals FOR EACH ROW
    WHEN (OLD.released_at IS NOT NULL AND OLD.decision IN ('accepted', 'accepted_other') AND OLD.state = 'submitted')
    EXECUTE FUNCTION bump_library_version();
CREATE TRIGGER library_proposals_update AFTER UPDATE OF call_id, title, summary, sdgs, workshop, state, decision, decision_workshop, released_at, session_id ON proposals FOR EACH ROW
    WHEN ((OLD.released_at IS NOT NULL AND OLD.decision IN ('accepted', 'accepted_other') AND OLD.state = 'submitted')
        OR (NEW.released_at IS NOT NULL AND NEW.decision IN ('accepted', 'accepted_other') AND NEW.state = 'submitted'))
    EXECUTE FUNCTION bump_library_version();
-- A proposal's authorities matter once it is indexed: a draft's do not.
-- +goose StatementBegin
CREATE FUNCTION bump_library_version_proposal_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM practice_index i WHERE i.proposal_id = NEW.proposal_id))
        OR (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM practice_index i WHERE i.proposal_id = OLD.proposal_id)) THEN
        UPDATE data_versions SET version = version + 1 WHERE name = 'library';
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER library_proposal_organisations AFTER INSERT OR DELETE OR UPDATE ON proposal_organisations FOR EACH ROW EXECUTE FUNCTION bump_library_version_proposal_org();
CREATE TRIGGER library_organisations AFTER DELETE OR UPDATE OF key, name, country, kind ON organisations FOR EACH STATEMENT EXECUTE FUNCTION bump_library_version();
CREATE TRIGGER library_calls AFTER UPDATE OF event_id ON calls FOR EACH STATEMENT EXECUTE FUNCTION bump_library_version();
CREATE TRIGGER library_events AFTER DELETE OR UPDATE OF edition_id, time_zone ON events FOR EACH STATEMENT EXECUTE FUNCTION bump_library_version();
CREATE TRIGGER library_series AFTER INSERT OR DELETE OR UPDATE ON series FOR EACH STATEMENT EXECUTE FUNCTION bump_library_version();
CREATE TRIGGER library_editions AFTER INSERT OR DELETE OR UPDATE ON editions FOR EACH STATEMENT EXECUTE FUNCTION bump_library_version();
CREATE TRIGGER library_edition_workshops AFTER INSERT OR DELETE OR UPDATE ON edition_workshops FOR EACH STATEMENT EXECUTE FUNCTION bump_library_version();
CREATE TRIGGER library_programme_sessions AFTER DELETE OR UPDATE OF edition_id, title, starts_at, ends_at ON programme_sessions FOR EACH STATEMENT EXECUTE FUNCTION bump_library_version();

-- +goose Down
DROP TRIGGER library_practice_index ON practice_index;
DROP TRIGGER library_practice_texts ON practice_texts;
DROP TRIGGER library_practice_terms ON practice_terms;
DROP TRIGGER library_practice_sdgs ON practice_sdgs;
DROP TRIGGER library_proposals_insert ON proposals;
DROP TRIGGER library_proposals_delete ON proposals;
DROP TRIGGER library_proposals_update ON proposals;
DROP TRIGGER library_proposal_organisations ON proposal_organisations;
DROP TRIGGER library_organisations ON organisations;
DROP TRIGGER library_calls ON calls;
DROP TRIGGER library_events ON events;
DROP TRIGGER library_series ON series;
DROP TRIGGER library_editions ON editions;
DROP TRIGGER library_edition_workshops ON edition_workshops;
DROP TRIGGER library_programme_sessions ON programme_sessions;
DROP FUNCTION bump_library_version_proposal_org();
DROP FUNCTION bump_library_version();
DELETE FROM data_versions WHERE name = 'library';
