package dev.keygate.server;

import dev.keygate.core.VerifiedKey;
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
 * event loop without blocking and written every second. When the queue is full (the store is
 * down or slow), new entries are dropped and counted rather than slowing the API.
 */
final class RequestLog {

    /** Entries waiting at most. */
    static final int CAPACITY = 50_000;

    private final BlockingQueue<RequestLogEntry> pending = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Clock clock;

    RequestLog(Clock clock) {
        this.clock = clock;
    }

    /** Queues a request made with {@code key}; never blocks. */
    void record(VerifiedKey key, String method, String path, int status, String ip, String requestId) {
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
    void flush(DashboardStore store) {
        List<RequestLogEntry> batch = new ArrayList<>();
        pending.drainTo(batch, 5_000);
        if (!batch.isEmpty()) {
            store.insertRequests(batch);
        }
    }

    long dropped() {
        return dropped.get();
    }
}
