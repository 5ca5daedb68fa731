package dev.keygate.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh database on this machine's PostgreSQL (127.0.0.1:5432, user {@code postgres}) for one
 * test, dropped on close. Without a server the test is skipped, unless
 * {@code KEYGATE_REQUIRE_SERVICES=1} (as in CI), where it fails.
 */
public final class TestDatabase implements AutoCloseable {

    /** The server the tests use; {@code KEYGATE_TEST_POSTGRES} overrides it. */
    public static final String SERVER = System.getenv().getOrDefault("KEYGATE_TEST_POSTGRES",
            "jdbc:postgresql://127.0.0.1:5432/");

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    /** Creates a database with a random name. */
    public static TestDatabase create() {
        String name = "keygate_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if ("1".equals(System.getenv("KEYGATE_REQUIRE_SERVICES"))) {
                throw new AssertionError("PostgreSQL is required (KEYGATE_REQUIRE_SERVICES=1) but "
                        + SERVER + " did not answer: " + e.getMessage(), e);
            }
            Assumptions.abort("no PostgreSQL at " + SERVER + ": " + e.getMessage());
        }
        return new TestDatabase(name);
    }

    /** The JDBC URL of this database. */
    public String url() {
        return SERVER + name + "?user=postgres";
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop " + name, e);
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(SERVER + "postgres?user=postgres&connectTimeout=2");
    }

    /**
     * Empties every table but Flyway's history, whatever the migrations made: for test classes
     * that share one database between their tests (creating and migrating one per test would cost
     * most of the run).
     */
    public void emptyEveryTable() {
        try (Connection connection = DriverManager.getConnection(url());
                Statement statement = connection.createStatement()) {
            java.util.List<String> tables = new java.util.ArrayList<>();
            try (java.sql.ResultSet rows = statement.executeQuery("SELECT tablename FROM pg_tables "
                    + "WHERE schemaname = current_schema() AND tablename NOT LIKE 'flyway%'")) {
                while (rows.next()) {
                    tables.add('"' + rows.getString(1) + '"');
                }
            }
            if (!tables.isEmpty()) {
                statement.execute("TRUNCATE " + String.join(", ", tables) + " CASCADE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not empty " + name, e);
        }
    }
}
