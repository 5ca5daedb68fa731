package dev.keygate.core.rotation;

import java.time.Instant;
import java.util.Objects;

/**
 * A pending rotation: which key, how long its grace period, and the digest of the code mailed to
 * the owner (never the code).
 *
 * @param codeDigest hex SHA-256 of the request id and the code
 * @param attempts   wrong codes entered so far
 */
public record RotationRequest(String id, String accountId, String keyId, GracePeriod grace, String codeDigest,
        Instant createdAt, Instant expiresAt, int attempts, State state) {

    /** Where a request stands. */
    public enum State {
        PENDING,
        /** Confirmed: the new key exists. */
        USED,
        /** Too many wrong codes. */
        VOID
    }

    public RotationRequest {
        Objects.requireNonNull(id);
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(keyId);
        Objects.requireNonNull(grace);
        Objects.requireNonNull(codeDigest);
        Objects.requireNonNull(createdAt);
        Objects.requireNonNull(expiresAt);
        Objects.requireNonNull(state);
    }

    @Override
    public String toString() {
        return "RotationRequest[id=" + id + ", key=" + keyId + ", state=" + state + "]";
    }
}
