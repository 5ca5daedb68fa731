package dev.keygate.core.accounts;

import dev.keygate.keyformat.Environment;
import java.time.Instant;
import java.util.Objects;

/**
 * A dashboard login. The store keeps only the SHA-256 of the session token the browser holds.
 *
 * @param idDigest    hex SHA-256 of the cookie's token
 * @param csrfToken   the token every form of this session must carry
 * @param environment the test/live switch
 */
public record Session(String idDigest, String accountId, String csrfToken, Environment environment, Instant createdAt,
        Instant lastSeenAt) {
    public Session {
        Objects.requireNonNull(idDigest);
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(csrfToken);
        Objects.requireNonNull(environment);
        Objects.requireNonNull(createdAt);
        Objects.requireNonNull(lastSeenAt);
    }

    @Override
    public String toString() {
        return "Session[account=" + accountId + ", environment=" + environment.label() + "]";
    }
}
