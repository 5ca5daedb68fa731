package dev.keygate.store.postgres;

import dev.keygate.payments.PaymentStores;
import dev.keygate.payments.testing.IdempotencyBeforeV6;
import dev.keygate.payments.testing.PaymentStoreContract;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL payment store passes the payment store contract, and replays responses kept by
 * older versions. The contract's tests share one database, emptied before each (creating and
 * migrating a database per test would cost most of the run).
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
    protected PaymentStores newStores() {
        var stores = PostgresStores.open(database.url());
        database.emptyEveryTable();
        return stores;
    }

    @Test
    void openWhenResponseKeptBeforeKeyTypeScopeThenReplayedForBothKeyTypes() throws Exception {
        try (TestDatabase old = TestDatabase.create()) {
            Flyway.configure().dataSource(old.url(), null, null).locations("classpath:db/postgres").target("5").load()
                    .migrate();

            IdempotencyBeforeV6.assertKeptByMigration(old.url(), () -> PostgresStores.open(old.url()));
        }
    }
}
