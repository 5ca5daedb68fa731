package dev.keygate.redis;

import dev.keygate.core.limit.JournalBatch;
import dev.keygate.core.limit.RateLimiter;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Writes what a node accepted during a Redis outage into Redis's sliding windows, one atomic
 * {@code merge-journal.lua} per bucket (SPEC section 4). Buckets go in pipelined chunks of
 * {@link #CHUNK}, each within the command timeout, so a large journal never overflows the
 * connection's queue of {@link RedisRateLimiter#MAX_IN_FLIGHT} commands.
 */
final class JournalMerge {

    static final String SCRIPT = "merge-journal.lua";
    /** Buckets merged at once. */
    static final int CHUNK = 1_000;

    private final LuaScripts scripts;
    private final String keyPrefix;
    private final Supplier<String> now;
    private final Supplier<String> memberPrefix;
    private final long timeoutMillis;

    JournalMerge(LuaScripts scripts, String keyPrefix, Supplier<String> now, Supplier<String> memberPrefix,
            long timeoutMillis) {
        this.scripts = scripts;
        this.keyPrefix = keyPrefix;
        this.now = now;
        this.memberPrefix = memberPrefix;
        this.timeoutMillis = timeoutMillis;
    }

    /** Sends {@code batch}; a PING first, so that an empty batch still tells whether Redis answers. */
    Future<Void> send(JournalBatch batch) {
        List<String> buckets = new ArrayList<>(batch.times().keySet());
        Future<Void> chain = scripts.ping().timeout(timeoutMillis, TimeUnit.MILLISECONDS);
        for (int from = 0; from < buckets.size(); from += CHUNK) {
            List<String> chunk = buckets.subList(from, Math.min(buckets.size(), from + CHUNK));
            chain = chain.compose(done -> Future.all(chunk.stream().map(bucket -> merge(batch, bucket)).toList())
                    .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                    .mapEmpty());
        }
        return chain;
    }

    private Future<?> merge(JournalBatch batch, String bucket) {
        List<String> args = new ArrayList<>();
        args.add(String.valueOf(RateLimiter.WINDOW.toMillis()));
        args.add(now.get());
        args.add(memberPrefix.get());
        for (long age : batch.ages(bucket)) {
            args.add(String.valueOf(age));
        }
        return scripts.eval(SCRIPT, keyPrefix + bucket, args);
    }
}
