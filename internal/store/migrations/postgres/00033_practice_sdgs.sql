-- +goose Up
-- The library's SDG filter: see the SQLite migration of the same number.
CREATE TABLE practice_sdgs (
    sdg         INTEGER NOT NULL,
    released_at TEXT NOT NULL,
    proposal_id BIGINT NOT NULL REFERENCES practice_index(proposal_id) ON DELETE CASCADE,
    PRIMARY KEY (sdg, released_at, proposal_id)
);
CREATE INDEX practice_sdgs_proposal ON practice_sdgs(proposal_id);
INSERT INTO practice_sdgs (sdg, released_at, proposal_id)
    SELECT DISTINCT j.value::integer, i.released_at, i.proposal_id
    FROM practice_index i JOIN proposals p ON p.id = i.proposal_id, jsonb_array_elements_text(p.sdgs::jsonb) j;

-- A query word's check of one practice (EXISTS ... proposal_id = i.id AND
-- term in a range) reads this index alone, one descent, rather than every
-- term row of the practice from the table; SQLite's index on the WITHOUT
-- ROWID table holds the term already.
CREATE INDEX practice_terms_proposal_term ON practice_terms(proposal_id, term);
DROP INDEX practice_terms_proposal;

-- +goose Down
CREATE INDEX practice_terms_proposal ON practice_terms(proposal_id);
DROP INDEX practice_terms_proposal_term;
DROP TABLE practice_sdgs;
