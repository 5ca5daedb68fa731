package dev.keygate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(5),
            Duration.ofSeconds(30));
    private final SplittableRandom random = new SplittableRandom(42);

    @Test
    void backoffThenDoublesUpToTheCapWithJitterBelowIt() {
        for (int retry = 1; retry <= 70; retry++) {
            long base = Math.min(5_000, 500L << Math.min(retry - 1, 20));
            for (int draw = 0; draw < 100; draw++) {
                Duration delay = policy.backoff(retry, random);
                assertThat(delay).isBetween(Duration.ofMillis(base / 2), Duration.ofMillis(base));
            }
        }
    }

    @Test
    void backoffThenJittered() {
        assertThat(java.util.stream.IntStream.range(0, 50).mapToObj(i -> policy.backoff(3, random)).distinct().count())
                .isGreaterThan(40);
    }

    @Test
    void delayThenRetryAfterWithinTheBoundElseNone() {
        assertThat(policy.delay(429, Optional.of(Duration.ofSeconds(30)), 1, random)).contains(Duration.ofSeconds(30));
        assertThat(policy.delay(429, Optional.of(Duration.ofSeconds(31)), 1, random)).isEmpty();
        assertThat(policy.delay(503, Optional.of(Duration.ofSeconds(3)), 1, random)).contains(Duration.ofSeconds(3));
        assertThat(policy.delay(503, Optional.empty(), 1, random)).isPresent();
        assertThat(policy.delay(429, Optional.empty(), 1, random)).isPresent();
    }

    @Test
    void delayThenNoneForStatusesARetryCannotFix() {
        for (int status : new int[] {400, 401, 403, 404, 409, 413, 415, 501}) {
            assertThat(policy.delay(status, Optional.empty(), 1, random)).as("status %d", status).isEmpty();
        }
    }
}
