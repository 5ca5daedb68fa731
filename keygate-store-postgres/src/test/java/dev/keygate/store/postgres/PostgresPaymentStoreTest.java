package dev.keygate.store.postgres;

import dev.keygate.payments.PaymentStores;
import dev.keygate.payments.testing.PaymentStoreContract;
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
    protected PaymentStores newStores() {
        var stores = PostgresStores.open(database.url());
        database.emptyEveryTable();
        return stores;
    }
}
