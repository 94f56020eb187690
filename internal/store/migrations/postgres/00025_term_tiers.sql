-- +goose Up
-- The tier each search term ranks in apart from exactness, and the two
-- indexes that read a tier by its range of terms and in rank order (see the
-- SQLite migration of the same number). Both carry every column a search
-- reads, so that it answers from the index alone once the table is
-- vacuumed (Store.Optimize).
ALTER TABLE organisation_terms ADD COLUMN tier SMALLINT NOT NULL DEFAULT 0;
UPDATE organisation_terms SET tier = CASE WHEN pos <= 1 THEN 1 ELSE pos END;
ALTER TABLE organisation_terms ALTER COLUMN tier DROP DEFAULT;
CREATE INDEX organisation_terms_tier_range ON organisation_terms(tier, term) INCLUDE (country, kind, org_id, ord);
CREATE INDEX organisation_terms_tier_rank ON organisation_terms(tier, ord, org_id) INCLUDE (term, country, kind);

-- +goose Down
DROP INDEX organisation_terms_tier_rank;
DROP INDEX organisation_terms_tier_range;
ALTER TABLE organisation_terms DROP COLUMN tier;
