-- +goose Up
-- Good practices (issue 15): calls opened on an event, proposals made by
-- authorities, their review by the edition's committees, the decisions,
-- and the public library of accepted practices. Translated texts are JSON
-- (rencontres.Text); instants are UTC text like every other table.

-- A call: for good practices to present in a workshop, for workshop
-- themes, or for free suggestions. Workshops are the seqs of the
-- edition's edition_workshops it feeds; questions are the registration
-- form's kinds (rencontres.Question); categories are the review's score
-- categories (rencontres.ScoreCategory), each with a stable key.
CREATE TABLE calls (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,                 -- practice, theme, suggestion
    title          TEXT NOT NULL DEFAULT '{}',
    intro          TEXT NOT NULL DEFAULT '{}',
    opens_at       TEXT NOT NULL,
    deadline       TEXT NOT NULL,
    workshops      TEXT NOT NULL DEFAULT '[]',    -- JSON: workshop seqs
    questions      TEXT NOT NULL DEFAULT '[]',    -- JSON: extra questions
    categories     TEXT NOT NULL DEFAULT '[]',    -- JSON: score categories
    blind          BOOLEAN NOT NULL DEFAULT FALSE, -- reviewers do not see who proposed
    visibility     TEXT NOT NULL DEFAULT 'after_own', -- others' reviews: never, after_own, always
    min_reviews    INTEGER NOT NULL DEFAULT 2,
    review_opens   TEXT,                          -- reviewing open from
    review_closes  TEXT,                          -- reviewing closed at
    authors_edit_in_review BOOLEAN NOT NULL DEFAULT FALSE,
    decisions_at   TEXT,                          -- when decisions are due
    letters        TEXT NOT NULL DEFAULT '{}',    -- JSON: decision letters, per decision and language
    released_at    TEXT,                          -- when the decisions were released together
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX calls_event ON calls(event_id);

-- An invitation campaign may point the invited to a call.
CREATE TABLE campaign_calls (
    campaign_id INTEGER PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
    call_id     INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE
);

-- A proposal. Its authorities are in proposal_organisations (one lead
-- and any co-proposers; partners involved apart). decision is empty
-- until the committee decides; released_at is set when the secretariat
-- releases the call's decisions, and only then do authors see them and
-- an accepted proposal enter the library. session_id is the programme
-- session it became a contribution to.
CREATE TABLE proposals (
    id                INTEGER PRIMARY KEY,
    call_id           INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    title             TEXT NOT NULL DEFAULT '{}',
    summary           TEXT NOT NULL DEFAULT '{}',
    sdgs              TEXT NOT NULL DEFAULT '[]', -- JSON: goal numbers
    workshop          INTEGER,                    -- seq in edition_workshops
    answers           TEXT NOT NULL DEFAULT '{}', -- JSON: key → answer
    contact_name      TEXT NOT NULL DEFAULT '',
    contact_email     TEXT NOT NULL DEFAULT '',
    state             TEXT NOT NULL DEFAULT 'submitted', -- submitted, withdrawn
    decision          TEXT NOT NULL DEFAULT '',   -- accepted, accepted_other, waitlist, declined
    decision_workshop INTEGER,                    -- for accepted_other
    decision_note     TEXT NOT NULL DEFAULT '{}', -- to the authors
    decided_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    decided_at        TEXT,
    released_at       TEXT,
    session_id        INTEGER REFERENCES programme_sessions(id) ON DELETE SET NULL,
    submitted_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX proposals_call ON proposals(call_id, state);
CREATE INDEX proposals_library ON proposals(released_at, decision);

-- The authorities of a proposal: role lead (the one that submitted),
-- coproposer (proposes it together), partner (involved, e.g. its twin).
CREATE TABLE proposal_organisations (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    PRIMARY KEY (proposal_id, org_id)
);
CREATE INDEX proposal_organisations_org ON proposal_organisations(org_id);

-- Who would present it: a contact's account or a person named.
CREATE TABLE proposal_presenters (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    person      TEXT NOT NULL,
    function    TEXT NOT NULL DEFAULT '{}',
    org_id      INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    PRIMARY KEY (proposal_id, seq)
);
CREATE INDEX proposal_presenters_user ON proposal_presenters(user_id);

-- Documents and images of a proposal, checked like an event's documents.
CREATE TABLE proposal_documents (
    id           INTEGER PRIMARY KEY,
    proposal_id  INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    uploaded_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    uploaded_at  TEXT NOT NULL,
    data         BLOB NOT NULL
);
CREATE INDEX proposal_documents_proposal ON proposal_documents(proposal_id);

-- A reviewer assigned to a proposal.
CREATE TABLE review_assignments (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    assigned_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);
CREATE INDEX review_assignments_user ON review_assignments(user_id);

-- A conflict of interest a reviewer declared (the product also refuses,
-- without a row, a proposal of the reviewer's own authority or a twin).
CREATE TABLE review_conflicts (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason      TEXT NOT NULL DEFAULT '',
    declared_at TEXT NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);

-- A review: a score per category key, a comment to the authors and one
-- for the committee only.
CREATE TABLE reviews (
    proposal_id       INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    scores            TEXT NOT NULL DEFAULT '{}', -- JSON: category key → score
    comment_authors   TEXT NOT NULL DEFAULT '',
    comment_committee TEXT NOT NULL DEFAULT '',
    submitted_at      TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);
CREATE INDEX reviews_user ON reviews(user_id);

-- +goose Down
DROP TABLE reviews;
DROP TABLE review_conflicts;
DROP TABLE review_assignments;
DROP TABLE proposal_documents;
DROP TABLE proposal_presenters;
DROP TABLE proposal_organisations;
DROP TABLE proposals;
DROP TABLE campaign_calls;
DROP TABLE calls;
