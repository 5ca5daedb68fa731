package dev.keygate.store.postgres;

import dev.keygate.core.Stores;
import dev.keygate.core.testing.PaymentStoreContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The PostgreSQL payment store passes the payment store contract. The tests share one database,
 * emptied before each (creating and migrating a database per test would cost most of the run).
 */
class PostgresPaymentStoreTest extends PaymentStoreContract {

    private static TestDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Override
    protected Stores newStores() {
        Stores stores = PostgresStores.open(database.url());
        emptyEveryTable();
        return stores;
    }

    /** Every table but Flyway's history, whatever the migrations made. */
    private static void emptyEveryTable() {
        try (Connection connection = DriverManager.getConnection(database.url());
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT tablename FROM pg_tables "
                    + "WHERE schemaname = current_schema() AND tablename NOT LIKE 'flyway%'")) {
                while (rows.next()) {
                    tables.add('"' + rows.getString(1) + '"');
                }
            }
            if (!tables.isEmpty()) {
                statement.execute("TRUNCATE " + String.join(", ", tables) + " CASCADE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not empty " + database.name(), e);
        }
    }
}
