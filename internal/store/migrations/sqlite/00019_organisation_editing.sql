-- +goose Up
-- The secretariat keeps the directory: what the reference data does not
-- give (address, languages of the international-relations service,
-- membership of CUF's Japan country group, its own notes), where a record
-- comes from ('reference' or 'local'), and, for a reference record, the
-- reference value of each field the secretariat changed (JSON, field →
-- value): the columns hold what is shown, and re-imports update the kept
-- reference value instead of the column.
ALTER TABLE organisations ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE organisations ADD COLUMN cuf_japan_group BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE organisations ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN source TEXT NOT NULL DEFAULT 'reference';
ALTER TABLE organisations ADD COLUMN overrides TEXT NOT NULL DEFAULT '{}';
ALTER TABLE organisations ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
-- Two records of one authority merged: the removed key leads to the kept
-- one (a 301 on public pages), and the kept one's page tells the merge.
-- Who merged is the audit entry's.
CREATE TABLE organisation_merges (
    id           INTEGER PRIMARY KEY,
    kept_id      INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    removed_key  TEXT NOT NULL UNIQUE,
    removed_name TEXT NOT NULL,
    removed_code TEXT NOT NULL DEFAULT '',
    merged_at    TEXT NOT NULL,
    audit_id     INTEGER REFERENCES audit_log(id) ON DELETE SET NULL
);
CREATE INDEX organisation_merges_kept ON organisation_merges(kept_id);

-- +goose Down
DROP INDEX organisation_merges_kept;
DROP TABLE organisation_merges;
ALTER TABLE organisations DROP COLUMN updated_at;
ALTER TABLE organisations DROP COLUMN created_at;
ALTER TABLE organisations DROP COLUMN overrides;
ALTER TABLE organisations DROP COLUMN source;
ALTER TABLE organisations DROP COLUMN notes;
ALTER TABLE organisations DROP COLUMN cuf_japan_group;
ALTER TABLE organisations DROP COLUMN languages;
ALTER TABLE organisations DROP COLUMN address;
