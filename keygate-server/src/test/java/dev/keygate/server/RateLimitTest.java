package dev.keygate.server;

import static dev.keygate.server.testing.TestServer.bearer;
import static dev.keygate.server.testing.TestServer.header;
import static dev.keygate.server.testing.TestServer.poll;
import static dev.keygate.server.testing.TestServer.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.accounts.Account;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.server.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPEC section 4 over real HTTPS, with the server's clock moved by the test: the rolling 60-second
 * window, the shared bucket per account and environment, the {@code RateLimit} fields of
 * draft-ietf-httpapi-ratelimit-headers-11 and an exact {@code Retry-After}.
 */
class RateLimitTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void pingWhenDefaultLimitUsedUpThen121stRefusedUntilOldestLeavesWindow() {
        try (TestServer server = TestServer.start()) {
            ApiKey key = server.secretKey(server.account());
            Instant t = server.clock().instant();

            assertAccepted(server.ping(key), 120, 119, 60);
            server.clock().advance(Duration.ofSeconds(10));
            for (int remaining = 118; remaining >= 0; remaining--) {
                assertAccepted(server.ping(key), 120, remaining, 50);
            }

            HttpResponse<String> refused = server.ping(key);

            JsonObject body = problem(refused, 429, "rate_limit_exceeded");
            assertThat(header(refused, "Retry-After")).contains("50");
            assertThat(header(refused, "RateLimit-Policy")).contains("\"default\";q=120;w=60");
            assertThat(header(refused, "RateLimit")).contains("\"default\";r=0;t=50");
            assertThat(header(refused, "WWW-Authenticate")).isEmpty();
            assertThat(body.getString("detail")).doesNotContain(key.reveal());

            server.clock().set(t.plus(Duration.ofSeconds(60)).minusMillis(1));
            HttpResponse<String> stillRefused = server.ping(key);

            problem(stillRefused, 429, "rate_limit_exceeded");
            assertThat(header(stillRefused, "Retry-After")).contains("1");

            server.clock().set(t.plus(Duration.ofSeconds(60)));
            HttpResponse<String> acceptedAgain = server.ping(key);

            assertAccepted(acceptedAgain, 120, 0, 10);
            HttpResponse<String> next = server.ping(key);
            problem(next, 429, "rate_limit_exceeded");
            assertThat(header(next, "Retry-After")).contains("10");
        }
    }

    @Test
    void pingWhenKeysOfSameAccountAndEnvironmentThenTheyShareTheLimit() {
        try (TestServer server = TestServer.builder().rateLimit(3).start()) {
            Account account = server.account();
            ApiKey secret = server.secretKey(account);
            ApiKey otherSecret = server.secretKey(account);
            ApiKey publishable = server.publicKey(account);

            assertAccepted(server.ping(secret), 3, 2, 60);
            assertAccepted(server.ping(otherSecret), 3, 1, 60);
            assertAccepted(server.ping(publishable), 3, 0, 60);

            problem(server.ping(secret), 429, "rate_limit_exceeded");
            problem(server.ping(otherSecret), 429, "rate_limit_exceeded");
            problem(server.ping(publishable), 429, "rate_limit_exceeded");
        }
    }

    @Test
    void pingWhenOtherEnvironmentOrAccountThenLimitNotShared() {
        try (TestServer server = TestServer.builder().rateLimit(2).start()) {
            Account account = server.account();
            ApiKey test = server.secretKey(account);
            ApiKey live = server.key(account, KeyType.SECRET, Environment.LIVE);
            ApiKey otherAccountTest = server.secretKey(server.account());
            server.ping(test);
            server.ping(test);
            problem(server.ping(test), 429, "rate_limit_exceeded");

            assertAccepted(server.ping(live), 2, 1, 60);
            assertAccepted(server.ping(otherAccountTest), 2, 1, 60);
        }
    }

    @Test
    void pingWhenRefusedThenRefusalNotCounted() {
        try (TestServer server = TestServer.builder().rateLimit(3).start()) {
            ApiKey key = server.secretKey(server.account());
            for (int i = 0; i < 3; i++) {
                assertThat(server.ping(key).statusCode()).isEqualTo(200);
            }
            server.clock().advance(Duration.ofSeconds(30));
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> refused = server.ping(key);
                problem(refused, 429, "rate_limit_exceeded");
                assertThat(header(refused, "Retry-After")).contains("30");
            }

            server.clock().advance(Duration.ofSeconds(30));

            // Had the refusals at +30 s counted, they would still fill the window now.
            assertAccepted(server.ping(key), 3, 2, 60);
            assertAccepted(server.ping(key), 3, 1, 60);
            assertAccepted(server.ping(key), 3, 0, 60);
            problem(server.ping(key), 429, "rate_limit_exceeded");
        }
    }

    @Test
    void pingWhenWindowRollsThenOnlyRequestsOfTheLast60SecondsCount() {
        try (TestServer server = TestServer.builder().rateLimit(3).start()) {
            ApiKey key = server.secretKey(server.account());
            assertAccepted(server.ping(key), 3, 2, 60);
            server.clock().advance(Duration.ofSeconds(20));
            assertAccepted(server.ping(key), 3, 1, 40);
            server.clock().advance(Duration.ofSeconds(20));
            assertAccepted(server.ping(key), 3, 0, 20);

            server.clock().advance(Duration.ofSeconds(20));
            assertAccepted(server.ping(key), 3, 0, 20);
            server.clock().advance(SECOND);

            HttpResponse<String> refused = server.ping(key);

            problem(refused, 429, "rate_limit_exceeded");
            assertThat(header(refused, "Retry-After")).contains("19");
        }
    }

    @Test
    void retryAfterWhenWaitIsNotWholeSecondsThenRoundedUp() {
        try (TestServer server = TestServer.builder().rateLimit(1).start()) {
            ApiKey key = server.secretKey(server.account());
            assertThat(server.ping(key).statusCode()).isEqualTo(200);
            server.clock().advance(Duration.ofMillis(30_500));

            HttpResponse<String> refused = server.ping(key);

            problem(refused, 429, "rate_limit_exceeded");
            // 29.5 s to wait: a client retrying after 29 s would be refused again.
            assertThat(header(refused, "Retry-After")).contains("30");
        }
    }

    @Test
    void pingWhenAccountLimitChangedThenAppliedWithinOneSecond() {
        try (TestServer server = TestServer.builder().rateLimit(1_000).start()) {
            Account account = server.account();
            ApiKey key = server.secretKey(account);
            assertAccepted(server.ping(key), 1_000, 999, 60);

            long changedAt = System.nanoTime();
            server.accounts().setRateLimit(account.id(), 2);
            HttpResponse<String> applied = poll(SECOND, () -> server.ping(key),
                    r -> header(r, "RateLimit-Policy").orElse("").equals("\"default\";q=2;w=60"));
            Duration took = Duration.ofNanos(System.nanoTime() - changedAt);

            assertThat(header(applied, "RateLimit-Policy")).contains("\"default\";q=2;w=60");
            assertThat(took).isLessThanOrEqualTo(Duration.ofMillis(1_100));
            // The window already holds at least two requests: the new limit refuses the next one.
            problem(server.ping(key), 429, "rate_limit_exceeded");
        }
    }

    @Test
    void pingWhenAccountLimitSetThenItOverridesServerDefaultInBothEnvironments() {
        try (TestServer server = TestServer.builder().rateLimit(50).start()) {
            Account account = server.account();
            server.accounts().setRateLimit(account.id(), 7);

            assertAccepted(server.ping(server.secretKey(account)), 7, 6, 60);
            assertAccepted(server.ping(server.key(account, KeyType.PUBLIC, Environment.LIVE)), 7, 6, 60);
            assertAccepted(server.ping(server.secretKey(server.account())), 50, 49, 60);
        }
    }

    @Test
    void pingWhenKeyMalformedOrMissingThenLimitNotConsumed() {
        try (TestServer server = TestServer.builder().rateLimit(3).start()) {
            ApiKey key = server.secretKey(server.account());
            String valid = key.reveal();
            List<String> malformed = List.of(
                    valid.substring(0, 45),
                    valid.substring(0, 45) + (valid.charAt(45) == 'a' ? 'b' : 'a'),
                    "sk_live" + valid.substring(7),
                    valid.substring(0, 20) + "_" + valid.substring(21));
            for (int round = 0; round < 3; round++) {
                for (String presented : malformed) {
                    problem(server.get("/api/v1/ping", "Authorization", "Bearer " + presented), 401,
                            "malformed_api_key");
                }
                problem(server.get("/api/v1/ping"), 401, "missing_api_key");
            }

            assertAccepted(server.ping(key), 3, 2, 60);
            assertAccepted(server.ping(key), 3, 1, 60);
            assertAccepted(server.ping(key), 3, 0, 60);
        }
    }

    @Test
    void pingWhenKeyUnknownThenNoRateLimitFields() {
        try (TestServer server = TestServer.builder().rateLimit(3).start()) {
            HttpResponse<String> response = server.ping(ApiKey.generate(KeyType.SECRET, Environment.TEST,
                    new SecureRandom()));

            problem(response, 401, "invalid_api_key");
            assertThat(header(response, "RateLimit")).isEmpty();
        }
    }

    @Test
    void everyAuthenticatedResponseWhenAnyOutcomeThenCarriesRateLimitFields() {
        try (TestServer server = TestServer.builder().rateLimit(4).start()) {
            Account account = server.account();
            ApiKey secret = server.secretKey(account);
            ApiKey publishable = server.publicKey(account);

            List<HttpResponse<String>> responses = List.of(
                    server.ping(secret),
                    server.get("/api/v1/balance", "Authorization", bearer(secret)),
                    server.get("/api/v1/balance", "Authorization", bearer(publishable)),
                    server.get("/api/v1/nope", "Authorization", bearer(secret)),
                    server.ping(publishable),
                    server.ping(publishable),
                    server.ping(secret));

            // The 403 and the 404 carry the fields but are not counted (SPEC section 4).
            assertThat(responses).extracting(HttpResponse::statusCode)
                    .containsExactly(200, 200, 403, 404, 200, 200, 429);
            assertThat(responses).extracting(response -> header(response, "RateLimit").orElseThrow())
                    .containsExactly("\"default\";r=3;t=60", "\"default\";r=2;t=60", "\"default\";r=2;t=60",
                            "\"default\";r=2;t=60", "\"default\";r=1;t=60", "\"default\";r=0;t=60",
                            "\"default\";r=0;t=60");
            assertThat(responses).allSatisfy(response -> {
                assertThat(header(response, "RateLimit-Policy")).contains("\"default\";q=4;w=60");
                assertThat(header(response, "RateLimit")).hasValueSatisfying(value ->
                        assertThat(value).matches("\"default\";r=\\d+;t=\\d+"));
            });
        }
    }

    private static void assertAccepted(HttpResponse<String> response, int limit, int remaining, int resetSeconds) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(header(response, "RateLimit-Policy")).contains("\"default\";q=" + limit + ";w=60");
        assertThat(header(response, "RateLimit")).contains("\"default\";r=" + remaining + ";t=" + resetSeconds);
        assertThat(header(response, "Retry-After")).isEmpty();
    }
}
