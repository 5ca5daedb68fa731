package dev.keygate.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.core.StoreUnavailableException;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.testing.KeyStoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL store passes the store contract, on a database of its own per test. */
class PostgresKeyStoreTest extends KeyStoreContract {

    private final List<TestDatabase> databases = new ArrayList<>();

    @Override
    protected KeyStore newStore() {
        TestDatabase database = TestDatabase.create();
        databases.add(database);
        return PostgresStores.open(database.url()).keys();
    }

    @AfterEach
    void dropDatabases() {
        databases.forEach(TestDatabase::close);
    }

    @Test
    void openWhenServerDoesNotAnswerThenStoreUnavailableWithoutPassword() {
        assertThatThrownBy(() -> PostgresStores.open("jdbc:postgresql://127.0.0.1:1/keygate?user=u&password=hunter2"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageNotContaining("hunter2")
                .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain("hunter2"));
    }

    @Test
    void sharedTimeThenTheDatabaseClockCloseToThisOne() {
        TestDatabase database = TestDatabase.create();
        databases.add(database);
        try (KeyStore store = PostgresStores.open(database.url()).keys()) {
            java.time.Instant before = java.time.Instant.now();
            java.time.Instant shared = store.sharedTime().orElseThrow();
            java.time.Instant after = java.time.Instant.now();
            // Same machine: the database's clock is this one's, within the round trip and a margin.
            assertThat(shared).isBetween(before.minusSeconds(1), after.plusSeconds(1));
        }
    }
}
