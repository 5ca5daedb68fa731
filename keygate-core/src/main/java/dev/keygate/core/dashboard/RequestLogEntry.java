package dev.keygate.core.dashboard;

import dev.keygate.keyformat.Environment;
import java.time.Instant;
import java.util.Objects;

/** One authenticated API request, as the dashboard's request log shows it (SPEC section 8). */
public record RequestLogEntry(String accountId, Environment environment, Instant at, String keyId, String method,
        String path, int status, String ip, String requestId) {
    public RequestLogEntry {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(environment);
        Objects.requireNonNull(at);
        Objects.requireNonNull(keyId);
        Objects.requireNonNull(method);
        Objects.requireNonNull(path);
        Objects.requireNonNull(ip);
        Objects.requireNonNull(requestId);
    }
}
