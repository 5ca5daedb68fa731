package dev.keygate.server.dashboard;

import dev.keygate.core.ServerSecret;
import dev.keygate.core.accounts.Session;
import dev.keygate.keyformat.Base62;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The dashboard's CSRF tokens (SPEC section 8), each an HMAC under the server secret of what the
 * form belongs to: once signed in, the session; before, a random pre-session id kept in a
 * {@code SameSite=Strict} cookie. Someone who can plant a cookie still cannot make the matching
 * token, so a forged form never passes. Tokens are compared in constant time.
 */
final class Csrf {

    /** The form field that carries the token. */
    static final String FIELD = "csrf";
    private static final String PURPOSE = "dashboard csrf";

    private final ServerSecret secret;
    private final SecureRandom random = new SecureRandom();

    Csrf(ServerSecret secret) {
        this.secret = secret;
    }

    /** The token for a form shown before log-in, for the request's pre-session cookie (set on the response if new). */
    String anonymousToken(RoutingContext ctx) {
        String preSession = Cookies.read(ctx, Cookies.CSRF_COOKIE);
        if (preSession == null || !preSession.matches("[0-9A-Za-z]{32}")) {
            preSession = Base62.random(random, 32);
            ctx.response().addCookie(Cookies.strict(Cookies.CSRF_COOKIE, preSession));
        }
        return token("pre-session:" + preSession);
    }

    /** Whether a form posted before log-in carries the token of its pre-session cookie. */
    boolean anonymousValid(RoutingContext ctx) {
        String preSession = Cookies.read(ctx, Cookies.CSRF_COOKIE);
        return preSession != null && same(ctx.request().getFormAttribute(FIELD), token("pre-session:" + preSession));
    }

    /** The token of every form a signed-in page shows. */
    String sessionToken(Session session) {
        return token("session:" + session.idDigest());
    }

    /** Whether {@code given}, the token a signed-in form carried ({@link #formToken}), is its session's. */
    boolean sessionValid(String given, Session session) {
        return same(given, sessionToken(session));
    }

    static String formToken(RoutingContext ctx) {
        return ctx.request().getFormAttribute(FIELD);
    }

    private String token(String boundTo) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret.hmac(PURPOSE, boundTo));
    }

    private static boolean same(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }
}
