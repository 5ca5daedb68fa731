package dev.keygate.server.runtime;

import dev.keygate.core.StoreUnavailableException;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.limit.RateLimiter;
import dev.keygate.server.api.CheckoutPage;
import dev.keygate.server.api.PaymentRoutes;
import dev.keygate.server.auth.Authenticator;
import dev.keygate.server.dashboard.DashboardRoutes;
import dev.keygate.server.http.AccessLog;
import dev.keygate.server.http.ApiException;
import dev.keygate.server.http.Blocking;
import dev.keygate.server.http.ErrorCode;
import dev.keygate.server.http.Problems;
import dev.keygate.server.http.RequestLog;
import dev.keygate.server.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Every route of both listeners, in the order a request meets them: request id, security headers
 * and the access log first ({@link AccessLog}), then health checks, the API, checkout pages, the
 * dashboard, metrics and assets, and problems last ({@link Problems}).
 */
final class Routes {

    private Routes() {}

    /** The HTTPS router: health checks, the API, the checkout pages and their stylesheet. */
    static Router router(Vertx vertx, KeyStore store, RateLimiter limiter, Blocking blocking,
            Authenticator authenticator, PaymentRoutes api, CheckoutPage checkout, DashboardRoutes dashboard,
            RequestLog requestLog, Metrics metrics) {
        Router router = Router.router(vertx);
        router.route().handler(AccessLog.handler(true, requestLog));
        router.get("/").handler(ctx -> ctx.response().setStatusCode(303).putHeader("Location", "/dashboard").end());
        router.get("/healthz").handler(ctx -> Responses.json(ctx, 200, new JsonObject().put("status", "ok")));
        // Ready when the store and, if configured, Redis answer (SPEC section 5).
        router.get("/readyz").handler(ctx -> blocking.run(() -> {
                    store.ping();
                    return null;
                })
                .compose(ignored -> Future.fromCompletionStage(limiter.ready(), ctx.vertx().getOrCreateContext())
                        .recover(failure -> Future.failedFuture(new StoreUnavailableException(
                                "the rate limiter did not answer", failure))))
                .onSuccess(ignored -> Responses.json(ctx, 200, new JsonObject().put("status", "ready")))
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
        router.route().handler(AccessLog.handler(false, null));
        router.route().handler(ctx -> ctx.fail(new ApiException(ErrorCode.HTTPS_REQUIRED,
                "Keygate answers only over HTTPS. Nothing in this request was used; if it held a key, roll it.")));
        router.route().failureHandler(Problems::handle);
        return router;
    }
}
