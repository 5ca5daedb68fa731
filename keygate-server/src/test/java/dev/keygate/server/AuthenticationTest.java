package dev.keygate.server;

import static dev.keygate.server.testing.TestServer.CHALLENGE;
import static dev.keygate.server.testing.TestServer.INSUFFICIENT_SCOPE;
import static dev.keygate.server.testing.TestServer.INVALID_TOKEN;
import static dev.keygate.server.testing.TestServer.bearer;
import static dev.keygate.server.testing.TestServer.header;
import static dev.keygate.server.testing.TestServer.poll;
import static dev.keygate.server.testing.TestServer.problem;
import static dev.keygate.server.testing.TestServer.requestId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.accounts.Account;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.server.testing.FlakyKeyStore;
import dev.keygate.server.testing.LogCapture;
import dev.keygate.server.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC section 3 over real HTTPS: one test per row of the table of refusals, and the rules about
 * where the key may travel. Each test makes its own account, so tests share one server.
 */
class AuthenticationTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    // ---- accepted ----

    @Test
    void pingWhenSecretKeyThenOkWithWhoIsCalling() {
        Account account = server.account();
        ApiKey key = server.secretKey(account);
        KeyRecord record = server.record(account, key);

        HttpResponse<String> response = server.ping(key);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject()
                .put("ok", true)
                .put("account", account.id())
                .put("environment", "test")
                .put("key_type", "secret")
                .put("key_id", record.id()));
        requestId(response);
        assertThat(header(response, "RateLimit-Policy")).isPresent();
        assertThat(header(response, "RateLimit")).isPresent();
        assertThat(header(response, "Sunset")).as("a key without expires_at has no Sunset").isEmpty();
        assertThat(header(response, "WWW-Authenticate")).isEmpty();
    }

    @Test
    void pingWhenPublicKeyThenOkWithKeyTypePublic() {
        Account account = server.account();

        HttpResponse<String> response = server.ping(server.publicKey(account));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getString("key_type")).isEqualTo("public");
        assertThat(body.getString("account")).isEqualTo(account.id());
        assertThat(body.getString("environment")).isEqualTo("test");
    }

    @Test
    void pingWhenLiveKeyThenEnvironmentLive() {
        Account account = server.account();

        HttpResponse<String> response = server.ping(server.key(account, KeyType.SECRET, Environment.LIVE));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getString("environment")).isEqualTo("live");
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"bEaReR %s", "BEARER %s", "bearer %s", "Bearer    %s",
        "  Bearer %s  ", "\tBearer %s\t"})
    void pingWhenSchemeCaseOrWhitespaceVariesThenAccepted(String format) {
        ApiKey key = server.secretKey(server.account());

        HttpResponse<String> response = server.get("/api/v1/ping", "Authorization", format.formatted(key.reveal()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    // ---- 401 missing_api_key ----

    @Test
    void pingWhenNoAuthorizationHeaderThenMissingApiKey() {
        HttpResponse<String> response = server.get("/api/v1/ping");

        problem(response, 401, "missing_api_key");
        assertThat(header(response, "WWW-Authenticate")).contains(CHALLENGE);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", "   ", "Basic xyz", "Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", "bearer",
        "Token sk_test_00000000000000000000000000000000000000", "Bearersk_test_0000000000000000000000000000000000"})
    void pingWhenAuthorizationEmptyOrOtherSchemeThenMissingApiKey(String authorization) {
        HttpResponse<String> response = server.get("/api/v1/ping", "Authorization", authorization);

        problem(response, 401, "missing_api_key");
        assertThat(header(response, "WWW-Authenticate")).contains(CHALLENGE);
    }

    @Test
    void pingWhenOtherSchemeCarriesValidKeyThenMissingApiKey() {
        ApiKey key = server.secretKey(server.account());

        HttpResponse<String> response = server.get("/api/v1/ping", "Authorization", "Token " + key.reveal());

        problem(response, 401, "missing_api_key");
    }

    @Test
    void pingWhenOnlyDashboardCookieThenMissingApiKey() {
        ApiKey key = server.secretKey(server.account());

        HttpResponse<String> response = server.get("/api/v1/ping",
                "Cookie", "keygate_session=s3ss10n; csrf=abc; api_key=" + key.reveal());

        problem(response, 401, "missing_api_key");
        assertThat(header(response, "WWW-Authenticate")).contains(CHALLENGE);
    }

    // ---- 401 malformed_api_key ----

    static Stream<Arguments> malformedKeys() {
        String valid = ApiKey.generate(KeyType.SECRET, Environment.TEST, RANDOM).reveal();
        char last = valid.charAt(valid.length() - 1);
        String badChecksum = valid.substring(0, valid.length() - 1) + (last == 'a' ? 'b' : 'a');
        return Stream.of(
                Arguments.of("wrong prefix", "xk_test_" + valid.substring(8)),
                Arguments.of("unknown environment", "sk_prod_" + valid.substring(8)),
                Arguments.of("upper-case prefix", "SK_TEST_" + valid.substring(8)),
                Arguments.of("too short", valid.substring(0, valid.length() - 1)),
                Arguments.of("too long", valid + "0"),
                Arguments.of("bad alphabet", valid.substring(0, 20) + "-" + valid.substring(21)),
                Arguments.of("non-ASCII letter", valid.substring(0, 20) + "é" + valid.substring(21)),
                Arguments.of("bad checksum", badChecksum),
                Arguments.of("just a prefix", "sk_test_"),
                Arguments.of("not a key at all", "hunter2"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformedKeys")
    void pingWhenKeyMalformedThenMalformedApiKey(String what, String presented) {
        HttpResponse<String> response = server.get("/api/v1/ping", "Authorization", "Bearer " + presented);

        problem(response, 401, "malformed_api_key");
        assertThat(header(response, "WWW-Authenticate")).contains(INVALID_TOKEN);
        if (presented.length() > 8) {
            // what follows the prefix is the secret part: never echoed, not even in part
            assertThat(response.body()).doesNotContain(presented).doesNotContain(presented.substring(8, 20));
        }
    }

    // ---- 401 invalid_api_key ----

    @Test
    void pingWhenKeyWellFormedButUnknownThenInvalidApiKeyWithMaskedKey() {
        ApiKey unknown = ApiKey.generate(KeyType.SECRET, Environment.TEST, RANDOM);

        HttpResponse<String> response = server.ping(unknown);

        JsonObject body = problem(response, 401, "invalid_api_key");
        assertThat(header(response, "WWW-Authenticate")).contains(INVALID_TOKEN);
        String masked = "sk_test_..." + unknown.reveal().substring(42);
        assertThat(body.getString("detail")).contains(masked);
        assertThat(response.body()).doesNotContain(unknown.reveal())
                .doesNotContain(unknown.reveal().substring(8, 42));
    }

    @Test
    void pingWhenKeyDeletedThenInvalidApiKeyWithinOneSecond() {
        Account account = server.account();
        ApiKey key = server.secretKey(account);
        assertThat(server.ping(key).statusCode()).as("the key works and is now cached").isEqualTo(200);

        long deletedAt = System.nanoTime();
        assertThat(server.keys().delete(server.record(account, key).id())).isTrue();
        HttpResponse<String> response = poll(Duration.ofSeconds(1), () -> server.ping(key),
                r -> r.statusCode() == 401);
        Duration took = Duration.ofNanos(System.nanoTime() - deletedAt);

        JsonObject body = problem(response, 401, "invalid_api_key");
        assertThat(took).isLessThanOrEqualTo(Duration.ofMillis(1_100));
        assertThat(header(response, "WWW-Authenticate")).contains(INVALID_TOKEN);
        assertThat(body.getString("detail")).contains(key.masked()).doesNotContain(key.reveal());
        assertThat(response.body()).doesNotContain(account.id());
        // and it stays refused
        problem(server.ping(key), 401, "invalid_api_key");
    }

    @Test
    void pingWhenOtherKeyOfAccountDeletedThenThisKeyStillWorks() {
        Account account = server.account();
        ApiKey kept = server.secretKey(account);
        ApiKey deleted = server.secretKey(account);
        server.keys().delete(server.record(account, deleted).id());

        poll(Duration.ofSeconds(1), () -> server.ping(deleted), r -> r.statusCode() == 401);

        assertThat(server.ping(kept).statusCode()).isEqualTo(200);
    }

    // ---- 401 api_key_expired ----

    @Test
    void pingWhenKeyPastExpiresAtThenExpiredAndSunsetBefore() {
        try (TestServer own = TestServer.start()) {
            Account account = own.account();
            Instant expiresAt = TestServer.START.plus(Duration.ofHours(1));
            ApiKey key = own.seedKey(account, KeyType.SECRET, Environment.TEST, Optional.of(expiresAt));

            own.clock().set(expiresAt.minusSeconds(1));
            HttpResponse<String> before = own.ping(key);

            assertThat(before.statusCode()).isEqualTo(200);
            assertThat(header(before, "Sunset")).contains("Mon, 23 Nov 2026 10:00:00 GMT");

            own.clock().advance(Duration.ofSeconds(2));
            HttpResponse<String> after = own.ping(key);

            JsonObject body = problem(after, 401, "api_key_expired");
            assertThat(header(after, "WWW-Authenticate")).contains(INVALID_TOKEN);
            assertThat(header(after, "Sunset")).isEmpty();
            assertThat(body.getString("detail")).contains(key.masked()).doesNotContain(key.reveal());
        }
    }

    @Test
    void pingWhenKeyExpiresAtExactlyNowThenExpired() {
        Account account = server.account();
        Instant expiresAt = server.clock().instant().plus(Duration.ofMinutes(5));
        ApiKey key = server.seedKey(account, KeyType.PUBLIC, Environment.TEST, Optional.of(expiresAt));
        assertThat(server.ping(key).statusCode()).isEqualTo(200);

        server.clock().set(expiresAt);

        problem(server.ping(key), 401, "api_key_expired");
    }

    @Test
    void sunsetWhenDayOfMonthHasOneDigitThenTwoDigitsInImfFixdate() {
        Account account = server.account();
        Instant expiresAt = Instant.parse("2030-03-05T07:08:09Z");
        ApiKey key = server.seedKey(account, KeyType.SECRET, Environment.TEST, Optional.of(expiresAt));

        HttpResponse<String> response = server.ping(key);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Sunset")).contains("Tue, 05 Mar 2030 07:08:09 GMT");
    }

    // ---- 403 insufficient_permissions ----

    @Test
    void balanceWhenPublicKeyThenInsufficientPermissions() {
        Account account = server.account();
        ApiKey key = server.publicKey(account);

        HttpResponse<String> response = server.get("/api/v1/balance", "Authorization", bearer(key));

        problem(response, 403, "insufficient_permissions");
        assertThat(header(response, "WWW-Authenticate")).contains(INSUFFICIENT_SCOPE);
        assertThat(header(response, "Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void balanceWhenSecretKeyThenOk() {
        ApiKey key = server.secretKey(server.account());

        HttpResponse<String> response = server.get("/api/v1/balance", "Authorization", bearer(key));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getString("object")).isEqualTo("balance");
    }

    // ---- 403 secret_key_in_browser ----

    @Test
    void pingWhenSecretKeySentWithOriginThenSecretKeyInBrowserAndKeyFlaggedExposed() {
        Account account = server.account();
        ApiKey key = server.secretKey(account);
        assertThat(server.record(account, key).exposedAt()).isEmpty();

        HttpResponse<String> response = server.ping(key, "Origin", "https://shop.example.com");

        JsonObject body = problem(response, 403, "secret_key_in_browser");
        assertThat(header(response, "WWW-Authenticate")).isEmpty();
        assertThat(body.getString("detail")).doesNotContain(key.reveal());
        KeyRecord flagged = poll(Duration.ofSeconds(10), () -> server.record(account, key),
                record -> record.exposedAt().isPresent());
        assertThat(flagged.exposedAt()).contains(server.clock().instant());
    }

    @Test
    void pingWhenPublicKeySentWithOriginThenAccepted() {
        Account account = server.account();
        ApiKey key = server.publicKey(account);

        HttpResponse<String> response = server.ping(key, "Origin", "https://shop.example.com");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(server.record(account, key).exposedAt()).isEmpty();
    }

    // ---- 429 rate_limit_exceeded ----

    @Test
    void pingWhenAccountLimitReachedThenRateLimitExceeded() {
        Account account = server.account();
        server.accounts().setRateLimit(account.id(), 1);
        ApiKey key = server.secretKey(account);
        assertThat(server.ping(key).statusCode()).isEqualTo(200);

        HttpResponse<String> response = server.ping(key);

        JsonObject body = problem(response, 429, "rate_limit_exceeded");
        assertThat(header(response, "WWW-Authenticate")).isEmpty();
        assertThat(header(response, "Retry-After")).contains("60");
        assertThat(header(response, "RateLimit-Policy")).contains("\"default\";q=1;w=60");
        assertThat(header(response, "RateLimit")).contains("\"default\";r=0;t=60");
        assertThat(body.getString("detail")).doesNotContain(key.reveal());
    }

    // ---- 503 service_unavailable ----

    @Test
    void pingWhenStoreDownAndKeyNotCachedThenServiceUnavailableNeverUnauthorized() {
        FlakyKeyStore[] flaky = new FlakyKeyStore[1];
        try (TestServer own = TestServer.builder()
                .wrapStore(real -> flaky[0] = new FlakyKeyStore(real))
                .start()) {
            Account account = own.account();
            ApiKey key = own.secretKey(account);
            flaky[0].down(true);

            HttpResponse<String> during = own.ping(key);

            JsonObject body = problem(during, 503, "service_unavailable");
            assertThat(header(during, "WWW-Authenticate")).isEmpty();
            assertThat(header(during, "Retry-After")).contains("1");
            assertThat(body.getString("detail")).doesNotContain(key.reveal());
            problem(own.get("/readyz"), 503, "service_unavailable");

            flaky[0].down(false);
            HttpResponse<String> after = own.ping(key);

            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(own.get("/readyz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void pingWhenStoreDownAndUnknownKeyThenServiceUnavailableNotInvalid() {
        FlakyKeyStore[] flaky = new FlakyKeyStore[1];
        try (TestServer own = TestServer.builder()
                .wrapStore(real -> flaky[0] = new FlakyKeyStore(real))
                .start()) {
            flaky[0].down(true);

            HttpResponse<String> response = own.ping(ApiKey.generate(KeyType.SECRET, Environment.LIVE, RANDOM));

            problem(response, 503, "service_unavailable");
        }
    }

    @Test
    void pingWhenStoreDownAndKeyMalformedThenMalformedWithoutAskingStore() {
        FlakyKeyStore[] flaky = new FlakyKeyStore[1];
        try (TestServer own = TestServer.builder()
                .wrapStore(real -> flaky[0] = new FlakyKeyStore(real))
                .start()) {
            flaky[0].down(true);
            int lookupsBefore = flaky[0].credentialLookups();

            HttpResponse<String> response = own.get("/api/v1/ping", "Authorization", "Bearer sk_test_typo");

            problem(response, 401, "malformed_api_key");
            assertThat(flaky[0].credentialLookups()).isEqualTo(lookupsBefore);
        }
    }

    // ---- the key travels only in the Authorization header ----

    @ParameterizedTest(name = "[{index}] ?{0}=")
    @ValueSource(strings = {"api_key", "access_token", "key"})
    void pingWhenKeyInQueryThenApiKeyInUrlEvenWithValidHeader(String parameter) {
        Account account = server.account();
        server.accounts().setRateLimit(account.id(), 5);
        ApiKey key = server.secretKey(account);

        HttpResponse<String> response = server.get("/api/v1/ping?" + parameter + "=" + key.reveal(),
                "Authorization", bearer(key));

        JsonObject body = problem(response, 400, "api_key_in_url");
        assertThat(header(response, "WWW-Authenticate")).isEmpty();
        assertThat(body.getString("detail")).doesNotContain(key.reveal());
        assertThat(header(server.ping(key), "RateLimit"))
                .as("the refused request was not counted against the limit")
                .hasValueSatisfying(value -> assertThat(value).startsWith("\"default\";r=4;"));
    }

    @Test
    void pingWhenKeyInQueryWithoutHeaderThenApiKeyInUrl() {
        ApiKey key = server.secretKey(server.account());

        problem(server.get("/api/v1/ping?key=" + key.reveal()), 400, "api_key_in_url");
        problem(server.get("/api/v1/ping?access_token="), 400, "api_key_in_url");
    }

    /** The key's text with its "_" after the type, or its first letter, written as a percent-escape. */
    static Stream<Arguments> escapedKeysInUrls() {
        return Stream.of(
                Arguments.of("query value, %5F", "/api/v1/ping?ref=%s", "%5F"),
                Arguments.of("path, %5F", "/api/v1/ping/%s", "%5F"),
                Arguments.of("path, %5f", "/api/v1/%s", "%5f"),
                Arguments.of("escape of an escape, %255F", "/api/v1/ping?ref=%s", "%255F"),
                Arguments.of("first letter escaped", "/api/v1/ping?ref=%s", "first"),
                Arguments.of("beside a malformed escape", "/api/v1/ping?ref=%s&x=%%zz", "%5F"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("escapedKeysInUrls")
    void pingWhenKeyPercentEscapedInUrlThenApiKeyInUrlAndLogsMaskIt(String where, String urlFormat, String escape)
            throws Exception {
        ApiKey key = server.secretKey(server.account());
        String text = key.reveal();
        String escaped = escape.equals("first")
                ? "%" + Integer.toHexString(text.charAt(0)) + text.substring(1)
                : text.substring(0, 2) + escape + text.substring(3);
        String url = urlFormat.formatted(escaped);
        LogCapture lines = LogCapture.of("keygate.access");
        String answer;
        try (lines) {
            // Sent as written: java.net.URI would refuse "%zz".
            answer = server.rawHttps("GET " + url + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + bearer(key)
                    + "\r\nConnection: close\r\n\r\n");
            poll(Duration.ofSeconds(10), () -> lines.events().size(), size -> size > 0);
        }

        assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":\"api_key_in_url\"")
                .doesNotContain(text.substring(8)).doesNotContain(escaped.substring(10));
        assertThat(lines.messages()).singleElement().satisfies(line -> assertThat(line)
                .contains(" 400 ")
                .doesNotContain(text.substring(12))
                .doesNotContain(escaped.substring(12)));
    }

    @Test
    void pingWhenUnrelatedQueryParameterThenInvalidRequest() {
        ApiKey key = server.secretKey(server.account());

        HttpResponse<String> response = server.get("/api/v1/ping?expand=account&keyword=x",
                "Authorization", bearer(key));

        assertThat(problem(response, 400, "invalid_request").getString("param")).isIn("expand", "keyword");
    }

    @Test
    void pingWhenTwoAuthorizationHeadersThenInvalidRequest() {
        Account account = server.account();
        ApiKey first = server.secretKey(account);
        ApiKey second = server.secretKey(account);

        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.https("/api/v1/ping"))
                .header("Authorization", bearer(first))
                .header("Authorization", bearer(second)));

        JsonObject body = problem(response, 400, "invalid_request");
        assertThat(header(response, "WWW-Authenticate")).isEmpty();
        assertThat(response.body()).doesNotContain(first.reveal()).doesNotContain(second.reveal());
        assertThat(body.getString("detail")).isNotBlank();
    }

    @Test
    void pingWhenSameKeyInTwoAuthorizationHeadersThenInvalidRequest() {
        ApiKey key = server.secretKey(server.account());

        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.https("/api/v1/ping"))
                .header("Authorization", bearer(key))
                .header("Authorization", bearer(key)));

        problem(response, 400, "invalid_request");
    }

    @Test
    void pingWhenQueryStringBadlyEncodedThenInvalidRequestNeverServerError() throws Exception {
        ApiKey key = server.secretKey(server.account());

        // java.net.URI refuses "%zz", so the request goes out as written.
        String answer = server.rawHttps("GET /api/v1/ping?a=%zz HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + bearer(key) + "\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":\"invalid_request\"")
                .containsIgnoringCase("Request-Id: req_");
    }

    @Test
    void pingWhenCorsPreflightThenAnsweredForAnyOrigin() {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.https("/api/v1/ping"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://shop.example.com")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization"));

        assertThat(response.statusCode()).isBetween(200, 204);
        assertThat(header(response, "Access-Control-Allow-Origin")).isPresent();
    }

    // ---- every response ----

    @Test
    void everyResponseWhenAnyOutcomeThenCarriesRequestIdAndHsts() {
        Account account = server.account();
        ApiKey key = server.secretKey(account);
        List<HttpResponse<String>> responses = new ArrayList<>();
        responses.add(server.get("/healthz"));
        responses.add(server.get("/readyz"));
        responses.add(server.ping(key));
        responses.add(server.get("/api/v1/ping"));
        responses.add(server.get("/api/v1/nope", "Authorization", bearer(key)));
        responses.add(server.get("/nope"));
        responses.add(server.get("/api/v1/balance", "Authorization", bearer(server.publicKey(account))));

        List<String> ids = responses.stream().map(TestServer::requestId).toList();

        assertThat(ids).doesNotHaveDuplicates();
        assertThat(responses).allSatisfy(response -> assertThat(header(response, "Strict-Transport-Security"))
                .hasValueSatisfying(hsts -> assertThat(hsts).startsWith("max-age=")));
    }

    @Test
    void healthzAndReadyzWhenNoKeyThenOk() {
        HttpResponse<String> health = server.get("/healthz");
        HttpResponse<String> ready = server.get("/readyz");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(header(health, "RateLimit")).isEmpty();
    }

    @Test
    void unknownApiRouteWhenValidKeyThenNotFoundProblem() {
        ApiKey key = server.secretKey(server.account());

        HttpResponse<String> response = server.get("/api/v1/nope", "Authorization", bearer(key));

        problem(response, 404, "resource_missing");
    }

    @Test
    void unknownApiRouteWhenNoKeyThenMissingApiKey() {
        problem(server.get("/api/v1/nope"), 401, "missing_api_key");
    }

    @Test
    void unknownRouteOutsideApiThenNotFoundProblem() {
        problem(server.get("/definitely/not/here"), 404, "resource_missing");
    }

    // ---- 401, 403 and 429 never reveal other accounts or keys ----

    @Test
    void refusalsWhenKeysOfAnotherAccountThenBodiesNameNoAccountOrKey() {
        Account mine = server.account();
        Account other = server.account();
        ApiKey otherSecret = server.secretKey(other);
        ApiKey otherPublic = server.publicKey(other);
        ApiKey otherDeleted = server.secretKey(other);
        ApiKey otherExpired = server.seedKey(other, KeyType.SECRET, Environment.TEST,
                Optional.of(server.clock().instant().minusSeconds(1)));
        server.keys().delete(server.record(other, otherDeleted).id());
        server.accounts().setRateLimit(other.id(), 2);
        ApiKey myKey = server.secretKey(mine);
        List<String> otherKeyIds = server.keys().list(other.id()).stream().map(KeyRecord::id).toList();

        List<HttpResponse<String>> refusals = new ArrayList<>();
        refusals.add(poll(Duration.ofSeconds(1), () -> server.ping(otherDeleted), r -> r.statusCode() == 401));
        refusals.add(server.ping(otherExpired));
        refusals.add(server.ping(ApiKey.generate(KeyType.SECRET, Environment.TEST, RANDOM)));
        refusals.add(server.get("/api/v1/balance", "Authorization", bearer(otherPublic)));
        refusals.add(server.ping(otherSecret, "Origin", "https://evil.example"));
        // Refusals are not counted: the limit of 2 is still whole.
        assertThat(server.ping(otherSecret).statusCode()).isEqualTo(200);
        assertThat(server.ping(otherSecret).statusCode()).isEqualTo(200);
        refusals.add(server.ping(otherSecret));

        assertThat(refusals).extracting(HttpResponse::statusCode).containsExactly(401, 401, 401, 403, 403, 429);
        assertThat(refusals).allSatisfy(response -> {
            assertThat(response.body()).doesNotContain(mine.id()).doesNotContain(other.id()).doesNotContain("acct_");
            assertThat(otherKeyIds).noneSatisfy(id -> assertThat(response.body()).contains(id));
            assertThat(response.headers().map().toString()).doesNotContain(other.id()).doesNotContain(mine.id());
        });
        assertThat(server.ping(myKey).statusCode()).isEqualTo(200);
    }
}
