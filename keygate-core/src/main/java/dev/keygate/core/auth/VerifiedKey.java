package dev.keygate.core.auth;

import dev.keygate.core.keys.Credential;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An authenticated key: who is calling, in which environment, with which permissions.
 *
 * @param expiresAt set while the key is in a grace period (responses then carry {@code Sunset})
 * @param rateLimit the account's own limit; empty = the server's default
 */
public record VerifiedKey(
        String keyId,
        String accountId,
        KeyType type,
        Environment environment,
        Optional<Instant> expiresAt,
        OptionalInt rateLimit) {

    static VerifiedKey of(Credential credential) {
        KeyRecord key = credential.key();
        return new VerifiedKey(
                key.id(), key.accountId(), key.type(), key.environment(), key.expiresAt(), credential.rateLimit());
    }

    /** The rate limit bucket: all keys of one account in one environment share it (SPEC section 4). */
    public String limitBucket() {
        return accountId + ":" + environment.label();
    }
}
