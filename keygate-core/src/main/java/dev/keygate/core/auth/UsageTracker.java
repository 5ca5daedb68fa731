package dev.keygate.core.auth;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers when each key was last used, so that {@code last_used_at} is written in one batch every
 * few seconds instead of once per request. Uses are noted to the second: within a second, only
 * the first use of a key costs a write to the map.
 */
public final class UsageTracker {

    private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();

    /** Notes a use of {@code keyId} at {@code at}, truncated to the second. Cheap; called on every authenticated request. */
    public void touch(String keyId, Instant at) {
        long second = at.getEpochSecond();
        Instant previous = pending.get(keyId);
        if (previous == null || previous.getEpochSecond() < second) {
            pending.merge(keyId, Instant.ofEpochSecond(second), UsageTracker::later);
        }
    }

    /** Takes the uses noted since the last call; a use noted meanwhile is kept for the next one. */
    public Map<String, Instant> drain() {
        Map<String, Instant> batch = new HashMap<>();
        for (Map.Entry<String, Instant> entry : pending.entrySet()) {
            if (pending.remove(entry.getKey(), entry.getValue())) {
                // The iterator may meet a key again that was removed and noted anew meanwhile (it
                // is weakly consistent, and a resize moves entries ahead of it): keep the later use.
                batch.merge(entry.getKey(), entry.getValue(), UsageTracker::later);
            }
        }
        return batch;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
