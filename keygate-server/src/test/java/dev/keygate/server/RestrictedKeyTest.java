package dev.keygate.server;

import static dev.keygate.server.testing.TestServer.INSUFFICIENT_SCOPE;
import static dev.keygate.server.testing.TestServer.bearer;
import static dev.keygate.server.testing.TestServer.header;
import static dev.keygate.server.testing.TestServer.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.accounts.Account;
import dev.keygate.core.keys.Credential;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Base62;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.server.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A restricted key ({@code rk_}, SPEC section 12) is refused on every route with
 * {@code 403 insufficient_permissions} until key policies are enforced. The stores cannot hold one
 * yet, so the server's store is wrapped to know one.
 */
class RestrictedKeyTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ApiKey RESTRICTED = ApiKey.generate(KeyType.RESTRICTED, Environment.TEST, RANDOM);
    private static final AtomicReference<Credential> CREDENTIAL = new AtomicReference<>();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.builder().wrapStore(RestrictedKeyTest::knowingTheRestrictedKey).start();
        Account account = server.account();
        CREDENTIAL.set(new Credential(new KeyRecord("key_" + Base62.random(RANDOM, 16), account.id(),
                KeyType.RESTRICTED, Environment.TEST, "Restricted key", RESTRICTED.last4(), Optional.empty(),
                Instant.parse("2026-01-01T00:00:00Z"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty()), OptionalInt.empty()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static KeyStore knowingTheRestrictedKey(KeyStore real) {
        KeyDigest digest = KeyDigest.of(RESTRICTED);
        return (KeyStore) Proxy.newProxyInstance(KeyStore.class.getClassLoader(), new Class<?>[] {KeyStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("findCredential") && digest.equals(args[0])) {
                        return Optional.ofNullable(CREDENTIAL.get());
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void pingAndBalanceWhenRestrictedKeyThenInsufficientPermissionsWithLimitFields() {
        for (String path : new String[] {"/api/v1/ping", "/api/v1/balance", "/api/v1/payments"}) {
            HttpResponse<String> response = server.get(path, "Authorization", bearer(RESTRICTED));

            JsonObject body = problem(response, 403, "insufficient_permissions");
            assertThat(header(response, "WWW-Authenticate")).contains(INSUFFICIENT_SCOPE);
            assertThat(header(response, "RateLimit")).isPresent();
            assertThat(body.getString("detail")).doesNotContain(RESTRICTED.reveal());
        }
    }

    @Test
    void pingWhenRestrictedKeySentByBrowserThenSecretKeyInBrowser() {
        HttpResponse<String> response = server.get("/api/v1/ping", "Authorization", bearer(RESTRICTED),
                "Origin", "https://shop.example");

        problem(response, 403, "secret_key_in_browser");
    }

    @Test
    void pingWhenRestrictedKeyInUrlThenRefusedAndNeverUsed() {
        HttpResponse<String> response = server.get("/api/v1/ping?api_key=" + RESTRICTED.reveal());

        JsonObject body = problem(response, 400, "api_key_in_url");
        assertThat(body.toString()).doesNotContain(RESTRICTED.reveal());
    }
}
