package dev.keygate.redis;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * This machine's Redis (127.0.0.1:6379) for one test, under a key prefix of its own whose keys are
 * deleted on close. Without Redis the test is skipped, unless {@code KEYGATE_REQUIRE_SERVICES=1}
 * (as in CI), where it fails.
 */
final class TestRedis implements AutoCloseable {

    static final String URL = System.getenv().getOrDefault("KEYGATE_TEST_REDIS", "redis://127.0.0.1:6379");

    final Vertx vertx = Vertx.vertx();
    final String prefix = "keygate-test:" + UUID.randomUUID() + ":";
    private final Redis admin;

    TestRedis() {
        admin = client(URL);
        try {
            RedisAPI.api(admin).ping(List.of()).await();
        } catch (Exception e) {
            vertx.close();
            if ("1".equals(System.getenv("KEYGATE_REQUIRE_SERVICES"))) {
                throw new AssertionError("Redis is required (KEYGATE_REQUIRE_SERVICES=1) but " + URL
                        + " did not answer: " + e.getMessage(), e);
            }
            Assumptions.abort("no Redis at " + URL + ": " + e.getMessage());
        }
    }

    Redis client(String url) {
        RedisOptions options = RedisRateLimiter.options(url);
        return Redis.createClient(vertx, options);
    }

    /** The keys under this test's prefix. */
    List<String> keys() {
        try {
            Response keys = RedisAPI.api(admin).keys(prefix + "*").await();
            return keys.stream().map(Response::toString).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Milliseconds to live of {@code key}, -1 without a TTL, -2 if it does not exist. */
    long ttlMillis(String key) {
        try {
            return RedisAPI.api(admin).pttl(key).await().toLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            List<String> keys = keys();
            if (!keys.isEmpty()) {
                RedisAPI.api(admin).del(keys).await();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            vertx.close().await();
        }
    }
}
