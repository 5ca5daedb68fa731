package dev.keygate.server.dashboard;

import static dev.keygate.server.dashboard.DashboardRoutes.PATH;
import static dev.keygate.server.dashboard.Views.TIME;

import dev.keygate.core.accounts.Session;
import dev.keygate.core.dashboard.KeyManagement;
import dev.keygate.core.rotation.GracePeriod;
import dev.keygate.core.rotation.RotationRequest;
import dev.keygate.core.rotation.Rotations;
import dev.keygate.server.dashboard.Views.Frame;
import dev.keygate.server.dashboard.Views.GraceOption;
import dev.keygate.server.dashboard.Views.KeyRow;
import dev.keygate.server.dashboard.Views.NewKey;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The rotation pages (SPEC section 6): asking for a code with a grace period, and entering it. */
final class RotationPages {

    private final Rotations rotations;
    private final KeyManagement keys;
    private final SignedIn signedIn;
    private final Responses responses;
    private final Clock clock;
    /** Reads the change feed now, so that this node refuses a key rotated "now" from the next request. */
    private final Runnable keyChanged;

    RotationPages(Rotations rotations, KeyManagement keys, SignedIn signedIn, Responses responses, Clock clock,
            Runnable keyChanged) {
        this.rotations = rotations;
        this.keys = keys;
        this.signedIn = signedIn;
        this.responses = responses;
        this.clock = clock;
        this.keyChanged = keyChanged;
    }

    void mount(Router router) {
        router.get(PATH + "/keys/:id/rotate").handler(signedIn.handler(this::rotatePage, false));
        router.post(PATH + "/keys/:id/rotate").handler(signedIn.handler(this::requestRotation, true));
        router.get(PATH + "/rotations/:id").handler(signedIn.handler(this::codePage, false));
        router.post(PATH + "/rotations/:id").handler(signedIn.handler(this::confirmRotation, true));
    }

    private Handler<RoutingContext> rotatePage(RoutingContext ctx, Session session) {
        return rotatePage(ctx, session, 200, null);
    }

    private Handler<RoutingContext> rotatePage(RoutingContext ctx, Session session, int status, String error) {
        KeyRow key = KeyRow.of(keys.get(session, ctx.pathParam("id")), clock.instant());
        Frame frame = signedIn.frame(session, "keys", error);
        List<GraceOption> options = Arrays.stream(GracePeriod.values())
                .map(period -> new GraceOption(period.label(), period.description(), period == GracePeriod.ONE_DAY))
                .toList();
        return done -> responses.page(done, status, "dash_rotate.jte",
                Map.of("frame", frame, "key", key, "options", options));
    }

    private Handler<RoutingContext> requestRotation(RoutingContext ctx, Session session) {
        GracePeriod grace;
        try {
            grace = GracePeriod.fromLabel(String.valueOf(ctx.request().getFormAttribute("grace")));
        } catch (IllegalArgumentException e) {
            return rotatePage(ctx, session, 400, "Choose how long the old key keeps working.");
        }
        try {
            String requestId = rotations.request(session, ctx.pathParam("id"), grace, Forms.ip(ctx));
            return done -> Responses.redirect(done, PATH + "/rotations/" + requestId);
        } catch (Rotations.RefusedException refused) {
            return rotatePage(ctx, session, refused.tooMany() ? 429 : 409, refused.getMessage());
        }
    }

    private Handler<RoutingContext> codePage(RoutingContext ctx, Session session) {
        return codePage(ctx, session, 200, null);
    }

    private Handler<RoutingContext> codePage(RoutingContext ctx, Session session, int status, String error) {
        RotationRequest request = rotations.request(session, ctx.pathParam("id"));
        KeyRow key = KeyRow.of(keys.get(session, request.keyId()), clock.instant());
        Frame frame = signedIn.frame(session, "keys", error);
        boolean open = request.state() == RotationRequest.State.PENDING && clock.instant().isBefore(request.expiresAt());
        // Shown in parentheses after the address: no parentheses of its own.
        String mail = rotations.mailSent(request.id()) ? "sent"
                : "waiting; we keep trying, and if it has not arrived in a few minutes, ask for a new code";
        return done -> responses.page(done, status, "dash_rotation_code.jte", Map.of("frame", frame, "key", key,
                "requestId", request.id(), "grace", request.grace().description(), "open", open, "mail", mail));
    }

    private Handler<RoutingContext> confirmRotation(RoutingContext ctx, Session session) {
        String code = ctx.request().getFormAttribute("code");
        Rotations.Outcome outcome = rotations.confirm(session, ctx.pathParam("id"), code, Forms.ip(ctx));
        return switch (outcome) {
            case Rotations.Rotated rotated -> {
                keyChanged.run();
                Frame frame = signedIn.done(session, "keys", "Rotated. The old key " + rotated.oldKey().masked()
                        + (rotated.oldKeyExpiresAt().isAfter(clock.instant())
                                ? " keeps working until " + TIME.format(rotated.oldKeyExpiresAt()) + "."
                                : " no longer works."));
                NewKey created = new NewKey(rotated.newKey().key().reveal(), rotated.newKey().record().type().label(),
                        rotated.newKey().record().name(), rotated.newKey().record().environment().label());
                yield done -> responses.page(done, 201, "dash_key_created.jte", Map.of("frame", frame, "created",
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
}
