-- +goose Up
-- Migration 7 moved committee meetings into events.
DROP TABLE committee_meetings;

-- +goose Down
CREATE TABLE committee_meetings (
    committee_id BIGINT NOT NULL REFERENCES committees(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    title        TEXT NOT NULL,
    starts_at    TEXT NOT NULL,
    ends_at      TEXT NOT NULL,
    time_zone    TEXT NOT NULL,
    venue        TEXT NOT NULL DEFAULT '{}',
    within       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (committee_id, seq)
);
