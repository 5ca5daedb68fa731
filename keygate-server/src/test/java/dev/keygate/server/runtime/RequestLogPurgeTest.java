package dev.keygate.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.dashboard.RequestLogEntry;
import dev.keygate.core.testing.MutableClock;
import dev.keygate.keyformat.Environment;
import dev.keygate.server.http.Blocking;
import dev.keygate.store.jdbc.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC section 10: {@code KEYGATE_REQUEST_LOG_DAYS}, on the embedded SQLite store, time on a fake clock. */
class RequestLogPurgeTest {

    private static final String ACCOUNT = "acct_purge";
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(START);
    private final Blocking blocking = new Blocking();
    private Database stores;
    private int requestIds;

    @BeforeEach
    void openStore() {
        stores = Storage.openStores(Config.defaults(dataDir));
    }

    @AfterEach
    void close() {
        stores.close();
        blocking.close();
    }

    @Test
    void runWhenRequestsOlderThanTheDaysSetThenTheyAreDeletedAndNewerKept() throws Exception {
        Config config = Config.load(Map.of("KEYGATE_DATA_DIR", dataDir.toString(), "KEYGATE_REQUEST_LOG_DAYS", "10"),
                List.of());
        // One write a day for 15 days, as many nodes' flushes would leave it: many rows, in batches of 2.
        List<RequestLogEntry> logged = new ArrayList<>();
        for (int day = 0; day < 15; day++) {
            List<RequestLogEntry> written = List.of(request(clock.instant()), request(clock.instant().plusSeconds(60)));
            stores.dashboard().insertRequests(written);
            logged.addAll(written);
            clock.advance(Duration.ofDays(1));
        }
        Instant cutoff = clock.instant().minus(Duration.ofDays(10));

        int deleted = new RequestLogPurge(stores.dashboard(), blocking, clock, config.requestLogDays(), 2).run()
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        List<RequestLogEntry> kept = logged.stream().filter(entry -> !entry.at().isBefore(cutoff)).toList().reversed();
        assertThat(deleted).isEqualTo(5);
        assertThat(kept).hasSize(20);
        assertThat(stores.dashboard().listRequests(ACCOUNT, Environment.TEST, OptionalInt.empty(), 100))
                .containsExactlyElementsOf(kept);
    }

    @Test
    void runWhenNothingIsOldEnoughThenAllKept() throws Exception {
        RequestLogEntry recent = request(clock.instant().minus(Duration.ofDays(29)));
        stores.dashboard().insertRequests(List.of(recent));

        int deleted = new RequestLogPurge(stores.dashboard(), blocking, clock, Config.DEFAULT_REQUEST_LOG_DAYS).run()
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(deleted).isZero();
        assertThat(stores.dashboard().listRequests(ACCOUNT, Environment.TEST, OptionalInt.empty(), 10))
                .containsExactly(recent);
        clock.advance(Duration.ofDays(2));
        new RequestLogPurge(stores.dashboard(), blocking, clock, Config.DEFAULT_REQUEST_LOG_DAYS).run()
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(stores.dashboard().listRequests(ACCOUNT, Environment.TEST, OptionalInt.empty(), 10)).isEmpty();
    }

    private RequestLogEntry request(Instant at) {
        return new RequestLogEntry(ACCOUNT, Environment.TEST, at, "key_AAAAAAAAAAAAAAAA", "GET", "/api/v1/ping", 200,
                "127.0.0.1", "req_" + requestIds++);
    }
}
