package dev.keygate.server;

import dev.keygate.core.KeyStore;
import dev.keygate.core.KeyVerifier;
import dev.keygate.core.RateDecision;
import dev.keygate.core.RateLimiter;
import dev.keygate.core.Verification;
import dev.keygate.core.VerifiedKey;
import dev.keygate.keyformat.KeyType;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every {@code /api/*} request (SPEC sections 3 and 4), in this order: a key in the
 * URL is refused; the bearer token is resolved; the key is verified (from the cache on the event
 * loop, else from the store on a virtual thread); a secret key from a browser is refused; the
 * account's rate limit is taken. The verified key is then in the context for the route, and the
 * response carries the {@code RateLimit} fields and, in a grace period, {@code Sunset}.
 */
final class Authenticator implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    private static final String KEY = "keygate.key";
    /** Query parameters that look like a key: their presence alone refuses the request. */
    private static final Set<String> KEY_PARAMETERS = Set.of("api_key", "access_token", "key");
    /** IMF-fixdate of RFC 9110 section 5.6.7, for {@code Sunset} (RFC 8594). */
    static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final KeyVerifier verifier;
    private final RateLimiter limiter;
    private final int defaultLimit;
    private final KeyStore store;
    private final Blocking blocking;
    private final Clock clock;
    /** Keys already flagged as exposed by this process: flag each once, not once per request. */
    private final Set<String> flaggedExposed = ConcurrentHashMap.newKeySet();

    Authenticator(KeyVerifier verifier, RateLimiter limiter, int defaultLimit, KeyStore store, Blocking blocking,
            Clock clock) {
        this.verifier = verifier;
        this.limiter = limiter;
        this.defaultLimit = defaultLimit;
        this.store = store;
        this.blocking = blocking;
        this.clock = clock;
    }

    /** The key that authenticated this request; only after this handler ran. */
    static VerifiedKey key(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    /** A route handler that lets only secret keys through (SPEC section 5). */
    static Handler<RoutingContext> requireSecret() {
        return ctx -> {
            if (key(ctx).type() != KeyType.SECRET) {
                ctx.fail(new ApiException(ErrorCode.INSUFFICIENT_PERMISSIONS, "This request needs a secret key "
                        + "(sk_...). Publishable keys may only create payments and call ping."));
            } else {
                ctx.next();
            }
        };
    }

    @Override
    public void handle(RoutingContext ctx) {
        boolean keyInUrl;
        try {
            keyInUrl = hasKeyInUrl(ctx.request());
        } catch (IllegalArgumentException badEncoding) {
            ctx.fail(new ApiException(ErrorCode.INVALID_REQUEST, "The query string is not validly encoded."));
            return;
        }
        if (keyInUrl) {
            ctx.fail(new ApiException(ErrorCode.API_KEY_IN_URL, "API keys are never accepted in the URL, where "
                    + "logs and browser history keep them. Send Authorization: Bearer <key>, and roll this key."));
            return;
        }
        switch (BearerTokenResolver.resolve(ctx.request().headers())) {
            case BearerTokenResolver.Duplicate ignored -> ctx.fail(new ApiException(ErrorCode.INVALID_REQUEST,
                    "Send exactly one Authorization header."));
            case BearerTokenResolver.Missing ignored -> ctx.fail(new ApiException(ErrorCode.MISSING_API_KEY,
                    "No API key was sent. Send it as Authorization: Bearer <key>."));
            case BearerTokenResolver.Token token -> verifier.verifyCached(token.value()).ifPresentOrElse(
                    verification -> onVerified(ctx, verification),
                    () -> blocking.run(() -> verifier.verify(token.value())).onComplete(
                            verification -> onVerified(ctx, verification), ctx::fail));
        }
    }

    private static boolean hasKeyInUrl(HttpServerRequest request) {
        if (request.query() == null) {
            return false;
        }
        for (String name : request.params().names()) {
            if (KEY_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private void onVerified(RoutingContext ctx, Verification verification) {
        switch (verification) {
            case Verification.Malformed malformed -> ctx.fail(new ApiException(ErrorCode.MALFORMED_API_KEY,
                    "The API key is malformed: " + malformed.malformation().explanation() + "."));
            case Verification.Unknown unknown -> ctx.fail(new ApiException(ErrorCode.INVALID_API_KEY,
                    "No active API key matches " + unknown.masked() + "."));
            case Verification.Expired expired -> ctx.fail(new ApiException(ErrorCode.API_KEY_EXPIRED,
                    "The API key " + expired.masked() + " expired at " + expired.expiredAt() + "."));
            case Verification.Valid valid -> onValid(ctx, valid.key());
        }
    }

    private void onValid(RoutingContext ctx, VerifiedKey key) {
        ctx.put(KEY, key);
        if (key.type() == KeyType.SECRET && ctx.request().headers().contains("Origin")) {
            flagExposed(key);
            ctx.fail(new ApiException(ErrorCode.SECRET_KEY_IN_BROWSER, "Secret keys must never be used in a "
                    + "browser: use a publishable key (pk_...) there. This key is now flagged as exposed; roll it."));
            return;
        }
        CompletionStage<RateDecision> decision = limiter.tryAcquire(key.limitBucket(),
                key.rateLimit().orElse(defaultLimit));
        Future.fromCompletionStage(decision, ctx.vertx().getOrCreateContext())
                .onComplete(decisionMade -> onDecision(ctx, key, decisionMade), ctx::fail);
    }

    private void onDecision(RoutingContext ctx, VerifiedKey key, RateDecision decision) {
        HttpServerResponse response = ctx.response();
        response.putHeader("RateLimit-Policy", "\"default\";q=" + decision.limit() + ";w="
                + RateLimiter.WINDOW.toSeconds());
        response.putHeader("RateLimit", "\"default\";r=" + decision.remaining() + ";t=" + decision.resetSeconds());
        if (!decision.accepted()) {
            ctx.fail(new ApiException(ErrorCode.RATE_LIMIT_EXCEEDED, "More than " + decision.limit()
                            + " requests in 60 seconds for this account and environment. Retry after "
                            + decision.retryAfterSeconds() + " seconds.",
                    null, Map.of("Retry-After", String.valueOf(decision.retryAfterSeconds()))));
            return;
        }
        key.expiresAt().ifPresent(at ->
                response.putHeader("Sunset", HTTP_DATE.format(at)));
        ctx.next();
    }

    private void flagExposed(VerifiedKey key) {
        if (flaggedExposed.add(key.keyId())) {
            blocking.run(() -> {
                store.markExposed(key.keyId(), clock.instant());
                return null;
            }).onFailure(failure -> {
                flaggedExposed.remove(key.keyId());
                LOG.warn("could not flag key {} as exposed: {}", key.keyId(), failure.toString());
            });
        }
    }
}
