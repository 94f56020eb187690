-- +goose Up
-- The library's SDG filter reads an index rather than a LIKE over every
-- practice's ",7,11," list: practice_sdgs holds a row per practice and
-- goal, with the practice's release, so that "sdg=7" counts and pages
-- from one range of its primary key. reindexPractice keeps it with
-- practice_index; this fills it for the practices already indexed.
CREATE TABLE practice_sdgs (
    sdg         INTEGER NOT NULL,
    released_at TEXT NOT NULL,
    proposal_id INTEGER NOT NULL REFERENCES practice_index(proposal_id) ON DELETE CASCADE,
    PRIMARY KEY (sdg, released_at, proposal_id)
) WITHOUT ROWID;
CREATE INDEX practice_sdgs_proposal ON practice_sdgs(proposal_id);
INSERT INTO practice_sdgs (sdg, released_at, proposal_id)
    SELECT DISTINCT CAST(j.value AS INTEGER), i.released_at, i.proposal_id
    FROM practice_index i JOIN proposals p ON p.id = i.proposal_id, json_each(p.sdgs) j;

-- +goose Down
DROP TABLE practice_sdgs;
