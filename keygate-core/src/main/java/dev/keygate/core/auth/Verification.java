package dev.keygate.core.auth;

import dev.keygate.core.StoreUnavailableException;
import dev.keygate.keyformat.Malformation;
import java.time.Instant;

/**
 * The outcome of checking a presented key (SPEC section 3). Each case maps to one row of the
 * spec's table; "the store could not answer" is not a case but a {@link StoreUnavailableException}.
 */
public sealed interface Verification {

    /** The key is active (or in its grace period). */
    record Valid(VerifiedKey key) implements Verification {}

    /** Wrong prefix, length, alphabet or checksum: decided without the store, cache or limiter. */
    record Malformed(Malformation malformation) implements Verification {}

    /**
     * Well-formed but unknown or deleted.
     *
     * @param masked the presented key masked, for the error message
     */
    record Unknown(String masked) implements Verification {}

    /** Past its {@code expires_at}. */
    record Expired(String masked, Instant expiredAt) implements Verification {}
}
