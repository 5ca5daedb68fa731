package dev.keygate.server;

import static dev.keygate.server.testing.TestServer.CHALLENGE;
import static dev.keygate.server.testing.TestServer.INSUFFICIENT_SCOPE;
import static dev.keygate.server.testing.TestServer.header;
import static dev.keygate.server.testing.TestServer.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.payments.Customer;
import dev.keygate.payments.NewPayment;
import dev.keygate.payments.Payment;
import dev.keygate.payments.Payments;
import dev.keygate.server.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may do what (SPEC sections 1, 3 and 5): every route of the API × every kind of caller, with
 * the status and code each must get, and list endpoints that return exactly the caller's objects.
 * The objects belong to one merchant's test environment; every case makes its own merchants, so
 * no case spends another's rate limit.
 */
class PaymentsApiMatrixTest {

    private static TestServer server;
    private static ApiCalls api;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
        api = new ApiCalls(server);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Who calls: the owner's four keys, no key at all, or a secret key of another account. */
    enum Caller {
        NO_KEY, PUBLIC_TEST, SECRET_TEST, PUBLIC_LIVE, SECRET_LIVE, OTHER_ACCOUNT;

        ApiKey key(Merchant owner, Merchant other) {
            return switch (this) {
                case NO_KEY -> null;
                case PUBLIC_TEST -> owner.publicTest();
                case SECRET_TEST -> owner.secretTest();
                case PUBLIC_LIVE -> owner.publicLive();
                case SECRET_LIVE -> owner.secretLive();
                case OTHER_ACCOUNT -> other.secretTest();
            };
        }

        boolean isPublic() {
            return this == PUBLIC_TEST || this == PUBLIC_LIVE;
        }

        /** Whether the caller sees the owner's test objects. */
        boolean owns() {
            return this == SECRET_TEST;
        }
    }

    /** Every route of SPEC section 5, and whether a publishable key may call it. */
    enum Route {
        PING("GET", "/api/v1/ping", true),
        CREATE_PAYMENT("POST", "/api/v1/payments", true),
        GET_PAYMENT("GET", "/api/v1/payments/{payment}", false),
        LIST_PAYMENTS("GET", "/api/v1/payments", false),
        REFUND("POST", "/api/v1/payments/{payment}/refunds", false),
        BALANCE("GET", "/api/v1/balance", false),
        CREATE_CUSTOMER("POST", "/api/v1/customers", false),
        LIST_CUSTOMERS("GET", "/api/v1/customers", false),
        GET_CUSTOMER("GET", "/api/v1/customers/{customer}", false);

        final String method;
        final String template;
        final boolean publicKeyAllowed;

        Route(String method, String template, boolean publicKeyAllowed) {
            this.method = method;
            this.template = template;
            this.publicKeyAllowed = publicKeyAllowed;
        }

        /** Whether the route names one object (which another scope must not find). */
        boolean namesObject() {
            return template.contains("{");
        }

        String body() {
            return switch (this) {
                case CREATE_PAYMENT -> "{\"amount\":1000,\"currency\":\"USD\"}";
                case REFUND -> "{\"amount\":100}";
                case CREATE_CUSTOMER -> "{\"email\":\"buyer@example.com\",\"name\":\"Buyer\"}";
                default -> null;
            };
        }
    }

    /** What the owner has: a succeeded test payment and a test customer. */
    record Owned(Merchant owner, Merchant other, Payment payment, Customer customer) {}

    static Stream<Arguments> everyRouteTimesEveryCaller() {
        return Arrays.stream(Route.values())
                .flatMap(route -> Arrays.stream(Caller.values()).map(caller -> Arguments.of(route, caller)));
    }

    @ParameterizedTest(name = "[{index}] {0} as {1}")
    @MethodSource("everyRouteTimesEveryCaller")
    void routeWhenCalledByCallerThenExpectedStatusAndCode(Route route, Caller caller) {
        Owned owned = seed();
        ApiKey key = caller.key(owned.owner(), owned.other());

        HttpResponse<String> response = call(route, key, owned);

        if (caller == Caller.NO_KEY) {
            problem(response, 401, "missing_api_key");
            assertThat(header(response, "WWW-Authenticate")).contains(CHALLENGE);
        } else if (caller.isPublic() && !route.publicKeyAllowed) {
            problem(response, 403, "insufficient_permissions");
            assertThat(header(response, "WWW-Authenticate")).contains(INSUFFICIENT_SCOPE);
        } else if (route.namesObject() && !caller.owns()) {
            JsonObject body = problem(response, 404, "resource_missing");
            assertThat(header(response, "WWW-Authenticate")).isEmpty();
            assertThat(body.encode()).doesNotContain(owned.owner().id());
        } else {
            assertThat(response.statusCode()).as("%s %s as %s: %s", route.method, route.template, caller,
                    response.body()).isEqualTo(route.method.equals("POST") ? 201 : 200);
            assertThat(header(response, "Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/json"));
            assertSuccessBody(route, caller, owned, new JsonObject(response.body()));
        }
        TestServer.requestId(response);
    }

    /** What each accepted call answers, for the caller's account and environment only. */
    private static void assertSuccessBody(Route route, Caller caller, Owned owned, JsonObject body) {
        Merchant who = caller == Caller.OTHER_ACCOUNT ? owned.other() : owned.owner();
        Environment environment = caller == Caller.PUBLIC_LIVE || caller == Caller.SECRET_LIVE
                ? Environment.LIVE : Environment.TEST;
        String env = environment.label();
        switch (route) {
            case PING -> {
                assertThat(body.getString("account")).isEqualTo(who.id());
                assertThat(body.getString("environment")).isEqualTo(env);
                assertThat(body.getString("key_type")).isEqualTo(caller.isPublic() ? "public" : "secret");
            }
            case CREATE_PAYMENT -> {
                assertThat(body.getString("id")).startsWith("pay_" + env + "_");
                assertThat(body.getBoolean("livemode")).isEqualTo(environment == Environment.LIVE);
                assertThat(server.payments().findPayment(who.scope(environment), body.getString("id"))).isPresent();
            }
            case GET_PAYMENT -> assertThat(body.getString("id")).isEqualTo(owned.payment().id());
            case LIST_PAYMENTS -> assertThat(ids(body)).isEqualTo(caller.owns()
                    ? Set.of(owned.payment().id()) : Set.of());
            case REFUND -> {
                assertThat(body.getString("object")).isEqualTo("refund");
                assertThat(body.getString("payment")).isEqualTo(owned.payment().id());
                assertThat(body.getLong("amount")).isEqualTo(100L);
            }
            case BALANCE -> {
                JsonArray available = body.getJsonArray("available");
                if (caller.owns()) {
                    assertThat(available).containsExactly(new JsonObject().put("currency", "USD").put("amount", 1000L));
                } else {
                    assertThat(available.stream().mapToLong(item -> ((JsonObject) item).getLong("amount")).sum())
                            .isZero();
                }
                assertThat(body.getBoolean("livemode")).isEqualTo(environment == Environment.LIVE);
            }
            case CREATE_CUSTOMER -> {
                assertThat(body.getString("id")).startsWith("cus_" + env + "_");
                assertThat(server.payments().findCustomer(who.scope(environment), body.getString("id"))).isPresent();
            }
            case LIST_CUSTOMERS -> assertThat(ids(body)).isEqualTo(caller.owns()
                    ? Set.of(owned.customer().id()) : Set.of());
            case GET_CUSTOMER -> assertThat(body.getString("id")).isEqualTo(owned.customer().id());
        }
    }

    // ---- 404, never 403, and nothing learned ----

    @ParameterizedTest(name = "[{index}] {0}")
    @EnumSource(value = Route.class, names = {"GET_PAYMENT", "REFUND", "GET_CUSTOMER"})
    void objectRouteWhenObjectOfAnotherScopeThenSameAnswerAsAnIdThatDoesNotExist(Route route) {
        Owned owned = seed();
        Payments rules = api.payments();
        Owned missing = new Owned(owned.owner(), owned.other(),
                withId(owned.payment(), "pay_test_0000000000000000"),
                new Customer("cus_test_0000000000000000", owned.customer().scope(), "x@example.com",
                        Optional.empty(), owned.customer().createdAt()));
        // the owner's own object in live, seen from test: as foreign as another account's
        Payment livePayment = rules.create(owned.owner().scope(Environment.LIVE),
                new NewPayment(1000, "USD", Optional.empty(), Optional.empty(), Map.of()), p -> Optional.empty());
        Customer liveCustomer = rules.createCustomer(owned.owner().scope(Environment.LIVE), "live@example.com",
                Optional.empty(), c -> Optional.empty());

        JsonObject foreign = problem(call(route, owned.other().secretTest(), owned), 404, "resource_missing");
        JsonObject unknown = problem(call(route, owned.other().secretTest(), missing), 404, "resource_missing");
        Owned live = new Owned(owned.owner(), owned.other(), livePayment, liveCustomer);
        JsonObject otherEnvironment = problem(call(route, owned.owner().secretTest(), live), 404, "resource_missing");

        assertThat(withoutIds(foreign, owned)).isEqualTo(withoutIds(unknown, missing));
        assertThat(withoutIds(otherEnvironment, live)).isEqualTo(withoutIds(unknown, missing));
        assertThat(server.payments().findPayment(owned.owner().scope(Environment.TEST), owned.payment().id())
                .orElseThrow().amountRefunded()).as("no refund went through").isZero();
    }

    // ---- list endpoints: exactly the caller's objects ----

    @Test
    void listWhenSeveralAccountsAndBothEnvironmentsThenEachCallerGetsExactlyItsOwnOnEveryPage() {
        List<Merchant> merchants = List.of(Merchant.create(server), Merchant.create(server), Merchant.create(server));
        Map<ApiKey, Set<String>> payments = new HashMap<>();
        Map<ApiKey, Set<String>> customers = new HashMap<>();
        int n = 0;
        for (Merchant merchant : merchants) {
            for (Environment environment : Environment.values()) {
                Set<String> paymentIds = new HashSet<>();
                Set<String> customerIds = new HashSet<>();
                int count = 3 + (n++ * 2) % 7;  // 3, 5, 7, 4, 6, 8: different everywhere
                for (int i = 0; i < count; i++) {
                    // both key types initiate payments; amounts give every outcome
                    ApiKey key = merchant.key(i % 2 == 0 ? KeyType.PUBLIC : KeyType.SECRET, environment);
                    paymentIds.add(api.createPayment(key, 1000 + i, i % 3 == 0 ? "EUR" : "USD").getString("id"));
                }
                for (int i = 0; i < count / 2 + 1; i++) {
                    customerIds.add(api.createCustomer(merchant.secret(environment),
                            "c" + i + "@" + environment.label() + ".example.com").getString("id"));
                }
                payments.put(merchant.secret(environment), paymentIds);
                customers.put(merchant.secret(environment), customerIds);
            }
        }

        payments.forEach((key, expected) -> {
            assertThat(Set.copyOf(api.listIds("/api/v1/payments", key))).as("payments, one page").isEqualTo(expected);
            for (int limit : new int[] {1, 2, 3}) {
                List<String> walked = api.listAll("/api/v1/payments", key, limit);
                assertThat(Set.copyOf(walked)).as("payments, limit %d", limit).isEqualTo(expected);
                assertThat(walked).as("the same order at every page size")
                        .isEqualTo(api.listIds("/api/v1/payments", key));
            }
        });
        customers.forEach((key, expected) -> {
            assertThat(Set.copyOf(api.listIds("/api/v1/customers", key))).isEqualTo(expected);
            assertThat(Set.copyOf(api.listAll("/api/v1/customers", key, 2))).isEqualTo(expected);
        });
    }

    @Test
    void listWhenNoLimitThenTenNewestFirstWithHasMore() {
        Merchant merchant = Merchant.create(server);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            created.add(api.createPayment(merchant.publicTest(), 1001, "USD").getString("id"));
            server.clock().advance(Duration.ofSeconds(1));
        }

        HttpResponse<String> response = api.get("/api/v1/payments", merchant.secretTest());

        JsonObject page = new JsonObject(response.body());
        assertThat(page.getBoolean("has_more")).isTrue();
        List<String> newestFirst = new ArrayList<>(created.reversed());
        assertThat(page.getJsonArray("data").stream().map(item -> ((JsonObject) item).getString("id")).toList())
                .isEqualTo(newestFirst.subList(0, 10));
    }

    @Test
    void listWhenCursorIsAnotherScopesObjectThenInvalidStartingAfterAndNothingLeaks() {
        Owned owned = seed();

        HttpResponse<String> response = api.get("/api/v1/payments?starting_after=" + owned.payment().id(),
                owned.other().secretTest());
        HttpResponse<String> customers = api.get("/api/v1/customers?starting_after=" + owned.customer().id(),
                owned.owner().secretLive());

        ApiCalls.invalid(response, "starting_after");
        ApiCalls.invalid(customers, "starting_after");
    }

    // ---- helpers ----

    /** Two new merchants; the owner has a succeeded test payment of 10.00 USD and a test customer. */
    private static Owned seed() {
        Merchant owner = Merchant.create(server);
        Merchant other = Merchant.create(server);
        Payments rules = api.payments();
        Payment payment = rules.create(owner.scope(Environment.TEST),
                new NewPayment(1000, "USD", Optional.empty(), Optional.empty(), Map.of()), p -> Optional.empty());
        Customer customer = rules.createCustomer(owner.scope(Environment.TEST), "regular@example.com",
                Optional.of("Regular"), c -> Optional.empty());
        return new Owned(owner, other, payment, customer);
    }

    private static HttpResponse<String> call(Route route, ApiKey key, Owned owned) {
        String path = route.template
                .replace("{payment}", owned.payment().id())
                .replace("{customer}", owned.customer().id());
        return route.method.equals("POST") ? api.post(path, key, route.body()) : api.get(path, key);
    }

    private static Set<String> ids(JsonObject list) {
        assertThat(list.getString("object")).isEqualTo("list");
        Set<String> ids = new HashSet<>();
        list.getJsonArray("data").forEach(item -> ids.add(((JsonObject) item).getString("id")));
        return ids;
    }

    private static JsonObject withoutIds(JsonObject problem, Owned owned) {
        JsonObject copy = problem.copy();
        copy.remove("request_id");
        copy.put("detail", copy.getString("detail")
                .replace(owned.payment().id(), "<id>")
                .replace(owned.customer().id(), "<id>"));
        return copy;
    }

    private static Payment withId(Payment payment, String id) {
        return new Payment(id, payment.scope(), payment.amount(), payment.currency(), payment.status(),
                payment.failureCode(), payment.description(), payment.customerId(), payment.metadata(),
                payment.amountRefunded(), payment.checkoutToken(), payment.createdAt());
    }
}
