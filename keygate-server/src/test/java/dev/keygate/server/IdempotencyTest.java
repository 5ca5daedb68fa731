package dev.keygate.server;

import static dev.keygate.server.ApiCalls.created;
import static dev.keygate.server.ApiCalls.invalid;
import static dev.keygate.server.testing.TestServer.header;
import static dev.keygate.server.testing.TestServer.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.payments.IdempotentResponse;
import dev.keygate.server.api.Idempotency;
import dev.keygate.server.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} on every POST (SPEC section 5): a replay is the first response, byte for
 * byte, with {@code Idempotent-Replayed: true}; another body under the same key is {@code 409}; the
 * key is scoped to the account, environment and key type (a publishable key, public by design,
 * cannot claim a secret key's) and kept 24 hours; and many concurrent requests with one key create
 * one object. The tests share one server and each makes its own merchants; the
 * ones about expiry move the shared clock forward, which no other test depends on.
 */
class IdempotencyTest {

    private static final String PAYMENTS = "/api/v1/payments";
    private static final String CUSTOMERS = "/api/v1/customers";
    private static final String BODY = "{\"amount\":1050,\"currency\":\"USD\",\"description\":\"Order 42\"}";

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

    // ---- replay ----

    @Test
    void createPaymentWhenReplayedThenIdenticalResponseMarkedReplayedAndOnePayment() {
        Merchant merchant = Merchant.create(server);

        HttpResponse<String> first = api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "order-42");
        HttpResponse<String> second = api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "order-42");

        created(first);
        created(second);
        assertThat(header(first, "Idempotent-Replayed")).isEmpty();
        assertThat(header(second, "Idempotent-Replayed")).contains("true");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(TestServer.requestId(second)).isNotEqualTo(TestServer.requestId(first));
        assertThat(api.listIds(PAYMENTS, merchant.secretTest()))
                .containsExactly(new JsonObject(first.body()).getString("id"));
    }

    @Test
    void createPaymentWhenReplayedAfterStatusChangedThenStillTheFirstResponse() {
        Merchant merchant = Merchant.create(server);
        HttpResponse<String> first = api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "k");
        JsonObject payment = created(first);
        assertThat(api.checkout(payment, "/pay").statusCode()).isEqualTo(303);

        HttpResponse<String> replay = api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "k");

        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(new JsonObject(replay.body()).getString("status")).isEqualTo("pending");
        assertThat(api.getPayment(merchant.secretTest(), payment.getString("id")).getString("status"))
                .isEqualTo("succeeded");
    }

    @Test
    void createPaymentWhenPublishableKeyClaimedTheKeyFirstThenSecretKeyGetsItsOwnPayment() {
        Merchant merchant = Merchant.create(server);
        String attackersBody = "{\"amount\":1,\"currency\":\"USD\",\"description\":\"Order 7777\"}";
        String merchantsBody = "{\"amount\":777700,\"currency\":\"USD\",\"description\":\"Order 7777\"}";

        HttpResponse<String> claimed = api.post(PAYMENTS, merchant.publicTest(), attackersBody,
                "Idempotency-Key", "order-7777");
        HttpResponse<String> fromServer = api.post(PAYMENTS, merchant.secretTest(), merchantsBody,
                "Idempotency-Key", "order-7777");

        created(claimed);
        JsonObject payment = created(fromServer);
        assertThat(header(fromServer, "Idempotent-Replayed")).isEmpty();
        assertThat(payment.getLong("amount")).isEqualTo(777_700L);
        assertThat(api.listIds(PAYMENTS, merchant.secretTest())).containsExactlyInAnyOrder(
                new JsonObject(claimed.body()).getString("id"), payment.getString("id"));
    }

    @Test
    void createPaymentWhenSameKeyAndBodyFromPublicAndSecretKeyThenIndependentAndEachReplaysItsOwn() {
        Merchant merchant = Merchant.create(server);

        HttpResponse<String> fromBrowser = api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "k1");
        HttpResponse<String> fromServer = api.post(PAYMENTS, merchant.secretTest(), BODY, "Idempotency-Key", "k1");
        HttpResponse<String> browserAgain = api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "k1");
        HttpResponse<String> serverAgain = api.post(PAYMENTS, merchant.secretTest(), BODY, "Idempotency-Key", "k1");

        assertThat(List.of(fromBrowser, fromServer)).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(header(response, "Idempotent-Replayed")).isEmpty();
        });
        assertThat(fromServer.body()).isNotEqualTo(fromBrowser.body());
        assertThat(header(browserAgain, "Idempotent-Replayed")).contains("true");
        assertThat(browserAgain.body()).isEqualTo(fromBrowser.body());
        assertThat(header(serverAgain, "Idempotent-Replayed")).contains("true");
        assertThat(serverAgain.body()).isEqualTo(fromServer.body());
        assertThat(api.listIds(PAYMENTS, merchant.secretTest())).hasSize(2);
    }

    @Test
    void createPaymentWhenSecretKeyReusesItsOwnKeyWithAnotherBodyThenStillReused() {
        Merchant merchant = Merchant.create(server);
        created(api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "k2"));
        String first = created(api.post(PAYMENTS, merchant.secretTest(), BODY, "Idempotency-Key", "k2"))
                .getString("id");

        HttpResponse<String> other = api.post(PAYMENTS, merchant.secretTest(),
                "{\"amount\":2050,\"currency\":\"USD\"}", "Idempotency-Key", "k2");

        problem(other, 409, "idempotency_key_reused");
        assertThat(api.listIds(PAYMENTS, merchant.secretTest())).hasSize(2).contains(first);
    }

    @Test
    void createPaymentWhenNoKeyThenEveryRequestCreatesOne() {
        Merchant merchant = Merchant.create(server);

        String a = api.createPayment(merchant.publicTest(), 1050, "USD").getString("id");
        String b = api.createPayment(merchant.publicTest(), 1050, "USD").getString("id");

        assertThat(a).isNotEqualTo(b);
        assertThat(api.listIds(PAYMENTS, merchant.secretTest())).containsExactlyInAnyOrder(a, b);
    }

    // ---- reuse with another request ----

    @Test
    void createPaymentWhenSameKeyDifferentBodyThenIdempotencyKeyReusedAndNothingCreated() {
        Merchant merchant = Merchant.create(server);
        String first = created(api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "k")).getString("id");

        HttpResponse<String> other = api.post(PAYMENTS, merchant.publicTest(),
                "{\"amount\":2050,\"currency\":\"USD\",\"description\":\"Order 42\"}", "Idempotency-Key", "k");

        problem(other, 409, "idempotency_key_reused");
        assertThat(header(other, "Idempotent-Replayed")).isEmpty();
        assertThat(api.listIds(PAYMENTS, merchant.secretTest())).containsExactly(first);
    }

    @Test
    void postWhenSameKeyOnAnotherRouteThenIdempotencyKeyReused() {
        Merchant merchant = Merchant.create(server);
        created(api.post(PAYMENTS, merchant.secretTest(), BODY, "Idempotency-Key", "shared"));

        HttpResponse<String> customer = api.post(CUSTOMERS, merchant.secretTest(), "{\"email\":\"a@b.co\"}",
                "Idempotency-Key", "shared");

        problem(customer, 409, "idempotency_key_reused");
        assertThat(api.listIds(CUSTOMERS, merchant.secretTest())).isEmpty();
    }

    @Test
    void createPaymentWhenFirstRequestWasRefusedThenKeyStillFree() {
        Merchant merchant = Merchant.create(server);
        invalid(api.post(PAYMENTS, merchant.publicTest(), "{\"amount\":0,\"currency\":\"USD\"}",
                "Idempotency-Key", "retry-me"), "amount");

        HttpResponse<String> fixed = api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "retry-me");

        created(fixed);
        assertThat(header(fixed, "Idempotent-Replayed")).isEmpty();
    }

    // ---- scope ----

    @Test
    void createPaymentWhenSameKeyInOtherEnvironmentOrAccountThenIndependent() {
        Merchant merchant = Merchant.create(server);
        Merchant other = Merchant.create(server);

        HttpResponse<String> test = api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "same");
        HttpResponse<String> live = api.post(PAYMENTS, merchant.publicLive(), BODY, "Idempotency-Key", "same");
        HttpResponse<String> otherAccount = api.post(PAYMENTS, other.publicTest(), BODY, "Idempotency-Key", "same");
        HttpResponse<String> otherDifferentBody = api.post(PAYMENTS, other.publicLive(),
                "{\"amount\":9,\"currency\":\"EUR\"}", "Idempotency-Key", "same");

        List<HttpResponse<String>> all = List.of(test, live, otherAccount, otherDifferentBody);
        assertThat(all).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(header(response, "Idempotent-Replayed")).isEmpty();
        });
        Set<String> ids = all.stream().map(r -> new JsonObject(r.body()).getString("id")).collect(Collectors.toSet());
        assertThat(ids).hasSize(4);
        assertThat(new JsonObject(live.body()).getString("id")).startsWith("pay_live_");
        assertThat(api.listIds(PAYMENTS, merchant.secretLive())).hasSize(1);
        assertThat(api.listIds(PAYMENTS, other.secretTest())).hasSize(1);
    }

    // ---- the key itself ----

    @Test
    void postWhenKeyLongerThan255ThenInvalidRequestNamingTheHeader() {
        Merchant merchant = Merchant.create(server);

        HttpResponse<String> tooLong = api.post(PAYMENTS, merchant.publicTest(), BODY,
                "Idempotency-Key", "k".repeat(IdempotentResponse.MAX_KEY_LENGTH + 1));
        HttpResponse<String> longest = api.post(PAYMENTS, merchant.publicTest(), BODY,
                "Idempotency-Key", "k".repeat(IdempotentResponse.MAX_KEY_LENGTH));
        HttpResponse<String> customer = api.post(CUSTOMERS, merchant.secretTest(), "{\"email\":\"a@b.co\"}",
                "Idempotency-Key", "c".repeat(1000));

        invalid(tooLong, "Idempotency-Key");
        invalid(customer, "Idempotency-Key");
        created(longest);
        assertThat(api.listIds(PAYMENTS, merchant.secretTest())).hasSize(1);
        assertThat(api.listIds(CUSTOMERS, merchant.secretTest())).isEmpty();
    }

    @Test
    void postWhenKeyEmptyThenInvalidRequest() {
        Merchant merchant = Merchant.create(server);

        invalid(api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", ""), "Idempotency-Key");
    }

    @Test
    void postWhenKeysDifferOnlyInCaseThenDifferentKeys() {
        Merchant merchant = Merchant.create(server);

        String lower = created(api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "abc")).getString("id");
        String upper = created(api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "ABC")).getString("id");

        assertThat(lower).isNotEqualTo(upper);
    }

    // ---- 24 hours ----

    @Test
    void createPaymentWhenTwentyFourHoursPassedThenKeyCreatesANewPayment() {
        Merchant merchant = Merchant.create(server);
        HttpResponse<String> first = api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "daily");

        server.clock().advance(IdempotentResponse.TTL);
        HttpResponse<String> atTheEdge = api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "daily");
        server.clock().advance(Duration.ofSeconds(1));
        HttpResponse<String> dayLater = api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "daily");
        HttpResponse<String> replayOfNew = api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "daily");

        assertThat(atTheEdge.body()).as("kept for 24 hours").isEqualTo(first.body());
        assertThat(header(atTheEdge, "Idempotent-Replayed")).contains("true");
        created(dayLater);
        assertThat(header(dayLater, "Idempotent-Replayed")).isEmpty();
        assertThat(new JsonObject(dayLater.body()).getString("id"))
                .isNotEqualTo(new JsonObject(first.body()).getString("id"));
        assertThat(replayOfNew.body()).isEqualTo(dayLater.body());
        assertThat(header(replayOfNew, "Idempotent-Replayed")).contains("true");
        assertThat(api.listIds(PAYMENTS, merchant.secretTest())).hasSize(2);
    }

    @Test
    void createPaymentWhenTwentyFourHoursPassedThenKeyMayCarryAnotherBody() {
        Merchant merchant = Merchant.create(server);
        created(api.post(PAYMENTS, merchant.publicTest(), BODY, "Idempotency-Key", "k"));
        String other = "{\"amount\":700,\"currency\":\"EUR\"}";
        problem(api.post(PAYMENTS, merchant.publicTest(), other, "Idempotency-Key", "k"), 409,
                "idempotency_key_reused");

        server.clock().advance(IdempotentResponse.TTL.plusSeconds(1));
        HttpResponse<String> later = api.post(PAYMENTS, merchant.publicTest(), other, "Idempotency-Key", "k");

        assertThat(created(later).getString("currency")).isEqualTo("EUR");
    }

    // ---- refunds and customers ----

    @Test
    void refundWhenReplayedThenOneRefundAndSameResponse() {
        Merchant merchant = Merchant.create(server);
        String payment = api.createPayment(merchant.publicTest(), 1000, "USD").getString("id");
        String path = PAYMENTS + "/" + payment + "/refunds";

        HttpResponse<String> first = api.post(path, merchant.secretTest(), "{\"amount\":300}", "Idempotency-Key", "r");
        HttpResponse<String> second = api.post(path, merchant.secretTest(), "{\"amount\":300}", "Idempotency-Key", "r");
        HttpResponse<String> other = api.post(path, merchant.secretTest(), "{\"amount\":200}", "Idempotency-Key", "r");

        created(first);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(header(second, "Idempotent-Replayed")).contains("true");
        problem(other, 409, "idempotency_key_reused");
        assertThat(api.getPayment(merchant.secretTest(), payment).getLong("amount_refunded")).isEqualTo(300L);
    }

    @Test
    void refundWhenSameKeyAndBodyForAnotherPaymentThenReused() {
        Merchant merchant = Merchant.create(server);
        String a = api.createPayment(merchant.publicTest(), 1000, "USD").getString("id");
        String b = api.createPayment(merchant.publicTest(), 1000, "USD").getString("id");
        created(api.post(PAYMENTS + "/" + a + "/refunds", merchant.secretTest(), "{}", "Idempotency-Key", "r"));

        HttpResponse<String> onB = api.post(PAYMENTS + "/" + b + "/refunds", merchant.secretTest(), "{}",
                "Idempotency-Key", "r");

        problem(onB, 409, "idempotency_key_reused");
        assertThat(api.getPayment(merchant.secretTest(), b).getLong("amount_refunded")).isZero();
    }

    @Test
    void customerWhenReplayedThenOneCustomerAndSameResponse() {
        Merchant merchant = Merchant.create(server);
        String body = "{\"email\":\"ada@example.com\",\"name\":\"Ada\"}";

        HttpResponse<String> first = api.post(CUSTOMERS, merchant.secretTest(), body, "Idempotency-Key", "c");
        HttpResponse<String> second = api.post(CUSTOMERS, merchant.secretTest(), body, "Idempotency-Key", "c");
        HttpResponse<String> other = api.post(CUSTOMERS, merchant.secretTest(), "{\"email\":\"bob@example.com\"}",
                "Idempotency-Key", "c");

        created(first);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(header(second, "Idempotent-Replayed")).contains("true");
        problem(other, 409, "idempotency_key_reused");
        assertThat(api.listIds(CUSTOMERS, merchant.secretTest()))
                .containsExactly(new JsonObject(first.body()).getString("id"));
    }

    // ---- concurrency ----

    @Test
    void createPaymentWhenManyConcurrentRequestsWithOneKeyThenOnePaymentAndOneAnswerPerKeyType() {
        Merchant merchant = Merchant.create(server);
        int threads = 32;

        List<HttpResponse<String>> responses = ApiCalls.concurrently(threads, i -> api.post(PAYMENTS,
                i % 2 == 0 ? merchant.publicTest() : merchant.secretTest(), BODY, "Idempotency-Key", "burst"));

        assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).as(response.body())
                .isEqualTo(201));
        Set<String> publicBodies = IntStream.range(0, threads).filter(i -> i % 2 == 0)
                .mapToObj(i -> responses.get(i).body()).collect(Collectors.toSet());
        Set<String> secretBodies = IntStream.range(0, threads).filter(i -> i % 2 == 1)
                .mapToObj(i -> responses.get(i).body()).collect(Collectors.toSet());
        assertThat(publicBodies).as("every publishable key's answer is the same payment").hasSize(1);
        assertThat(secretBodies).as("every secret key's answer is the same payment").hasSize(1);
        long fresh = responses.stream().filter(r -> header(r, "Idempotent-Replayed").isEmpty()).count();
        assertThat(fresh).as("answers not marked replayed").isEqualTo(2);
        assertThat(api.listIds(PAYMENTS, merchant.secretTest())).containsExactlyInAnyOrder(
                new JsonObject(publicBodies.iterator().next()).getString("id"),
                new JsonObject(secretBodies.iterator().next()).getString("id"));
    }

    @Test
    void createPaymentWhenConcurrentRequestsWithOneKeyButTwoBodiesThenOnePaymentAndTheRestReusedOrReplayed() {
        Merchant merchant = Merchant.create(server);
        String otherBody = "{\"amount\":2050,\"currency\":\"USD\"}";

        List<HttpResponse<String>> responses = ApiCalls.concurrently(16, i -> api.post(PAYMENTS,
                merchant.publicTest(), i % 2 == 0 ? BODY : otherBody, "Idempotency-Key", "mixed"));

        assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).isIn(201, 409));
        Set<String> createdBodies = responses.stream().filter(r -> r.statusCode() == 201).map(HttpResponse::body)
                .collect(Collectors.toSet());
        assertThat(createdBodies).hasSize(1);
        assertThat(responses.stream().filter(r -> r.statusCode() == 201).count()).isEqualTo(8);
        assertThat(api.listIds(PAYMENTS, merchant.secretTest())).hasSize(1);
    }

    @Test
    void customerWhenManyConcurrentRequestsWithOneKeyThenOneCustomer() {
        Merchant merchant = Merchant.create(server);

        List<HttpResponse<String>> responses = ApiCalls.concurrently(16, i -> api.post(CUSTOMERS,
                merchant.secretTest(), "{\"email\":\"ada@example.com\"}", "Idempotency-Key", "one-customer"));

        assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).as(response.body())
                .isEqualTo(201));
        assertThat(responses.stream().map(HttpResponse::body).distinct()).hasSize(1);
        assertThat(responses.stream().filter(r -> header(r, "Idempotent-Replayed").isEmpty())).hasSize(1);
        assertThat(api.listIds(CUSTOMERS, merchant.secretTest())).hasSize(1);
    }

    @Test
    void refundWhenManyConcurrentPartialRefundsWithOneKeyThenOneRefund() {
        Merchant merchant = Merchant.create(server);
        String payment = api.createPayment(merchant.publicTest(), 1000, "USD").getString("id");

        List<HttpResponse<String>> responses = ApiCalls.concurrently(16, i -> api.post(
                PAYMENTS + "/" + payment + "/refunds", merchant.secretTest(), "{\"amount\":100}",
                "Idempotency-Key", "one-refund"));

        assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).as(response.body())
                .isEqualTo(201));
        assertThat(responses.stream().map(HttpResponse::body).distinct()).hasSize(1);
        assertThat(api.getPayment(merchant.secretTest(), payment).getLong("amount_refunded")).isEqualTo(100L);
    }

    @Test
    void refundWhenManyConcurrentFullRefundsWithOneKeyThenEveryAnswerIsTheOneRefund() {
        Merchant merchant = Merchant.create(server);
        String payment = api.createPayment(merchant.publicTest(), 1000, "USD").getString("id");

        List<HttpResponse<String>> responses = ApiCalls.concurrently(16, i -> api.post(
                PAYMENTS + "/" + payment + "/refunds", merchant.secretTest(), "{}", "Idempotency-Key", "full"));

        assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).as(response.body())
                .isEqualTo(201));
        assertThat(responses.stream().map(HttpResponse::body).distinct()).hasSize(1);
        assertThat(api.getPayment(merchant.secretTest(), payment).getLong("amount_refunded")).isEqualTo(1000L);
    }
}
