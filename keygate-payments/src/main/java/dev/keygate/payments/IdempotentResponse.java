package dev.keygate.payments;

import dev.keygate.core.Scope;
import dev.keygate.keyformat.KeyType;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The first response to a POST with an {@code Idempotency-Key} (SPEC section 5), kept 24 hours
 * and written in the same transaction as the object it created, so a replay returns exactly it.
 * It is kept per account, environment and key type: a publishable key, public by design, cannot
 * claim a key that the merchant's server then sends with its secret key.
 *
 * @param keyType     the type of the API key that made the request
 * @param fingerprint digest of the request's method, path and body: another body with the same
 *                    key is {@code 409 idempotency_key_reused}
 */
public record IdempotentResponse(
        Scope scope, KeyType keyType, String key, String fingerprint, int status, String body, Instant createdAt) {

    /** How long a response is kept (SPEC section 5). */
    public static final Duration TTL = Duration.ofHours(24);
    /** Longest {@code Idempotency-Key} accepted. */
    public static final int MAX_KEY_LENGTH = 255;

    public IdempotentResponse {
        Objects.requireNonNull(scope);
        Objects.requireNonNull(keyType);
        Objects.requireNonNull(key);
        Objects.requireNonNull(fingerprint);
        Objects.requireNonNull(body);
        Objects.requireNonNull(createdAt);
    }

    @Override
    public String toString() {
        return "IdempotentResponse[status=" + status + ", createdAt=" + createdAt + "]";
    }
}
