package dev.keygate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.keyformat.Malformation;
import dev.keygate.keyformat.MalformedApiKeyException;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Client-side checks that need no server: the key (SPEC section 2), the settings, the messages. */
class KeyCheckTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static String key(KeyType type, Environment environment) {
        return ApiKey.generate(type, environment, RANDOM).reveal();
    }

    @Test
    void keyWithATypoThenFailsAtOnceNamingTheProblemNotTheKey() throws Exception {
        String key = key(KeyType.SECRET, Environment.TEST);
        char last = key.charAt(ApiKey.LENGTH - 1);
        String typo = key.substring(0, ApiKey.LENGTH - 1) + (last == 'a' ? 'b' : 'a');

        try (ServerSocket listener = new ServerSocket(0)) {
            listener.setSoTimeout(200);
            MalformedApiKeyException thrown = catchThrowableOfType(MalformedApiKeyException.class,
                    () -> KeygateClient.builder(typo).baseUrl("https://localhost:" + listener.getLocalPort()).build()
                            .ping());

            assertThat(thrown.malformation()).isEqualTo(Malformation.CHECKSUM);
            assertThat(thrown.getMessage()).contains("checksum");
            Leaks.assertKeyNotIn(thrown, typo);
            assertThatThrownBy(listener::accept).as("no connection was made")
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void malformedKeysThenEachRefusedWithItsReason() {
        String key = key(KeyType.SECRET, Environment.TEST);

        assertThat(catchThrowableOfType(MalformedApiKeyException.class, () -> new KeygateClient("sk_test_oops"))
                .malformation()).isEqualTo(Malformation.LENGTH);
        assertThat(catchThrowableOfType(MalformedApiKeyException.class, () -> new KeygateClient("xk_" + key.substring(3)))
                .malformation()).isEqualTo(Malformation.PREFIX);
        assertThat(catchThrowableOfType(MalformedApiKeyException.class,
                () -> new KeygateClient(key.substring(0, 20) + "-" + key.substring(21))).malformation())
                .isEqualTo(Malformation.ALPHABET);
        assertThat(catchThrowableOfType(MalformedApiKeyException.class, () -> new KeygateClient(" " + key)))
                .hasMessageNotContaining(key.substring(8, 40));
        assertThatThrownBy(() -> new KeygateClient(null)).hasMessageContaining("API key is required");
    }

    @Test
    void malformedKeyInRequestOptionsThenFailsWhenBuilt() {
        String key = key(KeyType.PUBLIC, Environment.LIVE);
        String cut = key.substring(0, 40);

        MalformedApiKeyException thrown = catchThrowableOfType(MalformedApiKeyException.class,
                () -> RequestOptions.builder().apiKey(cut));

        Leaks.assertKeyNotIn(thrown, key);
    }

    @Test
    void environmentAndTypeThenReadFromTheKey() {
        assertThat(new KeygateClient(key(KeyType.SECRET, Environment.LIVE)).environment()).isEqualTo(Environment.LIVE);
        assertThat(new KeygateClient(key(KeyType.PUBLIC, Environment.TEST)).keyType()).isEqualTo(KeyType.PUBLIC);
        KeygateClient restricted = new KeygateClient(key(KeyType.RESTRICTED, Environment.LIVE));
        assertThat(restricted.keyType()).isEqualTo(KeyType.RESTRICTED);
        assertThat(restricted.environment()).isEqualTo(Environment.LIVE);
        assertThat(new KeygateClient(key(KeyType.SECRET, Environment.TEST)).baseUrl())
                .hasToString(KeygateClient.DEFAULT_BASE_URL);
    }

    @Test
    void baseUrlNotHttpsThenRefused() {
        KeygateClient.Builder builder = KeygateClient.builder(key(KeyType.SECRET, Environment.TEST));

        assertThatThrownBy(() -> builder.baseUrl("http://localhost:8080")).hasMessageContaining("https://");
        assertThatThrownBy(() -> builder.baseUrl("localhost:8443")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.baseUrl("https:///nohost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.baseUrl("https://user:pw@keygate.example"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.baseUrl("https://keygate.example/?api_key=x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(builder.baseUrl("https://keygate.example/gateway/").build().baseUrl())
                .hasToString("https://keygate.example/gateway/");
    }

    @Test
    void settingsOutOfRangeThenRefused() {
        KeygateClient.Builder builder = KeygateClient.builder(key(KeyType.SECRET, Environment.TEST));

        assertThatThrownBy(() -> builder.maxRetries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.maxRetries(KeygateClient.MAX_RETRIES_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.requestTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.maxRetryAfter(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.trustedCertificates(java.nio.file.Path.of("/nonexistent.pem"))
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read");
    }

    @Test
    void trustStoreAndPemBothThenRefused() throws Exception {
        java.security.KeyStore empty = java.security.KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        KeygateClient.Builder builder = KeygateClient.builder(key(KeyType.SECRET, Environment.TEST))
                .trustStore(empty).trustedCertificates(java.nio.file.Path.of("cert.pem"));

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> KeygateClient.builder(key(KeyType.SECRET, Environment.TEST)).trustStore(empty).build())
                .hasMessageContaining("no certificate");
    }

    @Test
    void idempotencyKeyOutOfShapeThenRefused() {
        assertThatThrownBy(() -> RequestOptions.builder().idempotencyKey("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestOptions.builder().idempotencyKey("x".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestOptions.builder().idempotencyKey("line\nbreak"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RequestOptions.builder().idempotencyKey("x".repeat(255)).build().idempotencyKey()).isPresent();
    }

    @Test
    void paramsMissingRequiredFieldsThenRefused() {
        assertThatThrownBy(() -> PaymentCreateParams.builder().currency("usd").build())
                .hasMessageContaining("amount");
        assertThatThrownBy(() -> PaymentCreateParams.builder().amount(1).build()).hasMessageContaining("currency");
        assertThatThrownBy(() -> CustomerCreateParams.builder().name("Ada").build()).hasMessageContaining("email");
        assertThatThrownBy(() -> ListParams.builder().limit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ListParams.builder().limit(101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exceptionGivenAKeyThenMessageAndToStringMaskIt() {
        String key = key(KeyType.SECRET, Environment.LIVE);

        KeygateException thrown = new PermissionException("Refused " + key + " and " + key.substring(0, 30), 403,
                "insufficient_permissions", "req_0123456789abcdef", null, null);

        assertThat(thrown.getMessage()).isEqualTo("Refused " + ApiKey.mask(key) + " and sk_live_... [status 403, "
                + "code insufficient_permissions, request_id req_0123456789abcdef]");
        Leaks.assertKeyNotIn(thrown, key);
    }
}
