package dev.keygate.server.dashboard;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * The dashboard's cookies: all {@code HttpOnly; Secure; SameSite=Strict; Path=/}, named with the
 * {@code __Host-} prefix, which browsers accept only from HTTPS, with {@code Path=/} and no
 * {@code Domain} (RFC 6265bis section 4.1.3.2): no other host, not even a subdomain, can set them.
 */
public final class Cookies {

    /** The session's random token; the server keeps only its digest. */
    public static final String SESSION_COOKIE = "__Host-kg_session";
    /** The pre-session id that the CSRF token of forms shown before log-in is bound to. */
    public static final String CSRF_COOKIE = "__Host-kg_csrf";

    private Cookies() {}

    static Cookie session(String token) {
        return strict(SESSION_COOKIE, token);
    }

    /** {@code HttpOnly; Secure; SameSite=Strict; Path=/}, ending with the browser session. */
    static Cookie strict(String name, String value) {
        return Cookie.cookie(name, value)
                .setHttpOnly(true)
                .setSecure(true)
                .setSameSite(CookieSameSite.STRICT)
                .setPath("/"); // required by the __Host- prefix
    }

    static Cookie expired(String name) {
        return strict(name, "").setMaxAge(0);
    }

    /** The value of the request's cookie {@code name}, or null. */
    static String read(RoutingContext ctx, String name) {
        Cookie cookie = ctx.request().getCookie(name);
        return cookie == null ? null : cookie.getValue();
    }
}
