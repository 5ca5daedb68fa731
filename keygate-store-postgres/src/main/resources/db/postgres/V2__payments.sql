-- Payments API objects (SPEC section 5). Every row belongs to one account and one environment,
-- and every query is bounded by both.
CREATE TABLE customers (
    id          TEXT    PRIMARY KEY,
    account_id  TEXT    NOT NULL REFERENCES accounts (id),
    environment TEXT    NOT NULL CHECK (environment IN ('test', 'live')),
    email       TEXT    NOT NULL,
    name        TEXT,
    created_at  BIGINT  NOT NULL
);

CREATE INDEX customers_by_scope ON customers (account_id, environment, created_at DESC, id DESC);

CREATE TABLE payments (
    id              TEXT    PRIMARY KEY,
    account_id      TEXT    NOT NULL REFERENCES accounts (id),
    environment     TEXT    NOT NULL CHECK (environment IN ('test', 'live')),
    amount          BIGINT  NOT NULL CHECK (amount > 0),
    currency        TEXT    NOT NULL CHECK (length(currency) = 3),
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    failure_code    TEXT,
    description     TEXT,
    customer_id     TEXT    REFERENCES customers (id),
    metadata        TEXT    NOT NULL,
    amount_refunded BIGINT  NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0 AND amount_refunded <= amount),
    checkout_token  TEXT    NOT NULL UNIQUE,
    created_at      BIGINT  NOT NULL
);

CREATE INDEX payments_by_scope ON payments (account_id, environment, created_at DESC, id DESC);

CREATE TABLE refunds (
    id          TEXT    PRIMARY KEY,
    payment_id  TEXT    NOT NULL REFERENCES payments (id),
    account_id  TEXT    NOT NULL REFERENCES accounts (id),
    environment TEXT    NOT NULL CHECK (environment IN ('test', 'live')),
    amount      BIGINT  NOT NULL CHECK (amount > 0),
    currency    TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

-- First responses to POSTs with an Idempotency-Key, kept 24 hours.
CREATE TABLE idempotent_responses (
    account_id  TEXT    NOT NULL,
    environment TEXT    NOT NULL,
    idem_key    TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    status      INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (account_id, environment, idem_key)
);

CREATE INDEX idempotent_responses_by_age ON idempotent_responses (created_at);
