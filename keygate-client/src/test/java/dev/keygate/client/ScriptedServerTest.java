package dev.keygate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keygate.client.ScriptedHttpsServer.Received;
import dev.keygate.client.ScriptedHttpsServer.Reply;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.server.testing.TestServer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the SDK sends and how it reads answers a real Keygate gives only by accident: a {@code 500}
 * then a success (is the idempotency key the same on the retry?), a proxy's HTML {@code 502}, fields
 * and statuses added by a newer server.
 */
class ScriptedServerTest {

    private static final String PAYMENT_JSON = "{\"id\":\"pay_test_0123456789abcdef\",\"object\":\"payment\","
            + "\"amount\":2000,\"amount_refunded\":0,\"currency\":\"USD\",\"status\":\"succeeded\","
            + "\"failure_code\":null,\"description\":null,\"customer\":null,\"metadata\":{},"
            + "\"checkout_url\":\"https://localhost/checkout/cs_x\",\"livemode\":false,\"created\":1795424400}";

    private static TestServer keygate;
    private ScriptedHttpsServer server;
    private final String key = ApiKey.generate(KeyType.SECRET, Environment.TEST, new SecureRandom()).reveal();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private KeygateClient client;

    @BeforeAll
    static void certificate() {
        // Only for its generated certificate, which the scripted server presents.
        keygate = TestServer.start();
    }

    @AfterAll
    static void stop() {
        keygate.close();
    }

    @BeforeEach
    void start() {
        server = new ScriptedHttpsServer(keygate.keystorePath(), keygate.keystorePassword());
        client = KeygateClient.builder(key).baseUrl(server.baseUrl()).trustStore(keygate.trustStore())
                .sleeper(sleeps::add).build();
    }

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void getThenBearerKeyAndNoIdempotencyKey() {
        server.then(Reply.json(200, "{\"ok\":true,\"account\":\"acct_0123456789abcdef\",\"environment\":\"test\","
                + "\"key_type\":\"secret\",\"key_id\":\"key_0123456789abcdef\"}"));

        client.ping();

        Received request = server.received().get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.pathAndQuery()).isEqualTo("/api/v1/ping");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + key);
        assertThat(request.header("Accept")).isEqualTo("application/json");
        assertThat(request.header("User-Agent")).startsWith("keygate-java/" + KeygateClient.VERSION);
        assertThat(request.header("Idempotency-Key")).isNull();
    }

    @Test
    void postRetriedAfter5xxThenSameIdempotencyKeyAndBodyEachTime() {
        server.then(Reply.problem(500, "internal_error", "oops"), Reply.json(502, "<html>bad gateway</html>"),
                Reply.json(201, PAYMENT_JSON));

        Payment payment = client.payments().create(PaymentCreateParams.builder().amount(2000).currency("usd")
                .putMetadata("order", "7").build());

        assertThat(payment.id()).isEqualTo("pay_test_0123456789abcdef");
        List<Received> attempts = server.received();
        assertThat(attempts).hasSize(3);
        String idempotencyKey = attempts.get(0).header("Idempotency-Key");
        assertThat(idempotencyKey).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(attempts).allSatisfy(attempt -> {
            assertThat(attempt.header("Idempotency-Key")).isEqualTo(idempotencyKey);
            assertThat(attempt.header("Content-Type")).isEqualTo("application/json");
            assertThat(attempt.body()).isEqualTo("{\"amount\":2000,\"currency\":\"usd\",\"metadata\":{\"order\":\"7\"}}");
        });
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void twoCallsThenTwoIdempotencyKeys() {
        server.then(Reply.json(201, PAYMENT_JSON), Reply.json(201, PAYMENT_JSON));
        PaymentCreateParams params = PaymentCreateParams.builder().amount(2000).currency("usd").build();

        client.payments().create(params);
        client.payments().create(params);

        assertThat(server.received().get(0).header("Idempotency-Key"))
                .isNotEqualTo(server.received().get(1).header("Idempotency-Key"));
    }

    @Test
    void givenIdempotencyKeyAndApiKeyThenSentOnEveryAttempt() {
        String other = ApiKey.generate(KeyType.SECRET, Environment.LIVE, new SecureRandom()).reveal();
        server.then(Reply.problem(503, "service_unavailable", "down"), Reply.json(201, "{\"id\":\"re_test_1\","
                + "\"payment\":\"pay_test_1\",\"amount\":5,\"currency\":\"USD\",\"status\":\"succeeded\"}"));

        Refund refund = client.payments().refund("pay_test_1", RefundCreateParams.amount(5),
                RequestOptions.builder().apiKey(other).idempotencyKey("refund-42").build());

        assertThat(refund.amount()).isEqualTo(5);
        assertThat(server.received()).hasSize(2).allSatisfy(attempt -> {
            assertThat(attempt.pathAndQuery()).isEqualTo("/api/v1/payments/pay_test_1/refunds");
            assertThat(attempt.header("Idempotency-Key")).isEqualTo("refund-42");
            assertThat(attempt.header("Authorization")).isEqualTo("Bearer " + other);
            assertThat(attempt.body()).isEqualTo("{\"amount\":5}");
        });
    }

    @Test
    void fullRefundThenEmptyJsonObject() {
        server.then(Reply.json(201, "{\"id\":\"re_test_1\",\"payment\":\"pay_test_1\",\"amount\":5}"));

        client.payments().refund("pay_test_1");

        assertThat(server.received().get(0).body()).isEqualTo("{}");
    }

    @Test
    void listThenLimitAndCursorInTheQuery() {
        server.then(Reply.json(200, "{\"object\":\"list\",\"url\":\"/api/v1/customers\",\"has_more\":false,"
                + "\"data\":[]}"));

        client.customers().list(ListParams.builder().limit(3).startingAfter("cus_test_abc").build());

        assertThat(server.received().get(0).pathAndQuery())
                .isEqualTo("/api/v1/customers?limit=3&starting_after=cus_test_abc");
    }

    @Test
    void newerServerFieldsAndStatusesThenIgnoredAndUnknown() {
        server.then(Reply.json(200, PAYMENT_JSON.replace("\"succeeded\"", "\"requires_action\"")
                .replace("\"object\":\"payment\",", "\"object\":\"payment\",\"next_action\":{\"type\":\"3ds\","
                        + "\"url\":\"https://bank.example\"},\"risk_score\":12,")));

        Payment payment = client.payments().retrieve("pay_test_0123456789abcdef");

        assertThat(payment.status()).isEqualTo(Payment.Status.UNKNOWN);
        assertThat(payment.amount()).isEqualTo(2000);
        assertThat(payment.created()).isEqualTo(Instant.ofEpochSecond(1795424400));
    }

    @Test
    void unreadableSuccessThenApiException() {
        server.then(Reply.json(200, "not json"));

        ApiException thrown = catchThrowableOfType(ApiException.class, () -> client.balance().retrieve());

        assertThat(thrown.statusCode()).isEqualTo(200);
        assertThat(thrown.requestId()).isEqualTo("req_scripted000000001");
        assertThat(thrown.getMessage()).contains("Balance");
    }

    @Test
    void proxyErrorPagesThenApiExceptionAfterRetries() {
        Reply html = new Reply(502, java.util.Map.of("Content-Type", "text/html"), "<html>Bad gateway</html>");
        server.then(html, html, html);

        ApiException thrown = catchThrowableOfType(ApiException.class, () -> client.customers().list());

        assertThat(thrown.statusCode()).isEqualTo(502);
        assertThat(thrown.code()).isNull();
        assertThat(thrown.getMessage()).contains("HTTP 502");
        assertThat(server.received()).hasSize(3);
    }

    @Test
    void unavailableWithRetryAfterThenWaitsThatLong() {
        server.then(Reply.problem(503, "service_unavailable", "down").withHeader("Retry-After", "2"),
                Reply.json(200, "{\"object\":\"balance\",\"available\":[{\"currency\":\"USD\",\"amount\":7}]}"));

        Balance balance = client.balance().retrieve();

        assertThat(balance.availableAmount("usd")).isEqualTo(7);
        assertThat(balance.pending()).isEmpty();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void clientErrorsThenNotRetried() {
        server.then(Reply.problem(404, "resource_missing", "No such customer: cus_x"),
                Reply.problem(415, "unsupported_media_type", "Send JSON."),
                Reply.problem(409, "idempotency_key_reused", "Used."));

        assertThatThrownBy(() -> client.customers().retrieve("cus_x")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> client.customers().retrieve("cus_x")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> client.customers().retrieve("cus_x")).isInstanceOf(InvalidRequestException.class);
        assertThat(server.received()).hasSize(3);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void idInPathThenEscaped() {
        server.then(Reply.problem(404, "resource_missing", "No such payment."));

        assertThatThrownBy(() -> client.payments().retrieve("pay/../x y"));

        assertThat(server.received().get(0).pathAndQuery()).isEqualTo("/api/v1/payments/pay%2F%2E%2E%2Fx%20y");
    }

    @Test
    void serverEchoingAKeyThenMaskedInTheException() {
        server.then(Reply.problem(401, "invalid_api_key", "No active API key matches " + key + "."));

        AuthenticationException thrown = catchThrowableOfType(AuthenticationException.class, client::ping);

        assertThat(thrown.getMessage()).contains(ApiKey.mask(key));
        Leaks.assertKeyNotIn(thrown, key);
    }

    @Test
    void retriesLoggedWithoutTheKey() {
        Logger logger = Logger.getLogger("dev.keygate.client");
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level before = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
        try {
            server.then(Reply.problem(503, "service_unavailable", "Store down; key " + key + "."),
                    Reply.problem(503, "service_unavailable", "down"), Reply.problem(503, "service_unavailable", "down"));

            assertThatThrownBy(client::ping).isInstanceOf(ApiUnavailableException.class);
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(before);
        }

        assertThat(records).hasSize(2).allSatisfy(record -> {
            String line = new java.util.logging.SimpleFormatter().formatMessage(record);
            assertThat(line).startsWith("Retrying GET /api/v1/ping").doesNotContain(key)
                    .doesNotContain(key.substring(8, 40));
        });
    }
}
