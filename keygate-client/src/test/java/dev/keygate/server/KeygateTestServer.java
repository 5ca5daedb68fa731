package dev.keygate.server;


import dev.keygate.store.jdbc.Database;
import dev.keygate.server.runtime.Config;
import dev.keygate.server.runtime.Keygate;
import dev.keygate.server.runtime.Storage;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.Ids;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.keys.Keys;
import dev.keygate.core.accounts.PasswordHasher;
import dev.keygate.core.StoreUnavailableException;
import dev.keygate.core.testing.MutableClock;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real Keygate server for the SDK's tests, built as keygate-server's own {@code TestServer} builds
 * one: its own data directory, HTTPS on a free port with the generated certificate, a
 * {@link MutableClock}, and the real store at hand to seed accounts and keys. It lives in the
 * server's package because {@link Keygate#openStores} is package-private.
 *
 * <p>The server is given its key store through a wrapper that can fail the next credential lookups
 * ({@link #failNextKeyLookups}), as a store whose database went away does: the server then answers
 * {@code 503 service_unavailable} (SPEC section 3) until the lookups succeed again.
 *
 * <pre>{@code
 * try (KeygateTestServer server = KeygateTestServer.start()) {
 *     String account = server.account();
 *     KeygateClient client = KeygateClient.builder(server.secretKey(account))
 *             .baseUrl(server.baseUrl()).trustStore(server.trustStore()).build();
 * }
 * }</pre>
 */
public final class KeygateTestServer implements AutoCloseable {

    /** Where every test server's clock starts: a Monday, 09:00 UTC. */
    public static final Instant START = Instant.parse("2026-11-23T09:00:00Z");
    private static final String[] TLS_FILES = {"keygate.p12", "keygate.p12.password"};

    /** The first server's generated certificate, reused by later ones so that keytool runs once per JVM. */
    private static Path sharedTls;

    private final Path dataDir;
    private final MutableClock clock = new MutableClock(START);
    private final KeyStore store;
    private final Keygate keygate;
    private final AtomicInteger failingLookups = new AtomicInteger();
    private final AtomicInteger lookups = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final Ids ids = new Ids(random);
    private final Keys keys;
    private final Accounts accounts;

    private KeygateTestServer() throws IOException {
        dataDir = Files.createTempDirectory("keygate-client-test-");
        copySharedTls(dataDir);
        Config config = Config.load(Map.of(
                "KEYGATE_DATA_DIR", dataDir.toString(),
                "KEYGATE_HTTPS_PORT", "0"), List.of());
        Database stores = Storage.openStores(config);
        store = stores.keys();
        keygate = Keygate.start(config, clock, new Database(outageable(store), stores.payments(), stores.dashboard(), stores.rotations()));
        rememberSharedTls(dataDir);
        keys = new Keys(store, clock, random);
        accounts = new Accounts(store, new PlainTextHasher(), clock, ids);
    }

    public static KeygateTestServer start() {
        try {
            return new KeygateTestServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public MutableClock clock() {
        return clock;
    }

    /** {@code https://localhost:<port>}. */
    public String baseUrl() {
        return "https://localhost:" + keygate.httpsPort();
    }

    /** The server's own PKCS#12 keystore (certificate and private key), as a merchant would load it. */
    public java.security.KeyStore trustStore() {
        try (InputStream in = Files.newInputStream(keystorePath())) {
            java.security.KeyStore keystore = java.security.KeyStore.getInstance("PKCS12");
            keystore.load(in, keystorePassword().toCharArray());
            return keystore;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path keystorePath() {
        return keygate.keystore();
    }

    public String keystorePassword() {
        try {
            return Files.readString(dataDir.resolve("tls").resolve("keygate.p12.password"), StandardCharsets.US_ASCII)
                    .strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the server's certificate as PEM to {@code file}, with the "Bag Attributes" lines that
     * {@code openssl pkcs12 -nokeys} (the README's export) puts before it.
     */
    public Path writeCertificatePem(Path file) {
        try {
            java.security.KeyStore keystore = trustStore();
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- seeding ----

    /** A new account; returns its id. */
    public String account() {
        Account account = accounts.create("SDK test merchant",
                "owner-" + ids.key().substring(4).toLowerCase() + "@example.com", "correct horse battery staple");
        return account.id();
    }

    public String secretKey(String accountId) {
        return key(accountId, KeyType.SECRET, Environment.TEST);
    }

    public String publicKey(String accountId) {
        return key(accountId, KeyType.PUBLIC, Environment.TEST);
    }

    /** A new key of the account, revealed. */
    public String key(String accountId, KeyType type, Environment environment) {
        return keys.create(accountId, type, environment, Optional.empty()).key().reveal();
    }

    /** The account's own limit per 60 s (SPEC section 4); set it before its keys are first used. */
    public void setRateLimit(String accountId, int perMinute) {
        accounts.setRateLimit(accountId, perMinute);
    }

    // ---- outages ----

    /** The next {@code count} credential lookups fail as if the database were down. */
    public void failNextKeyLookups(int count) {
        failingLookups.set(count);
    }

    /** Credential lookups the server made (failed ones included). */
    public int keyLookups() {
        return lookups.get();
    }

    /**
     * The store as the server sees it: a dynamic proxy, so that it keeps up with the
     * {@link KeyStore} interface as that grows.
     */
    private KeyStore outageable(KeyStore delegate) {
        return (KeyStore) Proxy.newProxyInstance(KeyStore.class.getClassLoader(), new Class<?>[] {KeyStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("findCredential")) {
                        lookups.incrementAndGet();
                        if (failingLookups.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                            throw new StoreUnavailableException("the database did not answer (test outage)", null);
                        }
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    // ---- lifecycle ----

    @Override
    public void close() {
        try {
            keygate.close();
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private static synchronized void copySharedTls(Path dataDir) throws IOException {
        if (sharedTls == null) {
            return;
        }
        Path tls = Files.createDirectories(dataDir.resolve("tls"));
        for (String file : TLS_FILES) {
            Files.copy(sharedTls.resolve(file), tls.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static synchronized void rememberSharedTls(Path dataDir) throws IOException {
        if (sharedTls != null) {
            return;
        }
        Path copy = Files.createTempDirectory("keygate-client-test-tls-");
        for (String file : TLS_FILES) {
            Files.copy(dataDir.resolve("tls").resolve(file), copy.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(copy)));
        sharedTls = copy;
    }

    private static void deleteRecursively(Path dir) {
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

    /** Argon2id is slow on purpose; these tests never log in. */
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
