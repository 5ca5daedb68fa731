package dev.keygate.core.keys;

import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What is stored about one API key: never the secret key itself, only its public facts. The
 * digest the key is found by is kept beside this record by the store.
 *
 * @param id          {@code key_} + 16 base62 characters; public, safe for URLs and logs
 * @param last4       the key's last 4 characters, for its masked form
 * @param publicValue the whole key for a publishable key (it may be shown again), empty for a secret key
 * @param expiresAt   empty = never
 * @param revokedAt   when it was deleted; empty while it is not
 * @param exposedAt   when a browser last sent this secret key; empty if never
 */
public record KeyRecord(
        String id,
        String accountId,
        KeyType type,
        Environment environment,
        String name,
        String last4,
        Optional<String> publicValue,
        Instant createdAt,
        Optional<Instant> expiresAt,
        Optional<Instant> lastUsedAt,
        Optional<Instant> revokedAt,
        Optional<Instant> exposedAt) {

    public KeyRecord {
        Objects.requireNonNull(id);
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(type);
        Objects.requireNonNull(environment);
        Objects.requireNonNull(name);
        Objects.requireNonNull(last4);
        Objects.requireNonNull(publicValue);
        Objects.requireNonNull(createdAt);
        Objects.requireNonNull(expiresAt);
        Objects.requireNonNull(lastUsedAt);
        Objects.requireNonNull(revokedAt);
        Objects.requireNonNull(exposedAt);
        if (type != KeyType.PUBLIC && publicValue.isPresent()) {
            throw new IllegalArgumentException("a secret or restricted key's value is never stored");
        }
    }

    /** Prefix and last 4 characters, such as {@code sk_test_...Xa9Q}. */
    public String masked() {
        return ApiKey.prefix(type, environment) + "..." + last4;
    }

    /** The status at {@code now}. */
    public KeyStatus status(Instant now) {
        if (revokedAt.isPresent()) {
            return KeyStatus.REVOKED;
        }
        if (expiresAt.isEmpty()) {
            return KeyStatus.ACTIVE;
        }
        return now.isBefore(expiresAt.get()) ? KeyStatus.EXPIRING : KeyStatus.EXPIRED;
    }
}
