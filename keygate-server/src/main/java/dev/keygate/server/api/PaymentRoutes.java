package dev.keygate.server.api;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.keygate.core.InvalidInputException;
import dev.keygate.core.Scope;
import dev.keygate.core.auth.VerifiedKey;
import dev.keygate.payments.Customer;
import dev.keygate.payments.NewPayment;
import dev.keygate.payments.Payment;
import dev.keygate.payments.Payments;
import dev.keygate.server.auth.Authenticator.Access;
import dev.keygate.server.auth.Authenticator;
import dev.keygate.server.http.ApiException;
import dev.keygate.server.http.Blocking;
import dev.keygate.server.http.ErrorCode;
import dev.keygate.server.http.JsonBody;
import dev.keygate.server.http.QueryParams;
import dev.keygate.server.http.RequestKey;
import dev.keygate.server.http.Responses;
import dev.keygate.server.http.UrlText;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The API routes of SPEC section 5, each declaring the key it needs and the query parameters it
 * takes in one table ({@link #mount}). Objects of another account or environment are {@code 404 resource_missing}.
 * Only the two routes a publishable key may call from a browser answer CORS.
 */
public final class PaymentRoutes {

    /** Body of {@code POST /api/v1/payments}. */
    record CreatePaymentBody(Long amount, String currency, String description, String customer,
            @JsonSetter(contentNulls = Nulls.FAIL) Map<String, String> metadata) {}

    /** Body of {@code POST /api/v1/payments/{id}/refunds}; no amount refunds all that is left. */
    record RefundBody(Long amount) {}

    /** Body of {@code POST /api/v1/customers}. */
    record CustomerBody(String email, String name) {}

    /** The query parameters of the list routes. */
    private static final String LIMIT = "limit";
    private static final String STARTING_AFTER = "starting_after";

    private final Payments payments;
    private final Idempotency idempotency;
    private final Blocking blocking;
    /** The base of links such as {@code checkout_url}, from configuration, never from the request. */
    private final Supplier<String> links;

    public PaymentRoutes(Payments payments, Idempotency idempotency, Blocking blocking, Supplier<String> links) {
        this.payments = payments;
        this.idempotency = idempotency;
        this.blocking = blocking;
        this.links = links;
    }

    /** Adds every {@code /api/*} route; unknown API URLs are {@code 404} after authentication. */
    public void mount(Router router, Authenticator auth) {
        PublicCors pingCors = new PublicCors(HttpMethod.GET);
        PublicCors paymentsCors = new PublicCors(HttpMethod.POST);
        router.options("/api/v1/ping").handler(pingCors);
        router.get("/api/v1/ping").handler(pingCors);
        router.options("/api/v1/payments").handler(paymentsCors);
        router.post("/api/v1/payments").handler(paymentsCors);
        router.post("/api/*").handler(BodyHandler.create(false).setBodyLimit(JsonBody.MAX_BYTES));

        // Each route: the key it needs, then the query parameters it takes (any other is a 400).
        router.get("/api/v1/ping").handler(auth.require(Access.ANY_KEY))
                .handler(QueryParams.none()).handler(this::ping);
        router.post("/api/v1/payments").handler(auth.require(Access.ANY_KEY))
                .handler(QueryParams.none()).handler(this::createPayment);
        router.get("/api/v1/payments").handler(auth.require(Access.SECRET_KEY))
                .handler(QueryParams.allow(LIMIT, STARTING_AFTER)).handler(this::listPayments);
        router.get("/api/v1/payments/:id").handler(auth.require(Access.SECRET_KEY))
                .handler(QueryParams.none()).handler(this::getPayment);
        router.post("/api/v1/payments/:id/refunds").handler(auth.require(Access.SECRET_KEY))
                .handler(QueryParams.none()).handler(this::refund);
        router.get("/api/v1/balance").handler(auth.require(Access.SECRET_KEY))
                .handler(QueryParams.none()).handler(this::balance);
        router.post("/api/v1/customers").handler(auth.require(Access.SECRET_KEY))
                .handler(QueryParams.none()).handler(this::createCustomer);
        router.get("/api/v1/customers").handler(auth.require(Access.SECRET_KEY))
                .handler(QueryParams.allow(LIMIT, STARTING_AFTER)).handler(this::listCustomers);
        router.get("/api/v1/customers/:id").handler(auth.require(Access.SECRET_KEY))
                .handler(QueryParams.none()).handler(this::getCustomer);

        router.route("/api/*").handler(auth.identifyOnly()).handler(ctx -> ctx.fail(new ApiException(
                ErrorCode.RESOURCE_MISSING, "Unrecognized request URL (" + ctx.request().method() + " "
                        + UrlText.printablePath(ctx.request().path()) + ").")));
    }

    private void ping(RoutingContext ctx) {
        VerifiedKey key = RequestKey.of(ctx);
        Responses.json(ctx, 200, new JsonObject()
                .put("ok", true)
                .put("account", key.accountId())
                .put("environment", key.environment().label())
                .put("key_type", key.type().label())
                .put("key_id", key.keyId()));
    }

    private void createPayment(RoutingContext ctx) {
        CreatePaymentBody body = JsonBody.read(ctx, CreatePaymentBody.class);
        NewPayment request = new NewPayment(
                required(body.amount(), "amount"),
                required(body.currency(), "currency"),
                Optional.ofNullable(body.description()),
                Optional.ofNullable(body.customer()),
                body.metadata() == null ? Map.of() : body.metadata());
        Scope scope = RequestKey.scope(ctx);
        Idempotency.Request once = Idempotency.Request.of(ctx, body);
        String baseUrl = links.get();
        reply(ctx, () -> idempotency.<Payment>create(scope, once, 201,
                keep -> payments.create(scope, request, keep),
                payment -> ApiJson.payment(payment, baseUrl).encode()));
    }

    private void getPayment(RoutingContext ctx) {
        Scope scope = RequestKey.scope(ctx);
        String id = ctx.pathParam("id");
        String baseUrl = links.get();
        json(ctx, () -> ApiJson.payment(payments.find(scope, id), baseUrl));
    }

    private void listPayments(RoutingContext ctx) {
        Scope scope = RequestKey.scope(ctx);
        int limit = QueryParams.wholeNumber(ctx, LIMIT, 1, Payments.MAX_LIST_LIMIT, Payments.DEFAULT_LIST_LIMIT);
        Optional<String> startingAfter = QueryParams.text(ctx, STARTING_AFTER);
        String baseUrl = links.get();
        json(ctx, () -> ApiJson.list(payments.list(scope, startingAfter, limit), "/api/v1/payments",
                payment -> ApiJson.payment(payment, baseUrl)));
    }

    private void refund(RoutingContext ctx) {
        RefundBody body = JsonBody.read(ctx, RefundBody.class);
        OptionalLong amount = body.amount() == null ? OptionalLong.empty() : OptionalLong.of(body.amount());
        Scope scope = RequestKey.scope(ctx);
        String paymentId = ctx.pathParam("id");
        Idempotency.Request once = Idempotency.Request.of(ctx, body);
        reply(ctx, () -> idempotency.<Payments.RefundResult>create(scope, once, 201,
                keep -> payments.refund(scope, paymentId, amount, refund -> keep.apply(
                        new Payments.RefundResult(refund, null))),
                result -> ApiJson.refund(result.refund()).encode()));
    }

    private void balance(RoutingContext ctx) {
        Scope scope = RequestKey.scope(ctx);
        json(ctx, () -> ApiJson.balance(payments.balance(scope), scope));
    }

    private void createCustomer(RoutingContext ctx) {
        CustomerBody body = JsonBody.read(ctx, CustomerBody.class);
        String email = required(body.email(), "email");
        Scope scope = RequestKey.scope(ctx);
        Idempotency.Request once = Idempotency.Request.of(ctx, body);
        reply(ctx, () -> idempotency.<Customer>create(scope, once, 201,
                keep -> payments.createCustomer(scope, email, Optional.ofNullable(body.name()), keep),
                customer -> ApiJson.customer(customer).encode()));
    }

    private void getCustomer(RoutingContext ctx) {
        Scope scope = RequestKey.scope(ctx);
        String id = ctx.pathParam("id");
        json(ctx, () -> ApiJson.customer(payments.findCustomer(scope, id)));
    }

    private void listCustomers(RoutingContext ctx) {
        Scope scope = RequestKey.scope(ctx);
        int limit = QueryParams.wholeNumber(ctx, LIMIT, 1, Payments.MAX_LIST_LIMIT, Payments.DEFAULT_LIST_LIMIT);
        Optional<String> startingAfter = QueryParams.text(ctx, STARTING_AFTER);
        json(ctx, () -> ApiJson.list(payments.listCustomers(scope, startingAfter, limit), "/api/v1/customers",
                ApiJson::customer));
    }

    /** Runs {@code work} off the loop and answers with its JSON, or its failure as a problem. */
    private void json(RoutingContext ctx, Callable<JsonObject> work) {
        blocking.run(work).onComplete(body -> Responses.json(ctx, 200, body), ctx::fail);
    }

    private void reply(RoutingContext ctx, Callable<Idempotency.Reply> work) {
        Future<Idempotency.Reply> reply = blocking.run(work);
        reply.onComplete(done -> {
            if (done.replayed()) {
                ctx.response().putHeader("Idempotent-Replayed", "true");
            }
            ctx.response().setStatusCode(done.status())
                    .putHeader("Content-Type", "application/json")
                    .end(done.body());
        }, ctx::fail);
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new InvalidInputException(field, field + " is required");
        }
        return value;
    }
}
