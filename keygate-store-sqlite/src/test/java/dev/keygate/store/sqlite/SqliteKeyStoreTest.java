package dev.keygate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.core.StoreUnavailableException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.testing.KeyStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store passes the store contract, and keeps what it promises about the file. */
class SqliteKeyStoreTest extends KeyStoreContract {

    @TempDir
    Path dir;

    private int opened;

    @Override
    protected KeyStore newStore() {
        return SqliteKeyStore.open(dir.resolve("keygate-" + (opened++) + ".db"));
    }

    @Test
    void openWhenFileExistsThenDataSurvivesAndMigrationsAreNotRerun() {
        Path file = dir.resolve("reopen.db");
        Account account = new Account("acct_0123456789abcdef", "Shop", "shop@example.com", OptionalInt.empty(),
                Instant.ofEpochMilli(1_700_000_000_000L));
        try (KeyStore first = SqliteKeyStore.open(file)) {
            first.insertAccount(account, Optional.of("hash"));
        }
        try (KeyStore second = SqliteKeyStore.open(file)) {
            assertThat(second.findAccount(account.id())).contains(account);
        }
    }

    @Test
    void openWhenDatabaseIsInWalModeWithFullSync() throws Exception {
        Path file = dir.resolve("wal.db");
        try (KeyStore store = SqliteKeyStore.open(file)) {
            store.insertAccount(new Account("acct_0123456789abcdef", "Shop", "shop@example.com",
                    OptionalInt.empty(), Instant.ofEpochMilli(1_700_000_000_000L)), Optional.empty());
            assertThat(Files.exists(dir.resolve("wal.db-wal"))).isTrue();
        }
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                var statement = connection.createStatement()) {
            var mode = statement.executeQuery("PRAGMA journal_mode");
            assertThat(mode.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void openWhenPathIsNotAFileThenStoreUnavailableNamingIt() {
        Path notAFile = dir.resolve("missing-dir").resolve("sub").resolve("k.db");
        assertThatThrownBy(() -> SqliteKeyStore.open(notAFile))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(notAFile.toString());
    }
}
