package dev.keygate.server.dashboard;

import dev.keygate.server.http.ClientAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** What the dashboard reads from a request besides cookies: the client's address and fixed notices. */
final class Forms {

    private static final Map<String, String> NOTICES = Map.of(
            "deleted", "The key was deleted. Requests with it are refused from now on.",
            "verification-sent", "A new verification link is on its way to your email.",
            "email-verified", "Your email is verified: you can now create live keys.",
            "logged-out", "You are logged out.");

    private Forms() {}

    /** The fixed text named by {@code ?notice=}; nothing the client sent is shown. */
    static String notice(RoutingContext ctx) {
        String name = ctx.request().getParam("notice");
        return name == null ? null : NOTICES.get(name);
    }

    /** The client's address, written as the request log writes it ({@link ClientAddress}). */
    static String ip(RoutingContext ctx) {
        return ClientAddress.of(ctx.request());
    }

    /** A form value to show back in the form, cut to a sane length. */
    static String safe(String value) {
        return value == null ? "" : value.length() > 254 ? value.substring(0, 254) : value;
    }

    static String capitalize(String message) {
        return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }
}
