package dev.keygate.server.runtime;

import dev.keygate.core.Ids;
import dev.keygate.core.ServerSecret;
import dev.keygate.core.SharedClock;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.auth.KeyVerifier;
import dev.keygate.core.auth.UsageTracker;
import dev.keygate.core.feed.ChangeFeed;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.keys.Keys;
import dev.keygate.core.limit.RateLimiter;
import dev.keygate.core.mail.MailSender;
import dev.keygate.payments.Payments;
import dev.keygate.server.api.CheckoutPage;
import dev.keygate.server.api.Idempotency;
import dev.keygate.server.api.PaymentRoutes;
import dev.keygate.server.auth.Authenticator;
import dev.keygate.server.dashboard.Argon2Hasher;
import dev.keygate.server.dashboard.BoundedHasher;
import dev.keygate.server.dashboard.DashboardRoutes;
import dev.keygate.server.dashboard.DashboardServices;
import dev.keygate.server.http.Blocking;
import dev.keygate.server.http.RequestLog;
import dev.keygate.store.jdbc.Database;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Keygate server: the store, the verifier and limiter, and the HTTPS (and optional
 * plain) listeners on Vert.x event loops. This class only wires the parts together.
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
    public static final Duration CHANGE_POLL_INTERVAL = BackgroundJobs.CHANGE_POLL_INTERVAL;
    /** How often {@code last_used_at} is written. */
    public static final Duration USAGE_FLUSH_INTERVAL = BackgroundJobs.USAGE_FLUSH_INTERVAL;
    /** Longest wait for open connections when stopping. */
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private final Config config;
    private final Tls tls;
    private final Database stores;
    private final RateLimiter limiter;
    private final UsageTracker usage = new UsageTracker();
    private final Blocking blocking = new Blocking();
    /** Argon2id on its own few threads: a login flood cannot take the CPU from the API. */
    private final BoundedHasher hasher =
            new BoundedHasher(new Argon2Hasher(), BoundedHasher.DEFAULT_THREADS, BoundedHasher.DEFAULT_QUEUE);
    private final Vertx vertx;
    private int httpsPort;
    private OptionalInt httpPort = OptionalInt.empty();

    private Keygate(Config config, Clock clock, Database stores) {
        this.config = config;
        this.stores = stores;
        this.tls = Tls.prepare(config);
        KeyStore store = stores.keys();
        ChangeFeed feed = new ChangeFeed(store, System::nanoTime);
        KeyVerifier verifier = new KeyVerifier(store, clock, feed::current);
        Runnable readChanges = () -> feed.read(verifier::apply);
        RequestLog requestLog = new RequestLog(clock);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops()));
        this.limiter = Storage.limiter(config, clock, vertx);
        Authenticator authenticator =
                new Authenticator(verifier, limiter, config.rateLimit(), usage, store, blocking, clock);
        SecureRandom random = new SecureRandom();
        ServerSecret secret = ServerSecrets.load(config.dataDir(), random);
        ServerSecrets.requireSameAsOtherNodes(secret, stores.rotations(), config.dataDir());
        Payments payments = new Payments(stores.payments(), clock, random);
        MailSender mail = Storage.mailSender(config);
        DashboardServices dashboard = DashboardServices.wire(store, stores.dashboard(), stores.rotations(),
                new Accounts(store, hasher, clock, new Ids(random)), new Keys(store, clock, random), hasher, mail,
                clock, random, secret);
        try {
            Listeners listeners = new Listeners(vertx, eventLoops());
            httpsPort = listeners.https(tls, config.httpsPort(), Routes.router(vertx, store, limiter, blocking,
                    authenticator,
                    new PaymentRoutes(payments, new Idempotency(stores.payments(), clock), blocking, this::publicUrl),
                    new CheckoutPage(payments, blocking, secret),
                    new DashboardRoutes(dashboard, secret, blocking, clock, this::publicUrl, readChanges),
                    requestLog, new Metrics(limiter, requestLog)));
            if (config.httpPort().isPresent()) {
                httpPort = OptionalInt.of(listeners.plain(config.httpPort().getAsInt()));
            }
        } catch (ConfigException e) {
            vertx.close();
            blocking.close();
            hasher.close();
            throw e;
        }
        new BackgroundJobs(vertx, blocking, clock).start(stores, readChanges, mail, dashboard.rotations()::readable,
                requestLog, dashboard::purgeExpired, usage, config.requestLogDays());
    }

    /**
     * Starts a server; returns once it listens.
     *
     * @throws ConfigException if the configuration cannot be served (port taken, bad keystore, …)
     */
    public static Keygate start(Config config, Clock clock) {
        return start(config, clock, Storage.openStores(config));
    }

    /**
     * Starts a server on the given store, which it then owns and closes.
     *
     * @throws ConfigException if the configuration cannot be served (port taken, bad keystore, …)
     */
    public static Keygate start(Config config, Clock clock, Database stores) {
        try {
            if (stores.keys().sharedTime().isPresent()) {
                // Several nodes share this database: all of them judge expiry by its clock.
                SharedClock shared = new SharedClock(clock);
                BackgroundJobs.synchronize(shared, stores.keys());
                return new Keygate(config, shared, stores);
            }
            return new Keygate(config, clock, stores);
        } catch (RuntimeException e) {
            stores.close();
            throw e;
        }
    }

    private static int eventLoops() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
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
        BackgroundJobs.flushUsage(usage, stores.keys());
        blocking.close();
        hasher.close();
        limiter.close();
        stores.close();
    }
}
