package dev.keygate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keygate.core.accounts.Account;
import dev.keygate.server.testing.FlakyKeyStore;
import dev.keygate.server.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retries against a real server: a {@code 429} waited out on the server's fake clock (the client's
 * sleeper moves it, so a minute's {@code Retry-After} passes at once), a key store outage answered
 * {@code 503} and retried with backoff, and a server that is not there at all.
 */
class RetryTest {

    private static TestServer server;
    private static FlakyKeyStore store;

    /** Every wait the client asked for; each also moves the server's clock. */
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() {
        server = TestServer.builder().wrapStore(real -> store = new FlakyKeyStore(real)).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void endOutage() {
        store.failNextCredentialLookups(0);
    }

    private KeygateClient.Builder client(String key) {
        return KeygateClient.builder(key)
                .baseUrl(server.baseUrl())
                .trustStore(server.trustStore())
                .sleeper(duration -> {
                    sleeps.add(duration);
                    server.clock().advance(duration);
                });
    }

    // ---- 429 ----

    @Test
    void rateLimitedThenWaitsRetryAfterAndSucceeds() {
        Account account = server.account();
        server.accounts().setRateLimit(account.id(), 2);
        KeygateClient client = client(server.secretKey(account).reveal()).maxRetryAfter(Duration.ofSeconds(60)).build();
        client.ping();
        server.clock().advance(Duration.ofSeconds(5));
        client.ping();

        Ping third = client.ping();

        assertThat(third.account()).isEqualTo(account.id());
        // The first request leaves the 60-second window 55 s after the second one was accepted.
        assertThat(sleeps).containsExactly(Duration.ofSeconds(55));
    }

    @Test
    void rateLimitedOnAPostThenRetriedAndCreatedOnce() {
        Account account = server.account();
        server.accounts().setRateLimit(account.id(), 1);
        KeygateClient client = client(server.secretKey(account).reveal()).maxRetryAfter(Duration.ofSeconds(60)).build();
        client.ping();

        Payment payment = client.payments().create(PaymentCreateParams.builder().amount(1000).currency("usd").build());

        assertThat(sleeps).containsExactly(Duration.ofSeconds(60));
        server.clock().advance(Duration.ofSeconds(60));
        assertThat(client.payments().listAll()).extracting(Payment::id).containsExactly(payment.id());
    }

    @Test
    void rateLimitedLongerThanTheBoundThenRateLimitExceptionAtOnce() {
        Account account = server.account();
        server.accounts().setRateLimit(account.id(), 1);
        String key = server.secretKey(account).reveal();
        KeygateClient client = client(key).maxRetryAfter(Duration.ofSeconds(10)).build();
        client.ping();

        RateLimitException thrown = catchThrowableOfType(RateLimitException.class, client::ping);

        assertThat(thrown.statusCode()).isEqualTo(429);
        assertThat(thrown.code()).isEqualTo("rate_limit_exceeded");
        assertThat(thrown.retryAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(thrown.requestId()).startsWith("req_");
        assertThat(sleeps).isEmpty();
        Leaks.assertKeyNotIn(thrown, key);
    }

    @Test
    void rateLimitedWithRetriesUsedUpThenRateLimitException() {
        Account account = server.account();
        server.accounts().setRateLimit(account.id(), 1);
        KeygateClient client = client(server.secretKey(account).reveal()).maxRetries(0).build();
        client.ping();

        assertThat(catchThrowableOfType(RateLimitException.class, client::ping).retryAfter()).isPositive();
        assertThat(sleeps).isEmpty();
    }

    // ---- 503: the key store is down ----

    @Test
    void storeOutageThenRetriedAfterTheServersRetryAfterUntilItRecovers() {
        // A new key is not in the server's cache: its lookup reaches the failing store.
        KeygateClient client = client(server.secretKey(server.account()).reveal()).build();
        store.failNextCredentialLookups(2);

        Ping ping = client.ping();

        assertThat(ping.ok()).isTrue();
        // The server's 503 says Retry-After: 1, which the SDK honours over its own backoff.
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void storeOutageDuringCreateThenOnePaymentCreated() {
        String key = server.secretKey(server.account()).reveal();
        KeygateClient client = client(key).build();
        store.failNextCredentialLookups(1);

        Payment payment = client.payments().create(PaymentCreateParams.builder().amount(1000).currency("usd").build());

        assertThat(sleeps).hasSize(1);
        assertThat(client.payments().listAll()).extracting(Payment::id).containsExactly(payment.id());
    }

    @Test
    void storeOutageLongerThanTheRetriesThenApiUnavailable() {
        String key = server.secretKey(server.account()).reveal();
        KeygateClient client = client(key).maxRetries(3).build();
        int lookupsBefore = store.credentialLookups();
        store.failNextCredentialLookups(100);

        ApiUnavailableException thrown = catchThrowableOfType(ApiUnavailableException.class, client::ping);

        assertThat(thrown.statusCode()).isEqualTo(503);
        assertThat(thrown.code()).isEqualTo("service_unavailable");
        assertThat(thrown.requestId()).startsWith("req_");
        assertThat(store.credentialLookups() - lookupsBefore).as("first attempt and 3 retries").isEqualTo(4);
        assertThat(sleeps).hasSize(3);
        assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(2000));
        Leaks.assertKeyNotIn(thrown, key);
    }

    // ---- no server ----

    @Test
    void connectionRefusedThenRetriedThenApiUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String key = server.secretKey(server.account()).reveal();
        KeygateClient client = client(key).baseUrl("https://localhost:" + closedPort).build();

        ApiUnavailableException thrown = catchThrowableOfType(ApiUnavailableException.class, client::ping);

        assertThat(thrown.statusCode()).isZero();
        assertThat(thrown.code()).isNull();
        assertThat(thrown.getMessage()).contains("https://localhost:" + closedPort).contains("GET /api/v1/ping");
        assertThat(sleeps).hasSize(KeygateClient.DEFAULT_MAX_RETRIES);
        Leaks.assertKeyNotIn(thrown, key);
    }
}
