-- Key rotation confirmed by an emailed code (SPEC section 6). The code is kept only as a digest;
-- its mail waits in the outbox, written in the same transaction, until it is sent, and its body
-- is then forgotten.
CREATE TABLE rotation_requests (
    id          TEXT    PRIMARY KEY,
    account_id  TEXT    NOT NULL REFERENCES accounts (id),
    key_id      TEXT    NOT NULL REFERENCES api_keys (id),
    grace       TEXT    NOT NULL CHECK (grace IN ('now', '1h', '24h', '3d', '7d')),
    code_digest TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    state       TEXT    NOT NULL CHECK (state IN ('pending', 'used', 'void')),
    new_key_id  TEXT
) STRICT;

CREATE INDEX rotation_requests_by_account ON rotation_requests (account_id, created_at);

CREATE TABLE mail_outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient   TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    rotation_id TEXT
) STRICT;

CREATE INDEX mail_outbox_pending ON mail_outbox (sent_at, seq);
