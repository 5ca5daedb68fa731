-- Instants are epoch milliseconds, as in the SQLite schema, so that both run the same statements.
-- A key is kept as its SHA-256 digest; only a publishable key's value is stored as text.
CREATE TABLE accounts (
    id            TEXT    PRIMARY KEY,
    name          TEXT    NOT NULL,
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT,
    rate_limit    INTEGER CHECK (rate_limit >= 1),
    created_at    BIGINT  NOT NULL
);

CREATE TABLE api_keys (
    id           TEXT    PRIMARY KEY,
    digest       BYTEA   NOT NULL UNIQUE CHECK (length(digest) = 32),
    account_id   TEXT    NOT NULL REFERENCES accounts (id),
    type         TEXT    NOT NULL CHECK (type IN ('public', 'secret')),
    environment  TEXT    NOT NULL CHECK (environment IN ('test', 'live')),
    name         TEXT    NOT NULL,
    last4        TEXT    NOT NULL,
    public_value TEXT    CHECK (public_value IS NULL OR type = 'public'),
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT,
    revoked_at   BIGINT,
    exposed_at   BIGINT
);

CREATE INDEX api_keys_by_account ON api_keys (account_id, created_at DESC);

-- The change feed every node polls to drop cached keys (deletion, expiry, account limits).
CREATE TABLE changes (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id TEXT   NOT NULL,
    digest     BYTEA
);
