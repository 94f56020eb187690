-- +goose Up
-- A partnership is kept by the secretariat: an agreement of another kind
-- than the usual ones has its own label, one that ended says when, and
-- each has a state (active, dormant, ended, in_project) with its last
-- exchanges and current projects, which the authorities' own contacts
-- keep up to date (the « état des lieux » of the Point Japon).
ALTER TABLE partnerships ADD COLUMN kind_label TEXT NOT NULL DEFAULT '{}';
ALTER TABLE partnerships ADD COLUMN year_ended INTEGER NOT NULL DEFAULT 0;
ALTER TABLE partnerships ADD COLUMN state TEXT NOT NULL DEFAULT 'active';
ALTER TABLE partnerships ADD COLUMN last_exchanges TEXT NOT NULL DEFAULT '';
ALTER TABLE partnerships ADD COLUMN current_projects TEXT NOT NULL DEFAULT '';
ALTER TABLE partnerships ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
ALTER TABLE partnerships ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';

-- The signed agreement, stored in the database like an event's documents
-- (one backup holds everything), typed by its content.
CREATE TABLE partnership_agreements (
    partnership_id INTEGER PRIMARY KEY REFERENCES partnerships(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    uploaded_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    uploaded_at    TEXT NOT NULL,
    data           BLOB NOT NULL
);

-- An authority's answer to the état des lieux for one of its
-- partnerships: what its contact reports, when and who, and when the
-- secretariat reviewed it.
CREATE TABLE partnership_reports (
    id               INTEGER PRIMARY KEY,
    partnership_id   INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    org_id           INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    state            TEXT NOT NULL,
    last_exchanges   TEXT NOT NULL DEFAULT '',
    current_projects TEXT NOT NULL DEFAULT '',
    author_id        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at       TEXT NOT NULL,
    reviewed_at      TEXT,
    reviewed_by      INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX partnership_reports_partnership ON partnership_reports(partnership_id);
CREATE INDEX partnership_reports_org ON partnership_reports(org_id);

-- +goose Down
DROP TABLE partnership_reports;
DROP TABLE partnership_agreements;
ALTER TABLE partnerships DROP COLUMN updated_at;
ALTER TABLE partnerships DROP COLUMN created_at;
ALTER TABLE partnerships DROP COLUMN current_projects;
ALTER TABLE partnerships DROP COLUMN last_exchanges;
ALTER TABLE partnerships DROP COLUMN state;
ALTER TABLE partnerships DROP COLUMN year_ended;
ALTER TABLE partnerships DROP COLUMN kind_label;
