package dev.keygate.store.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.core.StoreUnavailableException;
import dev.keygate.store.jdbc.Database;
import dev.keygate.store.jdbc.JdbiStores;
import java.nio.file.Path;
import java.sql.SQLException;
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
 */
public final class SqliteStores {

    /** How long a writer waits for another one before giving up. */
    public static final int BUSY_TIMEOUT_MILLIS = 5_000;
    /** Connections in the pool: WAL lets readers run beside the one writer. */
    public static final int POOL_SIZE = 4;

    private SqliteStores() {}

    /**
     * Opens (creating if needed) and migrates the database at {@code file}.
     *
     * @throws StoreUnavailableException if the file cannot be opened or migrated
     */
    public static Database open(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
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

    /** A unique or primary-key violation; other constraint failures (foreign key, check) are not conflicts. */
    private static boolean isUniqueViolation(SQLException sql) {
        return sql instanceof SQLiteException sqlite
                && (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                        || sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY);
    }
}
