package dev.keygate.core.feed;

import dev.keygate.core.keys.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * How a deletion reaches this node (SPEC section 7): the store's change feed, read in order and
 * handed to whoever caches keys. The node that makes a change reads the feed at once; every other
 * node reads it on a short period. A node that has not read the feed for {@link #MAX_STALENESS}
 * is not {@linkplain #current() current}: it must not trust what it has cached.
 *
 * <pre>{@code
 * ChangeFeed feed = new ChangeFeed(store, System::nanoTime);
 * KeyVerifier verifier = new KeyVerifier(store, clock, feed::current);
 * feed.read(verifier::apply);   // blocking: applies every change since the last read
 * }</pre>
 */
public final class ChangeFeed {

    /** How long after its last complete read the feed stops being current (SPEC section 7: 5 seconds). */
    public static final Duration MAX_STALENESS = Duration.ofSeconds(5);
    /** Changes read at most per store query. */
    static final int BATCH = 1_000;

    private final KeyStore store;
    private final LongSupplier nanoTime;
    /** Guarded by itself: one reader at a time owns the cursor. */
    private final ChangeCursor cursor;
    /** When the last complete read started, on {@link #nanoTime}: what it read was current then. */
    private volatile long lastReadNanos;

    /**
     * A feed that starts after the store's latest change (a node that just started has nothing
     * cached), current from now.
     *
     * @param nanoTime a monotonic clock such as {@code System::nanoTime}: staleness is real time,
     *                 whatever the wall clock does
     * @throws dev.keygate.core.StoreUnavailableException if the store cannot answer
     */
    public ChangeFeed(KeyStore store, LongSupplier nanoTime) {
        this.store = store;
        this.nanoTime = nanoTime;
        long start = nanoTime.getAsLong();
        this.cursor = new ChangeCursor(store.latestChange());
        this.lastReadNanos = start;
    }

    /**
     * Applies the changes since the last read to {@code listener}; blocking.
     *
     * @throws dev.keygate.core.StoreUnavailableException if the store cannot answer
     */
    public void read(Consumer<Change> listener) {
        synchronized (cursor) {
            long start = nanoTime.getAsLong();
            List<Change> changes;
            do {
                changes = store.changesSince(cursor.readFrom(), BATCH);
                cursor.unseen(changes).forEach(listener);
            } while (changes.size() == BATCH);
            lastReadNanos = start;
        }
    }

    /** Whether the feed was read completely within the last {@link #MAX_STALENESS}. */
    public boolean current() {
        return nanoTime.getAsLong() - lastReadNanos < MAX_STALENESS.toNanos();
    }
}
