-- +goose Up
-- The library of good practices (issue 15) reads two tables that
-- reindexPractice (store/practiceindex.go) keeps for every accepted,
-- released proposal: practice_index, one row per practice with what its
-- filters read (the edition, its year, the workshop, the SDGs, the
-- countries and kinds of its authorities, as ",7,11," lists that LIKE
-- reads the same on both databases); practice_texts its folded text; practice_terms,
-- the words of its title and summary in every language and of its
-- authorities' names in every form, folded (rencontres.FoldSearch), each
-- kanji or kana also starting a term. A query word is the range
-- term >= w AND term < w's successor of the primary key.
CREATE TABLE practice_index (
    proposal_id INTEGER PRIMARY KEY REFERENCES proposals(id) ON DELETE CASCADE,
    released_at TEXT NOT NULL,
    edition_id  INTEGER REFERENCES events(id) ON DELETE SET NULL,
    year        INTEGER NOT NULL DEFAULT 0,
    workshop    INTEGER NOT NULL DEFAULT 0, -- 1 the first workshop, 0 none
    sdgs        TEXT NOT NULL DEFAULT ',',
    countries   TEXT NOT NULL DEFAULT ',',
    kinds       TEXT NOT NULL DEFAULT ',',
    indexed     TEXT NOT NULL DEFAULT ''    -- the version of the index that built the row
);
CREATE INDEX practice_index_released ON practice_index(released_at, proposal_id);
CREATE INDEX practice_index_edition ON practice_index(edition_id, workshop);
-- What a listing's count reads without the rows' text.
CREATE INDEX practice_index_filters ON practice_index(year, edition_id, workshop, sdgs, countries, kinds);

-- The folded text of a practice, which a query word longer than a term
-- is checked against; apart, so that the rows the filters read stay small.
CREATE TABLE practice_texts (
    proposal_id INTEGER PRIMARY KEY REFERENCES proposals(id) ON DELETE CASCADE,
    search_text TEXT NOT NULL
);

CREATE TABLE practice_terms (
    term        TEXT NOT NULL,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    PRIMARY KEY (term, proposal_id)
) WITHOUT ROWID;
CREATE INDEX practice_terms_proposal ON practice_terms(proposal_id);

-- +goose Down
DROP TABLE practice_terms;
DROP TABLE practice_texts;
DROP TABLE practice_index;
