-- +goose Up
-- One main contact per organisation among its present contacts: the store
-- unsets the former one when another is chosen, and the database holds it
-- to that whatever writes.
CREATE UNIQUE INDEX user_organisations_main ON user_organisations(org_id) WHERE main_contact AND removed_at IS NULL;

-- +goose Down
DROP INDEX user_organisations_main;
