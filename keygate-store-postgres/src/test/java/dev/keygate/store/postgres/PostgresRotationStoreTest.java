package dev.keygate.store.postgres;

import dev.keygate.core.Stores;
import dev.keygate.core.testing.RotationStoreContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The PostgreSQL rotation store passes the rotation store contract. The tests share one database,
 * emptied before each. Without a server they are skipped, unless {@code KEYGATE_REQUIRE_SERVICES=1}.
 */
class PostgresRotationStoreTest extends RotationStoreContract {

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
        var stores = PostgresStores.open(database.url());
        database.emptyEveryTable();
        return stores;
    }

    @Override
    protected Optional<String> storedMailBody(long mailId) {
        try (Connection connection = DriverManager.getConnection(database.url());
                PreparedStatement query = connection.prepareStatement("SELECT body FROM mail_outbox WHERE seq = ?")) {
            query.setLong(1, mailId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the outbox of " + database.name(), e);
        }
    }
}
