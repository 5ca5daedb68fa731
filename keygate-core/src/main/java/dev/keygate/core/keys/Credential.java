package dev.keygate.core.keys;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the store returns for a key digest: the key and its account's own rate limit, everything
 * a request needs to be authenticated and limited.
 *
 * @param rateLimit the account's own limit per 60 s; empty = the server's default
 */
public record Credential(KeyRecord key, OptionalInt rateLimit) {
    public Credential {
        Objects.requireNonNull(key);
        Objects.requireNonNull(rateLimit);
    }
}
