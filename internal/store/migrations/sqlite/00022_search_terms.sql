-- +goose Up
-- The directory's search reads a table of terms instead of a trigram
-- index: every suffix of every folded name form (names in each script,
-- kana, romaji with its suffix, the name without its article), with where
-- it starts (0 the whole form, 1 the start of a form, 2 the start of a word,
-- 3 inside a word). A query is a range of this B-tree, term >= q AND
-- term < q's successor, so that one- and two-character kanji and kana
-- queries are served by the index as well as Latin prefixes; the trigram
-- index could not serve queries shorter than three characters.
-- The terms are written by Go (reindexOrganisations in
-- internal/store/orgsearch.go); search_indexed records what they were built
-- from, so that an organisation whose names did not change is not rewritten.
CREATE TABLE organisation_terms (
    term   TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    pos    INTEGER NOT NULL,
    -- The organisation's order among those of the same tier, its country
    -- and kind, copied here so that a search filters, counts and orders
    -- its matches from this table alone.
    ord     INTEGER NOT NULL,
    country TEXT NOT NULL,
    kind    TEXT NOT NULL,
    -- The organisation's term just before this one ('' for its first):
    -- a search counts an organisation once, by the one term in its range
    -- whose prev is outside it.
    prev    TEXT NOT NULL,
    PRIMARY KEY (term, org_id)
) WITHOUT ROWID;
CREATE INDEX organisation_terms_org ON organisation_terms(org_id);
ALTER TABLE organisations ADD COLUMN search_indexed TEXT NOT NULL DEFAULT '';
DROP TRIGGER organisations_ai;
DROP TRIGGER organisations_ad;
DROP TRIGGER organisations_au;
DROP TABLE organisations_fts;

-- +goose Down
CREATE VIRTUAL TABLE organisations_fts USING fts5(search_text, content='organisations', content_rowid='id', tokenize='trigram');
INSERT INTO organisations_fts(rowid, search_text) SELECT id, search_text FROM organisations;
-- +goose StatementBegin
CREATE TRIGGER organisations_ai AFTER INSERT ON organisations BEGIN
    INSERT INTO organisations_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_ad AFTER DELETE ON organisations BEGIN
    INSERT INTO organisations_fts(organisations_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_au AFTER UPDATE OF search_text ON organisations BEGIN
    INSERT INTO organisations_fts(organisations_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO organisations_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd
ALTER TABLE organisations DROP COLUMN search_indexed;
DROP TABLE organisation_terms;
