package dev.keygate.payments;

import dev.keygate.core.Scope;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A customer record of one account and environment. */
public record Customer(String id, Scope scope, String email, Optional<String> name, Instant createdAt) {
    public Customer {
        Objects.requireNonNull(id);
        Objects.requireNonNull(scope);
        Objects.requireNonNull(email);
        Objects.requireNonNull(name);
        Objects.requireNonNull(createdAt);
    }
}
