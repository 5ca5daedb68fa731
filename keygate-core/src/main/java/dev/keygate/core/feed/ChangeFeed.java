package dev.keygate.core.feed;

import dev.keygate.core.keys.KeyStore;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a deletion reaches this node (SPEC section 7): the store's change feed, read in order and
 * handed to whoever caches keys. The node that makes a change reads the feed at once; every
 * other node reads it on a short period.
 *
 * <pre>{@code
 * ChangeFeed feed = new ChangeFeed(store, verifier::apply);
 * feed.read();   // blocking: applies every change since the last read
 * }</pre>
 */
public final class ChangeFeed {

    /** Changes read at most per store query. */
    static final int BATCH = 1_000;

    private final KeyStore store;
    private final Consumer<Change> listener;
    /** Guarded by itself: one reader at a time owns the cursor. */
    private final ChangeCursor cursor;

    /** A feed that starts after the store's latest change: a node that just started has nothing cached. */
    public ChangeFeed(KeyStore store, Consumer<Change> listener) {
        this.store = store;
        this.listener = listener;
        this.cursor = new ChangeCursor(store.latestChange());
    }

    /**
     * Applies the changes since the last read; blocking.
     *
     * @throws dev.keygate.core.StoreUnavailableException if the store cannot answer
     */
    public void read() {
        synchronized (cursor) {
            List<Change> changes;
            do {
                changes = store.changesSince(cursor.readFrom(), BATCH);
                cursor.unseen(changes).forEach(listener);
            } while (changes.size() == BATCH);
        }
    }
}
