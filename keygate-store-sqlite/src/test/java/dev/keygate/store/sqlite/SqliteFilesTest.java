package dev.keygate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.Stores;
import dev.keygate.core.accounts.Account;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What someone who can read the data directory finds in the database's files (issue 16). */
class SqliteFilesTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void openWhenNewThenDatabaseAndWalReadableByTheOwnerOnly() throws Exception {
        Path file = dir.resolve("keygate.db");
        try (Stores stores = SqliteStores.open(file)) {
            stores.keys().insertAccount(account(), Optional.empty());

            assertThat(mode(file)).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("keygate.db-wal"))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("keygate.db-shm"))).isEqualTo("rw-------");
        }
    }

    @Test
    void openWhenFileWasWorldReadableThenNarrowedToTheOwner() throws Exception {
        Path file = dir.resolve("old.db");
        SqliteStores.open(file).close();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        try (Stores stores = SqliteStores.open(file)) {
            assertThat(mode(file)).isEqualTo("rw-------");
        }
    }

    private static Account account() {
        return new Account("acct_0123456789abcdef", "Shop", "shop@example.com", OptionalInt.empty(), T0);
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
