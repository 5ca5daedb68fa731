package dev.keygate.server.runtime;

import dev.keygate.core.limit.OutageJournal;
import dev.keygate.core.limit.RateLimiter;
import dev.keygate.core.limit.SlidingWindowRateLimiter;
import dev.keygate.core.mail.MailSender;
import dev.keygate.mail.MailSenders;
import dev.keygate.redis.RedisRateLimiter;
import dev.keygate.store.jdbc.Database;
import dev.keygate.store.postgres.PostgresStores;
import dev.keygate.store.sqlite.SqliteStores;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** The adapters a configuration chooses (SPEC section 10): the database, the mail sender, the rate limiter. */
public final class Storage {

    /** The sender of Keygate's mails. */
    static final String MAIL_FROM = "Keygate <no-reply@localhost>";
    /** Put before every Redis key Keygate writes. */
    public static final String REDIS_PREFIX = "keygate:";
    /** How long start-up waits for Redis before starting on the per-node fallback. */
    static final Duration REDIS_WARM_UP = Duration.ofSeconds(2);

    private Storage() {}

    /** The configured database: PostgreSQL at {@code KEYGATE_DATABASE_URL}, else SQLite in the data directory. */
    public static Database openStores(Config config) {
        if (config.databaseUrl().isPresent()) {
            return PostgresStores.open(config.databaseUrl().get());
        }
        try {
            ownerOnlyDirectory(config.dataDir());
        } catch (IOException e) {
            throw new ConfigException("KEYGATE_DATA_DIR", "cannot create \"" + config.dataDir() + "\" ("
                    + e.getClass().getSimpleName() + ")");
        }
        return SqliteStores.open(config.dataDir().resolve("keygate.db"));
    }

    /**
     * Creates {@code dir} (and missing parents) with mode 0700: the data directory holds the
     * database, the certificate's private key and mails with one-time codes. An existing directory
     * is left as its operator made it.
     */
    static void ownerOnlyDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** SMTP when {@code KEYGATE_SMTP_URL} is set, else {@code .eml} files in {@code <data dir>/outbox}. */
    static MailSender mailSender(Config config) {
        return MailSenders.create(config.smtpUrl(), config.dataDir().resolve("outbox"), MAIL_FROM);
    }

    /** In-process, or shared in Redis when {@code KEYGATE_REDIS_URL} is set (falling back to the node's own). */
    static RateLimiter limiter(Config config, Clock clock, Vertx vertx) {
        RateLimiter local = new SlidingWindowRateLimiter(clock);
        if (config.redisUrl().isEmpty()) {
            return local;
        }
        RedisRateLimiter shared = new RedisRateLimiter(
                Redis.createClient(vertx, RedisRateLimiter.options(config.redisUrl().get())), REDIS_PREFIX, local,
                new OutageJournal(clock, OutageJournal.DEFAULT_MAX_ENTRIES), config.nodeCount(), Optional.empty());
        try {
            shared.warmUp(REDIS_WARM_UP).await();
        } catch (Exception e) {
            // warmUp logged it; the limiter starts on its fallback and keeps trying Redis.
        }
        return shared;
    }
}
