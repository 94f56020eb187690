-- +goose Up
-- An event's seat counts (confirmed, waiting, checked in) are shown beside
-- every page of its registrations: with this index they are counted from
-- the index alone, not by reading every registration's row (issue 18).
CREATE INDEX registrations_event_counts ON registrations(event_id, status, checked_in_at);

-- +goose Down
DROP INDEX registrations_event_counts;
