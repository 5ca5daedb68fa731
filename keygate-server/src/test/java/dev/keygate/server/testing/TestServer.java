package dev.keygate.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.Ids;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.accounts.PasswordHasher;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.keys.Keys;
import dev.keygate.core.limit.RateLimiter;
import dev.keygate.core.testing.MutableClock;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.payments.PaymentStore;
import dev.keygate.server.runtime.Config;
import dev.keygate.server.runtime.Keygate;
import dev.keygate.server.runtime.Storage;
import dev.keygate.store.jdbc.Database;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Keygate server for tests: its own data directory, a {@link MutableClock}, HTTPS on a free
 * port (and, if asked, the plain port), the store kept at hand to seed data, and an HTTP/1.1 client
 * that trusts only this server's generated certificate, hostname verification on. Published in
 * keygate-server's test-jar, so that the SDK's tests (keygate-client) run against the same server.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start()) {
 *     Account account = server.account();
 *     HttpResponse<String> response = server.ping(server.secretKey(account));
 * }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {

    /** Where every test server's clock starts: a Monday, 09:00 UTC. */
    public static final Instant START = Instant.parse("2026-11-23T09:00:00Z");
    public static final Pattern REQUEST_ID = Pattern.compile("req_[0-9A-Za-z]{16}");
    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String CHALLENGE = "Bearer realm=\"keygate\"";
    public static final String INVALID_TOKEN = "Bearer realm=\"keygate\", error=\"invalid_token\"";
    public static final String INSUFFICIENT_SCOPE = "Bearer realm=\"keygate\", error=\"insufficient_scope\"";
    public static final String PASSWORD = "correct horse battery staple";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    /**
     * The first server's generated certificate, copied into later servers' data directories so that
     * {@code keytool} runs once per test JVM instead of once per server.
     */
    private static Path sharedTls;

    private final Path dataDir;
    private final Config config;
    private final MutableClock clock;
    private final Database stores;
    private final KeyStore store;
    private final Keygate keygate;
    private final String keystorePassword;
    private final SSLContext sslContext;
    private final HttpClient client;
    private final SecureRandom random = new SecureRandom();
    private final Ids ids = new Ids(random);
    private final Keys keys;
    private final Accounts accounts;
    private boolean stopped;

    private TestServer(Builder builder) throws IOException, GeneralSecurityException {
        dataDir = Files.createTempDirectory("keygate-test-");
        copySharedTls(dataDir);
        config = new Config(dataDir, 0, builder.plainPort ? OptionalInt.of(0) : OptionalInt.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                builder.rateLimit);
        clock = new MutableClock(builder.clockStart);
        stores = Storage.openStores(config);
        store = stores.keys();
        keygate = Keygate.start(config, clock, new Database(builder.storeWrapper.apply(store), stores.payments(), stores.dashboard(), stores.rotations()));
        rememberSharedTls(dataDir);
        keystorePassword = Files.readString(dataDir.resolve("tls").resolve("keygate.p12.password"),
                StandardCharsets.US_ASCII).strip();
        sslContext = trustingOnly(keystore(keygate.keystore(), keystorePassword));
        client = newClient(Optional.empty());
        keys = new Keys(store, clock, random);
        accounts = new Accounts(store, new PlainTextHasher(), clock, ids);
    }

    /** A server with the defaults: rate limit 120, no plain port, clock at {@link #START}. */
    public static TestServer start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a test server. */
    public static final class Builder {
        private int rateLimit = RateLimiter.DEFAULT_LIMIT;
        private boolean plainPort;
        private Instant clockStart = START;
        private UnaryOperator<KeyStore> storeWrapper = UnaryOperator.identity();

        /** The server's default limit per 60 s ({@code KEYGATE_RATE_LIMIT}). */
        public Builder rateLimit(int perMinute) {
            this.rateLimit = perMinute;
            return this;
        }

        /** Also listen on a plain-HTTP port ({@code KEYGATE_HTTP_PORT=0}). */
        public Builder plainPort() {
            this.plainPort = true;
            return this;
        }

        public Builder clockAt(Instant start) {
            this.clockStart = start;
            return this;
        }

        /** What the server is given instead of the real store, such as a store that can fail. */
        public Builder wrapStore(UnaryOperator<KeyStore> wrapper) {
            this.storeWrapper = wrapper;
            return this;
        }

        public TestServer start() {
            try {
                return new TestServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ---- the server ----

    public MutableClock clock() {
        return clock;
    }

    /** The real payment store the server runs on, for seeding and inspecting data. */
    public PaymentStore payments() {
        return stores.payments();
    }

    /** The real store the server runs on (not a wrapper), for seeding and inspecting data. */
    public KeyStore store() {
        return store;
    }

    public Keygate keygate() {
        return keygate;
    }

    public Config config() {
        return config;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Keys keys() {
        return keys;
    }

    public Accounts accounts() {
        return accounts;
    }

    public SSLContext sslContext() {
        return sslContext;
    }

    /** The server's generated PKCS#12 keystore (certificate and private key). */
    public Path keystorePath() {
        return keygate.keystore();
    }

    public String keystorePassword() {
        return keystorePassword;
    }

    /** The server's keystore, loaded, as a client that trusts this server's certificate would load it. */
    public java.security.KeyStore trustStore() {
        try {
            return keystore(keystorePath(), keystorePassword);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- seeding ----

    /** A new account with a unique email. */
    public Account account() {
        return accounts.create("Test merchant", "owner-" + ids.key().substring(4).toLowerCase() + "@example.com",
                PASSWORD);
    }

    public ApiKey secretKey(Account account) {
        return key(account, KeyType.SECRET, Environment.TEST);
    }

    public ApiKey publicKey(Account account) {
        return key(account, KeyType.PUBLIC, Environment.TEST);
    }

    public ApiKey key(Account account, KeyType type, Environment environment) {
        return keys.create(account.id(), type, environment, Optional.empty()).key();
    }

    /** The stored record of {@code key}, found by its last 4 characters among its account's keys. */
    public KeyRecord record(Account account, ApiKey key) {
        return keys.list(account.id()).stream()
                .filter(record -> record.last4().equals(key.last4()) && record.type() == key.type()
                        && record.environment() == key.environment())
                .findFirst()
                .orElseThrow();
    }

    /** A key inserted straight into the store, with the given {@code expires_at}. */
    public ApiKey seedKey(Account account, KeyType type, Environment environment, Optional<Instant> expiresAt) {
        ApiKey key = ApiKey.generate(type, environment, random);
        KeyRecord record = new KeyRecord(ids.key(), account.id(), type, environment, "Seeded key", key.last4(),
                type == KeyType.PUBLIC ? Optional.of(key.reveal()) : Optional.empty(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS), expiresAt, Optional.empty(), Optional.empty(),
                Optional.empty());
        store.insertKey(record, KeyDigest.of(key));
        return key;
    }

    // ---- requests ----

    /** {@code https://localhost:<port>}. */
    public String baseUrl() {
        return "https://localhost:" + keygate.httpsPort();
    }

    public URI https(String pathAndQuery) {
        return URI.create(baseUrl() + pathAndQuery);
    }

    public URI http(String pathAndQuery) {
        return URI.create("http://localhost:" + keygate.httpPort().orElseThrow() + pathAndQuery);
    }

    /** A GET over HTTPS with the given header name/value pairs. */
    public HttpResponse<String> get(String pathAndQuery, String... headers) {
        return send(HttpRequest.newBuilder(https(pathAndQuery)).GET().headers(headers.length == 0
                ? new String[] {"Accept", "application/json"} : headers));
    }

    public HttpResponse<String> ping(ApiKey key, String... moreHeaders) {
        String[] headers = Stream.concat(Stream.of("Authorization", bearer(key)), Stream.of(moreHeaders))
                .toArray(String[]::new);
        return get("/api/v1/ping", headers);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        return send(client, request);
    }

    public static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code request} byte for byte over TLS (for requests java.net.http will not build); returns the answer. */
    public String rawHttps(String request) throws IOException {
        try (java.net.Socket socket = sslContext.getSocketFactory().createSocket("localhost", keygate.httpsPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    public static String bearer(ApiKey key) {
        return "Bearer " + key.reveal();
    }

    /** An HTTP/1.1 client trusting only this server's certificate, with the given TLS parameters. */
    public HttpClient newClient(Optional<SSLParameters> parameters) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)) // generous: TLS handshakes wait on a busy machine
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(sslContext);
        parameters.ifPresent(builder::sslParameters);
        return builder.build();
    }

    // ---- assertions ----

    /**
     * Checks that {@code response} is an RFC 9457 problem with this status and code, carrying the
     * common fields and the response's request id; returns its body.
     */
    public static JsonObject problem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith(PROBLEM_JSON));
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getString("type")).isEqualTo("https://keygate.dev/errors/" + code);
        assertThat(body.getString("code")).isEqualTo(code);
        assertThat(body.getInteger("status")).isEqualTo(status);
        assertThat(body.getString("title")).isNotBlank();
        assertThat(body.getString("detail")).isNotBlank();
        assertThat(body.getString("request_id")).isEqualTo(requestId(response));
        return body;
    }

    /** The response's {@code Request-Id}, checked to have the right shape. */
    public static String requestId(HttpResponse<?> response) {
        Optional<String> id = response.headers().firstValue("Request-Id");
        assertThat(id).hasValueSatisfying(value -> assertThat(value).matches(REQUEST_ID));
        return id.orElseThrow();
    }

    public static Optional<String> header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name);
    }

    /**
     * Calls {@code action} until its result satisfies {@code done} or {@code timeout} passes; returns
     * the last result, so that the caller's assertion says what was seen. For effects that travel
     * asynchronously (change feed, background writes), never for time-dependent behaviour, which
     * tests drive with the clock.
     */
    public static <T> T poll(Duration timeout, Supplier<T> action, Predicate<T> done) {
        try {
            return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL).atMost(timeout)
                    .until(action::get, done);
        } catch (ConditionTimeoutException e) {
            return action.get();
        }
    }

    // ---- lifecycle ----

    /** Stops the server (which writes pending last uses and closes the store); the data stays. */
    public void stop() {
        if (!stopped) {
            stopped = true;
            keygate.close();
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            client.close();
            deleteRecursively(dataDir);
        }
    }

    private static java.security.KeyStore keystore(Path path, String password)
            throws IOException, GeneralSecurityException {
        java.security.KeyStore keystore = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            keystore.load(in, password.toCharArray());
        }
        return keystore;
    }

    private static SSLContext trustingOnly(java.security.KeyStore keystore) throws GeneralSecurityException,
            IOException {
        java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (String alias : Collections.list(keystore.aliases())) {
            Certificate certificate = keystore.getCertificate(alias);
            if (certificate != null) {
                trusted.setCertificateEntry(alias, certificate);
            }
        }
        assertThat(trusted.size()).as("certificates in the server's keystore").isPositive();
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), new SecureRandom());
        return context;
    }

    private static synchronized void copySharedTls(Path dataDir) throws IOException {
        if (sharedTls == null) {
            return;
        }
        Path tls = Files.createDirectories(dataDir.resolve("tls"));
        for (String file : new String[] {"keygate.p12", "keygate.p12.password"}) {
            Files.copy(sharedTls.resolve(file), tls.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static synchronized void rememberSharedTls(Path dataDir) throws IOException {
        if (sharedTls != null) {
            return;
        }
        Path copy = Files.createTempDirectory("keygate-test-tls-");
        for (String file : new String[] {"keygate.p12", "keygate.p12.password"}) {
            Files.copy(dataDir.resolve("tls").resolve(file), copy.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(copy)));
        sharedTls = copy;
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // best effort: a temp directory left behind is no test failure
                }
            });
        } catch (IOException e) {
            // same
        }
    }

    /** Argon2id is slow on purpose; tests only need a hasher that round-trips. */
    private static final class PlainTextHasher implements PasswordHasher {
        @Override
        public String hash(String password) {
            return "plain$" + password;
        }

        @Override
        public boolean matches(String password, String hash) {
            return hash.equals("plain$" + password);
        }
    }
}
