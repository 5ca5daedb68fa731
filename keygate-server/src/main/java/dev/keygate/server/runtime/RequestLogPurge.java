package dev.keygate.server.runtime;

import dev.keygate.core.dashboard.DashboardStore;
import dev.keygate.server.http.Blocking;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes the request log's entries older than {@code KEYGATE_REQUEST_LOG_DAYS} (SPEC section 10)
 * in batches of {@link #BATCH_ROWS} rows, each batch its own short transaction on the blocking
 * helper: a purge of a day at 5 000 requests a second (about 4 000 rows of 100 requests) never
 * holds the log, or a request waiting to be logged, for longer than one batch.
 *
 * <pre>{@code
 * new RequestLogPurge(stores.dashboard(), blocking, clock, config.requestLogDays()).run();
 * }</pre>
 */
final class RequestLogPurge {

    /** Rows (of up to 100 requests each) deleted per transaction. */
    static final int BATCH_ROWS = 1_000;

    private final DashboardStore store;
    private final Blocking blocking;
    private final Clock clock;
    private final Duration retention;
    private final int batchRows;

    RequestLogPurge(DashboardStore store, Blocking blocking, Clock clock, int days) {
        this(store, blocking, clock, days, BATCH_ROWS);
    }

    RequestLogPurge(DashboardStore store, Blocking blocking, Clock clock, int days, int batchRows) {
        this.store = store;
        this.blocking = blocking;
        this.clock = clock;
        this.retention = Duration.ofDays(days);
        this.batchRows = batchRows;
    }

    /** Deletes batch after batch until none is left; completes with how many rows were deleted. */
    Future<Integer> run() {
        return next(clock.instant().minus(retention), 0);
    }

    private Future<Integer> next(Instant before, int deletedSoFar) {
        return blocking.run(() -> store.purgeRequestRows(before, batchRows))
                .compose(deleted -> deleted < batchRows
                        ? Future.succeededFuture(deletedSoFar + deleted)
                        : next(before, deletedSoFar + deleted));
    }
}
