package dev.keygate.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.core.StoreUnavailableException;
import dev.keygate.store.jdbc.Database;
import dev.keygate.store.jdbc.JdbiStores;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * Opens the shared database of several nodes: PostgreSQL through a HikariCP pool, migrated by
 * Flyway on open (Flyway's lock lets nodes start together).
 *
 * <pre>{@code
 * try (Stores stores = PostgresStores.open("jdbc:postgresql://db:5432/keygate?user=keygate&password=…")) { … }
 * }</pre>
 *
 * <p>Timeouts are short, so that a database outage becomes a quick {@code 503} rather than a
 * request hanging: {@link #CONNECT_TIMEOUT} to get a connection, {@link #STATEMENT_TIMEOUT} for a
 * statement. The pool reconnects by itself when the database is back.
 */
public final class PostgresStores {

    /** Longest wait for a connection, from the pool or a new one. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Longest a statement may run, enforced by the server and the socket. */
    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(5);
    /** The database's time, which every node judges expiry by. */
    static final String CLOCK_QUERY = "SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT";
    /** Connections per node. */
    public static final int POOL_SIZE = 10;

    private PostgresStores() {}

    /**
     * Opens and migrates the database at {@code jdbcUrl}.
     *
     * @throws StoreUnavailableException if it cannot be reached or migrated; the message never holds the URL's password
     */
    public static Database open(String jdbcUrl) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setPoolName("keygate-postgres");
        pool.setMaximumPoolSize(POOL_SIZE);
        pool.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
        pool.setValidationTimeout(Math.min(1_000, CONNECT_TIMEOUT.toMillis()));
        pool.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
        pool.addDataSourceProperty("socketTimeout", String.valueOf(STATEMENT_TIMEOUT.toSeconds() + 1));
        pool.addDataSourceProperty("options", "-c statement_timeout=" + STATEMENT_TIMEOUT.toMillis());
        pool.addDataSourceProperty("ApplicationName", "keygate");
        HikariDataSource dataSource = null;
        try {
            dataSource = new HikariDataSource(pool);
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/postgres")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            if (dataSource != null) {
                dataSource.close();
            }
            throw new StoreUnavailableException("could not open the PostgreSQL database at " + redact(jdbcUrl) + ": "
                    + rootMessage(e), null);
        }
        return JdbiStores.create(Jdbi.create(dataSource), sql -> "23505".equals(sql.getSQLState()), dataSource,
                java.util.Optional.of(CLOCK_QUERY));
    }

    /** The URL without its query string and credentials, for messages. */
    static String redact(String jdbcUrl) {
        String noQuery = jdbcUrl.contains("?") ? jdbcUrl.substring(0, jdbcUrl.indexOf('?')) : jdbcUrl;
        int at = noQuery.indexOf('@');
        int scheme = noQuery.indexOf("//");
        return at > scheme && scheme >= 0 ? noQuery.substring(0, scheme + 2) + "***" + noQuery.substring(at) : noQuery;
    }

    /** The innermost message, which for a connection failure names the host, never the password. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        return message.contains("password") ? root.getClass().getSimpleName() : message;
    }
}
