package dev.keygate.core.limit;

import dev.keygate.core.StoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Counts requests per bucket (an account and environment) in a rolling window (SPEC section 4):
 * in any {@link #WINDOW}, at most {@code limit} requests are accepted; refused requests are not
 * counted. One in-process implementation ({@link SlidingWindowRateLimiter}); a shared one for
 * several nodes implements the same contract.
 */
public interface RateLimiter extends AutoCloseable {

    /** The rolling window of SPEC section 4. */
    Duration WINDOW = Duration.ofSeconds(60);

    /** The default limit per window and bucket, overridable by configuration and per account. */
    int DEFAULT_LIMIT = 120;

    /**
     * Counts one request in {@code bucket} if fewer than {@code limit} were accepted in the last
     * {@link #WINDOW}. The stage fails with {@link StoreUnavailableException} when a shared limiter
     * cannot be reached.
     */
    CompletionStage<RateDecision> tryAcquire(String bucket, int limit);

    /**
     * The state of {@code bucket} without counting a request: for the {@code RateLimit} fields of
     * an authenticated response that was refused for another reason (SPEC section 4: refused
     * requests are not counted). {@code accepted} says whether a request would be.
     */
    CompletionStage<RateDecision> peek(String bucket, int limit);

    /**
     * Completes when the limiter can answer (for {@code /readyz}); fails when a shared limiter's
     * server does not. The in-process limiter is always ready.
     */
    default CompletionStage<Void> ready() {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    @Override
    default void close() {}
}
