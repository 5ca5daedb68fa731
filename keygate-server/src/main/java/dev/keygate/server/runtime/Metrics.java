package dev.keygate.server.runtime;

import dev.keygate.core.limit.RateLimiter;
import dev.keygate.redis.RedisRateLimiter;
import dev.keygate.server.http.RequestLog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Operational metrics in Prometheus' text format at {@code GET /metrics}, answered only to clients
 * on this host (a scraper or an agent beside the node); anyone else gets {@code 404}. No metric
 * holds a key, an account or an email.
 */
final class Metrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    Metrics(RateLimiter limiter, RequestLog requestLog) {
        if (limiter instanceof RedisRateLimiter shared) {
            Gauge.builder("keygate.ratelimit.fallback.active", shared, s -> s.inFallback() ? 1 : 0)
                    .description("1 while Redis cannot answer and this node limits on its own")
                    .register(registry);
            FunctionCounter.builder("keygate.ratelimit.fallback.decisions", shared,
                            RedisRateLimiter::fallbackDecisions)
                    .description("rate-limit decisions made by this node's fallback")
                    .register(registry);
            Gauge.builder("keygate.ratelimit.outage.journal", shared, RedisRateLimiter::journalSize)
                    .description("requests this node accepted while Redis could not answer, not yet counted in Redis")
                    .register(registry);
        }
        FunctionCounter.builder("keygate.requestlog.dropped", requestLog, RequestLog::dropped)
                .description("request log entries dropped: more API requests a second than the log writes, or the store down")
                .register(registry);
    }

    void mount(Router router) {
        router.get("/metrics").handler(ctx -> {
            if (!isLoopback(ctx.request().remoteAddress())) {
                ctx.next();
                return;
            }
            ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape());
        });
    }

    private static boolean isLoopback(SocketAddress address) {
        if (address == null || address.hostAddress() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
