-- +goose Up
-- The tier each search term ranks in apart from exactness, stored so that a
-- search reads one tier at a time: 1 a whole form or the start of one
-- (pos 0 and 1), 2 the start of a word, 3 inside a word. Two indexes read
-- a tier: by its range of terms, to count and read a tier of a narrow
-- query, and in rank order, to read the best matches of a broad one by
-- stopping at the first ones in range (see internal/store/orgsearch.go).
-- reindexOrganisations writes the tier of new terms; the DEFAULT is only
-- for the ALTER, which SQLite requires for a NOT NULL column.
ALTER TABLE organisation_terms ADD COLUMN tier INTEGER NOT NULL DEFAULT 0;
UPDATE organisation_terms SET tier = CASE WHEN pos <= 1 THEN 1 ELSE pos END;
CREATE INDEX organisation_terms_tier_range ON organisation_terms(tier, term, country, kind, org_id, ord);
CREATE INDEX organisation_terms_tier_rank ON organisation_terms(tier, ord, org_id, term, country, kind);

-- +goose Down
DROP INDEX organisation_terms_tier_rank;
DROP INDEX organisation_terms_tier_range;
ALTER TABLE organisation_terms DROP COLUMN tier;
