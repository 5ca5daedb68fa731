package dev.keygate.core.limit;

import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What a node accepted on its own while the shared limiter's server did not answer (SPEC section
 * 4): the times of those requests per bucket, so that they count in the shared window once the
 * server answers again. Times are on the injected clock; an entry that has left the
 * {@link RateLimiter#WINDOW} counts nowhere any more and is dropped.
 *
 * <pre>{@code
 * OutageJournal journal = new OutageJournal(clock, OutageJournal.DEFAULT_MAX_ENTRIES);
 * journal.record("acct_…:test");          // accepted during the outage
 * JournalBatch batch = journal.drain();   // merge it into the shared window, or putBack(batch)
 * }</pre>
 *
 * <p>Memory is bounded: at most {@code maxEntries} times (8 bytes each) are kept, by default
 * {@link #DEFAULT_MAX_ENTRIES}; when full, a new entry is not kept and counted as
 * {@linkplain #dropped() dropped}. Thread-safe.
 */
public final class OutageJournal {

    /** Entries kept at most by default: about 8 MiB, over 16 000 accepted requests a second for a window. */
    public static final int DEFAULT_MAX_ENTRIES = 1_000_000;

    private static final long WINDOW_MILLIS = RateLimiter.WINDOW.toMillis();

    private final Clock clock;
    private final int maxEntries;
    private final Map<String, Times> buckets = new HashMap<>();
    private int size;
    private long dropped;

    public OutageJournal(Clock clock, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    /** Notes one request of {@code bucket} accepted now; false if the journal is full and dropped it. */
    public synchronized boolean record(String bucket) {
        long now = clock.millis();
        if (size >= maxEntries) {
            pruneAll(now);
        }
        if (size >= maxEntries) {
            dropped++;
            return false;
        }
        Times times = buckets.computeIfAbsent(bucket, ignored -> new Times());
        size -= times.prune(now);
        times.add(now);
        size++;
        return true;
    }

    /** Entries kept now, some of which may have left the window since. */
    public synchronized int size() {
        return size;
    }

    /** Entries not kept because the journal was full, since start. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Takes out every entry still in the window and empties the journal. */
    public synchronized JournalBatch drain() {
        long now = clock.millis();
        Map<String, long[]> taken = new HashMap<>();
        buckets.forEach((bucket, times) -> {
            times.prune(now);
            if (times.size > 0) {
                taken.put(bucket, times.toArray());
            }
        });
        buckets.clear();
        size = 0;
        return new JournalBatch(now, taken);
    }

    /** Puts back what {@link #drain()} took, when it could not be merged: nothing is lost. */
    public synchronized void putBack(JournalBatch batch) {
        long now = clock.millis();
        batch.times().forEach((bucket, taken) -> {
            Times times = buckets.computeIfAbsent(bucket, ignored -> new Times());
            for (long time : taken) {
                if (now - time < WINDOW_MILLIS && size < maxEntries) {
                    times.add(time);
                    size++;
                }
            }
            times.sort();
        });
    }

    private void pruneAll(long now) {
        Iterator<Times> all = buckets.values().iterator();
        while (all.hasNext()) {
            Times times = all.next();
            size -= times.prune(now);
            if (times.size == 0) {
                all.remove();
            }
        }
    }

    /** One bucket's times, oldest first, in a growable array whose expired head is cut off lazily. */
    private static final class Times {
        private long[] values = new long[8];
        private int head;
        private int size;

        void add(long time) {
            if (head + size == values.length) {
                long[] grown = new long[Math.max(8, 2 * size)];
                System.arraycopy(values, head, grown, 0, size);
                values = grown;
                head = 0;
            }
            values[head + size] = time;
            size++;
        }

        /** Drops the times that left the window at {@code now}; returns how many. */
        int prune(long now) {
            int removed = 0;
            while (size > 0 && now - values[head] >= WINDOW_MILLIS) {
                head++;
                size--;
                removed++;
            }
            return removed;
        }

        void sort() {
            java.util.Arrays.sort(values, head, head + size);
        }

        long[] toArray() {
            return java.util.Arrays.copyOfRange(values, head, head + size);
        }
    }
}
