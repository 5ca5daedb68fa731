package dev.keygate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.limit.OutageJournal;
import dev.keygate.core.limit.RateDecision;
import dev.keygate.core.limit.RateLimiter;
import dev.keygate.core.limit.SlidingWindowRateLimiter;
import dev.keygate.core.testing.CpuBurner;
import dev.keygate.core.testing.MutableClock;
import dev.keygate.core.testing.RateLimiterContract;
import dev.keygate.core.testing.TcpProxy;
import java.time.Clock;
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
        RedisRateLimiter limiter = new RedisRateLimiter(redis.client(TestRedis.URL), redis.prefix, NO_FALLBACK,
                new OutageJournal(clock, 10), 1, Optional.of(clock));
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
                    new SlidingWindowRateLimiter(Clock.systemUTC()),
                    new OutageJournal(Clock.systemUTC(), OutageJournal.DEFAULT_MAX_ENTRIES),
                    nodeCount, Optional.empty(), commandTimeout);
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
        void tryAcquireWhenRedisBlackHoledThenFallsBackAndReturnsToRedisWhenBack() throws Exception {
            try (TcpProxy proxy = new TcpProxy("127.0.0.1", 6379)) {
                RedisRateLimiter limiter = node("redis://127.0.0.1:" + proxy.port(), 2);
                assertThat(limiter.tryAcquire("acct_hole:test", 10).toCompletableFuture().join().accepted()).isTrue();
                assertThat(limiter.inFallback()).isFalse();

                proxy.blackHole();
                RateDecision decision = limiter.tryAcquire("acct_hole:test", 10).toCompletableFuture().join();
                assertThat(decision.accepted()).isTrue();
                assertThat(limiter.inFallback()).isTrue();

                proxy.restore();
                awaitRedis(limiter);
                assertThat(limiter.inFallback()).isFalse();
            }
        }

        /**
         * SPEC section 4: what a node accepted while Redis was down counts in the shared window once
         * Redis is back (issue 16: 69 during an outage, then 120 more at once).
         */
        @Test
        void tryAcquireWhenRedisBackAfterAnOutageThenWhatWasAcceptedMeanwhileCounts() throws Exception {
            try (TcpProxy proxy = new TcpProxy("127.0.0.1", 6379)) {
                RedisRateLimiter limiter = node("redis://127.0.0.1:" + proxy.port(), 1);
                String bucket = "acct_outage:test";

                proxy.cutOff();
                int acceptedDuring = accepted(limiter, bucket, 69);
                assertThat(acceptedDuring).isEqualTo(69);
                assertThat(limiter.inFallback()).isTrue();
                assertThat(limiter.journalSize()).isEqualTo(69);

                proxy.restore();
                awaitRedis(limiter);

                assertThat(limiter.journalSize()).isZero();
                assertThat(accepted(limiter, bucket, 100)).as("69 + at most 51 in the window").isEqualTo(51);
                assertThat(limiter.inFallback()).isFalse();
            }
        }

        /** Two nodes, each on its share during the outage: their 120 count together once Redis is back. */
        @Test
        void tryAcquireWhenTwoNodesAcceptedTheirSharesDuringAnOutageThenRedisCountsBoth() throws Exception {
            try (TcpProxy proxy = new TcpProxy("127.0.0.1", 6379)) {
                List<RedisRateLimiter> nodes = List.of(node("redis://127.0.0.1:" + proxy.port(), 2),
                        node("redis://127.0.0.1:" + proxy.port(), 2));
                String bucket = "acct_shares:test";
                assertThat(accepted(nodes.get(0), bucket, 10)).isEqualTo(10);

                proxy.cutOff();
                assertThat(accepted(nodes.get(0), bucket, 80) + accepted(nodes.get(1), bucket, 80)).isEqualTo(120);

                proxy.restore();
                for (RedisRateLimiter node : nodes) {
                    awaitRedis(node);
                }
                assertThat(accepted(nodes.get(0), bucket, 20) + accepted(nodes.get(1), bucket, 20))
                        .as("130 counted in the window: none more").isZero();
                assertThat(nodes).noneMatch(RedisRateLimiter::inFallback);
            }
        }

        /** More buckets than the connection queues commands: the merge goes in chunks, none is lost. */
        @Test
        void tryAcquireWhenManyAccountsUsedTheOutageThenEachCountsOnceRedisIsBack() throws Exception {
            try (TcpProxy proxy = new TcpProxy("127.0.0.1", 6379)) {
                RedisRateLimiter limiter = node("redis://127.0.0.1:" + proxy.port(), 1);
                int buckets = RedisRateLimiter.MAX_IN_FLIGHT + 904;

                proxy.cutOff();
                for (int i = 0; i < buckets; i++) {
                    assertThat(limiter.tryAcquire("acct_many" + i + ":test", 1).toCompletableFuture().join()
                            .accepted()).isTrue();
                }
                proxy.restore();
                awaitRedis(limiter);

                assertThat(limiter.inFallback()).isFalse();
                for (int i = 0; i < buckets; i++) {
                    assertThat(limiter.peek("acct_many" + i + ":test", 1).toCompletableFuture().join().accepted())
                            .as("bucket %d counted in Redis", i).isFalse();
                }
            }
        }

        private static int accepted(RedisRateLimiter limiter, String bucket, int requests) {
            int accepted = 0;
            for (int i = 0; i < requests; i++) {
                accepted += limiter.tryAcquire(bucket, 120).toCompletableFuture().join().accepted() ? 1 : 0;
            }
            return accepted;
        }

        /** Polls (without counting) until the limiter decides from Redis again: it probes once a second. */
        private static void awaitRedis(RedisRateLimiter limiter) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (limiter.inFallback() && System.nanoTime() < deadline) {
                limiter.peek("acct_probe:test", 10).toCompletableFuture().join();
                Thread.sleep(20);
            }
        }
    }
}
