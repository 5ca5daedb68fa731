-- Idempotency keys are scoped to the key type as well as the account and environment (SPEC
-- section 5): a publishable key, public by design, must not claim a key that the merchant's server
-- then sends with its secret key. A response kept before this version was made by either type, so
-- it is kept for both: a retry after the upgrade still gets its stored answer.
ALTER TABLE idempotent_responses ADD COLUMN key_type TEXT NOT NULL DEFAULT 'secret'
    CHECK (key_type IN ('public', 'secret'));
ALTER TABLE idempotent_responses DROP CONSTRAINT idempotent_responses_pkey;

INSERT INTO idempotent_responses (account_id, environment, key_type, idem_key, fingerprint, status, body, created_at)
SELECT account_id, environment, 'public', idem_key, fingerprint, status, body, created_at
FROM idempotent_responses;

ALTER TABLE idempotent_responses ALTER COLUMN key_type DROP DEFAULT;
ALTER TABLE idempotent_responses ADD PRIMARY KEY (account_id, environment, key_type, idem_key);
