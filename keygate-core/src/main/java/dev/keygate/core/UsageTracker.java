package dev.keygate.core;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers when each key was last used, so that {@code last_used_at} is written in one batch every
 * few seconds instead of once per request.
 */
public final class UsageTracker {

    private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();

    /** Notes a use of {@code keyId} at {@code at}. Cheap; called on every authenticated request. */
    public void touch(String keyId, Instant at) {
        Instant previous = pending.get(keyId);
        if (previous == null || previous.isBefore(at)) {
            pending.merge(keyId, at, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /** Takes the uses noted since the last call; a use noted meanwhile is kept for the next one. */
    public Map<String, Instant> drain() {
        Map<String, Instant> batch = new HashMap<>();
        for (Map.Entry<String, Instant> entry : pending.entrySet()) {
            if (pending.remove(entry.getKey(), entry.getValue())) {
                batch.put(entry.getKey(), entry.getValue());
            }
        }
        return batch;
    }
}
