-- +goose Up
-- An event's registrations are paged in the order of submission (issue 18):
-- the index lets a page start at any registration of a long list, whatever
-- the status filter, and stop after its hundred rows.
CREATE INDEX registrations_event_order ON registrations(event_id, id);

-- +goose Down
DROP INDEX registrations_event_order;
