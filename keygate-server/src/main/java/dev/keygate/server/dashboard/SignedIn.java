package dev.keygate.server.dashboard;

import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.accounts.Session;
import dev.keygate.core.dashboard.EmailVerifications;
import dev.keygate.core.dashboard.Sessions;
import dev.keygate.keyformat.Environment;
import dev.keygate.server.dashboard.Views.Frame;
import dev.keygate.server.http.Blocking;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;

/**
 * Signed-in pages: the session of the request's cookie (or a redirect to log in), the CSRF check of
 * every POST against the session's token, and the frame every such page shows.
 */
final class SignedIn {

    /** A signed-in page's work (blocking, off the loop) and what it renders (on the loop). */
    @FunctionalInterface
    interface Page {
        Handler<RoutingContext> prepare(RoutingContext ctx, Session session) throws Exception;
    }

    private final Sessions sessions;
    private final Accounts accounts;
    private final EmailVerifications verifications;
    private final Blocking blocking;
    private final Responses responses;
    private final Csrf csrf;

    SignedIn(Sessions sessions, Accounts accounts, EmailVerifications verifications, Blocking blocking,
            Responses responses, Csrf csrf) {
        this.sessions = sessions;
        this.accounts = accounts;
        this.verifications = verifications;
        this.blocking = blocking;
        this.responses = responses;
        this.csrf = csrf;
    }

    /**
     * Runs {@code page} for the session of the request's cookie, or sends the browser to log in;
     * for a POST, the form's CSRF token must match the session's.
     */
    Handler<RoutingContext> handler(Page page, boolean post) {
        return ctx -> {
            String token = Cookies.read(ctx, Cookies.SESSION_COOKIE);
            String formToken = post ? Csrf.formToken(ctx) : null;
            blocking.run(() -> {
                        Optional<Session> session = sessions.find(token);
                        if (session.isEmpty()) {
                            return (Handler<RoutingContext>) done -> Responses.redirect(done,
                                    DashboardRoutes.PATH + "/login");
                        }
                        if (post && !csrf.sessionValid(formToken, session.get())) {
                            return (Handler<RoutingContext>) done -> responses.page(done, 403, "dash_message.jte",
                                    Map.of("title", "This form has expired", "message",
                                            "Reload the page and try again."));
                        }
                        return page.prepare(ctx, session.get());
                    })
                    .onComplete(render -> render.handle(ctx), failure -> responses.failed(ctx, failure));
        };
    }

    /** The frame of a page, saying what was done as the request's {@code ?notice=} names it (blocking). */
    Frame frame(RoutingContext ctx, Session session, String active) {
        return frame(session, active, null, Forms.notice(ctx));
    }

    /** The frame of a page, with {@code notice}: a problem with what was asked, or null (blocking). */
    Frame frame(Session session, String active, String notice) {
        return frame(session, active, notice, null);
    }

    /** The frame of a page that says what was {@code done} (blocking). */
    Frame done(Session session, String active, String done) {
        return frame(session, active, null, done);
    }

    private Frame frame(Session session, String active, String notice, String done) {
        Account account = accounts.get(session.accountId());
        return new Frame(account.name(), account.email(), session.environment() == Environment.LIVE,
                verifications.verified(session), csrf.sessionToken(session), notice, done, active);
    }
}
