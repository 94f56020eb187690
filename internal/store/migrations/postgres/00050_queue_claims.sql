-- +goose Up
-- The indexes of the mail outbox and of the webhooks' deliveries hold only
-- the rows a worker looks for: queued ones in the order they fall due
-- (then of their ids), and those under a lease by its end. A claim reads
-- its batch from the first and stops; a row recorded sent is found by its
-- id, since no index matches its status for a planner to prefer. On
-- PostgreSQL an index on the status kept every claimed row's old versions
-- until the table was vacuumed, and a planner whose statistics predated a
-- campaign's 40,000 letters read all of them at each claim and each
-- record. The lease's index is partial on the lease, not on the status,
-- for the same reason.
DROP INDEX mail_outbox_status_id;
DROP INDEX mail_outbox_due;
CREATE INDEX mail_outbox_due ON mail_outbox(not_before, id) WHERE status = 'queued';
CREATE INDEX mail_outbox_leased ON mail_outbox(lease_until, id) WHERE lease_until IS NOT NULL;
DROP INDEX webhook_deliveries_due;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(not_before, id) WHERE status = 'queued';
CREATE INDEX webhook_deliveries_leased ON webhook_deliveries(lease_until, id) WHERE lease_until IS NOT NULL;

-- +goose Down
DROP INDEX webhook_deliveries_leased;
DROP INDEX webhook_deliveries_due;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, not_before);
DROP INDEX mail_outbox_leased;
DROP INDEX mail_outbox_due;
CREATE INDEX mail_outbox_due ON mail_outbox(status, not_before);
CREATE INDEX mail_outbox_status_id ON mail_outbox(status, id);
