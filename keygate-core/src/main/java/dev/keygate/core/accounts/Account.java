package dev.keygate.core.accounts;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A merchant (SPEC section 1).
 *
 * @param rateLimit the account's own requests per 60 s per environment; empty = the server's default
 */
public record Account(String id, String name, String email, OptionalInt rateLimit, Instant createdAt) {
    public Account {
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        Objects.requireNonNull(email);
        Objects.requireNonNull(rateLimit);
        Objects.requireNonNull(createdAt);
    }
}
