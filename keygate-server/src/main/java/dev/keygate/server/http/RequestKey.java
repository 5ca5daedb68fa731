package dev.keygate.server.http;

import dev.keygate.core.Scope;
import dev.keygate.core.auth.VerifiedKey;
import io.vertx.ext.web.RoutingContext;

/** The key that authenticated a request, as the authenticator leaves it for routes and logs. */
public final class RequestKey {

    private static final String KEY = "keygate.key";

    private RequestKey() {}

    /** The key that authenticated this request; null before authentication (or without a key). */
    public static VerifiedKey of(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    /** Records the key that authenticated this request. */
    public static void set(RoutingContext ctx, VerifiedKey key) {
        ctx.put(KEY, key);
    }

    /** The account and environment of the authenticated key: all an API route may see. */
    public static Scope scope(RoutingContext ctx) {
        VerifiedKey key = of(ctx);
        return new Scope(key.accountId(), key.environment());
    }
}
