package dev.keygate.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class UsageTrackerTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.000Z");

    private final UsageTracker usage = new UsageTracker();

    @Test
    void drainWhenNothingTouchedThenEmpty() {
        assertThat(usage.drain()).isEmpty();
    }

    @Test
    void drainReturnsLatestUseOfEachKey() {
        usage.touch("key_a", T0.plusSeconds(1));
        usage.touch("key_b", T0.plusSeconds(2));
        usage.touch("key_a", T0.plusSeconds(3));

        assertThat(usage.drain()).isEqualTo(Map.of("key_a", T0.plusSeconds(3), "key_b", T0.plusSeconds(2)));
    }

    @Test
    void touchWhenEarlierThanNotedThenLatestKept() {
        usage.touch("key_a", T0.plusSeconds(10));
        usage.touch("key_a", T0.plusSeconds(4));
        usage.touch("key_a", T0.plusSeconds(10));

        assertThat(usage.drain()).isEqualTo(Map.of("key_a", T0.plusSeconds(10)));
    }

    @Test
    void touchNotesUsesToTheSecond() {
        usage.touch("key_a", T0.plusMillis(1_250));
        usage.touch("key_a", T0.plusMillis(1_999));
        usage.touch("key_b", T0.plusMillis(2_999));

        assertThat(usage.drain()).isEqualTo(Map.of("key_a", T0.plusSeconds(1), "key_b", T0.plusSeconds(2)));
    }

    @Test
    void drainClearsWhatItReturned() {
        usage.touch("key_a", T0);
        usage.drain();

        assertThat(usage.drain()).isEmpty();
    }

    @Test
    void touchAfterDrainThenNextDrainHasIt() {
        usage.touch("key_a", T0.plusSeconds(5));
        usage.drain();

        // Even an earlier time: the previous batch is gone, and the store never moves backwards anyway.
        usage.touch("key_a", T0.plusSeconds(1));
        usage.touch("key_b", T0.plusSeconds(6));

        assertThat(usage.drain()).isEqualTo(Map.of("key_a", T0.plusSeconds(1), "key_b", T0.plusSeconds(6)));
    }

    @Test
    void touchWhenConcurrentWithDrainsThenNoLatestUseLost() throws Exception {
        int threads = 8;
        int keysPerThread = 200;
        int rounds = 50;
        ExecutorService executor = Executors.newFixedThreadPool(threads + 1);
        AtomicBoolean touching = new AtomicBoolean(true);
        Map<String, Instant> drained = new HashMap<>();
        try {
            Future<?> drainer = executor.submit(() -> {
                while (touching.get()) {
                    merge(drained, usage.drain());
                }
            });
            List<Future<?>> touchers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                touchers.add(executor.submit(() -> {
                    for (int round = 1; round <= rounds; round++) {
                        for (int k = 0; k < keysPerThread; k++) {
                            // Every thread touches every shared key, and its own keys.
                            usage.touch("key_shared" + k, T0.plusSeconds(round * 100L + thread));
                            usage.touch("key_" + thread + "_" + k, T0.plusSeconds(round));
                        }
                    }
                }));
            }
            for (Future<?> toucher : touchers) {
                toucher.get(30, TimeUnit.SECONDS);
            }
            touching.set(false);
            drainer.get(30, TimeUnit.SECONDS);
        } finally {
            executor.shutdownNow();
        }
        merge(drained, usage.drain());

        assertThat(drained).hasSize(keysPerThread + threads * keysPerThread);
        for (int k = 0; k < keysPerThread; k++) {
            assertThat(drained.get("key_shared" + k)).isEqualTo(T0.plusSeconds(rounds * 100L + threads - 1));
            for (int t = 0; t < threads; t++) {
                assertThat(drained.get("key_" + t + "_" + k)).isEqualTo(T0.plusSeconds(rounds));
            }
        }
    }

    private static void merge(Map<String, Instant> into, Map<String, Instant> batch) {
        batch.forEach((key, at) -> into.merge(key, at, (a, b) -> a.isAfter(b) ? a : b));
    }
}
