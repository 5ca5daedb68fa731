package dev.keygate.server;

import dev.keygate.keyformat.Base62;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;

/** The {@code Request-Id} every response carries ({@code req_} + 16 base62): unique, not secret. */
final class RequestIds {

    static final String HEADER = "Request-Id";
    private static final String KEY = "keygate.requestId";

    private RequestIds() {}

    /** Gives the request its id and puts it on the response. */
    static String assign(RoutingContext ctx) {
        String id = "req_" + Base62.random(ThreadLocalRandom.current(), 16);
        ctx.put(KEY, id);
        ctx.response().putHeader(HEADER, id);
        return id;
    }

    static String of(RoutingContext ctx) {
        String id = ctx.get(KEY);
        return id == null ? assign(ctx) : id;
    }
}
