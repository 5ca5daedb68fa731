package dev.keygate.bench.tools;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.core.dashboard.RequestLogEntry;
import dev.keygate.keyformat.Environment;
import dev.keygate.store.jdbc.Database;
import dev.keygate.store.postgres.PostgresStores;
import dev.keygate.store.sqlite.SqliteStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Keygate's store and the layout before V5, side by side for {@link RequestLogWrite}: a file each
 * (SQLite), or one fresh database (PostgreSQL), dropped on close.
 */
final class RequestLogLayouts implements AutoCloseable {

    final RequestLogLayout current;
    final RequestLogLayout v4;
    private final AutoCloseable cleanup;

    private RequestLogLayouts(RequestLogLayout current, RequestLogLayout v4, AutoCloseable cleanup) {
        this.current = current;
        this.v4 = v4;
        this.cleanup = cleanup;
    }

    static RequestLogLayouts sqlite(Path workDir) {
        Path currentFile = workDir.resolve("current.db");
        Path v4File = workDir.resolve("v4.db");
        Database stores = SqliteStores.open(currentFile);
        // The server's settings (SqliteStores): WAL, synchronous=FULL, writers taking the lock at BEGIN.
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(SqliteStores.BUSY_TIMEOUT_MILLIS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + v4File.toAbsolutePath());
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(sqlite);
        pool.setMaximumPoolSize(SqliteStores.POOL_SIZE);
        HikariDataSource v4 = new HikariDataSource(pool);
        return new RequestLogLayouts(store(stores, () -> sqliteBytes(currentFile)),
                new V4RequestLogLayout(v4, V4RequestLogLayout.SQLITE_TABLE, () -> sqliteBytes(v4File)), () -> {
                    stores.close();
                    v4.close();
                });
    }

    static RequestLogLayouts postgres() throws Exception {
        String server = System.getenv().getOrDefault("KEYGATE_BENCH_POSTGRES", "jdbc:postgresql://127.0.0.1:5432/");
        String name = "keygate_bench_request_log";
        String admin = server + "postgres?user=postgres&connectTimeout=2";
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
        String url = server + name + "?user=postgres";
        Database stores = PostgresStores.open(url);
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setMaximumPoolSize(4);
        HikariDataSource v4 = new HikariDataSource(pool);
        Jdbi jdbi = Jdbi.create(v4);
        return new RequestLogLayouts(store(stores, () -> postgresBytes(jdbi, "request_log_batches")),
                new V4RequestLogLayout(v4, V4RequestLogLayout.POSTGRES_TABLE, () -> postgresBytes(jdbi, "request_log_v4")), () -> {
                    stores.close();
                    v4.close();
                    try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
                        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                    }
                });
    }

    @Override
    public void close() throws Exception {
        cleanup.close();
    }

    private static RequestLogLayout store(Database stores, LongSupplier bytes) {
        return new RequestLogLayout() {
            @Override
            public void insert(List<RequestLogEntry> entries) {
                stores.dashboard().insertRequests(entries);
            }

            @Override
            public List<RequestLogEntry> list(String accountId, OptionalInt statusClass) {
                return stores.dashboard().listRequests(accountId, Environment.TEST, statusClass, RequestLogWrite.LIST_LIMIT);
            }

            @Override
            public long bytes() {
                return bytes.getAsLong();
            }
        };
    }

    private static long sqliteBytes(Path file) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            return Files.size(file);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long postgresBytes(Jdbi jdbi, String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT pg_total_relation_size(:table)").bind("table", table)
                .mapTo(Long.class).one());
    }
}
