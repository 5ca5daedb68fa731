package dev.keygate.core;

import dev.keygate.keyformat.Environment;
import java.util.Objects;

/**
 * One account in one environment: every object belongs to exactly one scope, and a key sees only
 * its own (SPEC section 1). Every store query is bounded by it.
 */
public record Scope(String accountId, Environment environment) {
    public Scope {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(environment);
    }

    /** {@code test} or {@code live}, as in object ids: {@code pay_test_…}. */
    public String label() {
        return environment.label();
    }
}
