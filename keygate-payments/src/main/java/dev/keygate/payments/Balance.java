package dev.keygate.payments;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Amounts per currency: available (succeeded less refunded) and pending (payments not yet
 * completed).
 */
public record Balance(SortedMap<String, Long> available, SortedMap<String, Long> pending) {
    public Balance {
        available = new TreeMap<>(available);
        pending = new TreeMap<>(pending);
    }

    public static Balance of(Map<String, Long> available, Map<String, Long> pending) {
        return new Balance(new TreeMap<>(available), new TreeMap<>(pending));
    }
}
