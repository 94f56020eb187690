-- +goose Up
-- Accounts sitting on a steering committee: they see its page.
CREATE TABLE committee_accounts (
    committee_id BIGINT NOT NULL REFERENCES committees(id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (committee_id, user_id)
);
CREATE INDEX committee_accounts_user ON committee_accounts(user_id);

-- +goose Down
DROP TABLE committee_accounts;
