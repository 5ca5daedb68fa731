package dev.keygate.server.api;

import dev.keygate.server.http.RequestIds;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS for the two routes a publishable key may call from a browser (SPEC section 5): any origin,
 * no credentials (the key travels in a header, never a cookie), one method per route. Preflights
 * for any other method get no {@code Access-Control-Allow-*} field, so no secret-only route is
 * ever opened to browsers.
 *
 * <p>Written here rather than with Vert.x's {@code CorsHandler}, which answers {@code 500} to
 * origins it cannot parse, such as {@code capacitor://localhost} of mobile apps or {@code null}
 * of a sandboxed page, while a public key's policy needs no origin parsing at all.
 */
final class PublicCors implements Handler<RoutingContext> {

    static final String ALLOWED_HEADERS = "Authorization, Content-Type, " + Idempotency.HEADER;
    static final String EXPOSED_HEADERS = RequestIds.HEADER + ", RateLimit, RateLimit-Policy, Retry-After, "
            + "Idempotent-Replayed";
    static final int MAX_AGE_SECONDS = 600;

    private final HttpMethod method;

    PublicCors(HttpMethod method) {
        this.method = method;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        String requested = ctx.request().getHeader("Access-Control-Request-Method");
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            if (requested != null && requested.strip().equals(method.name())) {
                response.putHeader("Access-Control-Allow-Origin", "*")
                        .putHeader("Access-Control-Allow-Methods", method.name())
                        .putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                        .putHeader("Access-Control-Max-Age", String.valueOf(MAX_AGE_SECONDS));
            }
            response.setStatusCode(204).putHeader(HttpHeaders.CONTENT_LENGTH, "0").end();
            return;
        }
        if (ctx.request().headers().contains("Origin")) {
            response.putHeader("Access-Control-Allow-Origin", "*")
                    .putHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
        ctx.next();
    }
}
