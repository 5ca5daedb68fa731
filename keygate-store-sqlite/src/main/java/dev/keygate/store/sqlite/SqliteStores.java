package dev.keygate.store.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.core.StoreUnavailableException;
import dev.keygate.store.jdbc.Database;
import dev.keygate.store.jdbc.JdbiStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Opens the embedded database: one SQLite file in WAL mode with {@code synchronous=FULL} (a
 * committed key, deletion or payment survives a power cut), migrated by Flyway on open.
 *
 * <pre>{@code
 * try (Stores stores = SqliteStores.open(dataDir.resolve("keygate.db"))) { … }
 * }</pre>
 *
 * <p>Several processes may open the same file at once (the server and the admin CLI): writers
 * wait up to {@link #BUSY_TIMEOUT_MILLIS} for each other.
 *
 * <p>The files hold key digests, sessions, mails on their way out and the request log: they are
 * readable by their owner only (0600; SQLite gives its {@code -wal} and {@code -shm} files the
 * database's mode), and what is deleted is overwritten ({@code secure_delete}), not left in free
 * pages for anyone who copies the file.
 */
public final class SqliteStores {

    /** How long a writer waits for another one before giving up. */
    public static final int BUSY_TIMEOUT_MILLIS = 5_000;
    /** Connections in the pool: WAL lets readers run beside the one writer. */
    public static final int POOL_SIZE = 4;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SqliteStores() {}

    /**
     * Opens (creating if needed) and migrates the database at {@code file}.
     *
     * @throws StoreUnavailableException if the file cannot be opened or migrated
     */
    public static Database open(Path file) {
        try {
            ownerOnly(file);
        } catch (IOException e) {
            throw new StoreUnavailableException("could not create the SQLite database " + file + ": " + e, e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        // Writers take the lock at BEGIN, so two writers never deadlock upgrading a read lock.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());

        HikariConfig pool = new HikariConfig();
        pool.setDataSource(sqlite);
        pool.setPoolName("keygate-sqlite");
        pool.setMaximumPoolSize(POOL_SIZE);
        pool.setConnectionTimeout(BUSY_TIMEOUT_MILLIS);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(pool);
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/sqlite")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new StoreUnavailableException("could not open the SQLite database " + file + ": " + root.getMessage(), e);
        }
        return JdbiStores.create(Jdbi.create(dataSource), SqliteStores::isUniqueViolation, dataSource);
    }

    /** Creates the database file with mode 0600, or narrows an existing one (and its WAL files) to it. */
    private static void ownerOnly(Path file) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        if (Files.notExists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            return;
        }
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path part = file.resolveSibling(file.getFileName() + suffix);
            if (Files.exists(part)) {
                Files.setPosixFilePermissions(part, OWNER_ONLY);
            }
        }
    }

    /** A unique or primary-key violation; other constraint failures (foreign key, check) are not conflicts. */
    private static boolean isUniqueViolation(SQLException sql) {
        return sql instanceof SQLiteException sqlite
                && (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                        || sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY);
    }
}
