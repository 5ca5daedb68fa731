package dev.keygate.bench.tools;

import dev.keygate.core.dashboard.RequestLogEntry;
import java.util.List;
import java.util.OptionalInt;

/** One way of keeping the request log, as {@link RequestLogWrite} writes and lists it. */
interface RequestLogLayout {
    void insert(List<RequestLogEntry> entries);

    List<RequestLogEntry> list(String accountId, OptionalInt statusClass);

    /** What it takes on disk. */
    long bytes();
}
