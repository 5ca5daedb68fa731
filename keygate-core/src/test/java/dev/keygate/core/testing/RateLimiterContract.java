package dev.keygate.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.limit.RateDecision;
import dev.keygate.core.limit.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RateLimiter} guarantees (SPEC section 4), on a clock the test moves. Extend it
 * once per implementation (in-process, Redis) with {@link #newLimiter(MutableClock)}.
 */
public abstract class RateLimiterContract {

    protected static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

    protected MutableClock clock;
    protected RateLimiter limiter;
    /** A bucket name no other test uses. */
    protected String bucket;

    /** A limiter, empty of requests, that reads time from {@code clock}. */
    protected abstract RateLimiter newLimiter(MutableClock clock);

    @BeforeEach
    void createLimiter() {
        clock = new MutableClock(T0);
        limiter = newLimiter(clock);
        bucket = "acct_" + UUID.randomUUID().toString().substring(0, 8) + ":test";
    }

    @AfterEach
    void closeLimiter() {
        limiter.close();
    }

    protected RateDecision acquire(String bucket, int limit) {
        return limiter.tryAcquire(bucket, limit).toCompletableFuture().join();
    }

    @Test
    void tryAcquireWhenUnderLimitThenAcceptedWithRemainingCountingDown() {
        for (int i = 1; i <= 5; i++) {
            RateDecision decision = acquire(bucket, 5);
            assertThat(decision.accepted()).isTrue();
            assertThat(decision.limit()).isEqualTo(5);
            assertThat(decision.remaining()).isEqualTo(5 - i);
            assertThat(decision.resetSeconds()).isEqualTo(60);
            assertThat(decision.retryAfterSeconds()).isZero();
        }
    }

    @Test
    void tryAcquireWhenOverLimitThenRefusedWithExactRetryAfter() {
        acquire(bucket, 3);
        clock.advance(Duration.ofSeconds(10));
        acquire(bucket, 3);
        acquire(bucket, 3);
        clock.advance(Duration.ofMillis(500));

        RateDecision refused = acquire(bucket, 3);

        assertThat(refused.accepted()).isFalse();
        assertThat(refused.remaining()).isZero();
        // The oldest leaves at T0+60 s, 49.5 s from now: whole seconds, rounded up.
        assertThat(refused.retryAfterSeconds()).isEqualTo(50);
    }

    @Test
    void tryAcquireWhenOldestLeavesWindowThenAcceptedAtThatVeryMillisecond() {
        acquire(bucket, 2);
        clock.advance(Duration.ofSeconds(1));
        acquire(bucket, 2);

        clock.set(T0.plus(Duration.ofSeconds(60)).minusMillis(1));
        assertThat(acquire(bucket, 2).accepted()).isFalse();
        clock.set(T0.plus(Duration.ofSeconds(60)));
        assertThat(acquire(bucket, 2).accepted()).isTrue();
        assertThat(acquire(bucket, 2).accepted()).isFalse();
    }

    @Test
    void tryAcquireWhenRefusedThenNotCounted() {
        acquire(bucket, 1);
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofSeconds(2));
            assertThat(acquire(bucket, 1).accepted()).isFalse();
        }
        clock.set(T0.plus(Duration.ofSeconds(60)));
        assertThat(acquire(bucket, 1).accepted()).isTrue();
    }

    @Test
    void tryAcquireWhenOtherBucketFullThenThisOneUnaffected() {
        acquire(bucket, 1);
        assertThat(acquire(bucket, 1).accepted()).isFalse();
        assertThat(acquire(bucket + "-live", 1).accepted()).isTrue();
    }

    @Test
    void peekWhenCalledThenNothingCounted() {
        acquire(bucket, 3);
        RateDecision peeked = limiter.peek(bucket, 3).toCompletableFuture().join();
        assertThat(peeked.accepted()).isTrue();
        assertThat(peeked.remaining()).isEqualTo(2);
        for (int i = 0; i < 10; i++) {
            limiter.peek(bucket, 3).toCompletableFuture().join();
        }
        assertThat(acquire(bucket, 3).remaining()).isEqualTo(1);
    }

    @Test
    void tryAcquireWhenTrafficIsRandomThenNoSixtySecondWindowHasMoreThanTheLimit() {
        Random random = new Random(42);
        int limit = 7;
        Deque<Instant> accepted = new ArrayDeque<>();
        int acceptedCount = 0;
        for (int i = 0; i < 400; i++) {
            clock.advance(Duration.ofMillis(random.nextInt(1_500)));
            if (acquire(bucket, limit).accepted()) {
                acceptedCount++;
                accepted.addLast(clock.instant());
                while (!accepted.peekFirst().isAfter(clock.instant().minusSeconds(60))) {
                    accepted.removeFirst();
                }
                assertThat(accepted).hasSizeLessThanOrEqualTo(limit);
            }
        }
        assertThat(acceptedCount).isGreaterThan(limit);
    }
}
