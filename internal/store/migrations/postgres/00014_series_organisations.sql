-- +goose Up
-- A series' co-organisers and patrons (Cités Unies France and CLAIR Paris
-- for the Rencontres), chosen from the directory when the secretariat
-- creates the series; each edition keeps its own list as well.
CREATE TABLE series_organisations (
    series_id BIGINT NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    org_id    BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    role      TEXT NOT NULL,
    seq       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (series_id, org_id, role)
);
CREATE INDEX series_organisations_org ON series_organisations(org_id);
-- A change of dates is a postponement (the event moved: shown as such in
-- its history) or a correction (a typo fixed: the event never was
-- announced for those days). The changes recorded so far were all moves.
ALTER TABLE event_date_changes ADD COLUMN kind TEXT NOT NULL DEFAULT 'postponement';

-- +goose Down
ALTER TABLE event_date_changes DROP COLUMN kind;
DROP INDEX series_organisations_org;
DROP TABLE series_organisations;
