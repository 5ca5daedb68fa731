package dev.keygate.redis;

import dev.keygate.core.limit.RateDecision;
import dev.keygate.core.limit.RateLimiter;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limiter shared by several nodes (SPEC section 4): the same exact sliding log as the
 * in-process limiter, kept in Redis and updated atomically by one Lua script, on Redis's clock, so
 * that at most N requests are accepted in any 60-second window across all nodes. Every Redis key
 * expires when its newest entry leaves the window.
 *
 * <pre>{@code
 * RateLimiter limiter = new RedisRateLimiter(redis, "keygate:", fallback, nodeCount, Optional.empty());
 * }</pre>
 *
 * <p>Commands time out after {@link #DEFAULT_COMMAND_TIMEOUT}. When Redis fails or times out,
 * decisions come from the node's in-process {@code fallback} with the limit divided by the node
 * count, for {@link #FALLBACK_PERIOD} before Redis is tried again; a warning is logged when the
 * fallback starts and when Redis is back. Authentication never depends on Redis.
 */
public final class RedisRateLimiter implements RateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);

    /** Longest wait for Redis before a decision falls back to the node. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(50);
    /** Longest wait for a new connection to Redis. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofMillis(200);
    /** Commands in flight on the connection at most. */
    public static final int MAX_IN_FLIGHT = 4_096;
    /** How long the fallback is used after a failure before Redis is tried again. */
    public static final Duration FALLBACK_PERIOD = Duration.ofSeconds(1);

    private static final String SCRIPT = loadScript();

    private final Redis client;
    /** One connection, pipelined: a burst of requests never waits for connections to open. */
    private final AtomicReference<Future<RedisConnection>> connection = new AtomicReference<>();
    private final String prefix;
    private final RateLimiter fallback;
    private final int nodeCount;
    private final Optional<Clock> clock;
    private final long timeoutMillis;
    private final String nodeId = Long.toString(System.nanoTime() ^ ProcessHandle.current().pid(), 36);
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReference<String> scriptSha = new AtomicReference<>();
    /** Until when (System.nanoTime) decisions come from the fallback; starts in the past. */
    private final AtomicLong fallbackUntilNanos = new AtomicLong(System.nanoTime());
    private final AtomicBoolean inFallback = new AtomicBoolean();
    private final AtomicLong fallbackDecisions = new AtomicLong();

    /**
     * @param prefix    put before every Redis key, such as {@code keygate:}
     * @param fallback  the node's own limiter, used while Redis cannot answer
     * @param nodeCount how many nodes share the limit: the fallback allows each {@code limit / nodeCount}
     * @param clock     empty to use Redis's clock (one clock for all nodes); a clock to use instead
     */
    public RedisRateLimiter(Redis redis, String prefix, RateLimiter fallback, int nodeCount, Optional<Clock> clock) {
        this(redis, prefix, fallback, nodeCount, clock, DEFAULT_COMMAND_TIMEOUT);
    }

    public RedisRateLimiter(Redis redis, String prefix, RateLimiter fallback, int nodeCount, Optional<Clock> clock,
            Duration commandTimeout) {
        if (nodeCount < 1) {
            throw new IllegalArgumentException("nodeCount must be at least 1");
        }
        this.client = Objects.requireNonNull(redis);
        this.prefix = Objects.requireNonNull(prefix);
        this.fallback = Objects.requireNonNull(fallback);
        this.nodeCount = nodeCount;
        this.clock = Objects.requireNonNull(clock);
        this.timeoutMillis = commandTimeout.toMillis();
    }

    /**
     * Client options for {@code url}: room for a burst of pipelined commands, and a connect timeout
     * of {@link #CONNECT_TIMEOUT}.
     */
    public static RedisOptions options(String url) {
        RedisOptions options = new RedisOptions()
                .setConnectionString(url)
                .setMaxWaitingHandlers(MAX_IN_FLIGHT);
        options.getNetClientOptions().setConnectTimeout((int) CONNECT_TIMEOUT.toMillis()).setTcpNoDelay(true);
        return options;
    }

    @Override
    public CompletionStage<RateDecision> tryAcquire(String bucket, int limit) {
        return decide(bucket, limit, true);
    }

    @Override
    public CompletionStage<RateDecision> peek(String bucket, int limit) {
        return decide(bucket, limit, false);
    }

    /**
     * Connects and loads the script, so that the first request does not pay for it within the
     * command timeout. Fails if Redis does not answer within {@code timeout}; the limiter then
     * starts on its fallback and keeps trying Redis.
     */
    public Future<Void> warmUp(Duration timeout) {
        return load().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).<Void>mapEmpty().onFailure(failure -> {
            fallbackUntilNanos.set(System.nanoTime() + FALLBACK_PERIOD.toNanos());
            if (inFallback.compareAndSet(false, true)) {
                LOG.warn("Redis did not answer at start ({}): each of the {} nodes limits on its own until it does",
                        failure.toString(), nodeCount);
            }
        });
    }

    /** Completes when Redis answers a PING within the command timeout. */
    @Override
    public CompletionStage<Void> ready() {
        return api().compose(redis -> redis.ping(List.of()))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .<Void>mapEmpty()
                .toCompletionStage();
    }

    /** Whether decisions come from the node's fallback right now. */
    public boolean inFallback() {
        return inFallback.get();
    }

    /** How many decisions the fallback has made since start: a metric for operators. */
    public long fallbackDecisions() {
        return fallbackDecisions.get();
    }

    private CompletionStage<RateDecision> decide(String bucket, int limit, boolean count) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        if (System.nanoTime() - fallbackUntilNanos.get() < 0) {
            return fallback(bucket, limit, count);
        }
        List<String> args = List.of(
                String.valueOf(limit),
                String.valueOf(WINDOW.toMillis()),
                count ? "1" : "0",
                nodeId + ":" + sequence.incrementAndGet(),
                clock.map(c -> String.valueOf(c.millis())).orElse(""));
        return eval(prefix + "rl:" + bucket, args)
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .map(response -> {
                    if (inFallback.compareAndSet(true, false)) {
                        LOG.warn("Redis answers again: rate limits are shared across nodes again");
                    }
                    return decision(response, limit);
                })
                .recover(failure -> {
                    fallbackUntilNanos.set(System.nanoTime() + FALLBACK_PERIOD.toNanos());
                    if (inFallback.compareAndSet(false, true)) {
                        LOG.warn("Redis did not answer ({}): each of the {} nodes now limits on its own, to the limit "
                                + "divided by {}, until Redis is back", failure.toString(), nodeCount, nodeCount);
                    }
                    return Future.fromCompletionStage(fallback(bucket, limit, count));
                })
                .toCompletionStage();
    }

    private CompletionStage<RateDecision> fallback(String bucket, int limit, boolean count) {
        fallbackDecisions.incrementAndGet();
        int share = Math.max(1, limit / nodeCount);
        return count ? fallback.tryAcquire(bucket, share) : fallback.peek(bucket, share);
    }

    /** EVALSHA, loading the script on first use and again after Redis lost it (a restart). */
    private Future<Response> eval(String key, List<String> args) {
        String sha = scriptSha.get();
        Future<Response> answer = sha == null ? load().compose(loaded -> evalsha(loaded, key, args)) : evalsha(sha, key, args);
        return answer.recover(failure -> failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT")
                ? load().compose(loaded -> evalsha(loaded, key, args))
                : Future.failedFuture(failure));
    }

    private Future<String> load() {
        return api().compose(redis -> redis.script(List.of("LOAD", SCRIPT))).map(response -> {
            scriptSha.set(response.toString());
            return response.toString();
        });
    }

    private Future<Response> evalsha(String sha, String key, List<String> args) {
        return api().compose(redis -> redis.evalsha(Stream.concat(Stream.of(sha, "1", key), args.stream()).toList()));
    }

    /** The shared connection, opened again after it failed or closed. */
    private Future<RedisAPI> api() {
        Future<RedisConnection> current = connection.get();
        if (current == null || current.failed()) {
            Future<RedisConnection> fresh = client.connect();
            if (connection.compareAndSet(current, fresh)) {
                fresh.onSuccess(opened -> {
                    opened.exceptionHandler(failure -> connection.compareAndSet(fresh, null));
                    opened.endHandler(ended -> connection.compareAndSet(fresh, null));
                });
                current = fresh;
            } else {
                current = connection.get();
            }
        }
        return current.map(RedisAPI::api);
    }

    private static RateDecision decision(Response response, int limit) {
        boolean accepted = response.get(0).toInteger() == 1;
        int size = response.get(1).toInteger();
        long waitMillis = response.get(2).toLong();
        long seconds = waitMillis <= 0 ? 0 : Math.max(1, (waitMillis + 999) / 1000);
        return accepted
                ? new RateDecision(true, limit, Math.max(0, limit - size), seconds, 0)
                : new RateDecision(false, limit, 0, seconds, seconds);
    }

    private static String loadScript() {
        try (InputStream in = RedisRateLimiter.class.getResourceAsStream("sliding-log.lua")) {
            return new String(Objects.requireNonNull(in, "sliding-log.lua").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
