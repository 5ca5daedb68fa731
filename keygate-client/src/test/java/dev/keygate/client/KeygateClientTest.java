package dev.keygate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keygate.core.accounts.Account;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every call of the SDK against a real Keygate server over HTTPS (SPEC section 5). */
class KeygateClientTest {

    private static TestServer server;

    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private Account owner;
    private String account;
    private String secretKey;
    private KeygateClient client;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void newAccount() {
        owner = server.account();
        account = owner.id();
        secretKey = server.secretKey(owner).reveal();
        client = client(secretKey);
    }

    private KeygateClient client(String key) {
        return KeygateClient.builder(key)
                .baseUrl(server.baseUrl())
                .trustStore(server.trustStore())
                .sleeper(sleeps::add)
                .build();
    }

    private static PaymentCreateParams payment(long amount) {
        return PaymentCreateParams.builder().amount(amount).currency("usd").build();
    }

    // ---- ping ----

    @Test
    void pingWithSecretKeyThenAccountEnvironmentAndKeyReported() {
        Ping ping = client.ping();

        assertThat(ping.ok()).isTrue();
        assertThat(ping.account()).isEqualTo(account);
        assertThat(ping.environment()).isEqualTo(Environment.TEST).isEqualTo(client.environment());
        assertThat(ping.keyType()).isEqualTo(KeyType.SECRET).isEqualTo(client.keyType());
        assertThat(ping.keyId()).matches("key_[0-9A-Za-z]{16}");
    }

    @Test
    void pingWithLiveKeyThenLiveEnvironment() {
        KeygateClient live = client(server.key(owner, KeyType.SECRET, Environment.LIVE).reveal());

        assertThat(live.environment()).isEqualTo(Environment.LIVE);
        assertThat(live.ping().environment()).isEqualTo(Environment.LIVE);
    }

    @Test
    void pingWithPublicKeyThenAccepted() {
        KeygateClient publishable = client(server.publicKey(owner).reveal());

        assertThat(publishable.keyType()).isEqualTo(KeyType.PUBLIC);
        assertThat(publishable.ping().keyType()).isEqualTo(KeyType.PUBLIC);
    }

    // ---- payments ----

    @Test
    void createPaymentThenRetrieveGivesTheSamePayment() {
        Customer customer = client.customers().create(CustomerCreateParams.builder().email("ada@example.com").build());

        Payment created = client.payments().create(PaymentCreateParams.builder()
                .amount(2000).currency("usd")
                .description("Order 1042")
                .customer(customer.id())
                .putMetadata("order_id", "1042")
                .build());

        assertThat(created.id()).matches("pay_test_[0-9A-Za-z]{16}");
        assertThat(created.amount()).isEqualTo(2000);
        assertThat(created.amountRefunded()).isZero();
        assertThat(created.currency()).isEqualTo("USD");
        assertThat(created.status()).isEqualTo(Payment.Status.SUCCEEDED);
        assertThat(created.failureCode()).isNull();
        assertThat(created.description()).isEqualTo("Order 1042");
        assertThat(created.customer()).isEqualTo(customer.id());
        assertThat(created.metadata()).isEqualTo(Map.of("order_id", "1042"));
        assertThat(created.checkoutUrl()).startsWith(server.baseUrl() + "/");
        assertThat(created.livemode()).isFalse();
        assertThat(created.created()).isEqualTo(server.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(client.payments().retrieve(created.id())).isEqualTo(created);
    }

    @Test
    void createPaymentThenTestModeOutcomeFollowsTheAmount() {
        Payment declined = client.payments().create(payment(2002));
        Payment pending = client.payments().create(payment(2001));

        assertThat(declined.status()).isEqualTo(Payment.Status.FAILED);
        assertThat(declined.failureCode()).isEqualTo("card_declined");
        assertThat(pending.status()).isEqualTo(Payment.Status.PENDING);
        assertThat(pending.description()).isNull();
        assertThat(pending.metadata()).isEmpty();
    }

    @Test
    void createPaymentWithPublicKeyThenCreated() {
        Payment payment = client(server.publicKey(owner).reveal()).payments().create(payment(1500));

        assertThat(client.payments().retrieve(payment.id()).amount()).isEqualTo(1500);
    }

    @Test
    void createPaymentWithBadAmountThenInvalidRequestNamingTheField() {
        InvalidRequestException thrown = catchThrowableOfType(InvalidRequestException.class,
                () -> client.payments().create(payment(0)));

        assertThat(thrown.statusCode()).isEqualTo(400);
        assertThat(thrown.code()).isEqualTo("invalid_request");
        assertThat(thrown.param()).isEqualTo("amount");
        assertThat(thrown.requestId()).matches("req_[0-9A-Za-z]{16}");
        assertThat(thrown.getMessage()).contains("amount").contains(thrown.requestId());
        assertThat(sleeps).as("a 400 is not retried").isEmpty();
    }

    @Test
    void retrievePaymentOfAnotherAccountThenNotFound() {
        Payment elsewhere = client(server.secretKey(server.account()).reveal()).payments().create(payment(1000));

        InvalidRequestException thrown = catchThrowableOfType(InvalidRequestException.class,
                () -> client.payments().retrieve(elsewhere.id()));

        assertThat(thrown.statusCode()).isEqualTo(404);
        assertThat(thrown.code()).isEqualTo("resource_missing");
    }

    @Test
    void retrieveWithAnIdNeedingEscapesThenNotFoundNotAnotherRoute() {
        InvalidRequestException thrown = catchThrowableOfType(InvalidRequestException.class,
                () -> client.payments().retrieve("../balance"));

        assertThat(thrown.statusCode()).isEqualTo(404);
    }

    @Test
    void listPaymentsThenNewestFirstPageWithCursor() {
        List<String> ids = createPayments(5);

        Page<Payment> first = client.payments().list(ListParams.builder().limit(2).build());
        Page<Payment> second = client.payments().list(ListParams.builder().limit(2)
                .startingAfter(first.data().get(1).id()).build());

        assertThat(first.url()).isEqualTo("/api/v1/payments");
        assertThat(first.hasMore()).isTrue();
        assertThat(first.data()).extracting(Payment::id).containsExactly(ids.get(4), ids.get(3));
        assertThat(second.data()).extracting(Payment::id).containsExactly(ids.get(2), ids.get(1));
        assertThat(client.payments().list().data()).hasSize(5);
        assertThat(client.payments().list().hasMore()).isFalse();
    }

    @Test
    void listAllPaymentsThenEveryPaymentExactlyOnceNewestFirst() {
        List<String> ids = createPayments(25);
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);

        List<String> iterated = new ArrayList<>();
        for (Payment payment : client.payments().listAll(ListParams.builder().limit(10).build())) {
            iterated.add(payment.id());
        }
        List<String> streamed = client.payments().listAll(ListParams.builder().limit(7).build()).stream()
                .map(Payment::id).collect(Collectors.toList());

        assertThat(iterated).containsExactlyElementsOf(newestFirst);
        assertThat(streamed).containsExactlyElementsOf(newestFirst);
        assertThat(client.payments().listAll().stream().count()).isEqualTo(25);
    }

    @Test
    void listAllFromACursorThenOnlyOlderPayments() {
        List<String> ids = createPayments(12);

        List<String> older = client.payments().listAll(ListParams.builder().limit(5).startingAfter(ids.get(6)).build())
                .stream().map(Payment::id).collect(Collectors.toList());

        assertThat(older).containsExactly(ids.get(5), ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
    }

    @Test
    void listAllOfAnEmptyAccountThenNothing() {
        assertThat(client.payments().listAll()).isEmpty();
        assertThat(client.customers().listAll().stream()).isEmpty();
    }

    /** {@code count} payments, oldest first; two share each second, so the id breaks the tie. */
    private List<String> createPayments(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                server.clock().advance(Duration.ofSeconds(1));
            }
            ids.add(client.payments().create(payment(1000 + 100L * i)).id());
        }
        // Within one second the list orders by id, newest first by id too.
        List<String> ordered = new ArrayList<>();
        for (int i = 0; i < count; i += 2) {
            List<String> sameSecond = new ArrayList<>(ids.subList(i, Math.min(i + 2, count)));
            sameSecond.sort(null);
            ordered.addAll(sameSecond);
        }
        return ordered;
    }

    // ---- refunds ----

    @Test
    void refundPartThenTheRestThenNothingLeft() {
        Payment payment = client.payments().create(payment(2000));

        Refund part = client.payments().refund(payment.id(), RefundCreateParams.amount(300));
        Refund rest = client.payments().refund(payment.id());

        assertThat(part.id()).matches("re_test_[0-9A-Za-z]{16}");
        assertThat(part.payment()).isEqualTo(payment.id());
        assertThat(part.amount()).isEqualTo(300);
        assertThat(part.currency()).isEqualTo("USD");
        assertThat(part.status()).isEqualTo(Refund.Status.SUCCEEDED);
        assertThat(part.livemode()).isFalse();
        assertThat(part.created()).isNotNull();
        assertThat(rest.amount()).isEqualTo(1700);
        Payment after = client.payments().retrieve(payment.id());
        assertThat(after.amountRefunded()).isEqualTo(2000);
        assertThat(after.amountRefundable()).isZero();
        InvalidRequestException thrown = catchThrowableOfType(InvalidRequestException.class,
                () -> client.payments().refund(payment.id()));
        assertThat(thrown.param()).isEqualTo("payment");
    }

    @Test
    void refundPendingPaymentThenInvalidRequest() {
        Payment pending = client.payments().create(payment(2001));

        assertThatThrownBy(() -> client.payments().refund(pending.id(), RefundCreateParams.amount(1)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo("payment");
                });
    }

    // ---- balance ----

    @Test
    void balanceThenSucceededLessRefundedAvailableAndPendingApart() {
        Payment paid = client.payments().create(payment(2000));
        client.payments().create(payment(1000));
        client.payments().create(payment(555));
        client.payments().create(payment(1002));
        client.payments().create(PaymentCreateParams.builder().amount(700).currency("eur").build());
        client.payments().refund(paid.id(), RefundCreateParams.amount(500));

        Balance balance = client.balance().retrieve();

        assertThat(balance.livemode()).isFalse();
        assertThat(balance.availableAmount("usd")).isEqualTo(2500);
        assertThat(balance.availableAmount("EUR")).isEqualTo(700);
        assertThat(balance.pendingAmount("USD")).isEqualTo(555);
        assertThat(balance.available()).extracting(Balance.Amount::currency).containsExactlyInAnyOrder("USD", "EUR");
    }

    // ---- customers ----

    @Test
    void createCustomerThenRetrieveAndList() {
        Customer ada = client.customers().create(CustomerCreateParams.builder()
                .email("Ada@Example.com").name("Ada Lovelace").build());
        server.clock().advance(Duration.ofSeconds(1));
        Customer grace = client.customers().create(CustomerCreateParams.builder().email("grace@example.com").build());

        assertThat(ada.id()).matches("cus_test_[0-9A-Za-z]{16}");
        assertThat(ada.email()).isEqualTo("ada@example.com");
        assertThat(ada.name()).isEqualTo("Ada Lovelace");
        assertThat(ada.livemode()).isFalse();
        assertThat(grace.name()).isNull();
        assertThat(client.customers().retrieve(ada.id())).isEqualTo(ada);
        Page<Customer> page = client.customers().list(ListParams.builder().limit(1).build());
        assertThat(page.data()).containsExactly(grace);
        assertThat(page.hasMore()).isTrue();
        assertThat(page.url()).isEqualTo("/api/v1/customers");
        assertThat(client.customers().list().data()).containsExactly(grace, ada);
    }

    @Test
    void listAllCustomersThenEveryCustomerExactlyOnce() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 13; i++) {
            created.add(client.customers().create(CustomerCreateParams.builder()
                    .email("customer" + i + "@example.com").build()).id());
        }

        List<String> listed = client.customers().listAll(ListParams.builder().limit(4).build()).stream()
                .map(Customer::id).collect(Collectors.toList());

        assertThat(listed).hasSize(13).doesNotHaveDuplicates();
        assertThat(new HashSet<>(listed)).isEqualTo(created);
    }

    @Test
    void createCustomerWithBadEmailThenInvalidRequest() {
        InvalidRequestException thrown = catchThrowableOfType(InvalidRequestException.class,
                () -> client.customers().create(CustomerCreateParams.builder().email("not an email").build()));

        assertThat(thrown.param()).isEqualTo("email");
    }

    // ---- idempotency and per-call options ----

    @Test
    void createTwiceWithOneIdempotencyKeyThenOnePayment() {
        RequestOptions once = RequestOptions.builder().idempotencyKey("order-1042").build();

        Payment first = client.payments().create(payment(4200), once);
        Payment replay = client.payments().create(payment(4200), once);

        assertThat(replay).isEqualTo(first);
        assertThat(client.payments().listAll()).extracting(Payment::id).containsExactly(first.id());
    }

    @Test
    void createWithoutIdempotencyKeyThenEachCallCreatesOne() {
        client.payments().create(payment(4200));
        client.payments().create(payment(4200));

        assertThat(client.payments().listAll()).hasSize(2);
    }

    @Test
    void idempotencyKeyReusedWithAnotherBodyThenConflict() {
        RequestOptions once = RequestOptions.builder().idempotencyKey("order-1043").build();
        client.payments().create(payment(4200), once);

        InvalidRequestException thrown = catchThrowableOfType(InvalidRequestException.class,
                () -> client.payments().create(payment(4300), once));

        assertThat(thrown.statusCode()).isEqualTo(409);
        assertThat(thrown.code()).isEqualTo("idempotency_key_reused");
    }

    @Test
    void requestOptionsWithAnotherKeyThenThatKeysAccount() {
        Account other = server.account();
        RequestOptions asOther = RequestOptions.builder().apiKey(server.secretKey(other).reveal()).build();

        assertThat(client.ping(asOther).account()).isEqualTo(other.id());
        Payment payment = client.payments().create(payment(1000), asOther);
        assertThat(client.payments().retrieve(payment.id(), asOther).id()).isEqualTo(payment.id());
        assertThatThrownBy(() -> client.payments().retrieve(payment.id()))
                .isInstanceOf(InvalidRequestException.class);
    }

    // ---- refused keys ----

    @Test
    void publicKeyOnSecretRoutesThenPermissionException() {
        String publicKey = server.publicKey(owner).reveal();
        KeygateClient publishable = client(publicKey);
        Payment payment = client.payments().create(payment(1000));

        List<Runnable> secretOnly = List.of(
                () -> publishable.payments().retrieve(payment.id()),
                () -> publishable.payments().list(),
                () -> publishable.payments().refund(payment.id()),
                () -> publishable.balance().retrieve(),
                () -> publishable.customers().create(CustomerCreateParams.builder().email("a@example.com").build()),
                () -> publishable.customers().list());
        for (Runnable call : secretOnly) {
            PermissionException thrown = catchThrowableOfType(PermissionException.class, call::run);
            assertThat(thrown.statusCode()).isEqualTo(403);
            assertThat(thrown.code()).isEqualTo("insufficient_permissions");
            assertThat(thrown.requestId()).startsWith("req_");
            Leaks.assertKeyNotIn(thrown, publicKey);
        }
        assertThat(sleeps).as("a 403 is not retried").isEmpty();
    }

    @Test
    void unknownKeyThenAuthenticationExceptionWithTheKeyMasked() {
        String unknown = ApiKey.generate(KeyType.SECRET, Environment.TEST, new SecureRandom()).reveal();

        AuthenticationException thrown = catchThrowableOfType(AuthenticationException.class,
                () -> client(unknown).ping());

        assertThat(thrown.statusCode()).isEqualTo(401);
        assertThat(thrown.code()).isEqualTo("invalid_api_key");
        assertThat(thrown.getMessage()).contains(ApiKey.mask(unknown));
        Leaks.assertKeyNotIn(thrown, unknown);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void keyPastedIntoAFieldThenNeverInTheException() {
        // The server echoes only id-shaped values; the SDK would mask a key-shaped one anyway
        // (ScriptedServerTest shows that with a server that does echo).
        InvalidRequestException thrown = catchThrowableOfType(InvalidRequestException.class,
                () -> client.payments().create(PaymentCreateParams.builder().amount(1000).currency("usd")
                        .customer(secretKey).build()));

        assertThat(thrown.param()).isEqualTo("customer");
        assertThat(thrown.getMessage()).contains("No such customer");
        Leaks.assertKeyNotIn(thrown, secretKey);
    }

    @Test
    void clientAndOptionsToStringThenKeyMasked() {
        RequestOptions options = RequestOptions.builder().apiKey(secretKey).build();

        assertThat(client.toString()).contains(ApiKey.mask(secretKey)).doesNotContain(secretKey);
        assertThat(options.toString()).contains(ApiKey.mask(secretKey)).doesNotContain(secretKey);
        assertThat(KeygateClient.builder(secretKey).toString()).doesNotContain(secretKey);
    }

    // ---- TLS ----

    @Test
    void trustedCertificatesFromPemThenConnects(@TempDir Path dir) throws Exception {
        Path pem = writeCertificatePem(server.trustStore(), dir.resolve("keygate-cert.pem"));

        try (KeygateClient fromPem = KeygateClient.builder(secretKey).baseUrl(server.baseUrl())
                .trustedCertificates(pem).build()) {
            assertThat(fromPem.ping().account()).isEqualTo(account);
        }
    }

    @Test
    void serverCertificateNotTrustedThenFailsAtOnceWithoutRetrying() {
        KeygateClient defaultTrust = KeygateClient.builder(secretKey).baseUrl(server.baseUrl())
                .sleeper(sleeps::add).build();

        ApiUnavailableException thrown = catchThrowableOfType(ApiUnavailableException.class, defaultTrust::ping);

        assertThat(thrown.statusCode()).isZero();
        assertThat(thrown.getMessage()).contains("TLS").contains("trustedCertificates");
        assertThat(sleeps).isEmpty();
        Leaks.assertKeyNotIn(thrown, secretKey);
    }

    @Test
    void hostNameNotInCertificateThenRefused() throws Exception {
        // The generated certificate names localhost, 127.0.0.1 and ::1; the host's own name reaches the
        // same server (it listens on every interface) but is not in it.
        String hostName = java.net.InetAddress.getLocalHost().getHostName();
        org.junit.jupiter.api.Assumptions.assumeFalse(hostName.equals("localhost"));
        KeygateClient wrongHost = KeygateClient.builder(secretKey)
                .baseUrl(server.baseUrl().replace("localhost", hostName))
                .trustStore(server.trustStore()).sleeper(sleeps::add).build();

        ApiUnavailableException thrown = catchThrowableOfType(ApiUnavailableException.class, wrongHost::ping);

        assertThat(thrown.getMessage()).contains("TLS");
        assertThat(sleeps).isEmpty();
    }

    /**
     * Writes the certificates of {@code keystore} as PEM to {@code file}, with the "Bag Attributes"
     * lines that {@code openssl pkcs12 -nokeys} (the README's export) puts before each.
     */
    private static Path writeCertificatePem(java.security.KeyStore keystore, Path file) throws Exception {
        StringBuilder pem = new StringBuilder();
        for (String alias : Collections.list(keystore.aliases())) {
            Certificate certificate = keystore.getCertificate(alias);
            if (certificate != null) {
                pem.append("Bag Attributes\n    friendlyName: ").append(alias).append('\n')
                        .append("subject=CN = localhost\n")
                        .append("-----BEGIN CERTIFICATE-----\n")
                        .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            }
        }
        return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }
}
