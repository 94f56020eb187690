-- +goose Up
-- The library's version (issue 15): a number every write to what the
-- library of good practices shows or filters raises in its own transaction
-- (its index, terms and texts; the proposals in it, their decisions,
-- release, session and authorities; those authorities' names, kinds and
-- countries; series, editions, their workshops; events and sessions), so
-- that each instance keeps the library's searchable data in memory
-- (store/library.go) and reads it again only when the number it read no
-- longer is the one stored. Triggers rather than Go, as for the map
-- (00029), so that no write path can forget it. A proposal's writes raise
-- it only when it is in the library before or after; an authority's, a
-- proposal's authorities' only when a practice reads them.
INSERT INTO data_versions (name, version) VALUES ('library', 1);

-- +goose StatementBegin
CREATE TRIGGER library_practice_index_ai AFTER INSERT ON practice_index BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_practice_index_ad AFTER DELETE ON practice_index BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_practice_index_au AFTER UPDATE ON practice_index BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_practice_texts_ai AFTER INSERT ON practice_texts BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_practice_texts_ad AFTER DELETE ON practice_texts BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_practice_texts_au AFTER UPDATE ON practice_texts BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_practice_terms_ai AFTER INSERT ON practice_terms BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_practice_terms_ad AFTER DELETE ON practice_terms BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_practice_sdgs_ai AFTER INSERT ON practice_sdgs BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_practice_sdgs_ad AFTER DELETE ON practice_sdgs BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_practice_sdgs_au AFTER UPDATE ON practice_sdgs BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_proposals_ai AFTER INSERT ON proposals
WHEN (new.released_at IS NOT NULL AND new.decision IN ('accepted', 'accepted_other') AND new.state = 'submitted') BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_proposals_ad AFTER DELETE ON proposals
WHEN (old.released_at IS NOT NULL AND old.decision IN ('accepted', 'accepted_other') AND old.state = 'submitted') BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_proposals_au AFTER UPDATE OF call_id, title, summary, sdgs, workshop, state, decision, decision_workshop, released_at, session_id ON proposals
WHEN (old.released_at IS NOT NULL AND old.decision IN ('accepted', 'accepted_other') AND old.state = 'submitted') OR (new.released_at IS NOT NULL AND new.decision IN ('accepted', 'accepted_other') AND new.state = 'submitted') BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_proposal_organisations_ai AFTER INSERT ON proposal_organisations
WHEN EXISTS (SELECT 1 FROM practice_index i WHERE i.proposal_id = new.proposal_id) BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_proposal_organisations_ad AFTER DELETE ON proposal_organisations
WHEN EXISTS (SELECT 1 FROM practice_index i WHERE i.proposal_id = old.proposal_id) BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_proposal_organisations_au AFTER UPDATE ON proposal_organisations
WHEN EXISTS (SELECT 1 FROM practice_index i WHERE i.proposal_id = old.proposal_id) OR EXISTS (SELECT 1 FROM practice_index i WHERE i.proposal_id = new.proposal_id) BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_organisations_au AFTER UPDATE OF key, name, country, kind ON organisations
WHEN EXISTS (SELECT 1 FROM proposal_organisations po JOIN practice_index i ON i.proposal_id = po.proposal_id WHERE po.org_id = new.id) BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_organisations_ad AFTER DELETE ON organisations
WHEN EXISTS (SELECT 1 FROM proposal_organisations po JOIN practice_index i ON i.proposal_id = po.proposal_id WHERE po.org_id = old.id) BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_calls_au AFTER UPDATE OF event_id ON calls BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_events_au AFTER UPDATE OF edition_id, time_zone ON events BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_events_ad AFTER DELETE ON events BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_series_ai AFTER INSERT ON series BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_series_ad AFTER DELETE ON series BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_series_au AFTER UPDATE ON series BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_editions_ai AFTER INSERT ON editions BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_editions_ad AFTER DELETE ON editions BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_editions_au AFTER UPDATE ON editions BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_edition_workshops_ai AFTER INSERT ON edition_workshops BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_edition_workshops_ad AFTER DELETE ON edition_workshops BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_edition_workshops_au AFTER UPDATE ON edition_workshops BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_programme_sessions_au AFTER UPDATE OF edition_id, title, starts_at, ends_at ON programme_sessions BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER library_programme_sessions_ad AFTER DELETE ON programme_sessions BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'library';
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER library_practice_index_ai;
DROP TRIGGER library_practice_index_ad;
DROP TRIGGER library_practice_index_au;
DROP TRIGGER library_practice_texts_ai;
DROP TRIGGER library_practice_texts_ad;
DROP TRIGGER library_practice_texts_au;
DROP TRIGGER library_practice_terms_ai;
DROP TRIGGER library_practice_terms_ad;
DROP TRIGGER library_practice_sdgs_ai;
DROP TRIGGER library_practice_sdgs_ad;
DROP TRIGGER library_practice_sdgs_au;
DROP TRIGGER library_proposals_ai;
DROP TRIGGER library_proposals_ad;
DROP TRIGGER library_proposals_au;
DROP TRIGGER library_proposal_organisations_ai;
DROP TRIGGER library_proposal_organisations_ad;
DROP TRIGGER library_proposal_organisations_au;
DROP TRIGGER library_organisations_au;
DROP TRIGGER library_organisations_ad;
DROP TRIGGER library_calls_au;
DROP TRIGGER library_events_au;
DROP TRIGGER library_events_ad;
DROP TRIGGER library_series_ai;
DROP TRIGGER library_series_ad;
DROP TRIGGER library_series_au;
DROP TRIGGER library_editions_ai;
DROP TRIGGER library_editions_ad;
DROP TRIGGER library_editions_au;
DROP TRIGGER library_edition_workshops_ai;
DROP TRIGGER library_edition_workshops_ad;
DROP TRIGGER library_edition_workshops_au;
DROP TRIGGER library_programme_sessions_au;
DROP TRIGGER library_programme_sessions_ad;
DELETE FROM data_versions WHERE name = 'library';
