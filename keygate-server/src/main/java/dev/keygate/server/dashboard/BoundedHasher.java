package dev.keygate.server.dashboard;

import dev.keygate.core.accounts.PasswordHasher;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Runs a slow {@link PasswordHasher} on its own few threads with a short queue, so that a flood of
 * logins or sign-ups takes at most those threads' share of the CPU and never delays the API's store
 * work. When the queue is full a call fails at once with {@link Busy} (the page answers {@code 503}
 * with {@code Retry-After}) instead of waiting in a queue that grows.
 *
 * <pre>{@code
 * PasswordHasher hasher = new BoundedHasher(new Argon2Hasher(), BoundedHasher.DEFAULT_THREADS, BoundedHasher.DEFAULT_QUEUE);
 * }</pre>
 */
public final class BoundedHasher implements PasswordHasher, AutoCloseable {

    /** Half the cores, at least one: the other half stays free for the API whatever the logins do. */
    public static final int DEFAULT_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    /** Hashes waiting for a thread; more than this are refused. Each Argon2id takes tens of milliseconds. */
    public static final int DEFAULT_QUEUE = 16;
    /** What a refused caller is told to wait. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** Every hashing thread is busy and the queue is full: try again after {@link #RETRY_AFTER}. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("password hashing is at capacity", null, false, false);
        }
    }

    private final PasswordHasher hasher;
    private final ThreadPoolExecutor executor;

    public BoundedHasher(PasswordHasher hasher, int threads, int queue) {
        this.hasher = hasher;
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue), Thread.ofPlatform().name("keygate-hashing-", 0).daemon().factory(),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /** @throws Busy if every thread is busy and the queue is full */
    @Override
    public String hash(String password) {
        return call(() -> hasher.hash(password));
    }

    /** @throws Busy if every thread is busy and the queue is full */
    @Override
    public boolean matches(String password, String hash) {
        return call(() -> hasher.matches(password, hash));
    }

    @Override
    public String decoyHash(RandomGenerator random) {
        return hasher.decoyHash(random);
    }

    private <T> T call(Callable<T> task) {
        Future<T> result;
        try {
            result = executor.submit(task);
        } catch (RejectedExecutionException full) {
            throw new Busy();
        }
        try {
            // Callers are virtual threads (Blocking): waiting here holds no platform thread.
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(true);
            throw new IllegalStateException("interrupted while hashing a password", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("password hashing failed", e.getCause());
        }
    }

    /** Hashes waiting for a thread now (at most the queue's size). */
    int queued() {
        return executor.getQueue().size();
    }

    /** Stops the threads; hashes not yet started are dropped. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
