package dev.keygate.server.dashboard;

import static dev.keygate.server.dashboard.DashboardRoutes.PATH;

import dev.keygate.core.InvalidInputException;
import dev.keygate.core.NotFoundException;
import dev.keygate.core.accounts.Session;
import dev.keygate.core.dashboard.KeyManagement;
import dev.keygate.core.keys.IssuedKey;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.keys.KeyStatus;
import dev.keygate.keyformat.KeyType;
import dev.keygate.server.dashboard.Views.Frame;
import dev.keygate.server.dashboard.Views.KeyRow;
import dev.keygate.server.dashboard.Views.NewKey;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The key pages: the list, creating a key, showing a publishable key, deleting a key. */
final class KeyPages {

    private final KeyManagement keys;
    private final SignedIn signedIn;
    private final Responses responses;
    private final Clock clock;
    /** Reads the change feed now, so that this node refuses a deleted key from the next request. */
    private final Runnable keyChanged;

    KeyPages(KeyManagement keys, SignedIn signedIn, Responses responses, Clock clock, Runnable keyChanged) {
        this.keys = keys;
        this.signedIn = signedIn;
        this.responses = responses;
        this.clock = clock;
        this.keyChanged = keyChanged;
    }

    void mount(Router router) {
        router.get(PATH + "/keys").handler(signedIn.handler(this::keysPage, false));
        router.post(PATH + "/keys").handler(signedIn.handler(this::createKey, true));
        router.get(PATH + "/keys/:id").handler(signedIn.handler(this::publishableKey, false));
        router.get(PATH + "/keys/:id/delete").handler(signedIn.handler(this::confirmDelete, false));
        router.post(PATH + "/keys/:id/delete").handler(signedIn.handler(this::deleteKey, true));
    }

    private Handler<RoutingContext> keysPage(RoutingContext ctx, Session session) {
        Frame frame = signedIn.frame(ctx, session, "keys");
        List<KeyRow> rows = rows(session);
        return done -> responses.page(done, 200, "dash_keys.jte", Map.of("frame", frame, "keys", rows));
    }

    private Handler<RoutingContext> createKey(RoutingContext ctx, Session session) {
        KeyType type = "public".equals(ctx.request().getFormAttribute("type")) ? KeyType.PUBLIC : KeyType.SECRET;
        Optional<String> name = Optional.ofNullable(ctx.request().getFormAttribute("name"));
        try {
            IssuedKey issued = keys.create(session, type, name, Forms.ip(ctx));
            Frame frame = signedIn.frame(ctx, session, "keys");
            NewKey created = new NewKey(issued.key().reveal(), type.label(), issued.record().name(),
                    issued.record().environment().label());
            return done -> responses.page(done, 201, "dash_key_created.jte",
                    Map.of("frame", frame, "created", List.of(created)));
        } catch (InvalidInputException refused) {
            Frame frame = signedIn.frame(session, "keys", Forms.capitalize(refused.getMessage()) + ".");
            List<KeyRow> rows = rows(session);
            return done -> responses.page(done, 400, "dash_keys.jte", Map.of("frame", frame, "keys", rows));
        }
    }

    private Handler<RoutingContext> publishableKey(RoutingContext ctx, Session session) {
        KeyRecord key = keys.get(session, ctx.pathParam("id"));
        // Only a key that still works is offered again: a deleted or expired one is of no use.
        if (key.publicValue().isEmpty() || key.revokedAt().isPresent()
                || key.status(clock.instant()) == KeyStatus.EXPIRED) {
            throw new NotFoundException("Secret keys are shown only once, when they are created");
        }
        Frame frame = signedIn.frame(ctx, session, "keys");
        NewKey shown = new NewKey(key.publicValue().get(), key.type().label(), key.name(), key.environment().label());
        return done -> responses.page(done, 200, "dash_key_public.jte", Map.of("frame", frame, "key", shown));
    }

    private Handler<RoutingContext> confirmDelete(RoutingContext ctx, Session session) {
        KeyRow key = KeyRow.of(keys.get(session, ctx.pathParam("id")), clock.instant());
        Frame frame = signedIn.frame(ctx, session, "keys");
        return done -> responses.page(done, 200, "dash_key_delete.jte", Map.of("frame", frame, "key", key));
    }

    private Handler<RoutingContext> deleteKey(RoutingContext ctx, Session session) {
        keys.delete(session, ctx.pathParam("id"), Forms.ip(ctx));
        keyChanged.run();
        return done -> Responses.redirect(done, PATH + "/keys?notice=deleted");
    }

    private List<KeyRow> rows(Session session) {
        return keys.list(session).stream().map(key -> KeyRow.of(key, clock.instant())).toList();
    }
}
