package dev.keygate.redis;

import dev.keygate.core.limit.JournalBatch;
import dev.keygate.core.limit.OutageJournal;
import dev.keygate.core.limit.RateDecision;
import dev.keygate.core.limit.RateLimiter;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limiter shared by several nodes (SPEC section 4): the same exact sliding log as the
 * in-process limiter, kept in Redis and updated atomically by one Lua script, on Redis's clock, so
 * that at most N requests are accepted in any 60-second window across all nodes. Every Redis key
 * expires when its newest entry leaves the window.
 *
 * <pre>{@code
 * RateLimiter limiter = new RedisRateLimiter(redis, "keygate:", fallback, journal, nodeCount, Optional.empty());
 * }</pre>
 *
 * <p>A slow answer is not an outage: a command may take up to {@link #DEFAULT_COMMAND_TIMEOUT}.
 * Only a failed connection, an error or that timeout starts an outage. During an outage decisions
 * come from the node's in-process {@code fallback} with the limit divided by the node count, and
 * what it accepts is written to the {@code journal}. Every {@link #FALLBACK_PERIOD} one probe
 * merges the journal into Redis's window (atomically per bucket, {@code merge-journal.lua});
 * decisions come from Redis again only once the journal is merged (what the node accepts while
 * that merge runs follows it), so the requests accepted during the outage count in the shared window. A warning is logged when the outage starts and when it
 * ends. Authentication never depends on Redis.
 */
public final class RedisRateLimiter implements RateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);

    /** Longest wait for an answer from Redis before it counts as down: long, since a busy node answers late. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** Longest wait for a new connection to Redis. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** Commands in flight on the connection at most. */
    public static final int MAX_IN_FLIGHT = 4_096;
    /** How long the fallback is used after a failure before Redis is tried again. */
    public static final Duration FALLBACK_PERIOD = Duration.ofSeconds(1);

    private static final String SLIDING_LOG = "sliding-log.lua";

    private final LuaScripts scripts;
    private final JournalMerge merger;
    private final String prefix;
    private final RateLimiter fallback;
    private final OutageJournal journal;
    private final int nodeCount;
    private final Optional<Clock> clock;
    private final long timeoutMillis;
    private final String nodeId = Long.toString(System.nanoTime() ^ ProcessHandle.current().pid(), 36);
    private final AtomicLong sequence = new AtomicLong();
    /** True from a failure until the journal is merged; guarded by {@code journal} when it ends. */
    private volatile boolean inFallback;
    /** When (System.nanoTime) the next probe of Redis may start. */
    private final AtomicLong nextProbeNanos = new AtomicLong(System.nanoTime());
    private final AtomicBoolean merging = new AtomicBoolean();
    private final AtomicLong fallbackDecisions = new AtomicLong();

    /**
     * @param prefix    put before every Redis key, such as {@code keygate:}
     * @param fallback  the node's own limiter, used while Redis cannot answer
     * @param journal   where the node notes what it accepted while Redis could not answer
     * @param nodeCount how many nodes share the limit: the fallback allows each {@code limit / nodeCount}
     * @param clock     empty to use Redis's clock (one clock for all nodes); a clock to use instead
     */
    public RedisRateLimiter(Redis redis, String prefix, RateLimiter fallback, OutageJournal journal, int nodeCount,
            Optional<Clock> clock) {
        this(redis, prefix, fallback, journal, nodeCount, clock, DEFAULT_COMMAND_TIMEOUT);
    }

    public RedisRateLimiter(Redis redis, String prefix, RateLimiter fallback, OutageJournal journal, int nodeCount,
            Optional<Clock> clock, Duration commandTimeout) {
        if (nodeCount < 1) {
            throw new IllegalArgumentException("nodeCount must be at least 1");
        }
        this.scripts = new LuaScripts(redis);
        this.prefix = Objects.requireNonNull(prefix);
        this.fallback = Objects.requireNonNull(fallback);
        this.journal = Objects.requireNonNull(journal);
        this.nodeCount = nodeCount;
        this.clock = Objects.requireNonNull(clock);
        this.timeoutMillis = commandTimeout.toMillis();
        this.merger = new JournalMerge(scripts, prefix + "rl:", this::now,
                () -> nodeId + ":j" + sequence.incrementAndGet(), timeoutMillis);
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
     * Connects and loads the scripts, so that the first request does not pay for it. Fails if Redis
     * does not answer within {@code timeout}; the limiter then starts on its fallback and keeps
     * trying Redis.
     */
    public Future<Void> warmUp(Duration timeout) {
        return scripts.load(SLIDING_LOG).compose(loaded -> scripts.load(JournalMerge.SCRIPT))
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .<Void>mapEmpty()
                .onFailure(this::startOutage);
    }

    /**
     * Completes when decisions come from Redis and it answers a PING within the command timeout;
     * during an outage fails at once (and lets a probe start when one is due).
     */
    @Override
    public CompletionStage<Void> ready() {
        if (inFallback) {
            probeWhenDue();
            return CompletableFuture.failedFuture(new IllegalStateException("Redis did not answer"));
        }
        return scripts.ping().timeout(timeoutMillis, TimeUnit.MILLISECONDS).toCompletionStage();
    }

    /** Whether decisions come from the node's fallback right now. */
    public boolean inFallback() {
        return inFallback;
    }

    /** How many decisions the fallback has made since start: a metric for operators. */
    public long fallbackDecisions() {
        return fallbackDecisions.get();
    }

    /** Requests accepted during an outage and not yet counted in Redis: a metric for operators. */
    public int journalSize() {
        return journal.size();
    }

    private CompletionStage<RateDecision> decide(String bucket, int limit, boolean count) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        if (inFallback) {
            probeWhenDue();
            return fallback(bucket, limit, count);
        }
        List<String> args = List.of(
                String.valueOf(limit),
                String.valueOf(WINDOW.toMillis()),
                count ? "1" : "0",
                nodeId + ":" + sequence.incrementAndGet(),
                now());
        return scripts.eval(SLIDING_LOG, prefix + "rl:" + bucket, args)
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .map(response -> decision(response, limit))
                .recover(failure -> {
                    startOutage(failure);
                    return Future.fromCompletionStage(fallback(bucket, limit, count));
                })
                .toCompletionStage();
    }

    private CompletionStage<RateDecision> fallback(String bucket, int limit, boolean count) {
        fallbackDecisions.incrementAndGet();
        int share = Math.max(1, limit / nodeCount);
        if (!count) {
            return fallback.peek(bucket, share);
        }
        return fallback.tryAcquire(bucket, share).thenApply(decision -> {
            if (decision.accepted()) {
                boolean late;
                synchronized (journal) {
                    journal.record(bucket);
                    late = !inFallback; // the outage ended while this was decided: merge it too
                }
                if (late) {
                    merge();
                }
            }
            return decision;
        });
    }

    private void startOutage(Throwable failure) {
        nextProbeNanos.set(System.nanoTime() + FALLBACK_PERIOD.toNanos());
        synchronized (journal) {
            if (inFallback) {
                return;
            }
            inFallback = true;
        }
        LOG.warn("Redis did not answer ({}): each of the {} nodes now limits on its own, to the limit divided by {}, "
                + "until Redis is back", failure.toString(), nodeCount, nodeCount);
    }

    private void probeWhenDue() {
        long due = nextProbeNanos.get();
        if (System.nanoTime() - due >= 0 && nextProbeNanos.compareAndSet(due, System.nanoTime()
                + FALLBACK_PERIOD.toNanos())) {
            merge();
        }
    }

    /**
     * Merges the journal into Redis, then takes decisions from Redis again. On failure the entries
     * go back into the journal for the next probe.
     */
    private void merge() {
        if (!merging.compareAndSet(false, true)) {
            return;
        }
        JournalBatch batch = journal.drain();
        merger.send(batch).onComplete(result -> {
            if (result.failed()) {
                journal.putBack(batch);
                merging.set(false);
                startOutage(result.cause());
                return;
            }
            boolean ended;
            boolean more;
            synchronized (journal) {
                // Redis decides again now: what was accepted while this merge ran follows at once, so
                // steady traffic cannot keep the node on its own limit.
                ended = inFallback;
                inFallback = false;
                more = journal.size() > 0;
                merging.set(false);
            }
            if (ended) {
                LOG.warn("Redis answers again: what this node accepted meanwhile is counted, and rate limits are "
                        + "shared across nodes again");
            }
            if (more) {
                merge();
            }
        });
    }

    private String now() {
        return clock.map(c -> String.valueOf(c.millis())).orElse("");
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
}
