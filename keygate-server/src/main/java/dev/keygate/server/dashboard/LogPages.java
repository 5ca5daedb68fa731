package dev.keygate.server.dashboard;

import static dev.keygate.server.dashboard.DashboardRoutes.PATH;

import dev.keygate.core.accounts.Session;
import dev.keygate.core.dashboard.AuditLog;
import dev.keygate.core.dashboard.RequestHistory;
import dev.keygate.server.dashboard.Views.AuditRow;
import dev.keygate.server.dashboard.Views.Frame;
import dev.keygate.server.dashboard.Views.RequestRow;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** The log pages: the account's requests and its audit log. */
final class LogPages {

    /** Rows a log page shows. */
    private static final int ROWS = 200;

    private final RequestHistory requests;
    private final AuditLog audit;
    private final SignedIn signedIn;
    private final Responses responses;

    LogPages(RequestHistory requests, AuditLog audit, SignedIn signedIn, Responses responses) {
        this.requests = requests;
        this.audit = audit;
        this.signedIn = signedIn;
        this.responses = responses;
    }

    void mount(Router router) {
        router.get(PATH + "/requests").handler(signedIn.handler(this::requestsPage, false));
        router.get(PATH + "/audit").handler(signedIn.handler(this::auditPage, false));
    }

    private Handler<RoutingContext> requestsPage(RoutingContext ctx, Session session) {
        String filter = ctx.request().getParam("status");
        OptionalInt statusClass = filter != null && filter.matches("[2-5]xx")
                ? OptionalInt.of(filter.charAt(0) - '0') : OptionalInt.empty();
        List<RequestRow> rows = requests.list(session, statusClass, ROWS).stream().map(RequestRow::of).toList();
        Frame frame = signedIn.frame(ctx, session, "requests");
        String selected = statusClass.isPresent() ? filter : "all";
        return done -> responses.page(done, 200, "dash_requests.jte",
                Map.of("frame", frame, "requests", rows, "filter", selected));
    }

    private Handler<RoutingContext> auditPage(RoutingContext ctx, Session session) {
        List<AuditRow> events = audit.list(session, ROWS).stream().map(AuditRow::of).toList();
        Frame frame = signedIn.frame(ctx, session, "audit");
        return done -> responses.page(done, 200, "dash_audit.jte", Map.of("frame", frame, "events", events));
    }
}
