package dev.keygate.server.http;

import dev.keygate.core.auth.VerifiedKey;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every request: it gives the request its id and common headers, and when
 * the response ends writes one access-log line (never a key or a query string) and, for an
 * authenticated request, an entry of the account's request log.
 */
public final class AccessLog {

    private static final Logger ACCESS = LoggerFactory.getLogger("keygate.access");

    private AccessLog() {}

    /**
     * The handler.
     *
     * @param https      whether the listener is the HTTPS one (HSTS is sent only there)
     * @param requestLog where authenticated requests are recorded; null for none
     */
    public static Handler<RoutingContext> handler(boolean https, RequestLog requestLog) {
        return ctx -> {
            long start = System.nanoTime();
            String requestId = RequestIds.assign(ctx);
            HttpServerResponse response = ctx.response();
            Responses.commonHeaders(response, requestId, https);
            ctx.addEndHandler(ignored -> {
                VerifiedKey key = RequestKey.of(ctx);
                long micros = (System.nanoTime() - start) / 1_000;
                String path = UrlText.printablePath(ctx.request().path());
                long fraction = micros % 1000;
                ACCESS.info("{} {} {} key={} {}.{}{}ms {}", ctx.request().method(), path,
                        response.getStatusCode(), key == null ? "-" : key.keyId(), micros / 1000,
                        fraction < 10 ? "00" : fraction < 100 ? "0" : "", fraction, requestId);
                if (key != null && requestLog != null) {
                    requestLog.record(key, ctx.request().method().name(), path, response.getStatusCode(),
                            ClientAddress.of(ctx.request()), requestId);
                }
            });
            ctx.next();
        };
    }
}
