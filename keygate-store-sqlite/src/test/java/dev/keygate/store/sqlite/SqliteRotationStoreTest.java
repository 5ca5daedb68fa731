package dev.keygate.store.sqlite;

import dev.keygate.core.Stores;
import dev.keygate.core.testing.RotationStoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite rotation store passes the rotation store contract. */
class SqliteRotationStoreTest extends RotationStoreContract {

    @TempDir
    Path dir;

    private int opened;
    private Path file;

    @Override
    protected Stores newStores() {
        file = dir.resolve("rotation-" + (opened++) + ".db");
        return SqliteStores.open(file);
    }

    @Override
    protected Optional<String> storedMailBody(long mailId) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                PreparedStatement query = connection.prepareStatement("SELECT body FROM mail_outbox WHERE seq = ?")) {
            query.setLong(1, mailId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the outbox of " + file, e);
        }
    }
}
