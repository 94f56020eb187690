-- +goose Up
-- The final declaration of an edition (issue 16): one text held as aligned
-- segments, each in French and Japanese (English optional), drafted side by
-- side by the edition's joint committee and the secretariat, amended by the
-- registered authorities, frozen, adopted by vote or endorsement, then
-- published. Translated texts are JSON (rencontres.Text); instants are UTC
-- text like every other table.

-- A declaration: one per edition. rev is raised by every saved change of
-- any of its segments (declaration_versions.rev), so that the whole text as
-- it stood at any change can be read again. state: draft, frozen (no more
-- edits; adoption under way), adopted (immutable but for dated
-- corrections). The amendment period is [amend_opens, amend_closes).
-- adoption_mode: '' until chosen, vote (recorded in plenary by the
-- committee), endorsement (each authority's contact signs on until
-- endorse_until). adopted_rev is the rev of the text adopted.
CREATE TABLE declarations (
    id             INTEGER PRIMARY KEY,
    edition_id     INTEGER NOT NULL UNIQUE REFERENCES editions(id) ON DELETE CASCADE,
    title          TEXT NOT NULL DEFAULT '{}',
    state          TEXT NOT NULL DEFAULT 'draft',
    rev            INTEGER NOT NULL DEFAULT 0,
    amend_opens    TEXT,
    amend_closes   TEXT,
    adoption_mode  TEXT NOT NULL DEFAULT '',
    endorse_until  TEXT,
    frozen_at      TEXT,
    adopted_at     TEXT,
    adopted_rev    INTEGER,
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- A segment of the text: preamble, heading, article (numbered in order
-- among the articles) or paragraph. position orders the segments (gaps
-- allowed). version is raised by every change of this segment and is what
-- a concurrent save and an amendment are checked against. check_langs lists
-- the languages whose translation must be checked ("ja", "fr,en"): set
-- when one language changes and not the others, cleared when someone
-- confirms or edits that side. A deleted segment keeps its row and
-- history (deleted_at), so that an amendment to it is told it no longer
-- exists.
CREATE TABLE declaration_segments (
    id             INTEGER PRIMARY KEY,
    declaration_id INTEGER NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    text           TEXT NOT NULL DEFAULT '{}',
    version        INTEGER NOT NULL DEFAULT 1,
    check_langs    TEXT NOT NULL DEFAULT '',
    deleted_at     TEXT,
    updated_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX declaration_segments_order ON declaration_segments(declaration_id, position);

-- A correction of an adopted declaration: dated, with its reason; the
-- versions it made point to it.
CREATE TABLE declaration_corrections (
    id             INTEGER PRIMARY KEY,
    declaration_id INTEGER NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
    rev            INTEGER NOT NULL,
    reason         TEXT NOT NULL DEFAULT '{}',
    by_user        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX declaration_corrections_decl ON declaration_corrections(declaration_id);

-- An amendment to a segment: change it, add a segment after it, or delete
-- it; written by an authority's contact in one language (lang) against the
-- segment's version base_version, with a justification; the other language
-- may be supplied by the secretariat before a decision. state: proposed,
-- withdrawn, accepted, rejected, merged (into merged_into, an amendment the
-- committee wrote from several, org_id NULL). new_kind is the kind of the
-- segment an add_after amendment adds.
CREATE TABLE declaration_amendments (
    id             INTEGER PRIMARY KEY,
    declaration_id INTEGER NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
    segment_id     INTEGER NOT NULL REFERENCES declaration_segments(id) ON DELETE CASCADE,
    base_version   INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    new_kind       TEXT NOT NULL DEFAULT '',
    org_id         INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    author_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    lang           TEXT NOT NULL,
    text           TEXT NOT NULL DEFAULT '{}',
    justification  TEXT NOT NULL DEFAULT '{}',
    state          TEXT NOT NULL DEFAULT 'proposed',
    reason         TEXT NOT NULL DEFAULT '{}',
    merged_into    INTEGER REFERENCES declaration_amendments(id) ON DELETE SET NULL,
    decided_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    decided_at     TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX declaration_amendments_decl ON declaration_amendments(declaration_id, segment_id);
CREATE INDEX declaration_amendments_org ON declaration_amendments(org_id);
CREATE INDEX declaration_amendments_author ON declaration_amendments(author_id);

-- Every saved change of a segment: who, when, the segment as it stood
-- after it. action: create, edit, confirm (a translation checked), move,
-- delete, restore, amendment (an accepted amendment, amendment_id),
-- correction (after adoption, correction_id).
CREATE TABLE declaration_versions (
    id             INTEGER PRIMARY KEY,
    declaration_id INTEGER NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
    segment_id     INTEGER NOT NULL REFERENCES declaration_segments(id) ON DELETE CASCADE,
    rev            INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    action         TEXT NOT NULL,
    position       INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    text           TEXT NOT NULL DEFAULT '{}',
    check_langs    TEXT NOT NULL DEFAULT '',
    deleted        BOOLEAN NOT NULL DEFAULT FALSE,
    amendment_id   INTEGER REFERENCES declaration_amendments(id) ON DELETE SET NULL,
    correction_id  INTEGER REFERENCES declaration_corrections(id) ON DELETE SET NULL,
    by_user        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (segment_id, version)
);
CREATE INDEX declaration_versions_rev ON declaration_versions(declaration_id, rev);
CREATE INDEX declaration_versions_user ON declaration_versions(by_user);

-- An authority supporting another's amendment, one support each.
CREATE TABLE declaration_supports (
    amendment_id   INTEGER NOT NULL REFERENCES declaration_amendments(id) ON DELETE CASCADE,
    org_id         INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (amendment_id, org_id)
);
CREATE INDEX declaration_supports_user ON declaration_supports(user_id);

-- The adoption, one row per authority: its vote in plenary (for, against,
-- abstain), recorded by the committee, or its endorsement (endorse),
-- signed by its contact (user_id).
CREATE TABLE declaration_adoptions (
    declaration_id INTEGER NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
    org_id         INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    choice         TEXT NOT NULL,
    user_id        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (declaration_id, org_id)
);
CREATE INDEX declaration_adoptions_user ON declaration_adoptions(user_id);

-- +goose Down
DROP TABLE declaration_adoptions;
DROP TABLE declaration_supports;
DROP TABLE declaration_versions;
DROP TABLE declaration_amendments;
DROP TABLE declaration_corrections;
DROP TABLE declaration_segments;
DROP TABLE declarations;
