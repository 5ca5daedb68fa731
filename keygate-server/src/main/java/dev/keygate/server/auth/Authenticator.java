package dev.keygate.server.auth;

import dev.keygate.core.auth.KeyVerifier;
import dev.keygate.core.auth.UsageTracker;
import dev.keygate.core.auth.Verification;
import dev.keygate.core.auth.VerifiedKey;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.limit.RateDecision;
import dev.keygate.core.limit.RateLimiter;
import dev.keygate.keyformat.KeyType;
import dev.keygate.server.http.ApiException;
import dev.keygate.server.http.Blocking;
import dev.keygate.server.http.ErrorCode;
import dev.keygate.server.http.RequestKey;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates {@code /api/*} requests (SPEC sections 3 and 4), in this order: a key in the URL
 * is refused; the bearer token is resolved; the key is verified (from the cache on the event
 * loop, else from the store on a virtual thread); a secret key from a browser is refused; the
 * route's required key type is checked; the account's rate limit is taken. Only a request that
 * passes all of these is counted by the limiter and marks the key as used. The verified key is
 * then in the context for the route, and the response carries the {@code RateLimit} fields and,
 * in a grace period, {@code Sunset}.
 *
 * <pre>{@code
 * router.get("/api/v1/balance").handler(authenticator.require(Access.SECRET_KEY)).handler(…);
 * }</pre>
 */
public final class Authenticator {

    /** What a route needs (SPEC section 5). */
    public enum Access {
        /** A publishable or a secret key. */
        ANY_KEY,
        /** A secret key; a publishable one gets {@code 403 insufficient_permissions}. */
        SECRET_KEY
    }

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    private static final CharSequence RATE_LIMIT_POLICY = HttpHeaders.createOptimized("RateLimit-Policy");
    private static final CharSequence RATE_LIMIT = HttpHeaders.createOptimized("RateLimit");
    /** IMF-fixdate of RFC 9110 section 5.6.7, for {@code Sunset} (RFC 8594). */
    static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final KeyVerifier verifier;
    private final RateLimiter limiter;
    private final int defaultLimit;
    private final UsageTracker usage;
    private final KeyStore store;
    private final Blocking blocking;
    private final Clock clock;
    /** Keys already flagged as exposed by this process: flag each once, not once per request. */
    private final Set<String> flaggedExposed = ConcurrentHashMap.newKeySet();

    public Authenticator(KeyVerifier verifier, RateLimiter limiter, int defaultLimit, UsageTracker usage, KeyStore store,
            Blocking blocking, Clock clock) {
        this.verifier = verifier;
        this.limiter = limiter;
        this.defaultLimit = defaultLimit;
        this.usage = usage;
        this.store = store;
        this.blocking = blocking;
        this.clock = clock;
    }

    /** A handler that lets through only requests with a valid key of the given access, within the rate limit. */
    public Handler<RoutingContext> require(Access access) {
        return ctx -> authenticate(ctx, key -> authorize(ctx, key, access));
    }

    /**
     * A handler for URLs that match no route: the caller is authenticated (so that an
     * unauthenticated probe learns nothing, not even which URLs exist) but not counted.
     */
    public Handler<RoutingContext> identifyOnly() {
        return ctx -> authenticate(ctx, key -> withLimitFields(ctx, key, ctx::next));
    }

    private void authenticate(RoutingContext ctx, Handler<VerifiedKey> onValid) {
        if (KeyInUrl.present(ctx.request())) {
            ctx.fail(new ApiException(ErrorCode.API_KEY_IN_URL, "API keys are never accepted in the URL, where "
                    + "logs and browser history keep them. Send Authorization: Bearer <key>, and roll this key."));
            return;
        }
        if (ctx.request().query() != null) {
            try {
                ctx.request().params();
            } catch (IllegalArgumentException badEncoding) {
                ctx.fail(new ApiException(ErrorCode.INVALID_REQUEST, "The query string is not validly encoded."));
                return;
            }
        }
        switch (BearerTokenResolver.resolve(ctx.request().headers())) {
            case BearerTokenResolver.Duplicate ignored -> ctx.fail(new ApiException(ErrorCode.INVALID_REQUEST,
                    "Send exactly one Authorization header."));
            case BearerTokenResolver.Missing ignored -> ctx.fail(new ApiException(ErrorCode.MISSING_API_KEY,
                    "No API key was sent. Send it as Authorization: Bearer <key>."));
            case BearerTokenResolver.Token token -> {
                switch (verifier.check(token.value())) {
                    case KeyVerifier.Decided decided -> onVerified(ctx, decided.verification(), onValid);
                    case KeyVerifier.NeedsStore needs -> blocking.run(() -> verifier.verify(needs.presented()))
                            .onComplete(verification -> onVerified(ctx, verification, onValid), ctx::fail);
                }
            }
        }
    }

    private void onVerified(RoutingContext ctx, Verification verification, Handler<VerifiedKey> onValid) {
        switch (verification) {
            case Verification.Malformed malformed -> ctx.fail(new ApiException(ErrorCode.MALFORMED_API_KEY,
                    "The API key is malformed: " + malformed.malformation().explanation() + "."));
            case Verification.Unknown unknown -> ctx.fail(new ApiException(ErrorCode.INVALID_API_KEY,
                    "No active API key matches " + unknown.masked() + "."));
            case Verification.Expired expired -> ctx.fail(new ApiException(ErrorCode.API_KEY_EXPIRED,
                    "The API key " + expired.masked() + " expired at " + expired.expiredAt() + "."));
            case Verification.Valid valid -> {
                VerifiedKey key = valid.key();
                RequestKey.set(ctx, key);
                // A restricted key is a secret key too (SPEC section 1).
                if (key.type() != KeyType.PUBLIC && ctx.request().headers().contains("Origin")) {
                    flagExposed(key);
                    withLimitFields(ctx, key, () -> ctx.fail(new ApiException(ErrorCode.SECRET_KEY_IN_BROWSER,
                            "Secret keys must never be used in a browser: use a publishable key (pk_...) there. "
                                    + "This key is now flagged as exposed; roll it.")));
                    return;
                }
                onValid.handle(key);
            }
        }
    }

    private void authorize(RoutingContext ctx, VerifiedKey key, Access access) {
        if (key.type() == KeyType.RESTRICTED) {
            // Until key policies are enforced (SPEC section 12), a restricted key has no permission.
            withLimitFields(ctx, key, () -> ctx.fail(new ApiException(ErrorCode.INSUFFICIENT_PERMISSIONS,
                    "This restricted key has no permission for this request.")));
            return;
        }
        if (access == Access.SECRET_KEY && key.type() != KeyType.SECRET) {
            withLimitFields(ctx, key, () -> ctx.fail(new ApiException(ErrorCode.INSUFFICIENT_PERMISSIONS,
                    "This request needs a secret key (sk_...). Publishable keys may only create payments and "
                            + "call ping.")));
            return;
        }
        whenDecided(ctx, limiter.tryAcquire(key.limitBucket(), key.rateLimit().orElse(defaultLimit)),
                decision -> onDecision(ctx, key, decision));
    }

    /**
     * Puts the {@code RateLimit} fields on an authenticated response that is refused for another
     * reason, without counting it (SPEC section 4), then goes on with {@code next}.
     */
    private void withLimitFields(RoutingContext ctx, VerifiedKey key, Runnable next) {
        whenDecided(ctx, limiter.peek(key.limitBucket(), key.rateLimit().orElse(defaultLimit)), decision -> {
            limitFields(ctx.response(), decision);
            next.run();
        });
    }

    /**
     * Goes on with the limiter's decision: at once when it has already decided (the in-process
     * limiter always has), else on this request's event loop when it does (Redis).
     */
    private static void whenDecided(RoutingContext ctx, CompletionStage<RateDecision> pending,
            Handler<RateDecision> then) {
        if (pending instanceof CompletableFuture<RateDecision> future
                && future.state() == java.util.concurrent.Future.State.SUCCESS) {
            then.handle(future.resultNow());
            return;
        }
        Future.fromCompletionStage(pending, ctx.vertx().getOrCreateContext()).onComplete(then, ctx::fail);
    }

    private static void limitFields(HttpServerResponse response, RateDecision decision) {
        response.putHeader(RATE_LIMIT_POLICY, "\"default\";q=" + decision.limit() + ";w="
                + RateLimiter.WINDOW.toSeconds());
        response.putHeader(RATE_LIMIT, "\"default\";r=" + decision.remaining() + ";t=" + decision.resetSeconds());
    }

    private void onDecision(RoutingContext ctx, VerifiedKey key, RateDecision decision) {
        HttpServerResponse response = ctx.response();
        limitFields(response, decision);
        if (!decision.accepted()) {
            ctx.fail(new ApiException(ErrorCode.RATE_LIMIT_EXCEEDED, "More than " + decision.limit()
                            + " requests in 60 seconds for this account and environment. Retry after "
                            + decision.retryAfterSeconds() + " seconds.",
                    null, Map.of("Retry-After", String.valueOf(decision.retryAfterSeconds()))));
            return;
        }
        usage.touch(key.keyId(), clock.instant());
        key.expiresAt().ifPresent(at -> response.putHeader("Sunset", HTTP_DATE.format(at)));
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
