package dev.keygate.server.dashboard;

import dev.keygate.core.NotFoundException;
import dev.keygate.server.pages.Pages;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How the dashboard answers: rendered pages, redirects, and errors as pages (not problem documents). */
final class Responses {

    private final TemplateEngine templates = Pages.templates();
    private final Csrf csrf;

    Responses(Csrf csrf) {
        this.csrf = csrf;
    }

    void page(RoutingContext ctx, int status, String template, Map<String, Object> model) {
        StringOutput html = new StringOutput();
        templates.render(template, model, html);
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .end(html.toString());
    }

    /** A page for visitors who are not signed in, with the pre-session CSRF token in a cookie and the form. */
    void anonymousPage(RoutingContext ctx, String template, Map<String, Object> model) {
        String notice = Forms.notice(ctx);
        Map<String, Object> full = new HashMap<>(model);
        if (notice != null) {
            full.putIfAbsent("notice", notice);
        }
        anonymousPage(ctx, 200, template, full);
    }

    void anonymousPage(RoutingContext ctx, int status, String template, Map<String, Object> model) {
        String token = csrf.anonymousToken(ctx);
        Map<String, Object> full = new HashMap<>();
        for (String field : List.of("error", "notice", "name", "email")) {
            full.put(field, "");
        }
        full.putAll(model);
        full.put("csrf", token);
        page(ctx, status, template, full);
    }

    /**
     * {@code 503} with {@code Retry-After}: the form again, saying the server has too many logins and
     * sign-ups to check right now ({@link BoundedHasher}).
     */
    void busy(RoutingContext ctx, String template, Map<String, Object> model) {
        Map<String, Object> full = new HashMap<>(model);
        full.put("error", "The server is busy checking other logins. Try again in a few seconds.");
        ctx.response().putHeader("Retry-After", Long.toString(BoundedHasher.RETRY_AFTER.toSeconds()));
        anonymousPage(ctx, 503, template, full);
    }

    void expiredForm(RoutingContext ctx) {
        page(ctx, 403, "dash_message.jte", Map.of("title", "This form has expired",
                "message", "Go back, reload the page and try again."));
    }

    void failed(RoutingContext ctx, Throwable failure) {
        if (failure instanceof NotFoundException) {
            page(ctx, 404, "dash_message.jte", Map.of("title", "Not found",
                    "message", "There is no such key in this account."));
        } else {
            ctx.fail(failure);
        }
    }

    static void redirect(RoutingContext ctx, String location) {
        ctx.response().setStatusCode(303).putHeader("Location", location).end();
    }
}
