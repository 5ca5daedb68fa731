package dev.keygate.server;

import static dev.keygate.server.testing.TestServer.bearer;
import static dev.keygate.server.testing.TestServer.header;
import static dev.keygate.server.testing.TestServer.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.core.accounts.Account;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.server.runtime.Storage;
import dev.keygate.server.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC section 9: TLS 1.2 and 1.3 only, HSTS, and the plain port that refuses everything. */
class TransportTest {

    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.builder().plainPort().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    // ---- TLS ----

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void handshakeWhenSupportedProtocolThenNegotiatedAndServed(String protocol) {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {protocol});
        try (HttpClient client = server.newClient(Optional.of(parameters))) {
            HttpResponse<String> response = TestServer.send(client,
                    HttpRequest.newBuilder(server.https("/healthz")));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.sslSession()).hasValueSatisfying(session ->
                    assertThat(session.getProtocol()).isEqualTo(protocol));
        }
    }

    @Test
    void handshakeWhenClientOffersOnlyTls11ThenRefusedWithProtocolVersionAlert() throws IOException {
        byte[] answer = helloAnswer(0x0302);

        assertThat(answer).hasSizeGreaterThanOrEqualTo(7);
        assertThat(answer[0]).as("record type alert").isEqualTo((byte) 21);
        assertThat(answer[5]).as("alert level fatal").isEqualTo((byte) 2);
        assertThat(answer[6]).as("alert description protocol_version").isEqualTo((byte) 70);
    }

    @Test
    void handshakeWhenSameHelloOffersTls12ThenServerHello() throws IOException {
        // The control for the test above: the hand-made hello is good, only its version differs.
        byte[] answer = helloAnswer(0x0303);

        assertThat(answer).hasSizeGreaterThanOrEqualTo(11);
        assertThat(answer[0]).as("record type handshake").isEqualTo((byte) 22);
        assertThat(answer[5]).as("handshake type server_hello").isEqualTo((byte) 2);
        assertThat(answer[9]).isEqualTo((byte) 3);
        assertThat(answer[10]).as("server_version TLS 1.2").isEqualTo((byte) 3);
    }

    @Test
    void handshakeWhenClientTrustsOnlyTheSystemCertificateAuthoritiesThenCertificateRefused() {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            assertThatThrownBy(() -> TestServer.send(client, HttpRequest.newBuilder(server.https("/healthz"))))
                    .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
        }
    }

    @Test
    void httpsResponsesWhenAnyThenCarryStrictTransportSecurity() {
        HttpResponse<String> health = server.get("/healthz");
        HttpResponse<String> refused = server.get("/api/v1/ping");

        assertThat(header(health, "Strict-Transport-Security")).hasValueSatisfying(value ->
                assertThat(value).matches("max-age=\\d+.*"));
        assertThat(header(refused, "Strict-Transport-Security")).isPresent();
    }

    @Test
    void healthzAndReadyzWhenNoKeyThenOk() {
        HttpResponse<String> health = server.get("/healthz");
        HttpResponse<String> ready = server.get("/readyz");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(200);
        TestServer.requestId(health);
        TestServer.requestId(ready);
    }

    @Test
    void httpsWhenHeadersTooLargeThenProblemWithRequestId() throws IOException {
        String answer = server.rawHttps("GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(9_000)
                + "\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 431");
        assertThat(answer).containsIgnoringCase("Request-Id: req_")
                .containsIgnoringCase("Strict-Transport-Security: max-age=")
                .containsIgnoringCase("Content-Type: application/problem+json")
                .contains("\"code\":\"headers_too_large\"");
    }

    // ---- the plain port ----

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/v1/ping", "/api/v1/balance", "/healthz", "/readyz", "/dashboard",
        "/api/v1/ping?api_key=x", "/nope"})
    void plainPortWhenGetAnyPathThenHttpsRequired(String path) {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.http(path)).GET());

        assertHttpsRequired(response);
    }

    @Test
    void plainPortWhenPostWithValidKeyThenHttpsRequiredAndNothingProcessed() {
        Account account = server.account();
        ApiKey key = server.secretKey(account);

        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.http("/api/v1/payments"))
                .header("Authorization", bearer(key))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":1000,\"currency\":\"EUR\"}")));

        JsonObject body = assertHttpsRequired(response);
        assertThat(response.body()).doesNotContain(key.reveal()).doesNotContain(account.id());
        assertThat(body.getString("detail")).isNotBlank();
        assertThat(header(response, "RateLimit")).as("the key was not looked at").isEmpty();
    }

    @Test
    void plainPortWhenValidKeyWithOriginThenHttpsRequiredAndKeyNotFlagged() {
        Account account = server.account();
        ApiKey key = server.secretKey(account);

        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.http("/api/v1/ping"))
                .header("Authorization", bearer(key))
                .header("Origin", "https://shop.example.com"));

        assertHttpsRequired(response);
        assertThat(server.record(account, key).exposedAt()).isEmpty();
    }

    @Test
    void plainPortWhenKeySentThenKeyNotMarkedUsed() {
        try (TestServer own = TestServer.builder().plainPort().start()) {
            Account account = own.account();
            ApiKey sentInClear = own.secretKey(account);
            ApiKey sentOverHttps = own.secretKey(account);
            KeyRecord clearRecord = own.record(account, sentInClear);
            KeyRecord httpsRecord = own.record(account, sentOverHttps);

            assertHttpsRequired(own.send(HttpRequest.newBuilder(own.http("/api/v1/ping"))
                    .header("Authorization", bearer(sentInClear))));
            assertThat(own.ping(sentOverHttps).statusCode()).isEqualTo(200);
            own.stop(); // writes every pending last use

            try (KeyStore reopened = Storage.openStores(own.config()).keys()) {
                assertThat(reopened.findKey(httpsRecord.id()).orElseThrow().lastUsedAt())
                        .as("control: a key used over HTTPS is marked used").isPresent();
                assertThat(reopened.findKey(clearRecord.id()).orElseThrow().lastUsedAt()).isEmpty();
            }
        }
    }

    private static JsonObject assertHttpsRequired(HttpResponse<String> response) {
        JsonObject body = problem(response, 403, "https_required");
        assertThat(header(response, "Strict-Transport-Security")).isEmpty();
        assertThat(header(response, "Location")).isEmpty();
        assertThat(header(response, "WWW-Authenticate")).isEmpty();
        return body;
    }

    // ---- a hand-made ClientHello, so the server's refusal is tested, not the JDK client's ----

    /**
     * Sends a ClientHello of {@code version} (0x0302 TLS 1.1, 0x0303 TLS 1.2) and returns the first
     * bytes the server answers with; empty if it just closes the connection.
     */
    private static byte[] helloAnswer(int version) throws IOException {
        try (Socket socket = new Socket("localhost", server.keygate().httpsPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(clientHello(version));
            out.flush();
            InputStream in = socket.getInputStream();
            DataInputStream data = new DataInputStream(in);
            byte[] header = new byte[5];
            try {
                data.readFully(header);
            } catch (EOFException closed) {
                return new byte[0];
            }
            int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
            byte[] record = new byte[5 + Math.min(length, 64)];
            System.arraycopy(header, 0, record, 0, 5);
            data.readFully(record, 5, record.length - 5);
            return record;
        }
    }

    private static byte[] clientHello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        int[] suites = {
            0xC02B, // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (TLS 1.2)
            0xC02F, // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (TLS 1.2)
            0xC009, // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA (TLS 1.0 to 1.2)
            0xC013, // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
            0x002F, // TLS_RSA_WITH_AES_128_CBC_SHA
        };
        u16(body, suites.length * 2);
        for (int suite : suites) {
            u16(body, suite);
        }
        body.write(1); // one compression method: null
        body.write(0);

        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        byte[] host = "localhost".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream serverName = new ByteArrayOutputStream();
        u16(serverName, host.length + 3);
        serverName.write(0); // host_name
        u16(serverName, host.length);
        serverName.writeBytes(host);
        extension(extensions, 0x0000, serverName.toByteArray());
        extension(extensions, 0x000a, new byte[] {0, 4, 0, 0x17, 0, 0x1d}); // secp256r1, x25519
        extension(extensions, 0x000b, new byte[] {1, 0}); // uncompressed points
        extension(extensions, 0x000d, new byte[] {0, 6, 4, 3, 8, 4, 4, 1}); // ecdsa_p256_sha256, rsa_pss, rsa
        u16(body, extensions.size());
        body.writeBytes(extensions.toByteArray());

        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        handshake.write(1); // client_hello
        u24(handshake, body.size());
        handshake.writeBytes(body.toByteArray());

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(22); // handshake
        u16(record, 0x0301); // record layer version, as clients send it
        u16(record, handshake.size());
        record.writeBytes(handshake.toByteArray());
        return record.toByteArray();
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
        u16(out, type);
        u16(out, data.length);
        out.writeBytes(data);
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write((value >> 8) & 0xff);
        out.write(value & 0xff);
    }

    private static void u24(ByteArrayOutputStream out, int value) {
        out.write((value >> 16) & 0xff);
        u16(out, value & 0xffff);
    }
}
