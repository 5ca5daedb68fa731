package dev.keygate.core.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The in-process {@link RateLimiter}: an exact sliding log. Each bucket keeps the times of its
 * accepted requests in a ring of {@code limit} slots; a request is accepted when fewer than
 * {@code limit} of them are younger than the window, so a refused request is accepted again at
 * the very millisecond the oldest accepted one leaves the window.
 *
 * <pre>{@code
 * RateLimiter limiter = new SlidingWindowRateLimiter(Clock.systemUTC());
 * RateDecision decision = limiter.tryAcquire("acct_…:test", 120).toCompletableFuture().join();
 * }</pre>
 *
 * <p>Memory follows traffic, not limits: 8 bytes per request accepted in the last window (at
 * most about 1 KiB per bucket at the default limit), and at least 64 bytes per active bucket.
 * Buckets idle for a whole window hold nothing that counts and are dropped.
 */
public final class SlidingWindowRateLimiter implements RateLimiter {

    private static final long WINDOW_MILLIS = WINDOW.toMillis();

    private final Clock clock;
    private final Cache<String, Log> buckets;

    public SlidingWindowRateLimiter(Clock clock) {
        this.clock = clock;
        this.buckets = Caffeine.newBuilder()
                .executor(Runnable::run) // upkeep on the caller: no thread hand-off per request
                .expireAfterAccess(WINDOW_MILLIS, TimeUnit.MILLISECONDS)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    @Override
    public CompletionStage<RateDecision> tryAcquire(String bucket, int limit) {
        return CompletableFuture.completedFuture(acquire(bucket, limit));
    }

    @Override
    public CompletionStage<RateDecision> peek(String bucket, int limit) {
        return CompletableFuture.completedFuture(decide(bucket, limit, false));
    }

    /** The synchronous form of {@link #tryAcquire}. */
    public RateDecision acquire(String bucket, int limit) {
        return decide(bucket, limit, true);
    }

    private RateDecision decide(String bucket, int limit, boolean count) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        Log log = buckets.get(bucket, ignored -> new Log());
        synchronized (log) {
            return log.decide(clock.millis(), limit, count);
        }
    }

    /**
     * The accepted requests' times of one bucket, oldest first, in a ring that grows with the
     * traffic up to {@code limit} slots and halves when a quarter full. Guarded by its own lock.
     */
    private static final class Log {
        private static final int MIN_CAPACITY = 8;

        private long[] times = new long[MIN_CAPACITY];
        private int head;
        private int size;

        /** Decides at {@code now}; counts the request only if {@code count} and it is accepted. */
        RateDecision decide(long now, int limit, boolean count) {
            while (size > 0 && now - times[head] >= WINDOW_MILLIS) {
                head = (head + 1) % times.length;
                size--;
            }
            if (size > limit) {
                keepNewest(limit); // the limit was lowered
            }
            if (size >= limit) {
                long retryAfter = secondsUntil(times[head] + WINDOW_MILLIS, now);
                return new RateDecision(false, limit, 0, retryAfter, retryAfter);
            }
            if (count) {
                if (size == times.length) {
                    copyTo(Math.min(limit, 2 * times.length));
                } else if (times.length > MIN_CAPACITY && size < times.length / 4) {
                    copyTo(times.length / 2);
                }
                times[(head + size) % times.length] = now;
                size++;
            }
            long reset = size == 0 ? 0 : secondsUntil(times[head] + WINDOW_MILLIS, now);
            return new RateDecision(true, limit, limit - size, reset, 0);
        }

        private void keepNewest(int keep) {
            head = (head + size - keep) % times.length;
            size = keep;
        }

        /** Moves the entries, oldest first, to a ring of {@code capacity} slots (at least {@code size}). */
        private void copyTo(int capacity) {
            long[] copy = new long[Math.max(capacity, MIN_CAPACITY)];
            for (int i = 0; i < size; i++) {
                copy[i] = times[(head + i) % times.length];
            }
            times = copy;
            head = 0;
        }

        private static long secondsUntil(long at, long now) {
            return Math.max(1, (at - now + 999) / 1000);
        }
    }
}
