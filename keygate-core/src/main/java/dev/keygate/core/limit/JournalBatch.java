package dev.keygate.core.limit;

import java.util.Map;

/**
 * Entries taken out of an {@link OutageJournal} to be merged into the shared window.
 *
 * @param takenAt when they were taken, on the journal's clock (ms)
 * @param times   per bucket, the times its requests were accepted on that clock (ms), oldest first
 */
public record JournalBatch(long takenAt, Map<String, long[]> times) {

    public JournalBatch {
        times = Map.copyOf(times);
    }

    public boolean isEmpty() {
        return times.isEmpty();
    }

    /** How long before {@link #takenAt} each request of {@code bucket} was accepted (ms), oldest first. */
    public long[] ages(String bucket) {
        long[] taken = times.getOrDefault(bucket, new long[0]);
        long[] ages = new long[taken.length];
        for (int i = 0; i < taken.length; i++) {
            ages[i] = takenAt - taken[i];
        }
        return ages;
    }
}
