-- +goose Up
-- PostgreSQL now checks once per statement, from the tallies, whether new
-- registrations raise the map's version, and no longer looks up the
-- audit log's actor among the users for each entry (see its 00058): both
-- were costs of each row written under an event's lock, over the
-- network. SQLite's triggers run once per row and its writes make no
-- round trips: they stay. The index of the audit log's actors goes, as
-- there: a person's entries are found by their id or their address
-- folded (LOWER), which no index holds, so by a scan whatever the index.
DROP INDEX audit_log_actor;

-- +goose Down
CREATE INDEX audit_log_actor ON audit_log(actor_id);
