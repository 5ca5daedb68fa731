package dev.keygate.server;

import dev.keygate.core.Accounts;
import dev.keygate.core.Change;
import dev.keygate.core.ChangeCursor;
import dev.keygate.core.Ids;
import dev.keygate.core.KeyStore;
import dev.keygate.core.KeyVerifier;
import dev.keygate.core.Keys;
import dev.keygate.core.PasswordHasher;
import dev.keygate.core.RateLimiter;
import dev.keygate.core.SharedClock;
import dev.keygate.core.SlidingWindowRateLimiter;
import dev.keygate.core.Stores;
import dev.keygate.core.UsageTracker;
import dev.keygate.core.dashboard.Dashboard;
import dev.keygate.core.mail.MailException;
import dev.keygate.core.mail.MailSender;
import dev.keygate.core.rotation.OutboxMail;
import dev.keygate.core.rotation.Rotations;
import dev.keygate.core.payment.IdempotentResponse;
import dev.keygate.core.payment.Payments;
import dev.keygate.mail.MailSenders;
import dev.keygate.redis.RedisRateLimiter;
import dev.keygate.store.postgres.PostgresStores;
import dev.keygate.store.sqlite.SqliteStores;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Keygate server: the store, the verifier and limiter, and the HTTPS (and optional
 * plain) listeners on Vert.x event loops.
 *
 * <pre>{@code
 * try (Keygate keygate = Keygate.start(Config.load(System.getenv(), List.of()), Clock.systemUTC())) {
 *     System.out.println("https://localhost:" + keygate.httpsPort());
 * }
 * }</pre>
 */
public final class Keygate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Keygate.class);

    /** How often the change feed is read: a deletion reaches every node's cache within this (SPEC section 7). */
    public static final Duration CHANGE_POLL_INTERVAL = Duration.ofMillis(200);
    private static final int CHANGE_BATCH = 1_000;
    /** Longest wait for open connections when stopping. */
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    /** Failed deliveries after which a mail is given up (a rejected recipient must not block the outbox). */
    static final int MAX_MAIL_ATTEMPTS = 10;
    /** How often a node measures the shared database's clock again. */
    static final Duration CLOCK_SYNC_INTERVAL = Duration.ofSeconds(30);
    /** How often the mail outbox is emptied. */
    static final Duration OUTBOX_INTERVAL = Duration.ofSeconds(1);
    /** How often the request log is written. */
    static final Duration REQUEST_LOG_FLUSH_INTERVAL = Duration.ofSeconds(1);
    /** How long the request log keeps a request. */
    static final Duration REQUEST_LOG_RETENTION = Duration.ofDays(7);
    /** How often old sessions and request log entries are deleted. */
    static final Duration HOUSEKEEPING_INTERVAL = Duration.ofMinutes(10);
    /** The sender of Keygate's mails. */
    static final String MAIL_FROM = "Keygate <no-reply@localhost>";
    /** How often idempotent responses older than 24 hours are deleted. */
    public static final Duration IDEMPOTENCY_PURGE_INTERVAL = Duration.ofHours(1);
    /** Put before every Redis key Keygate writes. */
    static final String REDIS_PREFIX = "keygate:";
    /** How long start-up waits for Redis before starting on the per-node fallback. */
    static final Duration REDIS_WARM_UP = Duration.ofSeconds(2);
    /** How often {@code last_used_at} is written. */
    public static final Duration USAGE_FLUSH_INTERVAL = Duration.ofSeconds(5);
    /** Keep-alive connections idle this long are closed; also bounds a client that stops sending. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** A TLS handshake must finish within this. */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Longest request line, and longest header block (a bearer key is 53 bytes of it). */
    static final int MAX_INITIAL_LINE = 4_096;
    static final int MAX_HEADER_SIZE = 8_192;

    private final Config config;
    private final Clock clock;
    private final Tls tls;
    private final Stores stores;
    private final KeyStore store;
    private final RateLimiter limiter;
    private final UsageTracker usage;
    private final KeyVerifier verifier;
    private final Blocking blocking = new Blocking();
    private final RequestLog requestLog;
    private final Vertx vertx;
    private final AtomicBoolean polling = new AtomicBoolean();
    private final AtomicBoolean delivering = new AtomicBoolean();
    /** Not thread-safe: {@link #readChanges} reads it under its lock, from the poller or after a key change. */
    private final ChangeCursor changeCursor;
    private int httpsPort;
    private OptionalInt httpPort = OptionalInt.empty();

    private Keygate(Config config, Clock clock, Stores stores) {
        this.config = config;
        this.clock = clock;
        this.stores = stores;
        this.store = stores.keys();
        this.tls = Tls.prepare(config);

        this.usage = new UsageTracker();
        this.verifier = new KeyVerifier(store, clock);
        this.requestLog = new RequestLog(clock);
        this.changeCursor = new ChangeCursor(store.latestChange());
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops()));
        this.limiter = limiter(config, clock, vertx);
        Authenticator authenticator =
                new Authenticator(verifier, limiter, config.rateLimit(), usage, store, blocking, clock);
        SecureRandom random = new SecureRandom();
        Payments payments = new Payments(stores.payments(), clock, random);
        PasswordHasher hasher = new Argon2Hasher();
        MailSender mail = mailSender(config);
        Dashboard dashboard = new Dashboard(store, stores.dashboard(),
                new Accounts(store, hasher, clock, new Ids(random)), new Keys(store, clock, random), hasher, mail,
                clock, random);
        Rotations rotations = new Rotations(dashboard, stores.rotations(), clock, random);
        vertx.setPeriodic(OUTBOX_INTERVAL.toMillis(), ignored -> deliverMail(mail));
        listen(HttpApi.router(vertx, store, limiter, blocking, authenticator,
                new PaymentRoutes(payments, new Idempotency(stores.payments(), clock), blocking, this::publicUrl),
                new CheckoutPage(payments, blocking),
                new DashboardRoutes(dashboard, rotations, blocking, clock, this::publicUrl, this::readChanges),
                requestLog, new Metrics(limiter, requestLog)));
        vertx.setPeriodic(REQUEST_LOG_FLUSH_INTERVAL.toMillis(), ignored -> blocking.run(() -> {
            requestLog.flush(stores.dashboard());
            return null;
        }).onFailure(failure -> LOG.warn("could not write the request log: {}", failure.toString())));
        vertx.setPeriodic(HOUSEKEEPING_INTERVAL.toMillis(), ignored -> blocking.run(() -> {
            stores.dashboard().purgeRequests(clock.instant().minus(REQUEST_LOG_RETENTION));
            dashboard.purgeExpired();
            return null;
        }).onFailure(failure -> LOG.warn("could not purge old sessions and requests: {}", failure.toString())));
        vertx.setPeriodic(IDEMPOTENCY_PURGE_INTERVAL.toMillis(), ignored -> blocking.run(() ->
                stores.payments().purgeIdempotentResponses(clock.instant().minus(IdempotentResponse.TTL))));
        vertx.setPeriodic(CHANGE_POLL_INTERVAL.toMillis(), ignored -> pollChanges());
        if (clock instanceof SharedClock shared) {
            vertx.setPeriodic(CLOCK_SYNC_INTERVAL.toMillis(), ignored -> blocking.run(() -> {
                synchronize(shared, store);
                return null;
            }).onFailure(failure -> LOG.warn("could not read the database's clock: {}", failure.toString())));
        }
        vertx.setPeriodic(USAGE_FLUSH_INTERVAL.toMillis(), ignored -> blocking.run(this::flushUsage));
    }

    /**
     * Starts a server; returns once it listens.
     *
     * @throws ConfigException if the configuration cannot be served (port taken, bad keystore, …)
     */
    public static Keygate start(Config config, Clock clock) {
        return start(config, clock, openStores(config));
    }

    /**
     * Starts a server on the given store, which it then owns and closes.
     *
     * @throws ConfigException if the configuration cannot be served (port taken, bad keystore, …)
     */
    public static Keygate start(Config config, Clock clock, Stores stores) {
        try {
            if (stores.keys().sharedTime().isPresent()) {
                // Several nodes share this database: all of them judge expiry by its clock.
                SharedClock shared = new SharedClock(clock);
                synchronize(shared, stores.keys());
                return new Keygate(config, shared, stores);
            }
            return new Keygate(config, clock, stores);
        } catch (RuntimeException e) {
            stores.close();
            throw e;
        }
    }

    /** Measures the shared database's clock against this node's; blocking. */
    private static void synchronize(SharedClock shared, KeyStore store) {
        java.time.Instant sent = shared.instant().minusMillis(shared.offsetMillis());
        java.util.Optional<java.time.Instant> databaseTime = store.sharedTime();
        java.time.Instant received = shared.instant().minusMillis(shared.offsetMillis());
        databaseTime.ifPresent(time -> shared.synchronize(time, sent, received));
    }

    /** The configured database: PostgreSQL at {@code KEYGATE_DATABASE_URL}, else SQLite in the data directory. */
    static Stores openStores(Config config) {
        if (config.databaseUrl().isPresent()) {
            return PostgresStores.open(config.databaseUrl().get());
        }
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new ConfigException("KEYGATE_DATA_DIR", "cannot create \"" + config.dataDir() + "\" ("
                    + e.getClass().getSimpleName() + ")");
        }
        return SqliteStores.open(config.dataDir().resolve("keygate.db"));
    }

    /** SMTP when {@code KEYGATE_SMTP_URL} is set, else {@code .eml} files in {@code <data dir>/outbox}. */
    static MailSender mailSender(Config config) {
        return MailSenders.create(config.smtpUrl(), config.dataDir().resolve("outbox"), MAIL_FROM);
    }

    /** In-process, or shared in Redis when {@code KEYGATE_REDIS_URL} is set (falling back to the node's own). */
    private static RateLimiter limiter(Config config, Clock clock, Vertx vertx) {
        RateLimiter local = new SlidingWindowRateLimiter(clock);
        if (config.redisUrl().isEmpty()) {
            return local;
        }
        RedisRateLimiter shared = new RedisRateLimiter(
                Redis.createClient(vertx, RedisRateLimiter.options(config.redisUrl().get())), REDIS_PREFIX, local,
                config.nodeCount(), Optional.empty());
        try {
            shared.warmUp(REDIS_WARM_UP).await();
        } catch (Exception e) {
            // warmUp logged it; the limiter starts on its fallback and keeps trying Redis.
        }
        return shared;
    }

    private static int eventLoops() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    private void listen(Router router) {
        HttpServerOptions https = new HttpServerOptions()
                .setSsl(true)
                .setKeyCertOptions(KeyCertOptions.wrap(tls.keyManagers()))
                .setEnabledSecureTransportProtocols(new HashSet<>(Tls.PROTOCOLS))
                .setSslHandshakeTimeout(HANDSHAKE_TIMEOUT.toSeconds())
                .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
        Tls.TLS13_CIPHER_SUITES.forEach(https::addEnabledCipherSuite);
        Tls.TLS12_CIPHER_SUITES.forEach(https::addEnabledCipherSuite);
        limits(https);
        httpsPort = listen(https, config.httpsPort(), -1, "KEYGATE_HTTPS_PORT", router, true);
        if (config.httpPort().isPresent()) {
            HttpServerOptions plain = limits(new HttpServerOptions());
            httpPort = OptionalInt.of(listen(plain, config.httpPort().getAsInt(), -2, "KEYGATE_HTTP_PORT",
                    HttpApi.plainRouter(vertx), false));
        }
    }

    private static HttpServerOptions limits(HttpServerOptions options) {
        return options.setIdleTimeout((int) IDLE_TIMEOUT.toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setCompressionSupported(false)
                .setDecompressionSupported(false);
    }

    /**
     * One server per event loop, all sharing one port, so that connections spread over every core.
     * Each server must be created on its own event loop's context: servers created from one thread
     * share that thread's context, and then one event loop serves every connection. Port 0
     * becomes {@code randomKey}: Vert.x gives servers listening on the same negative port one
     * shared random port.
     */
    private int listen(HttpServerOptions options, int port, int randomKey, String variable, Router router,
            boolean https) {
        AtomicInteger actualPort = new AtomicInteger(port);
        try {
            vertx.deployVerticle(() -> new VerticleBase() {
                @Override
                public Future<?> start() {
                    return vertx.createHttpServer(options)
                            .requestHandler(router)
                            .invalidRequestHandler(Problems.invalidRequestHandler(https))
                            .listen(port == 0 ? randomKey : port, "0.0.0.0")
                            .onSuccess(server -> actualPort.set(server.actualPort()));
                }
            }, new DeploymentOptions().setInstances(eventLoops())).await();
        } catch (Exception e) {
            vertx.close();
            blocking.close();
            throw new ConfigException(variable, "cannot listen on port " + port + " (" + e.getMessage() + ")");
        }
        return actualPort.get();
    }

    /** Reads the store's change feed and drops what the cache holds about changed keys. */
    private void pollChanges() {
        if (!polling.compareAndSet(false, true)) {
            return;
        }
        blocking.run(() -> {
                    readChanges();
                    return null;
                })
                .onFailure(failure -> LOG.warn("could not read the change feed: {}", failure.toString()))
                .onComplete(ignored -> polling.set(false));
    }

    /** Applies the changes since the last read; blocking. One reader at a time owns the cursor. */
    private void readChanges() {
        synchronized (changeCursor) {
            List<Change> changes;
            do {
                changes = store.changesSince(changeCursor.readFrom(), CHANGE_BATCH);
                changeCursor.unseen(changes).forEach(verifier::apply);
            } while (changes.size() == CHANGE_BATCH);
        }
    }

    /**
     * Sends what waits in the mail outbox (rotation codes, written in the transaction that asked
     * for them), at least once: a mail server outage delays a code, it never loses one.
     */
    private void deliverMail(MailSender mail) {
        if (!delivering.compareAndSet(false, true)) {
            return;
        }
        blocking.run(() -> {
                    for (OutboxMail pending : stores.rotations().pendingMails(20, MAX_MAIL_ATTEMPTS)) {
                        try {
                            mail.send(pending.mail());
                            stores.rotations().markMailSent(pending.id(), clock.instant());
                        } catch (MailException e) {
                            stores.rotations().markMailFailed(pending.id(), e.getMessage());
                            LOG.warn("could not send mail {} to its recipient ({} tries): {}", pending.id(),
                                    pending.attempts() + 1, e.getMessage());
                        }
                    }
                    return null;
                })
                .onFailure(failure -> LOG.warn("could not read the mail outbox: {}", failure.toString()))
                .onComplete(ignored -> delivering.set(false));
    }

    private Void flushUsage() {
        Map<String, java.time.Instant> batch = usage.drain();
        if (batch.isEmpty()) {
            return null;
        }
        try {
            store.recordLastUsed(batch);
        } catch (RuntimeException e) {
            batch.forEach(usage::touch);
            LOG.warn("could not record last use of {} keys: {}", batch.size(), e.toString());
        }
        return null;
    }

    /** Where clients reach this server: {@code KEYGATE_PUBLIC_URL}, else {@code https://localhost:<port>}. */
    public String publicUrl() {
        return config.publicUrl()
                .map(url -> url.toString().replaceAll("/+$", ""))
                .orElse("https://localhost" + (httpsPort == 443 ? "" : ":" + httpsPort));
    }

    public int httpsPort() {
        return httpsPort;
    }

    public OptionalInt httpPort() {
        return httpPort;
    }

    /** SHA-256 fingerprint of the certificate served. */
    public String fingerprint() {
        return tls.fingerprint();
    }

    /** Whether the certificate was generated by this start. */
    public boolean generatedCertificate() {
        return tls.generated();
    }

    public Path keystore() {
        return tls.keystore();
    }

    /** Stops listening, writes the last uses and closes the store. */
    @Override
    public void close() {
        try {
            // Bounded: a connection that never finishes must not keep the process from stopping.
            vertx.close().await(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("could not stop cleanly: {}", e.toString());
        }
        flushUsage();
        blocking.close();
        limiter.close();
        stores.close();
    }
}
