package dev.keygate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.limit.RateDecision;
import dev.keygate.core.limit.RateLimiter;
import dev.keygate.core.limit.SlidingWindowRateLimiter;
import dev.keygate.core.testing.CpuBurner;
import dev.keygate.core.testing.MutableClock;
import dev.keygate.core.testing.RateLimiterContract;
import dev.keygate.core.testing.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * The Redis limiter keeps the limiter contract (on a test clock passed to the script), and on
 * Redis's own clock it shares one limit between nodes, gives every key a TTL, and falls back to
 * each node's own limiter while Redis cannot answer.
 */
class RedisRateLimiterTest extends RateLimiterContract {

    private TestRedis redis;

    @Override
    protected RateLimiter newLimiter(MutableClock clock) {
        redis = new TestRedis();
        RedisRateLimiter limiter = new RedisRateLimiter(redis.client(TestRedis.URL), redis.prefix, NO_FALLBACK, 1,
                Optional.of(clock));
        limiter.warmUp(Duration.ofSeconds(5)).await();
        return limiter;
    }

    /** The contract must be kept by Redis itself: any fallback decision fails the test. */
    private static final RateLimiter NO_FALLBACK = new RateLimiter() {
        @Override
        public java.util.concurrent.CompletionStage<RateDecision> tryAcquire(String bucket, int limit) {
            throw new AssertionError("the fallback was used: Redis did not answer");
        }

        @Override
        public java.util.concurrent.CompletionStage<RateDecision> peek(String bucket, int limit) {
            throw new AssertionError("the fallback was used: Redis did not answer");
        }
    };

    @AfterEach
    void cleanUp() {
        redis.close();
    }

    @Nested
    class OnRedisClock {

        private final TestRedis redis = new TestRedis();

        @AfterEach
        void cleanUp() {
            redis.close();
        }

        private RedisRateLimiter node(String url, int nodeCount) {
            return node(url, nodeCount, RedisRateLimiter.DEFAULT_COMMAND_TIMEOUT);
        }

        private RedisRateLimiter node(String url, int nodeCount, Duration commandTimeout) {
            RedisRateLimiter limiter = new RedisRateLimiter(redis.client(url), redis.prefix,
                    new SlidingWindowRateLimiter(java.time.Clock.systemUTC()), nodeCount, Optional.empty(),
                    commandTimeout);
            try {
                limiter.warmUp(Duration.ofSeconds(2)).await();
            } catch (Exception unreachable) {
                // the limiter starts on its fallback
            }
            return limiter;
        }

        @Test
        void tryAcquireWhenThreeNodesRaceThenExactlyTheLimitIsAcceptedInAll() {
            // 400 requests at one instant is a burst no HTTP load makes; a long command timeout keeps
            // this test about atomicity, not about timeouts (tested below).
            Duration patient = Duration.ofSeconds(5);
            List<RedisRateLimiter> nodes = List.of(node(TestRedis.URL, 3, patient), node(TestRedis.URL, 3, patient),
                    node(TestRedis.URL, 3, patient));
            AtomicInteger accepted = new AtomicInteger();
            List<CompletableFuture<RateDecision>> decisions = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                decisions.add(nodes.get(i % 3).tryAcquire("acct_race:test", 120).toCompletableFuture());
            }
            decisions.forEach(decision -> {
                if (decision.join().accepted()) {
                    accepted.incrementAndGet();
                }
            });
            assertThat(accepted).hasValue(120);
            assertThat(nodes).noneMatch(RedisRateLimiter::inFallback);
        }

        /**
         * Issue 16: on a busy machine a slow answer is not an outage. Two nodes with the default
         * command timeout, both cores saturated, 150 requests at once against 120: Redis decides
         * every one of them.
         */
        @RepeatedTest(20)
        void tryAcquireWhenTwoNodesBurstOnBusyCoresThenAtMostTheLimitIsAccepted(RepetitionInfo repetition) {
            List<RedisRateLimiter> nodes = List.of(node(TestRedis.URL, 2), node(TestRedis.URL, 2));
            String bucket = "acct_burst" + repetition.getCurrentRepetition() + ":test";
            int accepted = 0;
            try (CpuBurner burner = CpuBurner.start()) {
                List<CompletableFuture<RateDecision>> decisions = new ArrayList<>();
                for (int i = 0; i < 150; i++) {
                    decisions.add(nodes.get(i % 2).tryAcquire(bucket, 120).toCompletableFuture());
                }
                for (CompletableFuture<RateDecision> decision : decisions) {
                    accepted += decision.join().accepted() ? 1 : 0;
                }
            }
            assertThat(accepted).isEqualTo(120);
            assertThat(nodes).noneMatch(RedisRateLimiter::inFallback);
        }

        @Test
        void tryAcquireWhenCountedThenEveryRedisKeyHasATtlWithinTheWindow() {
            RedisRateLimiter limiter = node(TestRedis.URL, 1);
            limiter.tryAcquire("acct_ttl:test", 10).toCompletableFuture().join();
            limiter.tryAcquire("acct_ttl:live", 10).toCompletableFuture().join();

            assertThat(redis.keys()).hasSize(2).allSatisfy(key -> assertThat(redis.ttlMillis(key))
                    .isBetween(1L, RateLimiter.WINDOW.toMillis()));
        }

        @Test
        void tryAcquireWhenRedisUnreachableThenEachNodeLimitsToItsShareAndSaysSo() {
            RedisRateLimiter limiter = node("redis://127.0.0.1:1", 3);

            List<Boolean> accepted = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                accepted.add(limiter.tryAcquire("acct_down:test", 120).toCompletableFuture().join().accepted());
            }

            assertThat(accepted.stream().filter(a -> a).count()).isEqualTo(40);
            assertThat(limiter.inFallback()).isTrue();
            assertThat(limiter.fallbackDecisions()).isEqualTo(50);
        }

        @Test
        void tryAcquireWhenRedisBlackHoledThenAnswersWithinTimeoutAndReturnsToRedisWhenBack() throws Exception {
            try (TcpProxy proxy = new TcpProxy("127.0.0.1", 6379)) {
                RedisRateLimiter limiter = node("redis://127.0.0.1:" + proxy.port(), 2);
                assertThat(limiter.tryAcquire("acct_hole:test", 10).toCompletableFuture().join().accepted()).isTrue();
                assertThat(limiter.inFallback()).isFalse();

                proxy.blackHole();
                long start = System.nanoTime();
                RateDecision decision = limiter.tryAcquire("acct_hole:test", 10).toCompletableFuture().join();
                long waitedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertThat(decision.accepted()).isTrue();
                assertThat(limiter.inFallback()).isTrue();
                assertThat(waitedMillis).as("a black-holed Redis costs one command timeout, not a client default")
                        .isLessThan(1_000);

                proxy.restore();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (limiter.inFallback() && System.nanoTime() < deadline) {
                    limiter.tryAcquire("acct_hole:test", 10).toCompletableFuture().join();
                    Thread.sleep(50);
                }
                assertThat(limiter.inFallback()).isFalse();
            }
        }
    }
}
