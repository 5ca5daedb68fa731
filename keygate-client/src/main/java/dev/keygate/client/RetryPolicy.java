package dev.keygate.client;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When and how long to wait before retrying: capped exponential backoff with jitter for connection
 * failures and {@code 5xx}, the server's {@code Retry-After} for {@code 429} (and a {@code 5xx} that
 * carries one) as long as it is within {@link #maxRetryAfter}.
 *
 * @param maxRetries    retries after the first attempt
 * @param initialDelay  the backoff before the first retry, before jitter
 * @param maxDelay      the backoff never grows past this
 * @param maxRetryAfter the longest {@code Retry-After} waited for; a longer one is thrown to the caller
 */
record RetryPolicy(int maxRetries, Duration initialDelay, Duration maxDelay, Duration maxRetryAfter) {

    /** Statuses worth another try: the server failed or was overloaded, and may not next time. */
    static boolean retryableStatus(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /**
     * The wait before retry number {@code retry} (1 for the first): {@code initialDelay * 2^(retry-1)},
     * capped at {@code maxDelay}, then scaled by a random factor in [0.5, 1) so that clients refused
     * together do not come back together.
     */
    Duration backoff(int retry, RandomGenerator random) {
        double base = Math.min(maxDelay.toNanos(), initialDelay.toNanos() * Math.pow(2, retry - 1));
        return Duration.ofNanos((long) (base * (0.5 + random.nextDouble() * 0.5)));
    }

    /**
     * The wait before retrying a response with this status and {@code Retry-After}; empty when the
     * status is not worth a retry or the server asks for a longer wait than {@link #maxRetryAfter}.
     */
    Optional<Duration> delay(int status, Optional<Duration> retryAfter, int retry, RandomGenerator random) {
        if (!retryableStatus(status)) {
            return Optional.empty();
        }
        if (retryAfter.isPresent()) {
            return retryAfter.get().compareTo(maxRetryAfter) <= 0 ? retryAfter : Optional.empty();
        }
        return Optional.of(backoff(retry, random));
    }
}
