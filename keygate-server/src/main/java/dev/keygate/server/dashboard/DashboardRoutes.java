package dev.keygate.server.dashboard;

import dev.keygate.core.ConflictException;
import dev.keygate.core.InvalidInputException;
import dev.keygate.core.NotFoundException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Session;
import dev.keygate.core.dashboard.AuditEvent;
import dev.keygate.core.dashboard.Dashboard;
import dev.keygate.core.dashboard.RequestLogEntry;
import dev.keygate.core.keys.IssuedKey;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.rotation.GracePeriod;
import dev.keygate.core.rotation.RotationRequest;
import dev.keygate.core.rotation.Rotations;
import dev.keygate.keyformat.Base62;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.server.http.Blocking;
import dev.keygate.server.pages.Pages;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * The dashboard (SPEC section 8) at {@code /dashboard}: server-rendered pages that work without
 * JavaScript. Every form carries a CSRF token checked on every POST (the session's once signed in,
 * a {@code SameSite=Strict} cookie's before); the session cookie is {@code HttpOnly; Secure;
 * SameSite=Strict; Path=/dashboard} and holds a random token of which the server keeps only the
 * digest. Each page sees only the signed-in account's objects: another account's key id in a URL
 * is simply not found.
 */
public final class DashboardRoutes {

    static final String PATH = "/dashboard";
    public static final String SESSION_COOKIE = "kg_session";
    public static final String CSRF_COOKIE = "kg_csrf";
    static final String CSRF_FIELD = "csrf";
    static final int MAX_FORM_BYTES = 16 * 1024;
    /** The page's content may come only from here, and it is never framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; script-src 'self'; "
            + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final Map<String, String> NOTICES = Map.of(
            "deleted", "The key was deleted. Requests with it are refused from now on.",
            "verification-sent", "A new verification link is on its way to your email.",
            "logged-out", "You are logged out.");

    /** What every signed-in page shows: who, which environment, the form token, a notice. */
    public record Frame(String accountName, String email, boolean live, boolean emailVerified, String csrf, String notice,
            String active) {}

    /** A key as the list shows it. */
    public record KeyRow(String id, String name, String type, String masked, String created, String lastUsed,
            String status, String expires, boolean exposed, boolean publishable, boolean deleted, boolean rotated) {}

    /** A key just created, shown once. */
    public record NewKey(String value, String type, String name, String environment) {}

    public record RequestRow(String time, String keyId, String method, String path, int status, String ip,
            String requestId) {}

    public record AuditRow(String time, String actor, String action, String keyId, String ip) {}

    private final Dashboard dashboard;
    private final Rotations rotations;
    /**
     * Reads the change feed now (blocking), so that this node refuses a deleted or rotated-"now"
     * key from the very next request (SPEC section 7), not only after the next poll.
     */
    private final Runnable keyChanged;
    private final Blocking blocking;
    private final Clock clock;
    private final TemplateEngine templates = Pages.templates();
    private final SecureRandom random = new SecureRandom();
    /** The base of links in mails: configured, never taken from the request's Host header. */
    private final Supplier<String> links;

    public DashboardRoutes(Dashboard dashboard, Rotations rotations, Blocking blocking, Clock clock, Supplier<String> links,
            Runnable keyChanged) {
        this.dashboard = dashboard;
        this.rotations = rotations;
        this.keyChanged = keyChanged;
        this.blocking = blocking;
        this.clock = clock;
        this.links = links;
    }

    public void mount(Router router) {
        router.post(PATH + "/*").handler(BodyHandler.create(false).setBodyLimit(MAX_FORM_BYTES));
        router.route(PATH + "/*").handler(ctx -> {
            ctx.response().putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .putHeader("X-Frame-Options", "DENY")
                    .putHeader("Referrer-Policy", "no-referrer");
            ctx.next();
        });
        router.get(PATH).handler(ctx -> redirect(ctx, PATH + "/keys"));
        router.get(PATH + "/").handler(ctx -> redirect(ctx, PATH + "/keys"));
        router.get(PATH + "/login").handler(ctx -> anonymousPage(ctx, "dash_login.jte", Map.of()));
        router.post(PATH + "/login").handler(this::logIn);
        router.get(PATH + "/signup").handler(ctx -> anonymousPage(ctx, "dash_signup.jte", Map.of()));
        router.post(PATH + "/signup").handler(this::signUp);
        router.get(PATH + "/verify").handler(this::verify);

        router.post(PATH + "/logout").handler(signedIn((ctx, session) -> {
            dashboard.logOut(session);
            return ctx2 -> {
                ctx2.response().addCookie(expired(SESSION_COOKIE));
                redirect(ctx2, PATH + "/login?notice=logged-out");
            };
        }, true));
        router.get(PATH + "/keys").handler(signedIn(this::keysPage, false));
        router.post(PATH + "/keys").handler(signedIn(this::createKey, true));
        router.get(PATH + "/keys/:id").handler(signedIn(this::publishableKey, false));
        router.get(PATH + "/keys/:id/delete").handler(signedIn(this::confirmDelete, false));
        router.post(PATH + "/keys/:id/delete").handler(signedIn(this::deleteKey, true));
        router.post(PATH + "/environment").handler(signedIn(this::switchEnvironment, true));
        router.get(PATH + "/keys/:id/rotate").handler(signedIn(this::rotatePage, false));
        router.post(PATH + "/keys/:id/rotate").handler(signedIn(this::requestRotation, true));
        router.get(PATH + "/rotations/:id").handler(signedIn(this::codePage, false));
        router.post(PATH + "/rotations/:id").handler(signedIn(this::confirmRotation, true));
        router.get(PATH + "/requests").handler(signedIn(this::requestsPage, false));
        router.get(PATH + "/audit").handler(signedIn(this::auditPage, false));
        router.post(PATH + "/verify/resend").handler(signedIn((ctx, session) -> {
            dashboard.sendVerification(session, verifyUrl(ctx));
            return done -> redirect(done, PATH + "/keys?notice=verification-sent");
        }, true));
        // Pages answer errors with pages, not the API's problem documents.
        router.route(PATH + "/*").handler(ctx -> page(ctx, 404, "dash_message.jte", Map.of("title", "Not found",
                "message", "There is no such page in the dashboard.")));
        router.route(PATH + "/*").failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                page(ctx, 413, "dash_message.jte", Map.of("title", "This form is too large",
                        "message", "A form may send at most " + MAX_FORM_BYTES / 1024 + " KiB."));
            } else if (ctx.failure() instanceof NotFoundException) {
                failed(ctx, ctx.failure());
            } else {
                ctx.next();
            }
        });
    }

    /** A signed-in page's work (blocking, off the loop) and what it renders (on the loop). */
    @FunctionalInterface
    private interface Page {
        Handler<RoutingContext> prepare(RoutingContext ctx, Session session) throws Exception;
    }

    /**
     * Runs {@code page} for the session of the request's cookie, or sends the browser to log in;
     * for a POST, the form's CSRF token must match the session's.
     */
    private Handler<RoutingContext> signedIn(Page page, boolean post) {
        return ctx -> {
            String token = cookie(ctx, SESSION_COOKIE);
            String formToken = post ? ctx.request().getFormAttribute(CSRF_FIELD) : null;
            blocking.run(() -> {
                        Optional<Session> session = dashboard.session(token);
                        if (session.isEmpty()) {
                            return (Handler<RoutingContext>) done -> redirect(done, PATH + "/login");
                        }
                        if (post && !sameToken(formToken, session.get().csrfToken())) {
                            return (Handler<RoutingContext>) done -> page(done, 403, "dash_message.jte",
                                    Map.of("title", "This form has expired", "message",
                                            "Reload the page and try again."));
                        }
                        return page.prepare(ctx, session.get());
                    })
                    .onComplete(render -> render.handle(ctx), failure -> failed(ctx, failure));
        };
    }

    private Handler<RoutingContext> keysPage(RoutingContext ctx, Session session) {
        Frame frame = frame(ctx, session, "keys");
        List<KeyRow> keys = dashboard.keys(session).stream().map(this::row).toList();
        return done -> page(done, 200, "dash_keys.jte", Map.of("frame", frame, "keys", keys));
    }

    private Handler<RoutingContext> createKey(RoutingContext ctx, Session session) {
        KeyType type = "public".equals(ctx.request().getFormAttribute("type")) ? KeyType.PUBLIC : KeyType.SECRET;
        Optional<String> name = Optional.ofNullable(ctx.request().getFormAttribute("name"));
        try {
            IssuedKey issued = dashboard.createKey(session, type, name, ip(ctx));
            Frame frame = frame(ctx, session, "keys");
            NewKey created = new NewKey(issued.key().reveal(), type.label(), issued.record().name(),
                    issued.record().environment().label());
            return done -> page(done, 201, "dash_key_created.jte", Map.of("frame", frame, "created", List.of(created)));
        } catch (InvalidInputException refused) {
            Frame frame = frame(ctx, session, "keys", capitalize(refused.getMessage()) + ".");
            List<KeyRow> keys = dashboard.keys(session).stream().map(this::row).toList();
            return done -> page(done, 400, "dash_keys.jte", Map.of("frame", frame, "keys", keys));
        }
    }

    private Handler<RoutingContext> publishableKey(RoutingContext ctx, Session session) {
        KeyRecord key = dashboard.key(session, ctx.pathParam("id"));
        if (key.publicValue().isEmpty() || key.revokedAt().isPresent()) {
            throw new NotFoundException("Secret keys are shown only once, when they are created");
        }
        Frame frame = frame(ctx, session, "keys");
        NewKey shown = new NewKey(key.publicValue().get(), key.type().label(), key.name(), key.environment().label());
        return done -> page(done, 200, "dash_key_public.jte", Map.of("frame", frame, "key", shown));
    }

    private Handler<RoutingContext> confirmDelete(RoutingContext ctx, Session session) {
        KeyRow key = row(dashboard.key(session, ctx.pathParam("id")));
        Frame frame = frame(ctx, session, "keys");
        return done -> page(done, 200, "dash_key_delete.jte", Map.of("frame", frame, "key", key));
    }

    private Handler<RoutingContext> deleteKey(RoutingContext ctx, Session session) {
        dashboard.deleteKey(session, ctx.pathParam("id"), ip(ctx));
        keyChanged.run();
        return done -> redirect(done, PATH + "/keys?notice=deleted");
    }

    /** A grace period as the rotation form offers it. */
    public record GraceOption(String value, String label, boolean selected) {}

    private Handler<RoutingContext> rotatePage(RoutingContext ctx, Session session) {
        return rotatePage(ctx, session, 200, null);
    }

    private Handler<RoutingContext> rotatePage(RoutingContext ctx, Session session, int status, String error) {
        KeyRow key = row(dashboard.key(session, ctx.pathParam("id")));
        Frame frame = frame(ctx, session, "keys", error);
        List<GraceOption> options = java.util.Arrays.stream(GracePeriod.values())
                .map(period -> new GraceOption(period.label(), period.description(), period == GracePeriod.ONE_DAY))
                .toList();
        return done -> page(done, status, "dash_rotate.jte", Map.of("frame", frame, "key", key, "options", options));
    }

    private Handler<RoutingContext> requestRotation(RoutingContext ctx, Session session) {
        GracePeriod grace;
        try {
            grace = GracePeriod.fromLabel(String.valueOf(ctx.request().getFormAttribute("grace")));
        } catch (IllegalArgumentException e) {
            return rotatePage(ctx, session, 400, "Choose how long the old key keeps working.");
        }
        try {
            String requestId = rotations.request(session, ctx.pathParam("id"), grace, ip(ctx));
            return done -> redirect(done, PATH + "/rotations/" + requestId);
        } catch (Rotations.RefusedException refused) {
            return rotatePage(ctx, session, refused.tooMany() ? 429 : 409, refused.getMessage());
        }
    }

    private Handler<RoutingContext> codePage(RoutingContext ctx, Session session) {
        return codePage(ctx, session, 200, null);
    }

    private Handler<RoutingContext> codePage(RoutingContext ctx, Session session, int status, String error) {
        RotationRequest request = rotations.request(session, ctx.pathParam("id"));
        KeyRow key = row(dashboard.key(session, request.keyId()));
        Frame frame = frame(ctx, session, "keys", error);
        boolean open = request.state() == RotationRequest.State.PENDING && clock.instant().isBefore(request.expiresAt());
        String mail = rotations.mailSent(request.id()) ? "sent"
                : "waiting (we keep trying; if it does not arrive, ask for a new code in a few minutes)";
        return done -> page(done, status, "dash_rotation_code.jte", Map.of("frame", frame, "key", key, "requestId",
                request.id(), "grace", request.grace().description(), "open", open, "mail", mail));
    }

    private Handler<RoutingContext> confirmRotation(RoutingContext ctx, Session session) {
        String code = ctx.request().getFormAttribute("code");
        Rotations.Outcome outcome = rotations.confirm(session, ctx.pathParam("id"), code, ip(ctx));
        return switch (outcome) {
            case Rotations.Rotated rotated -> {
                keyChanged.run();
                Frame frame = frame(ctx, session, "keys", "Rotated. The old key " + rotated.oldKey().masked()
                        + (rotated.oldKeyExpiresAt().isAfter(clock.instant())
                                ? " keeps working until " + TIME.format(rotated.oldKeyExpiresAt()) + "."
                                : " no longer works."));
                NewKey created = new NewKey(rotated.newKey().key().reveal(), rotated.newKey().record().type().label(),
                        rotated.newKey().record().name(), rotated.newKey().record().environment().label());
                yield done -> page(done, 201, "dash_key_created.jte", Map.of("frame", frame, "created",
                        List.of(created)));
            }
            case Rotations.WrongCode wrong -> codePage(ctx, session, 400, "That code is not right. "
                    + wrong.triesLeft() + (wrong.triesLeft() == 1 ? " try" : " tries") + " left.");
            case Rotations.Expired expired -> codePage(ctx, session, 410,
                    "This code has expired (codes work for 10 minutes). Ask for a new one.");
            case Rotations.Used used -> codePage(ctx, session, 409, "This rotation is done already.");
            case Rotations.TooManyTries tooMany -> codePage(ctx, session, 429,
                    "Too many wrong codes: this rotation is void. Ask for a new code.");
            case Rotations.KeyGone gone -> codePage(ctx, session, 409,
                    "This key was deleted, so there is nothing to rotate.");
        };
    }

    private Handler<RoutingContext> switchEnvironment(RoutingContext ctx, Session session) {
        Environment environment = "live".equals(ctx.request().getFormAttribute("environment"))
                ? Environment.LIVE : Environment.TEST;
        dashboard.switchEnvironment(session, environment);
        String back = ctx.request().getFormAttribute("back");
        return done -> redirect(done, back != null && back.matches("/dashboard/(keys|requests|audit)") ? back
                : PATH + "/keys");
    }

    private Handler<RoutingContext> requestsPage(RoutingContext ctx, Session session) {
        String filter = ctx.request().getParam("status");
        OptionalInt statusClass = filter != null && filter.matches("[2-5]xx")
                ? OptionalInt.of(filter.charAt(0) - '0') : OptionalInt.empty();
        List<RequestRow> requests = dashboard.requests(session, statusClass, 200).stream().map(this::row).toList();
        Frame frame = frame(ctx, session, "requests");
        String selected = statusClass.isPresent() ? filter : "all";
        return done -> page(done, 200, "dash_requests.jte",
                Map.of("frame", frame, "requests", requests, "filter", selected));
    }

    private Handler<RoutingContext> auditPage(RoutingContext ctx, Session session) {
        List<AuditRow> events = dashboard.audit(session, 200).stream().map(this::row).toList();
        Frame frame = frame(ctx, session, "audit");
        return done -> page(done, 200, "dash_audit.jte", Map.of("frame", frame, "events", events));
    }

    private void logIn(RoutingContext ctx) {
        if (!anonymousCsrfValid(ctx)) {
            expiredForm(ctx);
            return;
        }
        String email = ctx.request().getFormAttribute("email");
        String password = ctx.request().getFormAttribute("password");
        String ip = ip(ctx);
        blocking.run(() -> dashboard.logIn(email, password, ip)).onComplete(result -> {
            switch (result) {
                case Dashboard.LoggedIn in -> {
                    ctx.response().addCookie(sessionCookie(in.token()));
                    redirect(ctx, PATH + "/keys");
                }
                case Dashboard.Locked locked -> anonymousPage(ctx, 429, "dash_login.jte", Map.of("error",
                        "Too many failed logins for this email. Try again after " + TIME.format(locked.until())
                                + ".", "email", safe(email)));
                case Dashboard.Refused refused -> anonymousPage(ctx, 401, "dash_login.jte", Map.of("error",
                        "That email and password do not match.", "email", safe(email)));
            }
        }, failure -> failed(ctx, failure));
    }

    private void signUp(RoutingContext ctx) {
        if (!anonymousCsrfValid(ctx)) {
            expiredForm(ctx);
            return;
        }
        HttpServerRequest request = ctx.request();
        String name = request.getFormAttribute("name");
        String email = request.getFormAttribute("email");
        String password = request.getFormAttribute("password");
        String ip = ip(ctx);
        String verifyUrl = verifyUrl(ctx);
        blocking.run(() -> {
            Dashboard.SignedUp signedUp = dashboard.signUp(name, email, password, ip, verifyUrl);
            Frame frame = frame(ctx, signedUp.login().session(), "keys", signedUp.verificationSent() ? null
                    : "We could not send the verification mail. Send it again from the keys page once you "
                            + "have saved your keys.");
            return Map.<String, Object>of("token", signedUp.login().token(), "frame", frame, "created", List.of(
                    new NewKey(signedUp.secretKey().key().reveal(), "secret", signedUp.secretKey().record().name(),
                            "test"),
                    new NewKey(signedUp.publicKey().key().reveal(), "public", signedUp.publicKey().record().name(),
                            "test")));
        }).onComplete(model -> {
            ctx.response().addCookie(sessionCookie((String) model.get("token")));
            page(ctx, 201, "dash_key_created.jte", Map.of("frame", model.get("frame"), "created", model.get("created")));
        }, failure -> {
            if (failure instanceof InvalidInputException || failure instanceof ConflictException) {
                String message = failure instanceof ConflictException
                        ? "An account with this email exists already. Log in instead."
                        : capitalize(failure.getMessage()) + ".";
                anonymousPage(ctx, 400, "dash_signup.jte", Map.of("error", message, "name", safe(name), "email",
                        safe(email)));
            } else {
                failed(ctx, failure);
            }
        });
    }

    private void verify(RoutingContext ctx) {
        String token = ctx.request().getParam("token");
        blocking.run(() -> dashboard.verifyEmail(token)).onComplete(ok -> page(ctx, ok ? 200 : 400, "dash_message.jte",
                ok ? Map.of("title", "Email verified", "message", "You can now create live keys.")
                        : Map.of("title", "This link does not work", "message",
                                "It was used already or is more than 24 hours old. Log in and send a new one.")),
                failure -> failed(ctx, failure));
    }

    private Frame frame(RoutingContext ctx, Session session, String active) {
        String notice = notice(ctx);
        return frame(ctx, session, active, notice);
    }

    private Frame frame(RoutingContext ctx, Session session, String active, String notice) {
        Account account = dashboard.account(session);
        return new Frame(account.name(), account.email(), session.environment() == Environment.LIVE,
                dashboard.emailVerified(session), session.csrfToken(), notice, active);
    }

    private KeyRow row(KeyRecord key) {
        Instant now = clock.instant();
        return new KeyRow(key.id(), key.name(), key.type() == KeyType.SECRET ? "Secret" : "Publishable",
                key.masked(), TIME.format(key.createdAt()), key.lastUsedAt().map(TIME::format).orElse("never"),
                key.status(now).label(), key.expiresAt().map(TIME::format).orElse("never"),
                key.exposedAt().isPresent(), key.type() == KeyType.PUBLIC, key.revokedAt().isPresent(),
                // Only a rotation gives a key an expiry: keys are created without one.
                key.expiresAt().isPresent());
    }

    private RequestRow row(RequestLogEntry entry) {
        return new RequestRow(TIME.format(entry.at()), entry.keyId(), entry.method(), entry.path(), entry.status(),
                entry.ip(), entry.requestId());
    }

    private AuditRow row(AuditEvent event) {
        return new AuditRow(TIME.format(event.at()), event.actor(), event.action(), event.keyId().orElse(""),
                event.ip());
    }

    /** A page for visitors who are not signed in, with the pre-session CSRF token in a cookie and the form. */
    private void anonymousPage(RoutingContext ctx, String template, Map<String, Object> model) {
        String notice = notice(ctx);
        Map<String, Object> full = new HashMap<>(model);
        if (notice != null) {
            full.putIfAbsent("notice", notice);
        }
        anonymousPage(ctx, 200, template, full);
    }

    private void anonymousPage(RoutingContext ctx, int status, String template, Map<String, Object> model) {
        String csrf = cookie(ctx, CSRF_COOKIE);
        if (csrf == null || !csrf.matches("[0-9A-Za-z]{32}")) {
            csrf = Base62.random(random, 32);
            ctx.response().addCookie(strictCookie(CSRF_COOKIE, csrf));
        }
        Map<String, Object> full = new HashMap<>();
        for (String field : List.of("error", "notice", "name", "email")) {
            full.put(field, "");
        }
        full.putAll(model);
        full.put("csrf", csrf);
        page(ctx, status, template, full);
    }

    private boolean anonymousCsrfValid(RoutingContext ctx) {
        return sameToken(ctx.request().getFormAttribute(CSRF_FIELD), cookie(ctx, CSRF_COOKIE));
    }

    private void expiredForm(RoutingContext ctx) {
        page(ctx, 403, "dash_message.jte", Map.of("title", "This form has expired",
                "message", "Go back, reload the page and try again."));
    }

    private void page(RoutingContext ctx, int status, String template, Map<String, Object> model) {
        StringOutput html = new StringOutput();
        templates.render(template, model, html);
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .end(html.toString());
    }

    private void failed(RoutingContext ctx, Throwable failure) {
        if (failure instanceof NotFoundException) {
            page(ctx, 404, "dash_message.jte", Map.of("title", "Not found",
                    "message", "There is no such key in this account."));
        } else {
            ctx.fail(failure);
        }
    }

    /** The fixed text named by {@code ?notice=}; nothing the client sent is shown. */
    private static String notice(RoutingContext ctx) {
        String name = ctx.request().getParam("notice");
        return name == null ? null : NOTICES.get(name);
    }

    private static void redirect(RoutingContext ctx, String location) {
        ctx.response().setStatusCode(303).putHeader("Location", location).end();
    }

    private static Cookie sessionCookie(String token) {
        return strictCookie(SESSION_COOKIE, token);
    }

    /** {@code HttpOnly; Secure; SameSite=Strict; Path=/dashboard}, ending with the browser session. */
    private static Cookie strictCookie(String name, String value) {
        return Cookie.cookie(name, value)
                .setHttpOnly(true)
                .setSecure(true)
                .setSameSite(CookieSameSite.STRICT)
                .setPath(PATH);
    }

    private static Cookie expired(String name) {
        return strictCookie(name, "").setMaxAge(0);
    }

    private static String cookie(RoutingContext ctx, String name) {
        Cookie cookie = ctx.request().getCookie(name);
        return cookie == null ? null : cookie.getValue();
    }

    private static boolean sameToken(String given, String expected) {
        return given != null && expected != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    private static String ip(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "-" : ctx.request().remoteAddress().hostAddress();
    }

    private String verifyUrl(RoutingContext ctx) {
        return links.get() + PATH + "/verify?token=";
    }

    private static String safe(String value) {
        return value == null ? "" : value.length() > 254 ? value.substring(0, 254) : value;
    }

    private static String capitalize(String message) {
        return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }
}
