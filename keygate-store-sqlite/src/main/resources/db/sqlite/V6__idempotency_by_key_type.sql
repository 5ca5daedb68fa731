-- Idempotency keys are scoped to the key type as well as the account and environment (SPEC
-- section 5): a publishable key, public by design, must not claim a key that the merchant's server
-- then sends with its secret key. A response kept before this version was made by either type, so
-- it is kept for both: a retry after the upgrade still gets its stored answer. SQLite cannot change
-- a primary key in place, so the table is copied.
CREATE TABLE idempotent_responses_v6 (
    account_id  TEXT    NOT NULL,
    environment TEXT    NOT NULL,
    key_type    TEXT    NOT NULL CHECK (key_type IN ('public', 'secret')),
    idem_key    TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    status      INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (account_id, environment, key_type, idem_key)
) STRICT;

INSERT INTO idempotent_responses_v6 (account_id, environment, key_type, idem_key, fingerprint, status, body,
        created_at)
SELECT old.account_id, old.environment, types.key_type, old.idem_key, old.fingerprint, old.status, old.body,
       old.created_at
FROM idempotent_responses AS old
CROSS JOIN (SELECT 'public' AS key_type UNION ALL SELECT 'secret') AS types;

DROP TABLE idempotent_responses;
ALTER TABLE idempotent_responses_v6 RENAME TO idempotent_responses;
CREATE INDEX idempotent_responses_by_age ON idempotent_responses (created_at);
