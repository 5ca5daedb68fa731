package dev.keygate.server;

import static dev.keygate.server.ApiCalls.created;
import static dev.keygate.server.ApiCalls.invalid;
import static dev.keygate.server.testing.TestServer.header;
import static dev.keygate.server.testing.TestServer.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.keyformat.ApiKey;
import dev.keygate.payments.Payments;
import dev.keygate.server.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The payments API of SPEC section 5 over real HTTPS: test-mode outcomes, the hosted checkout
 * page, refunds and balance, customers, and bad input, which is always a 4xx naming the field and
 * never a 500.
 */
class PaymentsApiTest {

    private static final String PAYMENTS = "/api/v1/payments";
    private static final String CUSTOMERS = "/api/v1/customers";

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

    // ---- initiating a payment, test-mode outcome ----

    @ParameterizedTest(name = "[{index}] {0} → {1}")
    @CsvSource(nullValues = "null", value = {
        "1000, succeeded, null", "100, succeeded, null", "99999900, succeeded, null",
        "1002, failed, card_declined", "2, failed, card_declined", "99999902, failed, card_declined",
        "1001, pending, null", "1050, pending, null", "1, pending, null", "1020, pending, null",
        "1012, pending, null", "99999999, pending, null", "1200, succeeded, null"})
    void createPaymentWhenTestModeThenAmountDecidesTheOutcome(long amount, String status, String failureCode) {
        Merchant merchant = Merchant.create(server);

        JsonObject payment = api.createPayment(merchant.publicTest(), amount, "USD");

        assertThat(payment.getString("status")).isEqualTo(status);
        assertThat(payment.getString("failure_code")).isEqualTo(failureCode);
        assertThat(payment.getLong("amount")).isEqualTo(amount);
        assertThat(api.getPayment(merchant.secretTest(), payment.getString("id"))).isEqualTo(payment);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(longs = {1000, 1002, 1001, 100, 2})
    void createPaymentWhenLiveThenAlwaysPending(long amount) {
        Merchant merchant = Merchant.create(server);

        JsonObject payment = api.createPayment(merchant.publicLive(), amount, "USD");

        assertThat(payment.getString("status")).isEqualTo("pending");
        assertThat(payment.getValue("failure_code")).isNull();
        assertThat(payment.getBoolean("livemode")).isTrue();
        assertThat(payment.getString("id")).matches("pay_live_[0-9A-Za-z]{16}");
    }

    @Test
    void createPaymentWhenPublicKeyThenPaymentObjectReadableWithSecretKey() {
        Merchant merchant = Merchant.create(server);
        JsonObject body = new JsonObject().put("amount", 1050).put("currency", "eur")
                .put("description", "  Order #42  ").put("metadata", new JsonObject().put("order", "42"));

        HttpResponse<String> response = api.post(PAYMENTS, merchant.publicTest(), body);

        JsonObject payment = created(response);
        assertThat(payment.getString("id")).matches("pay_test_[0-9A-Za-z]{16}");
        assertThat(payment.getString("object")).isEqualTo("payment");
        assertThat(payment.getLong("amount")).isEqualTo(1050L);
        assertThat(payment.getLong("amount_refunded")).isZero();
        assertThat(payment.getString("currency")).isEqualTo("EUR");
        assertThat(payment.getString("status")).isEqualTo("pending");
        assertThat(payment.getString("description")).isEqualTo("Order #42");
        assertThat(payment.getJsonObject("metadata")).isEqualTo(new JsonObject().put("order", "42"));
        assertThat(payment.getValue("customer")).isNull();
        assertThat(payment.getBoolean("livemode")).isFalse();
        assertThat(payment.getLong("created")).isEqualTo(TestServer.START.getEpochSecond());
        assertThat(payment.getString("checkout_url"))
                .matches("https://localhost:" + server.keygate().httpsPort() + "/checkout/cs_test_[0-9A-Za-z]{32}");
        assertThat(header(response, "Idempotent-Replayed")).isEmpty();
        assertThat(api.getPayment(merchant.secretTest(), payment.getString("id"))).isEqualTo(payment);
    }

    @Test
    void getPaymentWhenUnknownOrOddIdThenResourceMissing() {
        Merchant merchant = Merchant.create(server);

        for (String id : List.of("pay_test_0000000000000000", "nope", "pay_live_0000000000000000", "%27%20OR%201%3D1",
                "x".repeat(300))) {
            problem(api.get(PAYMENTS + "/" + id, merchant.secretTest()), 404, "resource_missing");
            problem(api.get(CUSTOMERS + "/" + id, merchant.secretTest()), 404, "resource_missing");
        }
    }

    // ---- checkout page ----

    @Test
    void checkoutPageWhenOpenedThenHtmlWithStrictHeadersAndBothButtons() {
        Merchant merchant = Merchant.create(server);
        JsonObject payment = created(api.post(PAYMENTS, merchant.publicTest(),
                new JsonObject().put("amount", 1050).put("currency", "USD").put("description", "Blue mug")));

        HttpResponse<String> page = openCheckout(payment);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(header(page, "Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(header(page, "Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'").contains("frame-ancestors 'none'").contains("form-action 'self'"));
        assertThat(header(page, "Referrer-Policy")).contains("no-referrer");
        assertThat(header(page, "Cache-Control")).contains("no-store");
        assertThat(page.body()).contains("10.50").contains("USD").contains("Blue mug").contains("Test mode")
                .contains("action=\"" + checkoutPath(payment) + "/pay\"")
                .contains("action=\"" + checkoutPath(payment) + "/decline\"");
        assertThat(page.body()).doesNotContain(payment.getString("id")).doesNotContain(merchant.id());
    }

    @Test
    void checkoutPageWhenDescriptionHasMarkupThenEscaped() {
        Merchant merchant = Merchant.create(server);
        JsonObject payment = created(api.post(PAYMENTS, merchant.publicTest(), new JsonObject().put("amount", 1050)
                .put("currency", "USD").put("description", "<script>alert(1)</script>\"><img src=x>")));

        HttpResponse<String> page = openCheckout(payment);

        assertThat(page.body()).doesNotContain("<script>alert(1)").doesNotContain("<img src=x>")
                .contains("&lt;script&gt;");
    }

    @Test
    void checkoutPayWhenPendingThenSeeOtherAndSucceededThroughTheApi() {
        Merchant merchant = Merchant.create(server);
        JsonObject payment = api.createPayment(merchant.publicTest(), 1050, "USD");

        HttpResponse<String> paid = postCheckout(payment, "/pay");

        assertThat(paid.statusCode()).isEqualTo(303);
        assertThat(header(paid, "Location")).contains(checkoutPath(payment));
        JsonObject after = api.getPayment(merchant.secretTest(), payment.getString("id"));
        assertThat(after.getString("status")).isEqualTo("succeeded");
        assertThat(after.getValue("failure_code")).isNull();
        HttpResponse<String> page = openCheckout(payment);
        assertThat(page.body()).contains("succeeded").doesNotContain("/pay\"");
        assertThat(balance(merchant.secretTest(), "available")).containsExactly(usd(1050));
    }

    @Test
    void checkoutDeclineWhenPendingThenFailedWithCardDeclined() {
        Merchant merchant = Merchant.create(server);
        JsonObject payment = api.createPayment(merchant.publicTest(), 777, "EUR");

        HttpResponse<String> declined = postCheckout(payment, "/decline");

        assertThat(declined.statusCode()).isEqualTo(303);
        JsonObject after = api.getPayment(merchant.secretTest(), payment.getString("id"));
        assertThat(after.getString("status")).isEqualTo("failed");
        assertThat(after.getString("failure_code")).isEqualTo("card_declined");
    }

    @Test
    void checkoutWhenAlreadyCompletedThenConflictPageAndStatusKept() {
        Merchant merchant = Merchant.create(server);
        JsonObject payment = api.createPayment(merchant.publicTest(), 1050, "USD");
        assertThat(postCheckout(payment, "/pay").statusCode()).isEqualTo(303);

        HttpResponse<String> again = postCheckout(payment, "/pay");
        HttpResponse<String> decline = postCheckout(payment, "/decline");

        for (HttpResponse<String> refused : List.of(again, decline)) {
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(header(refused, "Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("text/html"));
            assertThat(header(refused, "Content-Security-Policy")).isPresent();
        }
        assertThat(api.getPayment(merchant.secretTest(), payment.getString("id")).getString("status"))
                .isEqualTo("succeeded");
    }

    @Test
    void checkoutWhenSucceededOrFailedByAmountThenRefused() {
        Merchant merchant = Merchant.create(server);
        JsonObject succeeded = api.createPayment(merchant.publicTest(), 1000, "USD");
        JsonObject failed = api.createPayment(merchant.publicTest(), 1002, "USD");

        assertThat(postCheckout(succeeded, "/decline").statusCode()).isEqualTo(409);
        assertThat(postCheckout(failed, "/pay").statusCode()).isEqualTo(409);

        assertThat(api.getPayment(merchant.secretTest(), succeeded.getString("id")).getString("status"))
                .isEqualTo("succeeded");
        assertThat(api.getPayment(merchant.secretTest(), failed.getString("id")).getString("status"))
                .isEqualTo("failed");
    }

    @Test
    void checkoutWhenLivePaymentThenNoButtonsAndPayRefused() {
        Merchant merchant = Merchant.create(server);
        JsonObject payment = api.createPayment(merchant.publicLive(), 1050, "USD");
        assertThat(payment.getString("checkout_url")).contains("/checkout/cs_live_");

        HttpResponse<String> page = openCheckout(payment);
        HttpResponse<String> pay = postCheckout(payment, "/pay");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("/pay\"").doesNotContain("Test mode");
        assertThat(pay.statusCode()).isEqualTo(409);
        assertThat(api.getPayment(merchant.secretLive(), payment.getString("id")).getString("status"))
                .isEqualTo("pending");
    }

    @Test
    void checkoutWhenUnknownOrMalformedTokenThenNotFoundPage() {
        for (String token : List.of("cs_test_" + "0".repeat(32), "cs_test_short", "cs_prod_" + "a".repeat(32),
                "pay_test_0000000000000000", "cs_test_" + "a".repeat(33), "%3Cscript%3E")) {
            HttpResponse<String> page = server.get("/checkout/" + token);
            HttpResponse<String> pay = checkoutRequest("POST", "/checkout/" + token + "/pay");

            assertThat(page.statusCode()).as(token).isEqualTo(404);
            assertThat(header(page, "Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("text/html"));
            assertThat(pay.statusCode()).as(token).isEqualTo(404);
        }
    }

    @Test
    void checkoutWhenAnyOtherMethodOrPathThenRefusedAndPaymentUntouched() {
        Merchant merchant = Merchant.create(server);
        JsonObject payment = api.createPayment(merchant.publicTest(), 1050, "USD");
        String path = checkoutPath(payment);

        List<HttpResponse<String>> attempts = new ArrayList<>();
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            attempts.add(checkoutRequest(method, path));
        }
        for (String action : List.of("/refund", "/refunds", "/cancel", "/capture", "/pay/..", "/amount")) {
            attempts.add(checkoutRequest("POST", path + action));
        }
        attempts.add(checkoutRequest("GET", path + "/pay"));
        attempts.add(checkoutRequest("GET", path + "/decline"));
        attempts.add(checkoutRequest("PUT", path + "/pay"));
        attempts.add(checkoutRequest("DELETE", path + "/decline"));
        // a checkout token is no API key
        attempts.add(api.send("GET", PAYMENTS + "/" + payment.getString("id"), null, null,
                HttpRequest.BodyPublishers.noBody(), "Authorization", "Bearer " + path.substring("/checkout/".length())));

        assertThat(attempts).allSatisfy(response -> assertThat(response.statusCode())
                .as("%s %s", response.request().method(), response.uri()).isBetween(400, 499));
        JsonObject after = api.getPayment(merchant.secretTest(), payment.getString("id"));
        assertThat(after.getString("status")).isEqualTo("pending");
        assertThat(after.getLong("amount")).isEqualTo(1050L);
        assertThat(after.getLong("amount_refunded")).isZero();
    }

    @Test
    void checkoutWhenFormTokenMissingWrongOrAnotherPaymentsThenForbiddenAndPaymentPending() {
        Merchant merchant = Merchant.create(server);
        JsonObject payment = api.createPayment(merchant.publicTest(), 1050, "USD");
        JsonObject other = api.createPayment(merchant.publicTest(), 2050, "USD");
        String othersToken = checkoutCsrf(openCheckout(other));
        assertThat(othersToken).as("the pending payment's page has forms with a token").isNotEmpty();

        List<HttpResponse<String>> refused = List.of(checkoutRequest("POST", checkoutPath(payment) + "/pay"),
                postCheckout(payment, "/pay", ""), postCheckout(payment, "/pay", "forged"),
                postCheckout(payment, "/decline", othersToken));

        assertThat(refused).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("This form has expired");
        });
        assertThat(checkoutCsrf(openCheckout(payment))).isNotEqualTo(othersToken);
        assertThat(api.getPayment(merchant.secretTest(), payment.getString("id")).getString("status"))
                .isEqualTo("pending");
        assertThat(postCheckout(payment, "/pay").statusCode()).as("with the page's own token").isEqualTo(303);
    }

    @Test
    void checkoutWhenPayAndDeclineRaceThenExactlyOneWins() {
        Merchant merchant = Merchant.create(server);
        JsonObject payment = api.createPayment(merchant.publicTest(), 1050, "USD");

        List<Integer> statuses = ApiCalls.concurrently(8, i -> postCheckout(payment, i % 2 == 0 ? "/pay" : "/decline")
                .statusCode());

        assertThat(statuses).containsOnly(303, 409);
        assertThat(statuses).containsOnlyOnce(303);
    }

    // ---- refunds and balance ----

    @Test
    void refundWhenPartThenRestThenNothingLeft() {
        Merchant merchant = Merchant.create(server);
        ApiKey secret = merchant.secretTest();
        String id = api.createPayment(merchant.publicTest(), 1000, "USD").getString("id");

        JsonObject partial = created(api.post(refunds(id), secret, "{\"amount\":300}"));
        JsonObject rest = created(api.post(refunds(id), secret, "{}"));
        HttpResponse<String> more = api.post(refunds(id), secret, "{\"amount\":1}");

        assertThat(partial.getString("id")).matches("re_test_[0-9A-Za-z]{16}");
        assertThat(partial.getString("object")).isEqualTo("refund");
        assertThat(partial.getString("payment")).isEqualTo(id);
        assertThat(partial.getLong("amount")).isEqualTo(300L);
        assertThat(partial.getString("currency")).isEqualTo("USD");
        assertThat(partial.getString("status")).isEqualTo("succeeded");
        assertThat(rest.getLong("amount")).isEqualTo(700L);
        assertThat(TestServer.problem(more, 400, "invalid_request").getString("param")).isIn("payment", "amount");
        assertThat(api.getPayment(secret, id).getLong("amount_refunded")).isEqualTo(1000L);
    }

    @Test
    void refundWhenEmptyBodyThenEverythingRefunded() {
        Merchant merchant = Merchant.create(server);
        String id = api.createPayment(merchant.publicTest(), 2500, "EUR").getString("id");

        JsonObject refund = created(api.send("POST", refunds(id), merchant.secretTest(), null,
                HttpRequest.BodyPublishers.noBody()));

        assertThat(refund.getLong("amount")).isEqualTo(2500L);
        assertThat(refund.getString("currency")).isEqualTo("EUR");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"{\"amount\":1001}", "{\"amount\":0}", "{\"amount\":-5}", "{\"amount\":\"100\"}",
        "{\"amount\":1.5}", "{\"amount\":true}", "{\"amount\":[100]}", "{\"amount\":99999999999}"})
    void refundWhenAmountBadOrOverThePaymentThenInvalidAmountAndNothingRefunded(String body) {
        Merchant merchant = Merchant.create(server);
        String id = api.createPayment(merchant.publicTest(), 1000, "USD").getString("id");

        invalid(api.post(refunds(id), merchant.secretTest(), body), "amount");

        assertThat(api.getPayment(merchant.secretTest(), id).getLong("amount_refunded")).isZero();
    }

    @Test
    void refundWhenOverWhatIsLeftThenInvalidAmount() {
        Merchant merchant = Merchant.create(server);
        String id = api.createPayment(merchant.publicTest(), 1000, "USD").getString("id");
        created(api.post(refunds(id), merchant.secretTest(), "{\"amount\":600}"));

        invalid(api.post(refunds(id), merchant.secretTest(), "{\"amount\":401}"), "amount");

        assertThat(api.getPayment(merchant.secretTest(), id).getLong("amount_refunded")).isEqualTo(600L);
    }

    @ParameterizedTest(name = "[{index}] amount {0}")
    @ValueSource(longs = {1001, 1002})
    void refundWhenPaymentPendingOrFailedThenInvalidRequest(long amount) {
        Merchant merchant = Merchant.create(server);
        String id = api.createPayment(merchant.publicTest(), amount, "USD").getString("id");

        invalid(api.post(refunds(id), merchant.secretTest(), "{\"amount\":100}"), "payment");
    }

    @Test
    void refundWhenUnknownFieldThenRefusedNamingIt() {
        Merchant merchant = Merchant.create(server);
        String id = api.createPayment(merchant.publicTest(), 1000, "USD").getString("id");

        invalid(api.post(refunds(id), merchant.secretTest(), "{\"amount\":100,\"reason\":\"fraud\"}"), "reason");
    }

    @Test
    void refundWhenConcurrentWithDifferentKeysThenNeverMoreThanPaid() {
        Merchant merchant = Merchant.create(server);
        String id = api.createPayment(merchant.publicTest(), 1000, "USD").getString("id");

        List<Integer> statuses = ApiCalls.concurrently(12, i -> api.post(refunds(id), merchant.secretTest(),
                "{\"amount\":300}", "Idempotency-Key", "refund-" + i).statusCode());

        assertThat(statuses).containsOnly(201, 400);
        assertThat(statuses.stream().filter(status -> status == 201).count()).isEqualTo(3);
        assertThat(api.getPayment(merchant.secretTest(), id).getLong("amount_refunded")).isEqualTo(900L);
    }

    @Test
    void balanceWhenPaymentsAndRefundsThenAvailableAndPendingPerCurrency() {
        Merchant merchant = Merchant.create(server);
        ApiKey pk = merchant.publicTest();
        String usd1 = api.createPayment(pk, 1000, "USD").getString("id");
        api.createPayment(pk, 2500, "USD");
        api.createPayment(pk, 1001, "USD");
        api.createPayment(pk, 1002, "USD");
        String eur = api.createPayment(pk, 800, "EUR").getString("id");
        api.createPayment(pk, 333, "EUR");
        api.createPayment(merchant.publicLive(), 5000, "USD");
        created(api.post(refunds(usd1), merchant.secretTest(), "{\"amount\":250}"));
        created(api.post(refunds(eur), merchant.secretTest(), "{}"));

        HttpResponse<String> response = api.get("/api/v1/balance", merchant.secretTest());

        JsonObject balance = new JsonObject(response.body());
        assertThat(balance.getString("object")).isEqualTo("balance");
        assertThat(balance.getBoolean("livemode")).isFalse();
        assertThat(amounts(balance.getJsonArray("available"))).containsEntry("USD", 3250L)
                .satisfies(map -> assertThat(map.getOrDefault("EUR", 0L)).isZero());
        assertThat(amounts(balance.getJsonArray("pending"))).containsEntry("USD", 1001L).containsEntry("EUR", 333L);
        JsonObject live = new JsonObject(api.get("/api/v1/balance", merchant.secretLive()).body());
        assertThat(amounts(live.getJsonArray("pending"))).containsExactly(Map.entry("USD", 5000L));
        assertThat(live.getBoolean("livemode")).isTrue();
    }

    // ---- customers ----

    @Test
    void customerWhenCreatedThenReadAndListed() {
        Merchant merchant = Merchant.create(server);
        ApiKey secret = merchant.secretTest();

        JsonObject customer = created(api.post(CUSTOMERS, secret,
                "{\"email\":\"  Ada@Example.COM \",\"name\":\"  Ada Lovelace \"}"));
        JsonObject anonymous = api.createCustomer(secret, "bob@example.com");

        assertThat(customer.getString("id")).matches("cus_test_[0-9A-Za-z]{16}");
        assertThat(customer.getString("object")).isEqualTo("customer");
        assertThat(customer.getString("email")).isEqualTo("ada@example.com");
        assertThat(customer.getString("name")).isEqualTo("Ada Lovelace");
        assertThat(customer.getBoolean("livemode")).isFalse();
        assertThat(anonymous.getValue("name")).isNull();
        HttpResponse<String> read = api.get(CUSTOMERS + "/" + customer.getString("id"), secret);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(read.body())).isEqualTo(customer);
        assertThat(api.listIds(CUSTOMERS, secret))
                .containsExactlyInAnyOrder(customer.getString("id"), anonymous.getString("id"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "{}|email", "{\"email\":null}|email", "{\"email\":\"\"}|email", "{\"email\":\"not-an-email\"}|email",
        "{\"email\":42}|email", "{\"email\":[\"a@b.co\"]}|email", "{\"email\":\"a@b.co\",\"phone\":\"1\"}|phone"})
    void customerWhenBadBodyThenInvalidRequestNamingTheField(String body, String param) {
        Merchant merchant = Merchant.create(server);

        invalid(api.post(CUSTOMERS, merchant.secretTest(), body), param);

        assertThat(api.listIds(CUSTOMERS, merchant.secretTest())).isEmpty();
    }

    @Test
    void customerWhenNameTooLongThenInvalidName() {
        Merchant merchant = Merchant.create(server);

        invalid(api.post(CUSTOMERS, merchant.secretTest(), new JsonObject().put("email", "a@b.co")
                .put("name", "n".repeat(Payments.MAX_NAME_LENGTH + 1))), "name");
    }

    @Test
    void createPaymentWhenCustomerOfSameScopeThenLinked() {
        Merchant merchant = Merchant.create(server);
        String customer = api.createCustomer(merchant.secretTest(), "buyer@example.com").getString("id");

        JsonObject payment = created(api.post(PAYMENTS, merchant.publicTest(),
                new JsonObject().put("amount", 1000).put("currency", "USD").put("customer", customer)));

        assertThat(payment.getString("customer")).isEqualTo(customer);
    }

    @Test
    void createPaymentWhenCustomerOfAnotherAccountOrEnvironmentThenInvalidCustomer() {
        Merchant merchant = Merchant.create(server);
        Merchant other = Merchant.create(server);
        String foreign = api.createCustomer(other.secretTest(), "theirs@example.com").getString("id");
        String live = api.createCustomer(merchant.secretLive(), "live@example.com").getString("id");

        for (String customer : List.of(foreign, live, "cus_test_0000000000000000")) {
            invalid(api.post(PAYMENTS, merchant.publicTest(),
                    new JsonObject().put("amount", 1000).put("currency", "USD").put("customer", customer)),
                    "customer");
        }
        assertThat(api.listIds(PAYMENTS, merchant.secretTest())).isEmpty();
    }

    @Test
    void createPaymentWhenCustomerFieldHoldsASecretKeyThenTheErrorNeverEchoesIt() {
        Merchant merchant = Merchant.create(server);
        String pasted = merchant.secretTest().reveal();

        HttpResponse<String> response = api.post(PAYMENTS, merchant.secretTest(),
                new JsonObject().put("amount", 1000).put("currency", "USD").put("customer", pasted));

        invalid(response, "customer");
        assertThat(response.body()).doesNotContain(pasted).doesNotContain(pasted.substring(8, 40));
    }

    // ---- bad input: one field at a time ----

    static List<Arguments> badPaymentBodies() {
        return List.of(
                Arguments.of("{\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":null,\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":\"100\",\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":1.5,\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":100.0,\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":1e3,\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":true,\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":[100],\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":{\"value\":100},\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":0,\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":-100,\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":100000000,\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":9223372036854775807,\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":9223372036854775808,\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":-9223372036854775809,\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":1000}", "currency"),
                Arguments.of("{\"amount\":1000,\"currency\":null}", "currency"),
                Arguments.of("{\"amount\":1000,\"currency\":840}", "currency"),
                Arguments.of("{\"amount\":1000,\"currency\":true}", "currency"),
                Arguments.of("{\"amount\":1000,\"currency\":[\"USD\"]}", "currency"),
                Arguments.of("{\"amount\":1000,\"currency\":{}}", "currency"),
                Arguments.of("{\"amount\":1000,\"currency\":\"USD\",\"description\":[\"a\"]}", "description"),
                Arguments.of("{\"amount\":1000,\"currency\":\"USD\",\"description\":{}}", "description"),
                Arguments.of("{\"amount\":1000,\"currency\":\"USD\",\"customer\":42}", "customer"),
                Arguments.of("{\"amount\":1000,\"currency\":\"USD\",\"customer\":{\"id\":\"cus\"}}", "customer"),
                Arguments.of("{\"amount\":1000,\"currency\":\"USD\",\"metadata\":\"x\"}", "metadata"),
                Arguments.of("{\"amount\":1000,\"currency\":\"USD\",\"metadata\":[]}", "metadata"),
                Arguments.of("{\"amount\":1000,\"currency\":\"USD\",\"metadata\":{\"a\":{}}}", "metadata[a]"),
                Arguments.of("{\"amount\":1000,\"currency\":\"USD\",\"metadata\":{\"a\":[\"b\"]}}", "metadata[a]"),
                Arguments.of("{\"amount\":1000,\"currency\":\"USD\",\"unknown\":1}", "unknown"),
                Arguments.of("{\"amount\":1000,\"currency\":\"USD\",\"Amount\":1}", "Amount"),
                Arguments.of("{\"amount\":1000,\"currency\":\"USD\",\"status\":\"succeeded\"}", "status"),
                Arguments.of("{\"amount\":1000,\"currency\":\"USD\",\"livemode\":true}", "livemode"),
                Arguments.of("{\"amount\":1000,\"currency\":\"USD\",\"id\":\"pay_test_0000000000000000\"}", "id"),
                Arguments.of("{\"amount\":1000,\"currency\":\"USD\",\"description\":\"" + "d".repeat(1001) + "\"}",
                        "description"),
                Arguments.of("{\"amount\":1000,\"currency\":\"USD\",\"description\":\"" + "d".repeat(60_000) + "\"}",
                        "description"));
    }

    @ParameterizedTest(name = "[{index}] param {1}")
    @MethodSource("badPaymentBodies")
    void createPaymentWhenFieldBadThenInvalidRequestNamingIt(String body, String param) {
        Merchant merchant = Merchant.create(server);

        HttpResponse<String> response = api.post(PAYMENTS, merchant.publicTest(), body);

        invalid(response, param);
        assertThat(api.listIds(PAYMENTS, merchant.secretTest())).as("nothing created").isEmpty();
    }

    @Test
    void createPaymentWhenMetadataBreaksLimitsThenInvalidMetadata() {
        Merchant merchant = Merchant.create(server);
        JsonObject tooMany = new JsonObject();
        for (int i = 0; i <= Payments.MAX_METADATA_ENTRIES; i++) {
            tooMany.put("k" + i, "v");
        }
        List<JsonObject> bad = List.of(tooMany,
                new JsonObject().put("k".repeat(Payments.MAX_METADATA_KEY_LENGTH + 1), "v"),
                new JsonObject().put("", "v"),
                new JsonObject().put("k", "v".repeat(Payments.MAX_METADATA_VALUE_LENGTH + 1)));

        for (JsonObject metadata : bad) {
            HttpResponse<String> response = api.post(PAYMENTS, merchant.publicTest(),
                    new JsonObject().put("amount", 1000).put("currency", "USD").put("metadata", metadata));
            JsonObject problem = problem(response, 400, "invalid_request");
            assertThat(problem.getString("param")).startsWith("metadata");
        }
    }

    @Test
    void createPaymentWhenAmountIsTheMaximumThenAccepted() {
        Merchant merchant = Merchant.create(server);

        JsonObject payment = api.createPayment(merchant.publicTest(), Payments.MAX_AMOUNT, "USD");

        assertThat(payment.getLong("amount")).isEqualTo(Payments.MAX_AMOUNT);
    }

    @ParameterizedTest(name = "[{index}] {0} → {1}")
    @CsvSource({"usd, USD", "USD, USD", "eur, EUR", "Eur, EUR", "jpy, JPY", "KWD, KWD", "ngn, NGN", "GHS, GHS"})
    void createPaymentWhenCurrencyIsoCodeInAnyCaseThenAcceptedUpperCase(String currency, String expected) {
        Merchant merchant = Merchant.create(server);

        JsonObject payment = api.createPayment(merchant.publicTest(), 1050, currency);

        assertThat(payment.getString("currency")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"ABC", "US", "XXX", "USDD", "", " USD", "US$", "XAU", "XTS", "€", "u s", "ÜSD"})
    void createPaymentWhenCurrencyNotIso4217ThenInvalidCurrency(String currency) {
        Merchant merchant = Merchant.create(server);

        invalid(api.post(PAYMENTS, merchant.publicTest(),
                new JsonObject().put("amount", 1000).put("currency", currency)), "currency");
    }

    // ---- bad input: the body as a whole ----

    @Test
    void createPaymentWhenBodyOver64KiBThenRequestTooLarge() {
        Merchant merchant = Merchant.create(server);
        String body = "{\"amount\":1000,\"currency\":\"USD\",\"description\":\"" + "d".repeat(70_000) + "\"}";

        HttpResponse<String> response = api.post(PAYMENTS, merchant.publicTest(), body);

        problem(response, 413, "request_too_large");
    }

    @Test
    void createPaymentWhenBodyJustUnder64KiBThenReadAndJudgedByItsFields() {
        Merchant merchant = Merchant.create(server);
        String prefix = "{\"amount\":1000,\"currency\":\"USD\",\"description\":\"";
        String body = prefix + "d".repeat(64 * 1024 - prefix.length() - 2) + "\"}";
        assertThat(body.length()).isEqualTo(64 * 1024);

        invalid(api.post(PAYMENTS, merchant.publicTest(), body), "description");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml", "application/json-patch+json", "text/json", "application/jsonx"})
    void createPaymentWhenNotJsonContentTypeThenUnsupportedMediaType(String contentType) {
        Merchant merchant = Merchant.create(server);

        HttpResponse<String> response = api.send("POST", PAYMENTS, merchant.publicTest(), contentType,
                HttpRequest.BodyPublishers.ofString("{\"amount\":1000,\"currency\":\"USD\"}"));

        problem(response, 415, "unsupported_media_type");
        assertThat(api.listIds(PAYMENTS, merchant.secretTest())).isEmpty();
    }

    @Test
    void createPaymentWhenNoContentTypeThenUnsupportedMediaType() {
        Merchant merchant = Merchant.create(server);

        HttpResponse<String> response = api.send("POST", PAYMENTS, merchant.publicTest(), null,
                HttpRequest.BodyPublishers.ofString("{\"amount\":1000,\"currency\":\"USD\"}"));

        problem(response, 415, "unsupported_media_type");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8"})
    void createPaymentWhenJsonContentTypeWithParametersOrCaseThenAccepted(String contentType) {
        Merchant merchant = Merchant.create(server);

        HttpResponse<String> response = api.send("POST", PAYMENTS, merchant.publicTest(), contentType,
                HttpRequest.BodyPublishers.ofString("{\"amount\":1000,\"currency\":\"USD\"}"));

        created(response);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"{\"amount\":", "{amount:1000,currency:\"USD\"}", "{'amount':1000}", "not json", "{",
        "}", "[", "\"amount\"", "1000", "[]", "[{\"amount\":1000,\"currency\":\"USD\"}]",
        "{\"amount\":1000,\"currency\":\"USD\",}", "{\"amount\":1000 \"currency\":\"USD\"}", "\u0000",
        "{\"amount\":1000,\"currency\":\"USD\"} x", "{\"amount\":1000,\"currency\":\"USD\"}}",
        "{\"amount\":1000,\"currency\":\"USD\"}{\"amount\":1000,\"currency\":\"USD\"}",
        "{\"amount\":1000,\"currency\":\"USD\"} []", "{\"amount\":1000,\"currency\":\"USD\"} // comment",
        "{\"amount\":1000,\"currency\":\"USD\",\"description\":\"\\x41\"}",
        "{\"amount\":NaN,\"currency\":\"USD\"}", "{\"amount\":Infinity,\"currency\":\"USD\"}",
        "{\"amount\":0x10,\"currency\":\"USD\"}", "{\"amount\":01000,\"currency\":\"USD\"}",
        "{\"amount\":+1000,\"currency\":\"USD\"}"})
    void createPaymentWhenBodyIsNotOneJsonObjectThenInvalidRequest(String body) {
        Merchant merchant = Merchant.create(server);

        HttpResponse<String> response = api.post(PAYMENTS, merchant.publicTest(), body);

        problem(response, 400, "invalid_request");
        assertThat(api.listIds(PAYMENTS, merchant.secretTest())).isEmpty();
    }

    @Test
    void createPaymentWhenBodyIsNotUtf8ThenInvalidRequest() {
        Merchant merchant = Merchant.create(server);
        byte[] latin1 = "{\"amount\":1000,\"currency\":\"USD\",\"description\":\"caf\u00e9\"}"
                .getBytes(StandardCharsets.ISO_8859_1);

        HttpResponse<String> response = api.send("POST", PAYMENTS, merchant.publicTest(), ApiCalls.JSON,
                HttpRequest.BodyPublishers.ofByteArray(latin1));

        problem(response, 400, "invalid_request");
    }

    @Test
    void createPaymentWhenNestedTooDeeplyThenInvalidRequest() {
        Merchant merchant = Merchant.create(server);
        List<String> bodies = List.of(
                "[".repeat(10_000) + "]".repeat(10_000),
                "{\"amount\":1000,\"currency\":\"USD\",\"metadata\":" + "{\"a\":".repeat(5_000) + "1"
                        + "}".repeat(5_000) + "}",
                "{\"amount\":1000,\"currency\":\"USD\",\"x\":" + "[".repeat(20) + "]".repeat(20) + "}",
                "{\"amount\":" + "[".repeat(30_000));

        for (String body : bodies) {
            problem(api.post(PAYMENTS, merchant.publicTest(), body), 400, "invalid_request");
        }
    }

    @Test
    void createPaymentWhenNumberHasHundredsOfDigitsThenInvalidAmount() {
        Merchant merchant = Merchant.create(server);

        HttpResponse<String> response = api.post(PAYMENTS, merchant.publicTest(),
                "{\"amount\":" + "9".repeat(500) + ",\"currency\":\"USD\"}");

        JsonObject problem = problem(response, 400, "invalid_request");
        assertThat(problem.getString("detail")).doesNotContain("9".repeat(30));
    }

    @Test
    void createPaymentWhenEmptyBodyThenAmountRequired() {
        Merchant merchant = Merchant.create(server);

        invalid(api.send("POST", PAYMENTS, merchant.publicTest(), null, HttpRequest.BodyPublishers.noBody()),
                "amount");
    }

    @Test
    void createPaymentWhenIdempotencyKeyTooLongThenInvalidNamingTheHeader() {
        Merchant merchant = Merchant.create(server);

        HttpResponse<String> response = api.post(PAYMENTS, merchant.publicTest(),
                "{\"amount\":1000,\"currency\":\"USD\"}", "Idempotency-Key", "k".repeat(256));

        invalid(response, "Idempotency-Key");
        assertThat(api.listIds(PAYMENTS, merchant.secretTest())).isEmpty();
    }

    // ---- known bugs: what SPEC section 5 asks, refused today ----

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"XOF", "xaf", "XCD", "XPF"})
    void createPaymentWhenCurrencyIsAnXCodeWithMinorUnitsThenAccepted(String currency) {
        Merchant merchant = Merchant.create(server);

        JsonObject payment = api.createPayment(merchant.publicTest(), 5000, currency);

        assertThat(payment.getString("currency")).isEqualTo(currency.toUpperCase(Locale.ROOT));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {PAYMENTS, "/api/v1/customers", "/refunds"})
    void postWhenBodyIsJsonNullThenInvalidRequest(String path) {
        Merchant merchant = Merchant.create(server);
        String target = path.equals("/refunds")
                ? refunds(api.createPayment(merchant.publicTest(), 1000, "USD").getString("id")) : path;

        problem(api.post(target, merchant.secretTest(), "null"), 400, "invalid_request");
    }

    @Test
    void createPaymentWhenMetadataValueIsNullThenInvalidMetadata() {
        Merchant merchant = Merchant.create(server);

        HttpResponse<String> response = api.post(PAYMENTS, merchant.publicTest(),
                "{\"amount\":1000,\"currency\":\"USD\",\"metadata\":{\"order\":null}}");

        JsonObject problem = problem(response, 400, "invalid_request");
        assertThat(problem.getString("param")).startsWith("metadata");
    }

    @Test
    void createPaymentWhenMultipartFormThenUnsupportedMediaType() {
        Merchant merchant = Merchant.create(server);
        String body = "--x\r\nContent-Disposition: form-data; name=\"amount\"\r\n\r\n1000\r\n--x--\r\n";

        HttpResponse<String> response = api.send("POST", PAYMENTS, merchant.publicTest(),
                "multipart/form-data; boundary=x", HttpRequest.BodyPublishers.ofString(body));

        problem(response, 415, "unsupported_media_type");
    }

    @ParameterizedTest(name = "[{index}] param {1}")
    @CsvSource(delimiter = '|', value = {
        "/api/v1/payments|{\"amount\":1000,\"currency\":\"USD\",\"description\":5}|description",
        "/api/v1/payments|{\"amount\":1000,\"currency\":\"USD\",\"description\":true}|description",
        "/api/v1/payments|{\"amount\":1000,\"currency\":\"USD\",\"metadata\":{\"a\":1}}|metadata[a]",
        "/api/v1/payments|{\"amount\":1000,\"currency\":\"USD\",\"metadata\":{\"a\":false}}|metadata[a]",
        "/api/v1/customers|{\"email\":\"a@b.co\",\"name\":7}|name",
        "/api/v1/customers|{\"email\":\"a@b.co\",\"name\":1.5}|name"})
    void postWhenStringFieldGetsNumberOrBooleanThenInvalidRequestNamingIt(String path, String body, String param) {
        Merchant merchant = Merchant.create(server);

        invalid(api.post(path, merchant.secretTest(), body), param);
    }

    // ---- bad query parameters ----

    @ParameterizedTest(name = "[{index}] limit={0}")
    @ValueSource(strings = {"0", "101", "abc", "-1", "", "1.5", "99999999999", "1e2", "%20", "10,20", "0x10"})
    void listWhenLimitBadThenInvalidLimit(String limit) {
        Merchant merchant = Merchant.create(server);

        invalid(api.get(PAYMENTS + "?limit=" + limit, merchant.secretTest()), "limit");
        invalid(api.get(CUSTOMERS + "?limit=" + limit, merchant.secretTest()), "limit");
    }

    @ParameterizedTest(name = "[{index}] limit={0}")
    @ValueSource(strings = {"1", "100", "10"})
    void listWhenLimitInRangeThenOk(String limit) {
        Merchant merchant = Merchant.create(server);

        assertThat(api.get(PAYMENTS + "?limit=" + limit, merchant.secretTest()).statusCode()).isEqualTo(200);
    }

    @Test
    void listWhenStartingAfterUnknownThenInvalidStartingAfter() {
        Merchant merchant = Merchant.create(server);

        for (String cursor : List.of("pay_test_0000000000000000", "garbage", "%27", "")) {
            HttpResponse<String> response = api.get(PAYMENTS + "?starting_after=" + cursor, merchant.secretTest());
            assertThat(response.statusCode()).as("starting_after=%s", cursor).isIn(200, 400);
            if (!cursor.isEmpty()) {
                invalid(response, "starting_after");
            }
        }
    }

    // ---- no client input yields a 500 ----

    @Test
    void anyMutatedRequestWhenSentThenNeverServerError() {
        Random random = new Random(20261123);
        String[] valid = {
            "{\"amount\":1050,\"currency\":\"USD\",\"description\":\"Mug\",\"metadata\":{\"order\":\"42\"}}",
            "{\"amount\":300}",
            "{\"email\":\"buyer@example.com\",\"name\":\"Buyer\"}"};
        String[] tokens = {"null", "[", "]", "{", "}", "\"", "\\", "\\u0000", "\u0000", "1e999", "-0",
            "99999999999999999999999", "true", ",", ":", "\uD83D\uDE00", "\u00e9", "\"amount\":", "{\"a\":{\"b\":",
            "1.5", "NaN", "\n", "\t", "'", "\u2028", "\uFFFF"};
        Merchant merchant = Merchant.create(server);
        JsonObject payment = api.createPayment(merchant.publicTest(), 100_000, "USD");
        String[] paths = {PAYMENTS, refunds(payment.getString("id")), CUSTOMERS};
        List<String> failures = new ArrayList<>();

        for (int i = 0; i < 240; i++) {
            if (i % 50 == 49) {
                merchant = Merchant.create(server);  // stay under the rate limit
                payment = api.createPayment(merchant.publicTest(), 100_000, "USD");
                paths[1] = refunds(payment.getString("id"));
            }
            int which = random.nextInt(valid.length);
            String body = mutate(valid[which], tokens, random);
            String contentType = random.nextInt(10) == 0
                    ? List.of("text/plain", "application/json; charset=latin1", "application/json;;", "*/*",
                            "application/json; charset=\"", "").get(random.nextInt(6))
                    : ApiCalls.JSON;
            HttpResponse<String> response = api.send("POST", paths[which], merchant.secretTest(),
                    contentType.isEmpty() ? null : contentType,
                    HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8)),
                    "Idempotency-Key", "fuzz-" + i);
            if (response.statusCode() >= 500) {
                failures.add(response.statusCode() + " for " + paths[which] + " " + body);
            } else if (response.statusCode() != 201) {
                problem(response, response.statusCode(), new JsonObject(response.body()).getString("code"));
            }
        }
        for (String odd : List.of("/api/v1/payments/%00", "/api/v1/payments/%FF%FE", "/api/v1/payments/..%2F..",
                "/api/v1/payments/a%20b", "/api/v1/customers/%E2%80%AE", "/api/v1/payments?limit=%00",
                "/api/v1/payments?starting_after=%FF", "/api/v1/payments?limit=1&limit=2",
                "/api/v1/payments?starting_after=a&starting_after=b", "/api/v1/payments/" + "p".repeat(3000),
                "/api/v1/payments?limit=" + "9".repeat(2000))) {
            HttpResponse<String> response = api.get(odd, merchant.secretTest());
            if (response.statusCode() >= 500) {
                failures.add(response.statusCode() + " for GET " + odd);
            }
        }

        assertThat(failures).as("requests answered with 5xx").isEmpty();
    }

    // ---- helpers ----

    private static String mutate(String body, String[] tokens, Random random) {
        StringBuilder mutated = new StringBuilder(body);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = mutated.isEmpty() ? 0 : random.nextInt(mutated.length());
            switch (random.nextInt(5)) {
                case 0 -> mutated.insert(at, tokens[random.nextInt(tokens.length)]);
                case 1 -> {
                    if (!mutated.isEmpty()) {
                        mutated.deleteCharAt(at);
                    }
                }
                case 2 -> {
                    if (!mutated.isEmpty()) {
                        mutated.setCharAt(at, (char) (32 + random.nextInt(95)));
                    }
                }
                case 3 -> mutated.setLength(at);
                default -> {
                    int end = Math.min(mutated.length(), at + 1 + random.nextInt(12));
                    mutated.insert(at, mutated.substring(at, end));
                }
            }
        }
        return mutated.toString();
    }

    private static String refunds(String paymentId) {
        return PAYMENTS + "/" + paymentId + "/refunds";
    }

    private static String checkoutPath(JsonObject payment) {
        return URI.create(payment.getString("checkout_url")).getPath();
    }

    private static HttpResponse<String> openCheckout(JsonObject payment) {
        return server.send(HttpRequest.newBuilder(URI.create(payment.getString("checkout_url")))
                .header("Accept", "text/html").GET());
    }

    /** Opens the checkout page and submits its {@code action} form, with the form's CSRF token. */
    private static HttpResponse<String> postCheckout(JsonObject payment, String action) {
        return postCheckout(payment, action, checkoutCsrf(openCheckout(payment)));
    }

    private static HttpResponse<String> postCheckout(JsonObject payment, String action, String csrf) {
        return server.send(HttpRequest.newBuilder(server.https(checkoutPath(payment) + action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8))));
    }

    /** The CSRF token of a checkout page's forms (the same in both); empty if the page has no form. */
    private static String checkoutCsrf(HttpResponse<String> page) {
        Matcher field = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(page.body());
        return field.find() ? field.group(1) : "";
    }

    /** What a browser's form post sends: no key, a form content type, an empty body. */
    private static HttpResponse<String> checkoutRequest(String method, String path) {
        return server.send(HttpRequest.newBuilder(server.https(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private static JsonArray balance(ApiKey key, String which) {
        return new JsonObject(api.get("/api/v1/balance", key).body()).getJsonArray(which);
    }

    private static JsonObject usd(long amount) {
        return new JsonObject().put("currency", "USD").put("amount", amount);
    }

    private static Map<String, Long> amounts(JsonArray amounts) {
        Map<String, Long> map = new TreeMap<>();
        amounts.forEach(item -> map.put(((JsonObject) item).getString("currency"),
                ((JsonObject) item).getLong("amount")));
        return map;
    }
}
