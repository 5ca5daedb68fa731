package dev.keygate.payments;

import dev.keygate.core.Scope;
import java.time.Instant;
import java.util.Objects;

/** A refund of all or part of a succeeded payment. */
public record Refund(String id, Scope scope, String paymentId, long amount, String currency, Instant createdAt) {
    public Refund {
        Objects.requireNonNull(id);
        Objects.requireNonNull(scope);
        Objects.requireNonNull(paymentId);
        Objects.requireNonNull(currency);
        Objects.requireNonNull(createdAt);
    }
}
