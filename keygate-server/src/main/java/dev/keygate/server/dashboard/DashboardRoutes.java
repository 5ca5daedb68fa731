package dev.keygate.server.dashboard;

import dev.keygate.core.NotFoundException;
import dev.keygate.core.ServerSecret;
import dev.keygate.server.http.Blocking;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The dashboard (SPEC section 8) at {@code /dashboard}: server-rendered pages that work without
 * JavaScript. Every form carries a CSRF token checked on every POST ({@link Csrf}); the session
 * cookie ({@link Cookies}) holds a random token of which the server keeps only the digest. Each
 * page sees only the signed-in account's objects: another account's key id in a URL is simply not
 * found. This class mounts the page groups and the dashboard's headers and error pages.
 */
public final class DashboardRoutes {

    static final String PATH = "/dashboard";
    static final int MAX_FORM_BYTES = 16 * 1024;
    /** The page's content may come only from here, and it is never framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; script-src 'self'; "
            + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final Responses responses;
    private final AccountPages accountPages;
    private final KeyPages keyPages;
    private final RotationPages rotationPages;
    private final LogPages logPages;
    private final PasswordPages passwordPages;

    /**
     * @param secret     the server secret, which the forms' CSRF tokens are HMACs under
     * @param links      the base of links in mails: configured, never taken from the request's Host header
     * @param keyChanged reads the change feed now (blocking), so that this node refuses a deleted or
     *                   rotated-"now" key from the very next request (SPEC section 7), not only after the next poll
     */
    public DashboardRoutes(DashboardServices services, ServerSecret secret, Blocking blocking, Clock clock,
            Supplier<String> links, Runnable keyChanged) {
        Csrf csrf = new Csrf(secret);
        this.responses = new Responses(csrf);
        SignedIn signedIn = new SignedIn(services.sessions(), services.accounts(), services.verifications(), blocking,
                responses, csrf);
        this.accountPages = new AccountPages(services.signUps(), services.logins(), services.throttle(),
                services.sessions(),
                services.verifications(), signedIn, responses, csrf, blocking, links);
        this.keyPages = new KeyPages(services.keys(), signedIn, responses, clock, keyChanged);
        this.rotationPages = new RotationPages(services.rotations(), services.keys(), signedIn, responses, clock,
                keyChanged);
        this.logPages = new LogPages(services.requests(), services.audit(), signedIn, responses);
        this.passwordPages = new PasswordPages(services.passwords(), signedIn, responses);
    }

    public void mount(Router router) {
        router.post(PATH + "/*").handler(BodyHandler.create(false).setBodyLimit(MAX_FORM_BYTES));
        router.route(PATH + "/*").handler(ctx -> {
            ctx.response().putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .putHeader("X-Frame-Options", "DENY")
                    .putHeader("Referrer-Policy", "no-referrer");
            ctx.next();
        });
        router.get(PATH).handler(ctx -> Responses.redirect(ctx, PATH + "/keys"));
        router.get(PATH + "/").handler(ctx -> Responses.redirect(ctx, PATH + "/keys"));
        accountPages.mount(router);
        keyPages.mount(router);
        rotationPages.mount(router);
        logPages.mount(router);
        passwordPages.mount(router);
        // Pages answer errors with pages, not the API's problem documents.
        router.route(PATH + "/*").handler(ctx -> responses.page(ctx, 404, "dash_message.jte", Map.of("title",
                "Not found", "message", "There is no such page in the dashboard.")));
        router.route(PATH + "/*").failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                responses.page(ctx, 413, "dash_message.jte", Map.of("title", "This form is too large",
                        "message", "A form may send at most " + MAX_FORM_BYTES / 1024 + " KiB."));
            } else if (ctx.failure() instanceof NotFoundException) {
                responses.failed(ctx, ctx.failure());
            } else {
                ctx.next();
            }
        });
    }
}
