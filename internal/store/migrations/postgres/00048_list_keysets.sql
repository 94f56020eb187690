-- +goose Up
-- The lists that grow page by keyset (internal/cursor): a page reads the
-- rows after a row's sort key in the list's order, which an index that
-- ends with that key gives without sorting the list. The audit log reads
-- newest first by (at, id), filtered or not; the directory by (sort_name,
-- id), within a country or not.
CREATE INDEX audit_log_at_id ON audit_log(at, id);
CREATE INDEX audit_log_action_at ON audit_log(action, at, id);
CREATE INDEX audit_log_actor_email_at ON audit_log(actor_email, at, id);
CREATE INDEX audit_log_object_at ON audit_log(object_id, at, id);
CREATE INDEX organisations_sort_name ON organisations(sort_name, id);
CREATE INDEX organisations_country_sort_name ON organisations(country, sort_name, id);
DROP INDEX audit_log_at;

-- +goose Down
CREATE INDEX audit_log_at ON audit_log(at);
DROP INDEX organisations_country_sort_name;
DROP INDEX organisations_sort_name;
DROP INDEX audit_log_object_at;
DROP INDEX audit_log_actor_email_at;
DROP INDEX audit_log_action_at;
DROP INDEX audit_log_at_id;
