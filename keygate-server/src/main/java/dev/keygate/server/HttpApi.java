package dev.keygate.server;

import dev.keygate.core.KeyStore;
import dev.keygate.core.RateLimiter;
import dev.keygate.core.StoreUnavailableException;
import dev.keygate.core.VerifiedKey;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of SPEC section 5 and the handlers every request passes: request id, security
 * headers and the access log first, authentication on {@code /api/*}, problems last.
 */
final class HttpApi {

    private static final Logger ACCESS = LoggerFactory.getLogger("keygate.access");
    /** A checkout page's token: whoever has it can complete the payment, so logs never hold it. */
    private static final java.util.regex.Pattern CHECKOUT_TOKEN =
            java.util.regex.Pattern.compile("cs_(test|live)_[0-9A-Za-z]+");
    private static final java.util.regex.Pattern UNPRINTABLE = java.util.regex.Pattern.compile("[\\p{Cntrl}\\s]");
    /** HSTS for two years (SPEC section 9). */
    static final String HSTS = "max-age=63072000";
    // The headers of every response, encoded once rather than on every request.
    private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized(RequestIds.HEADER);
    private static final CharSequence STRICT_TRANSPORT_SECURITY = HttpHeaders.createOptimized("Strict-Transport-Security");
    private static final CharSequence HSTS_VALUE = HttpHeaders.createOptimized(HSTS);
    private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
    private static final CharSequence X_CONTENT_TYPE_OPTIONS = HttpHeaders.createOptimized("X-Content-Type-Options");
    private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

    private HttpApi() {}

    /** The HTTPS router: health checks, the API, the checkout pages and their stylesheet. */
    static Router router(Vertx vertx, KeyStore store, RateLimiter limiter, Blocking blocking,
            Authenticator authenticator, PaymentRoutes api, CheckoutPage checkout, DashboardRoutes dashboard,
            RequestLog requestLog, Metrics metrics) {
        Router router = Router.router(vertx);
        router.route().handler(common(true, requestLog));
        router.get("/").handler(ctx -> ctx.response().setStatusCode(303).putHeader("Location", "/dashboard").end());
        router.get("/healthz").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")));
        // Ready when the store and, if configured, Redis answer (SPEC section 5).
        router.get("/readyz").handler(ctx -> blocking.run(() -> {
                    store.ping();
                    return null;
                })
                .compose(ignored -> Future.fromCompletionStage(limiter.ready(), ctx.vertx().getOrCreateContext())
                        .recover(failure -> Future.failedFuture(new StoreUnavailableException(
                                "the rate limiter did not answer", failure))))
                .onSuccess(ignored -> json(ctx, 200, new JsonObject().put("status", "ready")))
                .onFailure(ctx::fail));
        api.mount(router, authenticator);
        checkout.mount(router);
        dashboard.mount(router);
        metrics.mount(router);
        router.get("/assets/*").handler(ctx -> {
            // Stylesheet and script change only with a release: let browsers keep them for an hour.
            ctx.response().putHeader("Cache-Control", "public, max-age=3600");
            ctx.next();
        }).handler(StaticHandler.create("assets").setCachingEnabled(true));
        router.get("/favicon.ico").handler(ctx -> ctx.response().setStatusCode(204).end());

        router.route().failureHandler(Problems::handle);
        for (int status : new int[] {400, 404, 405, 413, 415, 431}) {
            router.errorHandler(status, Problems::handle);
        }
        return router;
    }

    /** The plain-HTTP router (SPEC section 9): every request is refused, nothing in it is read as a key. */
    static Router plainRouter(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route().handler(common(false, null));
        router.route().handler(ctx -> ctx.fail(new ApiException(ErrorCode.HTTPS_REQUIRED,
                "Keygate answers only over HTTPS. Nothing in this request was used; if it held a key, roll it.")));
        router.route().failureHandler(Problems::handle);
        return router;
    }

    /**
     * Request id, security headers and one access-log line per request (never a key or a query
     * string); authenticated API requests also go to the account's request log, if given.
     */
    private static Handler<RoutingContext> common(boolean https, RequestLog requestLog) {
        return ctx -> {
            long start = System.nanoTime();
            String requestId = RequestIds.assign(ctx);
            HttpServerResponse response = ctx.response();
            commonHeaders(response, requestId, https);
            ctx.addEndHandler(ignored -> {
                VerifiedKey key = Authenticator.key(ctx);
                long micros = (System.nanoTime() - start) / 1_000;
                String path = printablePath(ctx.request().path());
                long fraction = micros % 1000;
                ACCESS.info("{} {} {} key={} {}.{}{}ms {}", ctx.request().method(), path,
                        response.getStatusCode(), key == null ? "-" : key.keyId(), micros / 1000,
                        fraction < 10 ? "00" : fraction < 100 ? "0" : "", fraction, requestId);
                if (key != null && requestLog != null) {
                    requestLog.record(key, ctx.request().method().name(), path, response.getStatusCode(),
                            ctx.request().remoteAddress() == null ? "-" : ctx.request().remoteAddress().hostAddress(),
                            requestId);
                }
            });
            ctx.next();
        };
    }

    /** Headers on every response: the request id, HSTS over HTTPS, and no caching or sniffing. */
    static void commonHeaders(HttpServerResponse response, String requestId, boolean https) {
        response.putHeader(REQUEST_ID, requestId);
        if (https) {
            response.putHeader(STRICT_TRANSPORT_SECURITY, HSTS_VALUE);
        }
        response.putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
        response.putHeader(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
    }

    /** The path as a log may hold it: keys and checkout tokens masked, control characters replaced, length capped. */
    static String printablePath(String path) {
        if (path == null) {
            return "-";
        }
        // Masked as routes read it, escapes decoded (sk%5Ftest_… is a key too); shown as sent when
        // there is nothing to mask. The patterns run only where there can be something to mask:
        // this is on every request.
        String decoded = KeyInUrl.decodeAscii(path);
        String masked = decoded.contains("k_") ? KeyInUrl.mask(decoded) : decoded;
        masked = masked.contains("cs_") ? CHECKOUT_TOKEN.matcher(masked).replaceAll("cs_$1_...") : masked;
        String shown = masked.equals(decoded) ? path : masked;
        String cut = shown.length() > 200 ? shown.substring(0, 200) + "..." : shown;
        return UNPRINTABLE.matcher(cut).replaceAll("?");
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(body.toBuffer());
    }
}
