-- The dashboard (SPEC section 8): sessions, failed logins, audit and request logs, email
-- verification. Tokens are kept only as SHA-256 digests.
ALTER TABLE accounts ADD COLUMN email_verified_at INTEGER;

CREATE TABLE sessions (
    id_digest    TEXT    PRIMARY KEY,
    account_id   TEXT    NOT NULL REFERENCES accounts (id),
    csrf_token   TEXT    NOT NULL,
    environment  TEXT    NOT NULL CHECK (environment IN ('test', 'live')),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
) STRICT;

CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);

CREATE TABLE login_failures (
    email TEXT    NOT NULL,
    at    INTEGER NOT NULL
) STRICT;

CREATE INDEX login_failures_by_email ON login_failures (email, at DESC);

CREATE TABLE audit_events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT    NOT NULL,
    actor      TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    key_id     TEXT,
    ip         TEXT    NOT NULL,
    at         INTEGER NOT NULL
) STRICT;

CREATE INDEX audit_events_by_account ON audit_events (account_id, seq DESC);

CREATE TABLE request_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  TEXT    NOT NULL,
    environment TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    key_id      TEXT    NOT NULL,
    method      TEXT    NOT NULL,
    path        TEXT    NOT NULL,
    status      INTEGER NOT NULL,
    ip          TEXT    NOT NULL,
    request_id  TEXT    NOT NULL
) STRICT;

CREATE INDEX request_log_by_scope ON request_log (account_id, environment, seq DESC);
CREATE INDEX request_log_by_age ON request_log (at);

CREATE TABLE email_verifications (
    token_digest TEXT    PRIMARY KEY,
    account_id   TEXT    NOT NULL REFERENCES accounts (id),
    expires_at   INTEGER NOT NULL
) STRICT;
