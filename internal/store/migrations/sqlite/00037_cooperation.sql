-- +goose Up
-- An authority's cooperation profile (issue 17): the themes it seeks and
-- offers, the kinds of cooperation it looks for and the languages its
-- people speak. Each list is its keys between commas (",tourism,culture,")
-- so that "seeks a theme" is one LIKE; keys are checked by the domain
-- (rencontres.CooperationThemes…). updated_by keeps the account's id: an
-- erased account keeps its row, blanked, so the id names nobody.
CREATE TABLE cooperation_profiles (
    org_id     INTEGER PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    seeks      TEXT NOT NULL DEFAULT '',
    offers     TEXT NOT NULL DEFAULT '',
    kinds      TEXT NOT NULL DEFAULT '',
    languages  TEXT NOT NULL DEFAULT '',
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE cooperation_profiles;
