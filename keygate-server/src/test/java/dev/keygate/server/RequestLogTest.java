package dev.keygate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.auth.VerifiedKey;
import dev.keygate.core.dashboard.RequestLogEntry;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.server.http.RequestLog;
import dev.keygate.store.jdbc.Database;
import dev.keygate.store.sqlite.SqliteStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's request log on a real SQLite store: one batch waits at most, the rest is counted as dropped. */
class RequestLogTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final VerifiedKey KEY = new VerifiedKey("key_1", "acct_1", KeyType.SECRET, Environment.TEST,
            Optional.empty(), OptionalInt.empty());

    @TempDir
    Path dir;
    private Database stores;
    private final RequestLog log = new RequestLog(Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeEach
    void open() {
        stores = SqliteStores.open(dir.resolve("keygate.db"));
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void recordWhenMoreThanOneBatchWaitsThenTheNewestAreDroppedAndCounted() {
        for (int i = 0; i < RequestLog.BATCH + 3; i++) {
            record(i);
        }

        assertThat(log.dropped()).isEqualTo(3);
        log.flush(stores.dashboard());
        List<RequestLogEntry> written = written();
        assertThat(written).hasSize(RequestLog.BATCH);
        assertThat(written.getFirst().requestId()).as("newest first").isEqualTo("req_" + (RequestLog.BATCH - 1));
        assertThat(written.getLast().requestId()).isEqualTo("req_0");
        assertThat(written.getFirst().at()).isEqualTo(NOW);
    }

    @Test
    void flushWhenQueueEmptiedThenItTakesANewBatchAndWritesEachEntryOnce() {
        for (int i = 0; i < RequestLog.BATCH; i++) {
            record(i);
        }
        log.flush(stores.dashboard());
        log.flush(stores.dashboard());

        record(RequestLog.BATCH);
        log.flush(stores.dashboard());

        assertThat(log.dropped()).isZero();
        assertThat(written()).hasSize(RequestLog.BATCH + 1)
                .first().extracting(RequestLogEntry::requestId).isEqualTo("req_" + RequestLog.BATCH);
    }

    private void record(int i) {
        log.record(KEY, "GET", "/api/v1/ping", 200, "127.0.0.1", "req_" + i);
    }

    private List<RequestLogEntry> written() {
        return stores.dashboard().listRequests(KEY.accountId(), Environment.TEST, OptionalInt.empty(),
                2 * RequestLog.BATCH);
    }
}
