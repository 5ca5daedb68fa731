package dev.keygate.store.postgres;

import dev.keygate.core.Stores;
import dev.keygate.core.testing.DashboardStoreContract;
import dev.keygate.core.testing.RequestLogBeforeV5;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL dashboard store passes the dashboard store contract, and keeps the request log of
 * older versions. The contract's tests share one database, emptied before each (creating and
 * migrating a database per test would cost most of the run). Without a server they are skipped,
 * unless {@code KEYGATE_REQUIRE_SERVICES=1}.
 */
class PostgresDashboardStoreTest extends DashboardStoreContract {

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

    @Test
    void openWhenRequestLogWrittenOneRowPerRequestThenEveryEntryListedAsBefore() throws Exception {
        try (TestDatabase old = TestDatabase.create()) {
            Flyway.configure().dataSource(old.url(), null, null).locations("classpath:db/postgres").target("4").load()
                    .migrate();

            RequestLogBeforeV5.assertKeptByMigration(old.url(), () -> PostgresStores.open(old.url()));
        }
    }
}
