package dev.keygate.server.dashboard;

import static dev.keygate.server.dashboard.DashboardRoutes.PATH;
import static dev.keygate.server.dashboard.Views.TIME;

import dev.keygate.core.accounts.Session;
import dev.keygate.core.dashboard.PasswordChange;
import dev.keygate.core.dashboard.PasswordChanges;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The password page: the owner changes the password by giving the current one (checked, and
 * counted toward the lockout, as a log-in is) and the new one twice; every other session then ends.
 */
final class PasswordPages {

    private final PasswordChanges passwords;
    private final SignedIn signedIn;
    private final Responses responses;

    PasswordPages(PasswordChanges passwords, SignedIn signedIn, Responses responses) {
        this.passwords = passwords;
        this.signedIn = signedIn;
        this.responses = responses;
    }

    void mount(Router router) {
        router.get(PATH + "/password").handler(signedIn.handler((ctx, session) -> {
            Views.Frame frame = signedIn.frame(ctx, session, "password");
            return done -> page(done, 200, frame, Map.of());
        }, false));
        router.post(PATH + "/password").handler(signedIn.handler(this::change, true));
    }

    private Handler<RoutingContext> change(RoutingContext ctx, Session session) {
        String current = ctx.request().getFormAttribute("current");
        String next = ctx.request().getFormAttribute("password");
        String confirmation = ctx.request().getFormAttribute("confirmation");
        PasswordChange result;
        try {
            result = passwords.change(session, current, next, confirmation, Forms.ip(ctx));
        } catch (BoundedHasher.Busy busy) {
            Views.Frame frame = signedIn.frame(session, "password",
                    "The server is busy checking other passwords. Try again in a few seconds.");
            return done -> {
                done.response().putHeader("Retry-After", Long.toString(BoundedHasher.RETRY_AFTER.toSeconds()));
                page(done, 503, frame, Map.of());
            };
        }
        return switch (result) {
            case PasswordChange.Changed changed -> {
                Views.Frame frame = signedIn.done(session, "password",
                        "Your password is changed. Every other session of this account is signed out.");
                yield done -> page(done, 200, frame, Map.of());
            }
            case PasswordChange.WrongPassword wrong -> {
                Views.Frame frame = signedIn.frame(session, "password", null);
                yield done -> page(done, 403, frame, Map.of("currentError", "This is not your current password."));
            }
            case PasswordChange.Locked locked -> {
                Views.Frame frame = signedIn.frame(session, "password", null);
                yield done -> page(done, 429, frame, Map.of("currentError", "Too many wrong passwords for this "
                        + "account. Try again after " + TIME.format(locked.until()) + "."));
            }
            case PasswordChange.Invalid invalid -> {
                Views.Frame frame = signedIn.frame(session, "password", null);
                yield done -> page(done, 400, frame, Map.of(invalid.field() + "Error",
                        Forms.capitalize(invalid.message()) + "."));
            }
        };
    }

    /** The form, with a message next to each field that was refused. */
    private void page(RoutingContext ctx, int status, Views.Frame frame, Map<String, String> errors) {
        Map<String, Object> model = new HashMap<>();
        for (String field : new String[] {"currentError", "passwordError", "confirmationError"}) {
            model.put(field, errors.getOrDefault(field, ""));
        }
        model.put("frame", frame);
        responses.page(ctx, status, "dash_password.jte", model);
    }
}
