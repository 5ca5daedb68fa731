package dev.keygate.server.dashboard;

import static dev.keygate.server.dashboard.DashboardRoutes.PATH;
import static dev.keygate.server.dashboard.Views.TIME;

import dev.keygate.core.InvalidInputException;
import dev.keygate.core.accounts.Session;
import dev.keygate.core.dashboard.EmailVerifications;
import dev.keygate.core.dashboard.LoginResult;
import dev.keygate.core.dashboard.LoginThrottle;
import dev.keygate.core.dashboard.Logins;
import dev.keygate.core.dashboard.Sessions;
import dev.keygate.core.dashboard.SignUps;
import dev.keygate.core.keys.IssuedKey;
import dev.keygate.core.limit.RateDecision;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.server.dashboard.Views.NewKey;
import dev.keygate.server.http.Blocking;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The account pages: sign-up, log-in and log-out, email verification, and the test/live switch.
 * Forms shown before log-in carry the pre-session CSRF token ({@link Csrf}).
 */
final class AccountPages {

    private final SignUps signUps;
    private final Logins logins;
    private final LoginThrottle throttle;
    private final Sessions sessions;
    private final EmailVerifications verifications;
    private final SignedIn signedIn;
    private final Responses responses;
    private final Csrf csrf;
    private final Blocking blocking;
    /** The base of links in mails: configured, never taken from the request's Host header. */
    private final Supplier<String> links;

    AccountPages(SignUps signUps, Logins logins, LoginThrottle throttle, Sessions sessions,
            EmailVerifications verifications, SignedIn signedIn, Responses responses, Csrf csrf, Blocking blocking,
            Supplier<String> links) {
        this.signUps = signUps;
        this.logins = logins;
        this.throttle = throttle;
        this.sessions = sessions;
        this.verifications = verifications;
        this.signedIn = signedIn;
        this.responses = responses;
        this.csrf = csrf;
        this.blocking = blocking;
        this.links = links;
    }

    void mount(Router router) {
        router.get(PATH + "/login").handler(ctx -> responses.anonymousPage(ctx, "dash_login.jte", Map.of()));
        router.post(PATH + "/login").handler(this::logIn);
        router.get(PATH + "/signup").handler(ctx -> responses.anonymousPage(ctx, "dash_signup.jte", Map.of()));
        router.post(PATH + "/signup").handler(this::signUp);
        router.get(PATH + "/verify").handler(this::confirm);
        router.post(PATH + "/verify").handler(this::verify);
        router.post(PATH + "/logout").handler(signedIn.handler((ctx, session) -> {
            sessions.logOut(session);
            return done -> {
                done.response().addCookie(Cookies.expired(Cookies.SESSION_COOKIE));
                Responses.redirect(done, PATH + "/login?notice=logged-out");
            };
        }, true));
        router.post(PATH + "/environment").handler(signedIn.handler(this::switchEnvironment, true));
        router.post(PATH + "/verify/resend").handler(signedIn.handler((ctx, session) -> {
            verifications.send(session, verifyUrl());
            return done -> Responses.redirect(done, PATH + "/keys?notice=verification-sent");
        }, true));
    }

    private void logIn(RoutingContext ctx) {
        if (!csrf.anonymousValid(ctx)) {
            responses.expiredForm(ctx);
            return;
        }
        String email = ctx.request().getFormAttribute("email");
        String password = ctx.request().getFormAttribute("password");
        String ip = Forms.ip(ctx);
        RateDecision throttled = throttle.attempt(ip);
        if (!throttled.accepted()) {
            ctx.response().putHeader("Retry-After", Long.toString(throttled.retryAfterSeconds()));
            responses.anonymousPage(ctx, 429, "dash_login.jte", Map.of("error", "Too many logins from your "
                    + "address. Try again in " + throttled.retryAfterSeconds() + " seconds.", "email", Forms.safe(email)));
            return;
        }
        blocking.run(() -> logins.logIn(email, password, ip)).onComplete(result -> {
            switch (result) {
                case LoginResult.LoggedIn in -> {
                    ctx.response().addCookie(Cookies.session(in.token()));
                    Responses.redirect(ctx, PATH + "/keys");
                }
                case LoginResult.Locked locked -> responses.anonymousPage(ctx, 429, "dash_login.jte", Map.of("error",
                        "Too many failed logins for this email. Try again after " + TIME.format(locked.until())
                                + ".", "email", Forms.safe(email)));
                case LoginResult.Refused refused -> responses.anonymousPage(ctx, 401, "dash_login.jte", Map.of(
                        "error", "That email and password do not match.", "email", Forms.safe(email)));
            }
        }, failure -> {
            if (failure instanceof BoundedHasher.Busy) {
                responses.busy(ctx, "dash_login.jte", Map.of("email", Forms.safe(email)));
            } else {
                responses.failed(ctx, failure);
            }
        });
    }

    /**
     * Answers the same page whether or not the email has an account (SPEC section 8): same status,
     * same page, no session; only the mail tells which.
     */
    private void signUp(RoutingContext ctx) {
        if (!csrf.anonymousValid(ctx)) {
            responses.expiredForm(ctx);
            return;
        }
        HttpServerRequest request = ctx.request();
        String name = request.getFormAttribute("name");
        String email = request.getFormAttribute("email");
        String password = request.getFormAttribute("password");
        String ip = Forms.ip(ctx);
        String verifyUrl = verifyUrl();
        String loginUrl = links.get() + PATH + "/login";
        blocking.run(() -> {
            signUps.signUp(name, email, password, ip, verifyUrl, loginUrl);
            return true;
        }).onComplete(done -> responses.page(ctx, 200, "dash_check_mail.jte", Map.of()), failure -> {
                    if (failure instanceof BoundedHasher.Busy) {
                        responses.busy(ctx, "dash_signup.jte", Map.of("name", Forms.safe(name), "email",
                                Forms.safe(email)));
                    } else if (failure instanceof InvalidInputException) {
                        responses.anonymousPage(ctx, 400, "dash_signup.jte", Map.of("error",
                                Forms.capitalize(failure.getMessage()) + ".", "name", Forms.safe(name), "email",
                                Forms.safe(email)));
                    } else {
                        responses.failed(ctx, failure);
                    }
                });
    }

    /**
     * The mailed link's page: a button that uses the token. Opening the link uses nothing, so that a
     * mail scanner fetching it neither spends the single-use link nor sees the first secret key.
     */
    private void confirm(RoutingContext ctx) {
        String token = ctx.request().getParam("token");
        responses.anonymousPage(ctx, "dash_verify.jte", Map.of("token", token == null ? "" : Forms.safe(token)));
    }

    /** Uses the link's token: verified, signed in, and the first keys shown once if the account had none. */
    private void verify(RoutingContext ctx) {
        if (!csrf.anonymousValid(ctx)) {
            responses.expiredForm(ctx);
            return;
        }
        String token = ctx.request().getFormAttribute("token");
        String ip = Forms.ip(ctx);
        blocking.run(() -> signUps.complete(token, ip).map(welcome -> Map.<String, Object>of("token",
                welcome.login().token(), "frame", signedIn.frame(welcome.login().session(), "keys", null), "created",
                welcome.firstKeys().stream().map(AccountPages::shown).toList()))).onComplete(welcome -> {
                    if (welcome.isEmpty()) {
                        responses.page(ctx, 400, "dash_message.jte", Map.of("title", "This link does not work",
                                "message", "It was used already or is more than 24 hours old. Log in and send "
                                        + "a new one."));
                        return;
                    }
                    ctx.response().addCookie(Cookies.session((String) welcome.get().get("token")));
                    if (((List<?>) welcome.get().get("created")).isEmpty()) {
                        Responses.redirect(ctx, PATH + "/keys?notice=email-verified");
                    } else {
                        responses.page(ctx, 201, "dash_key_created.jte", Map.of("frame", welcome.get().get("frame"),
                                "created", welcome.get().get("created")));
                    }
                }, failure -> responses.failed(ctx, failure));
    }

    private static NewKey shown(IssuedKey key) {
        return new NewKey(key.key().reveal(), key.record().type() == KeyType.SECRET ? "secret" : "public",
                key.record().name(), "test");
    }

    private Handler<RoutingContext> switchEnvironment(RoutingContext ctx, Session session) {
        Environment environment = "live".equals(ctx.request().getFormAttribute("environment"))
                ? Environment.LIVE : Environment.TEST;
        sessions.switchEnvironment(session, environment);
        String back = ctx.request().getFormAttribute("back");
        return done -> Responses.redirect(done, back != null && back.matches("/dashboard/(keys|requests|audit|password)") ? back
                : PATH + "/keys");
    }

    private String verifyUrl() {
        return links.get() + PATH + "/verify?token=";
    }
}
