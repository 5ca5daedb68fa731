package dev.keygate.server.http;

import dev.keygate.core.auth.VerifiedKey;
import dev.keygate.core.dashboard.DashboardStore;
import dev.keygate.core.dashboard.RequestLogEntry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dashboard's request log (SPEC section 8), written in batches: requests are queued on the
 * event loop without blocking and written every second, at most {@link #BATCH} at a time. When
 * the queue is full (more than that many API requests a second on this node, or the store down or
 * slow), new entries are dropped and counted rather than slowing the API.
 *
 * <p>The queue holds one batch, so an entry waits about a second at most. A longer queue would
 * only delay what it cannot write: at 45 000 requests a second, a queue of ten batches kept every
 * entry ten seconds, long enough for the collector to move it to the old generation, and the GC
 * work that followed cost about 2 µs per request (docs/benchmarks.md).
 */
public final class RequestLog {

    /** Entries written at most per flush, and waiting at most. */
    public static final int BATCH = 5_000;

    private final BlockingQueue<RequestLogEntry> pending = new ArrayBlockingQueue<>(BATCH);
    private final AtomicLong dropped = new AtomicLong();
    private final Clock clock;

    public RequestLog(Clock clock) {
        this.clock = clock;
    }

    /** Queues a request made with {@code key}; never blocks. */
    public void record(VerifiedKey key, String method, String path, int status, String ip, String requestId) {
        if (pending.remainingCapacity() == 0) {
            dropped.incrementAndGet();
            return;
        }
        RequestLogEntry entry = new RequestLogEntry(key.accountId(), key.environment(), clock.instant(), key.keyId(),
                method, path, status, ip, requestId);
        if (!pending.offer(entry)) {
            dropped.incrementAndGet();
        }
    }

    /** Writes what is queued; blocking. Entries that could not be written are dropped: the log is best effort. */
    public void flush(DashboardStore store) {
        List<RequestLogEntry> batch = new ArrayList<>();
        pending.drainTo(batch, BATCH);
        if (!batch.isEmpty()) {
            store.insertRequests(batch);
        }
    }

    public long dropped() {
        return dropped.get();
    }
}
