-- +goose Up
-- A call's proposals page oldest first by keyset on (created_at, id)
-- (internal/cursor): the index ends with that key, so that a page of a
-- call reads its rows without sorting the call's proposals.
CREATE INDEX proposals_call_created ON proposals(call_id, created_at, id);

-- +goose Down
DROP INDEX proposals_call_created;
