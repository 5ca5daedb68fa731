package dev.keygate.payments;

import java.util.List;

/** One page of a list, newest first; {@code hasMore} says whether another page follows. */
public record Page<T>(List<T> data, boolean hasMore) {
    public Page {
        data = List.copyOf(data);
    }
}
