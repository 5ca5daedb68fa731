package dev.keygate.server;

import static dev.keygate.server.testing.TestServer.bearer;
import static dev.keygate.server.testing.TestServer.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.keyformat.ApiKey;
import dev.keygate.server.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC sections 3 and 5 on what a request may look like: no folded header lines, only spaces
 * between {@code Bearer} and the key, and only the query parameters a route declares.
 */
class HttpStrictnessTest {

    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    // ---- obsolete line folding (RFC 9112 section 5.2) ----

    @Test
    void pingWhenAuthorizationFoldedOverTwoLinesThenInvalidRequest() throws IOException {
        ApiKey key = server.secretKey(server.account());

        String answer = server.rawHttps("GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer\r\n "
                + key.reveal() + "\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":\"invalid_request\"")
                .containsIgnoringCase("Request-Id: req_")
                .containsIgnoringCase("Content-Type: application/problem+json")
                .doesNotContain(key.reveal().substring(8));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/api/v1/ping", "/healthz", "/dashboard/login"})
    void anyRequestWhenOtherHeaderFoldedWithTabOrSpaceThenInvalidRequest(String path) throws IOException {
        ApiKey key = server.secretKey(server.account());

        for (String fold : new String[] {"\r\n\t", "\r\n ", "\r\n  \t "}) {
            String answer = server.rawHttps("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + bearer(key) + "\r\nX-Note: first" + fold + "second\r\nConnection: close\r\n\r\n");

            assertThat(answer).as("fold %s", fold.replace("\t", "\\t"))
                    .startsWith("HTTP/1.1 400").contains("\"code\":\"invalid_request\"");
        }
    }

    @Test
    void pingWhenSameRequestUnfoldedThenOk() throws IOException {
        ApiKey key = server.secretKey(server.account());

        String answer = server.rawHttps("GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + bearer(key) + "\r\nX-Note: first second\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200");
    }

    @Test
    void secondRequestOnConnectionWhenFoldedThenInvalidRequest() throws IOException {
        ApiKey key = server.secretKey(server.account());
        String body = "{\"amount\":1000,\"currency\":\"USD\"}";

        String answer = server.rawHttps("POST /api/v1/payments HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + bearer(key) + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                + body
                + "GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + bearer(key)
                + "\r\nX-Note: a\r\n b\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 201").contains("HTTP/1.1 400").contains("\"code\":\"invalid_request\"");
    }

    @Test
    void createPaymentWhenBodyHasNewlinesAndIndentationThenCreatedAndNextRequestServed() throws IOException {
        ApiKey key = server.secretKey(server.account());
        String body = "{\r\n  \"amount\": 1000,\r\n\t\"currency\": \"USD\"\r\n}";

        String answer = server.rawHttps("POST /api/v1/payments HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + bearer(key) + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                + body
                + "GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + bearer(key)
                + "\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 201").contains("HTTP/1.1 200");
    }

    @Test
    void createPaymentWhenChunkedBodyHasNewlinesAndIndentationThenCreated() throws IOException {
        ApiKey key = server.secretKey(server.account());
        String first = "{\r\n  \"amount\": 1000,\r\n";
        String second = " \"currency\": \"USD\"\r\n}";

        String answer = server.rawHttps("POST /api/v1/payments HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + bearer(key) + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(first.length()) + "\r\n" + first + "\r\n"
                + Integer.toHexString(second.length()) + "\r\n" + second + "\r\n0\r\n\r\n"
                + "GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + bearer(key)
                + "\r\nX-Note: a\r\n\tb\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 201").contains("HTTP/1.1 400").contains("\"code\":\"invalid_request\"");
    }

    // ---- the separator after Bearer: spaces only ----

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"Bearer\t%s", "bearer\t\t%s", "Bearer\t %s"})
    void pingWhenTabSeparatesSchemeFromKeyThenMissingApiKey(String format) {
        ApiKey key = server.secretKey(server.account());

        HttpResponse<String> response = server.get("/api/v1/ping", "Authorization", format.formatted(key.reveal()));

        problem(response, 401, "missing_api_key");
    }

    @Test
    void pingWhenSpacesThenTabBeforeKeyThenRefused() {
        ApiKey key = server.secretKey(server.account());

        HttpResponse<String> response = server.get("/api/v1/ping", "Authorization", "Bearer \t" + key.reveal());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    }

    // ---- query parameters: each route's own, nothing else ----

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "/api/v1/ping?expand=account|expand",
        "/api/v1/ping?limit=1|limit",
        "/api/v1/balance?currency=usd|currency",
        "/api/v1/payments?limit=1&expand=customer|expand",
        "/api/v1/payments?starting_after=pay_test_1&ending_before=pay_test_2|ending_before",
        "/api/v1/customers?email=a%40b.co|email",
        "/api/v1/payments/pay_test_0000000000000000?expand=x|expand",
        "/api/v1/customers/cus_test_0000000000000000?x|x"})
    void getWhenUnknownQueryParameterThenInvalidRequestNamingIt(String url, String param) {
        ApiKey key = server.secretKey(server.account());

        HttpResponse<String> response = server.get(url, "Authorization", bearer(key));

        JsonObject body = problem(response, 400, "invalid_request");
        assertThat(body.getString("param")).isEqualTo(param);
        assertThat(body.getString("detail")).contains(param);
    }

    @Test
    void listWhenLimitCarriesSqlAfterSemicolonThenInvalidRequest() throws IOException {
        ApiKey key = server.secretKey(server.account());

        String answer = server.rawHttps("GET /api/v1/payments?limit=1;DROP%20TABLE%20payments HTTP/1.1\r\n"
                + "Host: localhost\r\nAuthorization: " + bearer(key) + "\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":\"invalid_request\"");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"?limit=1&limit=2", "?starting_after=a&starting_after=b", "?limit=", "?limit",
        "?starting_after="})
    void listWhenKnownParameterRepeatedOrEmptyThenInvalidRequestNamingIt(String query) {
        ApiKey key = server.secretKey(server.account());
        String param = query.substring(1).split("[=&]")[0];

        HttpResponse<String> response = server.get("/api/v1/payments" + query, "Authorization", bearer(key));

        assertThat(problem(response, 400, "invalid_request").getString("param")).isEqualTo(param);
    }

    @Test
    void createPaymentWhenUnknownQueryParameterThenInvalidRequestAndNothingCreated() {
        ApiKey key = server.secretKey(server.account());

        HttpResponse<String> refused = server.send(HttpRequest.newBuilder(server.https("/api/v1/payments?amount=5"))
                .header("Authorization", bearer(key))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":1000,\"currency\":\"USD\"}")));
        HttpResponse<String> list = server.get("/api/v1/payments", "Authorization", bearer(key));

        assertThat(problem(refused, 400, "invalid_request").getString("param")).isEqualTo("amount");
        assertThat(new JsonObject(list.body()).getJsonArray("data")).isEmpty();
    }

    @Test
    void unknownParameterWhenNameIsLongOrOddThenDetailShowsItShortAndPrintable() {
        ApiKey key = server.secretKey(server.account());

        HttpResponse<String> response = server.get("/api/v1/ping?" + "a".repeat(500) + "%0A%1B=1",
                "Authorization", bearer(key));

        JsonObject body = problem(response, 400, "invalid_request");
        assertThat(body.getString("detail")).hasSizeLessThan(200).doesNotContain("\n").doesNotContain("\u001b");
    }

    @Test
    void listWhenOnlyDeclaredParametersThenOk() {
        ApiKey key = server.secretKey(server.account());

        assertThat(server.get("/api/v1/payments?limit=5", "Authorization", bearer(key)).statusCode()).isEqualTo(200);
        assertThat(server.get("/api/v1/customers?limit=100", "Authorization", bearer(key)).statusCode()).isEqualTo(200);
        assertThat(server.get("/api/v1/ping?", "Authorization", bearer(key)).statusCode()).isEqualTo(200);
        problem(server.get("/api/v1/payments/pay_test_0000000000000000", "Authorization", bearer(key)), 404,
                "resource_missing");
    }
}
