package dev.keygate.server.api;

import dev.keygate.core.InvalidInputException;
import dev.keygate.core.NotFoundException;
import dev.keygate.core.ServerSecret;
import dev.keygate.keyformat.Environment;
import dev.keygate.payments.Payment;
import dev.keygate.payments.PaymentStatus;
import dev.keygate.payments.Payments;
import dev.keygate.server.http.Blocking;
import dev.keygate.server.pages.Pages;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Currency;
import java.util.regex.Pattern;

/**
 * The hosted checkout page at a payment's {@code checkout_url} (SPEC section 5). Its URL carries an
 * unguessable token and the page can do one thing only, what a publishable key may: complete that
 * one test payment, paid or declined. Works without JavaScript; its forms carry a CSRF token.
 */
public final class CheckoutPage {

    public static final String PATH = "/checkout/";
    private static final Pattern TOKEN = Pattern.compile("cs_(test|live)_[0-9A-Za-z]{32}");
    /** The page loads only its own stylesheet, posts only to itself, and is never framed or referred from. */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final String CSRF_PURPOSE = "checkout csrf";
    private static final int MAX_FORM_BYTES = 1024;

    /** What the template shows; {@code csrf} is the token its forms carry. */
    public record View(String amount, String currency, String description, String status, boolean testMode,
            boolean pending, String token, String csrf, String notice) {}

    private final Payments payments;
    private final Blocking blocking;
    private final ServerSecret secret;
    private final TemplateEngine templates = Pages.templates();

    /** @param secret the server secret: the forms' CSRF token is an HMAC of the checkout token under it */
    public CheckoutPage(Payments payments, Blocking blocking, ServerSecret secret) {
        this.payments = payments;
        this.blocking = blocking;
        this.secret = secret;
    }

    public void mount(Router router) {
        router.post(PATH + "*").handler(BodyHandler.create(false).setBodyLimit(MAX_FORM_BYTES));
        router.get(PATH + ":token").handler(this::show);
        router.post(PATH + ":token/pay").handler(ctx -> complete(ctx, true));
        router.post(PATH + ":token/decline").handler(ctx -> complete(ctx, false));
    }

    private void show(RoutingContext ctx) {
        String token = ctx.pathParam("token");
        if (!TOKEN.matcher(token).matches()) {
            notFound(ctx);
            return;
        }
        blocking.run(() -> payments.findByCheckoutToken(token)).onComplete(
                payment -> page(ctx, 200, payment, null),
                failure -> failed(ctx, failure, token));
    }

    private void complete(RoutingContext ctx, boolean pay) {
        String token = ctx.pathParam("token");
        if (!TOKEN.matcher(token).matches()) {
            notFound(ctx);
            return;
        }
        if (!sameToken(ctx.request().getFormAttribute("csrf"), csrfToken(token))) {
            // Still 404 for a token no payment has, and 409 for a payment no form may change (its page
            // has no form to take a token from); else the page again, with a fresh form.
            blocking.run(() -> payments.findByCheckoutToken(token)).onComplete(payment -> {
                if (payment.status() == PaymentStatus.PENDING && payment.scope().environment() == Environment.TEST) {
                    page(ctx, 403, payment, "This form has expired: try again.");
                } else {
                    page(ctx, 409, payment, "This payment cannot be changed.");
                }
            }, failure -> failed(ctx, failure, token));
            return;
        }
        blocking.run(() -> payments.checkout(token, pay)).onComplete(
                payment -> ctx.response().setStatusCode(303).putHeader("Location", PATH + token).end(),
                failure -> failed(ctx, failure, token));
    }

    private void failed(RoutingContext ctx, Throwable failure, String token) {
        if (failure instanceof NotFoundException) {
            notFound(ctx);
        } else if (failure instanceof InvalidInputException invalid) {
            blocking.run(() -> payments.findByCheckoutToken(token)).onComplete(
                    payment -> page(ctx, 409, payment, "This payment cannot be changed: " + invalid.getMessage() + "."),
                    ctx::fail);
        } else {
            ctx.fail(failure);
        }
    }

    private void page(RoutingContext ctx, int status, Payment payment, String notice) {
        View view = new View(
                formatAmount(payment.amount(), payment.currency()),
                payment.currency(),
                payment.description().orElse(null),
                payment.status().label(),
                payment.scope().environment() == Environment.TEST,
                payment.status() == PaymentStatus.PENDING,
                payment.checkoutToken(),
                csrfToken(payment.checkoutToken()),
                notice);
        StringOutput html = new StringOutput();
        templates.render("checkout.jte", view, html);
        html(ctx, status, html.toString());
    }

    private void notFound(RoutingContext ctx) {
        StringOutput html = new StringOutput();
        templates.render("not-found.jte", java.util.Map.of(), html);
        html(ctx, 404, html.toString());
    }

    static void html(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY")
                .end(body);
    }

    /**
     * The CSRF token of a checkout page's forms: bound to its checkout token by an HMAC under the
     * server secret, so a form made elsewhere cannot carry it.
     */
    private String csrfToken(String checkoutToken) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret.hmac(CSRF_PURPOSE, checkoutToken));
    }

    private static boolean sameToken(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    /** 1050 USD minor units → {@code 10.50}. */
    static String formatAmount(long minorUnits, String currency) {
        int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        return BigDecimal.valueOf(minorUnits, digits).toPlainString();
    }
}
