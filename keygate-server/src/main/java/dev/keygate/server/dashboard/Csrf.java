package dev.keygate.server.dashboard;

import dev.keygate.keyformat.Base62;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The dashboard's two CSRF schemes: once signed in, every form carries the session's token; before,
 * a {@code SameSite=Strict} cookie's token (double submit). Tokens are compared in constant time.
 */
final class Csrf {

    /** The form field that carries the token. */
    static final String FIELD = "csrf";

    private final SecureRandom random = new SecureRandom();

    /** The pre-session token of the request's cookie, or a new one set in a cookie on the response. */
    String anonymousToken(RoutingContext ctx) {
        String csrf = Cookies.read(ctx, Cookies.CSRF_COOKIE);
        if (csrf == null || !csrf.matches("[0-9A-Za-z]{32}")) {
            csrf = Base62.random(random, 32);
            ctx.response().addCookie(Cookies.strict(Cookies.CSRF_COOKIE, csrf));
        }
        return csrf;
    }

    /** Whether a form posted before log-in carries its cookie's token. */
    static boolean anonymousValid(RoutingContext ctx) {
        return sameToken(ctx.request().getFormAttribute(FIELD), Cookies.read(ctx, Cookies.CSRF_COOKIE));
    }

    /** The token a signed-in form carried, to be checked against the session's with {@link #sameToken}. */
    static String formToken(RoutingContext ctx) {
        return ctx.request().getFormAttribute(FIELD);
    }

    static boolean sameToken(String given, String expected) {
        return given != null && expected != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }
}
