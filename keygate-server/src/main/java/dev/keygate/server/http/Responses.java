package dev.keygate.server.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** What every response carries, and the JSON answer of the API's routes. */
public final class Responses {

    /** HSTS for two years (SPEC section 9). */
    public static final String HSTS = "max-age=63072000";
    // The headers of every response, encoded once rather than on every request.
    private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized(RequestIds.HEADER);
    private static final CharSequence STRICT_TRANSPORT_SECURITY = HttpHeaders.createOptimized("Strict-Transport-Security");
    private static final CharSequence HSTS_VALUE = HttpHeaders.createOptimized(HSTS);
    private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
    private static final CharSequence X_CONTENT_TYPE_OPTIONS = HttpHeaders.createOptimized("X-Content-Type-Options");
    private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

    private Responses() {}

    /** Headers on every response: the request id, HSTS over HTTPS, and no caching or sniffing. */
    public static void commonHeaders(HttpServerResponse response, String requestId, boolean https) {
        response.putHeader(REQUEST_ID, requestId);
        if (https) {
            response.putHeader(STRICT_TRANSPORT_SECURITY, HSTS_VALUE);
        }
        response.putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
        response.putHeader(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
    }

    /** Ends the response with {@code body} as {@code application/json}. */
    public static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(body.toBuffer());
    }
}
