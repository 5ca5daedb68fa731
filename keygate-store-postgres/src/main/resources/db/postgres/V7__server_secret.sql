-- The fingerprint of the server secret first used with this database: nodes that share the
-- database must share the secret (it keys the rotation codes' digests and the outbox's encryption),
-- so a node started with another one is refused instead of failing every code another node mailed.
CREATE TABLE server_secret (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT    NOT NULL
);
