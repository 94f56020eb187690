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

-- +goose Down
DROP TABLE practice_sdgs;
