package dev.keygate.client;

import java.time.Duration;

/**
 * Waits between retries. The default sleeps the calling thread; tests inject one that moves a fake
 * clock instead, so that a {@code Retry-After} of a minute passes at once.
 *
 * <pre>{@code
 * KeygateClient client = KeygateClient.builder(key).sleeper(clock::advance).build();
 * }</pre>
 */
@FunctionalInterface
public interface Sleeper {

    /** Returns after {@code duration}; throws if the thread is interrupted meanwhile. */
    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep}: the default. */
    static Sleeper system() {
        return duration -> {
            if (!duration.isNegative() && !duration.isZero()) {
                Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
            }
        };
    }
}
