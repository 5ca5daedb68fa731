package dev.keygate.core.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Where a node is in the store's change feed. A shared database may commit changes out of
 * sequence order (two transactions take sequences 7 and 8; 8 commits first), so a reader that only
 * asked for "after the highest seen" could skip 7 for good. This cursor reads again a window of
 * {@link #LOOKBACK} sequences behind the highest seen, and passes on only the changes it has not
 * passed on before.
 *
 * <pre>{@code
 * List<Change> changes = store.changesSince(cursor.readFrom(), 1_000);
 * cursor.unseen(changes).forEach(verifier::apply);
 * }</pre>
 *
 * <p>Not thread-safe: one poller owns it.
 */
public final class ChangeCursor {

    /** How far behind the highest sequence seen the feed is read again. */
    public static final long LOOKBACK = 256;

    private long highest;
    private final TreeSet<Long> seen = new TreeSet<>();

    /** A cursor after {@code start}: changes up to it are taken as seen (a node that just started has nothing cached). */
    public ChangeCursor(long start) {
        this.highest = start;
        for (long sequence = Math.max(1, start - LOOKBACK + 1); sequence <= start; sequence++) {
            seen.add(sequence);
        }
    }

    /** The sequence to read the feed after. */
    public long readFrom() {
        return Math.max(0, highest - LOOKBACK);
    }

    /** The changes of {@code batch} not passed on before, in order; remembers them. */
    public List<Change> unseen(List<Change> batch) {
        List<Change> fresh = new ArrayList<>();
        for (Change change : batch) {
            if (change.sequence() > readFrom() && seen.add(change.sequence())) {
                fresh.add(change);
            }
            highest = Math.max(highest, change.sequence());
        }
        seen.headSet(readFrom(), true).clear();
        return fresh;
    }
}
