-- +goose Up
-- The library of good practices: see the SQLite migration of the same
-- number. Terms compare in code-point order (COLLATE "C"), so that a
-- prefix is a range of the B-tree, as in organisation_terms.
CREATE TABLE practice_index (
    proposal_id BIGINT PRIMARY KEY REFERENCES proposals(id) ON DELETE CASCADE,
    released_at TEXT NOT NULL,
    edition_id  BIGINT REFERENCES events(id) ON DELETE SET NULL,
    year        INTEGER NOT NULL DEFAULT 0,
    workshop    INTEGER NOT NULL DEFAULT 0,
    sdgs        TEXT NOT NULL DEFAULT ',',
    countries   TEXT NOT NULL DEFAULT ',',
    kinds       TEXT NOT NULL DEFAULT ',',
    indexed     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX practice_index_released ON practice_index(released_at, proposal_id);
CREATE INDEX practice_index_edition ON practice_index(edition_id, workshop);
-- What a listing's count reads without the rows' text.
CREATE INDEX practice_index_filters ON practice_index(year, edition_id, workshop, sdgs, countries, kinds);

-- The folded text of a practice, which a query word longer than a term
-- is checked against; apart, so that the rows the filters read stay small.
CREATE TABLE practice_texts (
    proposal_id BIGINT PRIMARY KEY REFERENCES proposals(id) ON DELETE CASCADE,
    search_text TEXT NOT NULL
);

CREATE TABLE practice_terms (
    term        TEXT COLLATE "C" NOT NULL,
    proposal_id BIGINT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    PRIMARY KEY (term, proposal_id)
);
CREATE INDEX practice_terms_proposal ON practice_terms(proposal_id);

-- +goose Down
DROP TABLE practice_terms;
DROP TABLE practice_texts;
DROP TABLE practice_index;
