package dev.keygate.server;

import static dev.keygate.server.ApiCalls.created;
import static dev.keygate.server.testing.TestServer.header;
import static dev.keygate.server.testing.TestServer.poll;
import static dev.keygate.server.testing.TestServer.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keygate.core.keys.KeyRecord;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.payments.NewPayment;
import dev.keygate.payments.Payments;
import dev.keygate.server.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Browsers (SPEC sections 3 and 5): the two routes a publishable key may call answer CORS for any
 * origin; no secret-only route ever sends {@code Access-Control-Allow-Origin}, neither to a
 * preflight nor to the request itself; and a secret key sent by a browser is refused and flagged
 * as exposed.
 */
class CorsTest {

    private static final String ACAO = "Access-Control-Allow-Origin";
    private static final String ORIGIN = "https://shop.example.com";

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

    /** The routes only a secret key may call. */
    enum SecretRoute {
        LIST_PAYMENTS("GET", "/api/v1/payments"),
        GET_PAYMENT("GET", "/api/v1/payments/{payment}"),
        REFUND("POST", "/api/v1/payments/{payment}/refunds"),
        BALANCE("GET", "/api/v1/balance"),
        CREATE_CUSTOMER("POST", "/api/v1/customers"),
        LIST_CUSTOMERS("GET", "/api/v1/customers"),
        GET_CUSTOMER("GET", "/api/v1/customers/{customer}");

        final String method;
        final String template;

        SecretRoute(String method, String template) {
            this.method = method;
            this.template = template;
        }
    }

    // ---- the publishable routes ----

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {ORIGIN, "http://localhost:3000", "https://another-shop.example", "null",
        "http://127.0.0.1:8080"})
    void pingPreflightWhenAnyOriginThenAllowed(String origin) {
        HttpResponse<String> response = preflight("/api/v1/ping", "GET", origin);

        assertThat(response.statusCode()).isBetween(200, 204);
        assertThat(header(response, ACAO)).hasValueSatisfying(allowed -> assertThat(allowed).isIn("*", origin));
        assertThat(lower(header(response, "Access-Control-Allow-Headers").orElse(""))).contains("authorization");
        assertThat(header(response, "Access-Control-Allow-Methods").orElse("")).contains("GET");
        assertThat(header(response, "Access-Control-Allow-Credentials")).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {ORIGIN, "http://localhost:3000", "null"})
    void createPaymentPreflightWhenAnyOriginThenAllowedWithTheHeadersAPaymentNeeds(String origin) {
        HttpResponse<String> response = preflight("/api/v1/payments", "POST", origin);

        assertThat(response.statusCode()).isBetween(200, 204);
        assertThat(header(response, ACAO)).hasValueSatisfying(allowed -> assertThat(allowed).isIn("*", origin));
        assertThat(header(response, "Access-Control-Allow-Methods").orElse("")).contains("POST");
        assertThat(lower(header(response, "Access-Control-Allow-Headers").orElse("")))
                .contains("authorization").contains("content-type").contains("idempotency-key");
        assertThat(header(response, "Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    void createPaymentWhenPublicKeyFromBrowserThenCreatedWithCorsHeaders() {
        Merchant merchant = Merchant.create(server);

        HttpResponse<String> response = api.post("/api/v1/payments", merchant.publicTest(),
                "{\"amount\":1050,\"currency\":\"USD\"}", "Origin", ORIGIN, "Idempotency-Key", "browser-1");

        JsonObject payment = created(response);
        assertThat(header(response, ACAO)).hasValueSatisfying(allowed -> assertThat(allowed).isIn("*", ORIGIN));
        assertThat(lower(header(response, "Access-Control-Expose-Headers").orElse("")))
                .contains("request-id").contains("idempotent-replayed");
        assertThat(api.getPayment(merchant.secretTest(), payment.getString("id")).getString("status"))
                .isEqualTo("pending");
    }

    @Test
    void createPaymentWhenPublicKeyFromBrowserSendsBadBodyThenErrorReadableByThePage() {
        Merchant merchant = Merchant.create(server);

        HttpResponse<String> response = api.post("/api/v1/payments", merchant.publicLive(), "{\"amount\":-1}",
                "Origin", ORIGIN);

        problem(response, 400, "invalid_request");
        assertThat(header(response, ACAO)).isPresent();
    }

    @Test
    void pingWhenPublicKeyFromBrowserThenCorsHeaders() {
        Merchant merchant = Merchant.create(server);

        HttpResponse<String> response = api.get("/api/v1/ping", merchant.publicLive(), "Origin", ORIGIN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, ACAO)).isPresent();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"capacitor://localhost", "ionic://localhost", "app://shop", "chrome-extension://abcdef",
        "file://", "https://shop.example.com/path", "https://shop.example.com:99999", "not an origin", "",
        "https://[::1]:3000", "https://xn--caf-dma.example"})
    void publicRoutesWhenOriginIsUnusualThenAnsweredNever500(String origin) {
        Merchant merchant = Merchant.create(server);

        HttpResponse<String> preflight = preflight("/api/v1/payments", "POST", origin);
        HttpResponse<String> ping = api.get("/api/v1/ping", merchant.publicTest(), "Origin", origin);
        HttpResponse<String> payment = api.post("/api/v1/payments", merchant.publicTest(),
                "{\"amount\":1050,\"currency\":\"USD\"}", "Origin", origin);

        org.assertj.core.api.SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(preflight.statusCode()).as("preflight").isLessThan(500);
            softly.assertThat(ping.statusCode()).as("ping").isEqualTo(200);
            softly.assertThat(payment.statusCode()).as("payment").isEqualTo(201);
        });
    }

    // ---- secret-only routes: never Access-Control-Allow-Origin ----

    @ParameterizedTest(name = "[{index}] {0}")
    @EnumSource(value = SecretRoute.class, mode = EnumSource.Mode.EXCLUDE, names = "LIST_PAYMENTS")
    void secretRoutePreflightWhenAnyOriginThenNoAllowOrigin(SecretRoute route) {
        Fixture fixture = fixture();

        HttpResponse<String> response = preflight(fixture.path(route), route.method, ORIGIN);

        assertThat(header(response, ACAO)).as("%s %s: %s", route.method, route.template, response.statusCode())
                .isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @EnumSource(SecretRoute.class)
    void secretRouteWhenPublicKeyFromBrowserThenInsufficientPermissionsWithoutAllowOrigin(SecretRoute route) {
        Fixture fixture = fixture();

        HttpResponse<String> response = fixture.call(route, fixture.merchant().publicTest(), "Origin", ORIGIN);

        problem(response, 403, "insufficient_permissions");
        assertThat(header(response, ACAO)).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @EnumSource(SecretRoute.class)
    void secretRouteWhenSecretKeyFromBrowserThenRefusedWithoutAllowOriginAndKeyFlagged(SecretRoute route) {
        Fixture fixture = fixture();
        ApiKey key = fixture.merchant().secretTest();

        HttpResponse<String> response = fixture.call(route, key, "Origin", ORIGIN);

        JsonObject problem = problem(response, 403, "secret_key_in_browser");
        assertThat(header(response, ACAO)).isEmpty();
        assertThat(problem.encode()).doesNotContain(key.reveal());
        assertFlaggedExposed(fixture.merchant(), key);
        assertThat(api.getPayment(key, fixture.paymentId()).getLong("amount_refunded"))
                .as("nothing was done").isZero();
        assertThat(api.listIds("/api/v1/customers", key)).containsExactly(fixture.customerId());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @EnumSource(SecretRoute.class)
    void secretRouteWhenSecretKeyWithoutOriginThenNoAllowOrigin(SecretRoute route) {
        Fixture fixture = fixture();

        HttpResponse<String> response = fixture.call(route, fixture.merchant().secretTest());

        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        assertThat(header(response, ACAO)).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("everySecretRouteWithEveryOtherMethod")
    void secretPathPreflightWhenAnyRequestedMethodThenNoAllowOrigin(SecretRoute route, String method) {
        Fixture fixture = fixture();

        HttpResponse<String> response = preflight(fixture.path(route), method, ORIGIN);

        assertThat(header(response, ACAO)).as("OPTIONS %s asking for %s", route.template, method).isEmpty();
    }

    /** Every method on every secret-only path but the list of payments, whose path POST shares (see below). */
    static Stream<Arguments> everySecretRouteWithEveryOtherMethod() {
        return Arrays.stream(SecretRoute.values())
                .filter(route -> route != SecretRoute.LIST_PAYMENTS)
                .flatMap(route -> Stream.of("GET", "POST").map(method -> Arguments.of(route, method)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"GET", "DELETE", "PUT"})
    void listPaymentsPreflightWhenAskingForAnythingButPostThenNoAllowOrigin(String method) {
        HttpResponse<String> response = preflight("/api/v1/payments", method, ORIGIN);

        assertThat(header(response, ACAO)).as("OPTIONS /api/v1/payments asking for %s", method).isEmpty();
    }

    // ---- a secret key in a browser on the publishable routes ----

    @Test
    void createPaymentWhenSecretKeyFromBrowserThenRefusedFlaggedAndNothingCreated() {
        Merchant merchant = Merchant.create(server);
        ApiKey key = merchant.secretLive();
        assertThat(server.record(merchant.account(), key).exposedAt()).isEmpty();

        HttpResponse<String> response = api.post("/api/v1/payments", key, "{\"amount\":1050,\"currency\":\"USD\"}",
                "Origin", ORIGIN);

        problem(response, 403, "secret_key_in_browser");
        assertThat(header(response, "WWW-Authenticate")).isEmpty();
        assertFlaggedExposed(merchant, key);
        assertThat(api.listIds("/api/v1/payments", key)).isEmpty();
        assertThat(server.record(merchant.account(), merchant.secretTest()).exposedAt())
                .as("only the key sent is flagged").isEmpty();
    }

    @Test
    void secretKeyWhenFlaggedExposedThenStillWorksFromServersAndKeepsTheFirstTime() {
        Merchant merchant = Merchant.create(server);
        ApiKey key = merchant.secretTest();
        Instant first = server.clock().instant();
        problem(api.get("/api/v1/balance", key, "Origin", ORIGIN), 403, "secret_key_in_browser");
        assertFlaggedExposed(merchant, key);

        server.clock().advance(Duration.ofMinutes(5));
        problem(api.get("/api/v1/ping", key, "Origin", "https://elsewhere.example"), 403, "secret_key_in_browser");
        HttpResponse<String> fromServer = api.get("/api/v1/balance", key);

        assertThat(fromServer.statusCode()).isEqualTo(200);
        // The flag is written in the background: watch it for a while, it must keep the first time.
        await("exposed_at kept at the first time").pollDelay(Duration.ZERO).during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(10))
                .until(() -> server.record(merchant.account(), key).exposedAt(), Optional.of(first)::equals);
    }

    @Test
    void publicKeyWhenFromBrowserThenNeverFlagged() {
        Merchant merchant = Merchant.create(server);

        api.createPayment(merchant.publicTest(), 1050, "USD", "Origin", ORIGIN);
        api.get("/api/v1/balance", merchant.publicTest(), "Origin", ORIGIN);

        assertThat(server.record(merchant.account(), merchant.publicTest()).exposedAt()).isEmpty();
    }

    // ---- helpers ----

    /** A merchant with a succeeded test payment and a test customer, to name in paths. */
    record Fixture(Merchant merchant, String paymentId, String customerId) {
        String path(SecretRoute route) {
            return route.template.replace("{payment}", paymentId).replace("{customer}", customerId);
        }

        HttpResponse<String> call(SecretRoute route, ApiKey key, String... headers) {
            String body = switch (route) {
                case REFUND -> "{\"amount\":100}";
                case CREATE_CUSTOMER -> "{\"email\":\"browser@example.com\"}";
                default -> null;
            };
            return body == null ? api.get(path(route), key, headers) : api.post(path(route), key, body, headers);
        }
    }

    private static Fixture fixture() {
        Merchant merchant = Merchant.create(server);
        Payments rules = api.payments();
        String payment = rules.create(merchant.scope(Environment.TEST), new NewPayment(
                1000, "USD", Optional.empty(), Optional.empty(), Map.of()),
                p -> Optional.empty()).id();
        String customer = rules.createCustomer(merchant.scope(Environment.TEST), "first@example.com",
                Optional.empty(), c -> Optional.empty()).id();
        return new Fixture(merchant, payment, customer);
    }

    private static HttpResponse<String> preflight(String path, String method, String origin) {
        return server.send(HttpRequest.newBuilder(server.https(path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key"));
    }

    private static void assertFlaggedExposed(Merchant merchant, ApiKey key) {
        KeyRecord flagged = poll(Duration.ofSeconds(10), () -> server.record(merchant.account(), key),
                record -> record.exposedAt().isPresent());
        assertThat(flagged.exposedAt()).as("exposed_at of the key").isPresent();
    }

    private static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
