-- The request log (SPEC section 8) in rows of up to 100 requests of one account and environment,
-- not one row per request: each node writes its queued requests once a second, and a row per
-- request spent most of that write in the scope index, whose pages every account's rows land on
-- at random (docs/benchmarks.md). `entries` is a JSON array, oldest first, of
-- [at, key_id, method, path, status, ip, request_id]; `status_classes` has bit n set when an entry's
-- status is n00-n99, so that a filtered listing skips rows without a match.
CREATE TABLE request_log_batches (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id     TEXT    NOT NULL,
    environment    TEXT    NOT NULL,
    oldest_at      INTEGER NOT NULL,
    newest_at      INTEGER NOT NULL,
    status_classes INTEGER NOT NULL,
    entry_count    INTEGER NOT NULL,
    entries        TEXT    NOT NULL
) STRICT;

CREATE INDEX request_log_batches_by_scope ON request_log_batches (account_id, environment, seq DESC);
CREATE INDEX request_log_batches_by_age ON request_log_batches (oldest_at);

-- What was logged before, in the order it was written.
INSERT INTO request_log_batches (account_id, environment, oldest_at, newest_at, status_classes, entry_count, entries)
SELECT account_id, environment, MIN(at), MAX(at), SUM(DISTINCT 1 << MIN(status / 100, 30)), COUNT(*),
       json_group_array(json_array(at, key_id, method, path, status, ip, request_id) ORDER BY seq)
FROM request_log
GROUP BY account_id, environment, seq / 100
ORDER BY MIN(seq);

DROP TABLE request_log;
