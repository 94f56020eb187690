-- +goose Up
-- The directory's search reads a table of terms instead of the trigram
-- index: every suffix of every folded name form, with where it starts (see
-- the SQLite migration of the same number). Terms compare in code-point
-- order (COLLATE "C"), so that a prefix is a range of the B-tree.
CREATE TABLE organisation_terms (
    term   TEXT COLLATE "C" NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    pos    SMALLINT NOT NULL,
    ord     BIGINT NOT NULL,
    country TEXT NOT NULL,
    kind    TEXT NOT NULL,
    prev    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (term, org_id) INCLUDE (pos, ord, country, kind, prev)
);
CREATE INDEX organisation_terms_org ON organisation_terms(org_id);
ALTER TABLE organisations ADD COLUMN search_indexed TEXT NOT NULL DEFAULT '';
DROP INDEX organisations_search;

-- +goose Down
CREATE INDEX organisations_search ON organisations USING gin (search_text gin_trgm_ops);
ALTER TABLE organisations DROP COLUMN search_indexed;
DROP TABLE organisation_terms;
