package dev.keygate.server.http;

import dev.keygate.keyformat.Base62;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;

/** The {@code Request-Id} every response carries ({@code req_} + 16 base62): unique, not secret. */
public final class RequestIds {

    public static final String HEADER = "Request-Id";
    private static final String KEY = "keygate.requestId";

    private RequestIds() {}

    /** A new id. */
    public static String next() {
        return "req_" + Base62.random(ThreadLocalRandom.current(), 16);
    }

    /** Gives the request its id; the caller puts it on the response. */
    static String assign(RoutingContext ctx) {
        String id = next();
        ctx.put(KEY, id);
        return id;
    }

    public static String of(RoutingContext ctx) {
        String id = ctx.get(KEY);
        return id == null ? assign(ctx) : id;
    }
}
