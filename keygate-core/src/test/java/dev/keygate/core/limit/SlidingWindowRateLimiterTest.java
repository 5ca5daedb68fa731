package dev.keygate.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlidingWindowRateLimiterTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.000Z");
    private static final String BUCKET = "acct_0123456789abcdef:test";

    private final MutableClock clock = new MutableClock(T0);
    private final SlidingWindowRateLimiter limiter = new SlidingWindowRateLimiter(clock);

    @Test
    void acquireWhenUnderLimitThenAcceptedWithRemainingCountingDown() {
        for (int i = 1; i <= 120; i++) {
            RateDecision decision = limiter.acquire(BUCKET, 120);

            assertThat(decision.accepted()).isTrue();
            assertThat(decision.limit()).isEqualTo(120);
            assertThat(decision.remaining()).isEqualTo(120 - i);
            assertThat(decision.retryAfterSeconds()).isZero();
            clock.advance(Duration.ofMillis(250));
        }
    }

    @Test
    void acquireWhenLimitReachedThenRefusedWithRemainingZeroAndExactRetryAfter() {
        // 120 requests 250 ms apart: the oldest at T0, the newest at T0 + 29.75 s.
        acceptSpaced(120, 120, Duration.ofMillis(250));
        clock.set(T0.plusMillis(30_500));

        RateDecision refused = limiter.acquire(BUCKET, 120);

        // The oldest leaves the window at T0 + 60 s: 29.5 s from now, rounded up.
        assertThat(refused).isEqualTo(new RateDecision(false, 120, 0, 30, 30));
    }

    @Test
    void acquireWhenLimitReachedAtOnceThenRetryAfterIsWholeWindow() {
        acceptSpaced(120, 120, Duration.ZERO);

        assertThat(limiter.acquire(BUCKET, 120)).isEqualTo(new RateDecision(false, 120, 0, 60, 60));
    }

    @Test
    void acquireWhenOldestLeavesWindowThenAcceptedAtThatExactMillisecond() {
        acceptSpaced(120, 120, Duration.ofMillis(250));

        clock.set(T0.plusMillis(59_999));
        RateDecision justBefore = limiter.acquire(BUCKET, 120);
        clock.set(T0.plusMillis(60_000));
        RateDecision atTheEdge = limiter.acquire(BUCKET, 120);

        assertThat(justBefore.accepted()).isFalse();
        assertThat(justBefore.retryAfterSeconds()).isEqualTo(1);
        assertThat(atTheEdge.accepted()).isTrue();
        assertThat(atTheEdge.remaining()).isZero();
        assertThat(atTheEdge.retryAfterSeconds()).isZero();
    }

    @Test
    void acquireAfterRecoveryThenNextRefusedUntilSecondOldestLeaves() {
        acceptSpaced(120, 120, Duration.ofMillis(250));
        clock.set(T0.plusMillis(60_000));
        assertThat(limiter.acquire(BUCKET, 120).accepted()).isTrue();

        RateDecision refused = limiter.acquire(BUCKET, 120);
        clock.set(T0.plusMillis(60_249));
        RateDecision stillRefused = limiter.acquire(BUCKET, 120);
        clock.set(T0.plusMillis(60_250));
        RateDecision accepted = limiter.acquire(BUCKET, 120);

        assertThat(refused).isEqualTo(new RateDecision(false, 120, 0, 1, 1));
        assertThat(stillRefused.accepted()).isFalse();
        assertThat(accepted.accepted()).isTrue();
    }

    @Test
    void acquireWhenHammeredWhileRefusedThenRecoveryNotDelayed() {
        assertThat(limiter.acquire(BUCKET, 1).accepted()).isTrue();

        for (int millis = 1; millis < 60_000; millis += 7) {
            clock.set(T0.plusMillis(millis));
            assertThat(limiter.acquire(BUCKET, 1).accepted()).isFalse();
        }
        clock.set(T0.plusMillis(59_999));
        assertThat(limiter.acquire(BUCKET, 1).accepted()).isFalse();
        clock.set(T0.plusMillis(60_000));

        assertThat(limiter.acquire(BUCKET, 1)).isEqualTo(new RateDecision(true, 1, 0, 60, 0));
    }

    @Test
    void acquireWhenRefusedRequestsMadeThenTheyDoNotUseUpTheNextWindow() {
        acceptSpaced(10, 10, Duration.ZERO);
        for (int i = 0; i < 1_000; i++) {
            clock.set(T0.plusMillis(30_000 + i));
            assertThat(limiter.acquire(BUCKET, 10).accepted()).isFalse();
        }
        clock.set(T0.plusSeconds(60));

        // The whole limit is free again: none of the thousand refusals was counted.
        for (int i = 1; i <= 10; i++) {
            RateDecision decision = limiter.acquire(BUCKET, 10);
            assertThat(decision.accepted()).isTrue();
            assertThat(decision.remaining()).isEqualTo(10 - i);
        }
        assertThat(limiter.acquire(BUCKET, 10).accepted()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 42L, 20250301L})
    void acquireAcceptsAtMostLimitInAnyWindowAndRefusesOnlyWhenWindowFull(long seed) {
        Random random = new Random(seed);
        int limit = 25;
        long windowMillis = RateLimiter.WINDOW.toMillis();
        List<Long> accepted = new ArrayList<>();
        long now = T0.toEpochMilli();
        long end = now + Duration.ofMinutes(10).toMillis();
        int refusals = 0;

        while (now < end) {
            clock.set(Instant.ofEpochMilli(now));
            RateDecision decision = limiter.acquire(BUCKET, limit);
            long nowMillis = now;
            long inWindow = accepted.stream().filter(t -> nowMillis - t < windowMillis).count();

            // An exact sliding log: refused exactly when the last 60 s already hold the limit.
            assertThat(decision.accepted()).as("at +%d ms", now - T0.toEpochMilli()).isEqualTo(inWindow < limit);
            if (decision.accepted()) {
                accepted.add(now);
                assertThat(decision.remaining()).isEqualTo(limit - (int) inWindow - 1);
            } else {
                refusals++;
                assertThat(decision.remaining()).isZero();
                long oldest = accepted.stream().filter(t -> nowMillis - t < windowMillis).findFirst().orElseThrow();
                long expectedRetry = Math.ceilDiv(oldest + windowMillis - now, 1000);
                assertThat(decision.retryAfterSeconds()).isEqualTo(expectedRetry);
            }
            // Bursts (several in one millisecond), steady traffic and long pauses.
            int kind = random.nextInt(10);
            now += kind < 3 ? 0 : kind < 6 ? random.nextInt(50) : kind < 9 ? random.nextInt(3_000) : random.nextInt(30_000);
        }

        assertThat(accepted).hasSizeGreaterThan(limit * 3);
        assertThat(refusals).isPositive();
        for (int i = 0; i < accepted.size(); i++) {
            long start = accepted.get(i);
            long inWindow = accepted.stream()
                    .filter(t -> t >= start && t < start + windowMillis)
                    .count();
            assertThat(inWindow).as("window starting at +%d ms", start - T0.toEpochMilli()).isLessThanOrEqualTo(limit);
        }
    }

    @Test
    void acquireReportsSecondsUntilOldestCountedRequestLeavesAsReset() {
        RateDecision first = limiter.acquire(BUCKET, 120);
        clock.advance(Duration.ofMillis(10_500));
        RateDecision second = limiter.acquire(BUCKET, 120);
        clock.set(T0.plusMillis(59_001));
        RateDecision late = limiter.acquire(BUCKET, 120);
        clock.set(T0.plusMillis(60_000));
        RateDecision afterOldestLeft = limiter.acquire(BUCKET, 120);

        assertThat(first).isEqualTo(new RateDecision(true, 120, 119, 60, 0));
        assertThat(second).isEqualTo(new RateDecision(true, 120, 118, 50, 0));
        assertThat(late).isEqualTo(new RateDecision(true, 120, 117, 1, 0));
        // The request at T0 left; the oldest counted is now the one at T0 + 10.5 s.
        assertThat(afterOldestLeft).isEqualTo(new RateDecision(true, 120, 117, 11, 0));
    }

    @Test
    void acquireWhenBucketIdleForWholeWindowThenFullLimitAgain() {
        acceptSpaced(5, 5, Duration.ofSeconds(1));
        clock.advance(Duration.ofMinutes(10));

        RateDecision decision = limiter.acquire(BUCKET, 5);

        assertThat(decision).isEqualTo(new RateDecision(true, 5, 4, 60, 0));
    }

    @Test
    void acquireKeepsBucketsIndependent() {
        acceptSpaced(3, 3, Duration.ZERO);
        assertThat(limiter.acquire(BUCKET, 3).accepted()).isFalse();

        String other = "acct_0123456789abcdef:live";
        for (int i = 1; i <= 3; i++) {
            RateDecision decision = limiter.acquire(other, 3);
            assertThat(decision.accepted()).isTrue();
            assertThat(decision.remaining()).isEqualTo(3 - i);
        }
        assertThat(limiter.acquire(other, 3).accepted()).isFalse();
        assertThat(limiter.acquire(BUCKET, 3).accepted()).isFalse();
    }

    @Test
    void acquireWhenLimitRaisedThenCountedRequestsKeptAndMoreAccepted() {
        // Three accepted at T0, T0 + 1 s, T0 + 2 s; the fourth refused.
        acceptSpaced(3, 3, Duration.ofSeconds(1));
        assertThat(limiter.acquire(BUCKET, 3).accepted()).isFalse();

        RateDecision fourth = limiter.acquire(BUCKET, 5);
        clock.advance(Duration.ofSeconds(1));
        RateDecision fifth = limiter.acquire(BUCKET, 5);
        clock.advance(Duration.ofSeconds(1));
        RateDecision sixth = limiter.acquire(BUCKET, 5);

        assertThat(fourth).isEqualTo(new RateDecision(true, 5, 1, 58, 0));
        assertThat(fifth).isEqualTo(new RateDecision(true, 5, 0, 57, 0));
        // Still counting from the request at T0.
        assertThat(sixth).isEqualTo(new RateDecision(false, 5, 0, 56, 56));
    }

    @Test
    void acquireWhenLimitLoweredThenNewestRequestsKept() {
        // Five accepted at T0 .. T0 + 4 s.
        acceptSpaced(5, 5, Duration.ofSeconds(1));
        clock.set(T0.plusSeconds(10));

        RateDecision lowered = limiter.acquire(BUCKET, 2);

        // The newest two (T0 + 3 s, T0 + 4 s) count: accepted again once T0 + 3 s leaves, at T0 + 63 s.
        assertThat(lowered).isEqualTo(new RateDecision(false, 2, 0, 53, 53));
        clock.set(T0.plusSeconds(61));
        assertThat(limiter.acquire(BUCKET, 2).accepted()).isFalse();
        clock.set(T0.plusMillis(62_999));
        assertThat(limiter.acquire(BUCKET, 2)).isEqualTo(new RateDecision(false, 2, 0, 1, 1));
        clock.set(T0.plusSeconds(63));
        assertThat(limiter.acquire(BUCKET, 2)).isEqualTo(new RateDecision(true, 2, 0, 1, 0));
        assertThat(limiter.acquire(BUCKET, 2).accepted()).isFalse();
    }

    @Test
    void acquireWhenLimitLoweredBelowCountedThenRaisedAgainThenOnlyNewestCount() {
        acceptSpaced(4, 4, Duration.ofSeconds(1));
        assertThat(limiter.acquire(BUCKET, 2).accepted()).isFalse();

        RateDecision raised = limiter.acquire(BUCKET, 4);

        // Lowering to 2 kept the newest two (T0 + 2 s, T0 + 3 s); now the limit is 4 again.
        assertThat(raised).isEqualTo(new RateDecision(true, 4, 1, 59, 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void acquireWhenLimitBelowOneThenRejected(int limit) {
        assertThatThrownBy(() -> limiter.acquire(BUCKET, limit)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.tryAcquire(BUCKET, limit)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tryAcquireCompletesWithTheDecision() {
        RateDecision decision = limiter.tryAcquire(BUCKET, 2).toCompletableFuture().join();
        limiter.acquire(BUCKET, 2);
        RateDecision refused = limiter.tryAcquire(BUCKET, 2).toCompletableFuture().join();

        assertThat(decision).isEqualTo(new RateDecision(true, 2, 1, 60, 0));
        assertThat(refused).isEqualTo(new RateDecision(false, 2, 0, 60, 60));
    }

    /** Makes {@code count} accepted requests {@code spacing} apart from {@link #T0}, leaving the clock at the last. */
    private void acceptSpaced(int count, int limit, Duration spacing) {
        clock.set(T0);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                clock.advance(spacing);
            }
            assertThat(limiter.acquire(BUCKET, limit).accepted()).isTrue();
        }
    }
}
