package dev.keygate.store.sqlite;

import dev.keygate.core.Stores;
import dev.keygate.core.testing.DashboardStoreContract;
import dev.keygate.core.testing.RequestLogBeforeV5;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite dashboard store passes the dashboard store contract, and keeps the request log of older versions. */
class SqliteDashboardStoreTest extends DashboardStoreContract {

    @TempDir
    Path dir;

    private int opened;

    @Override
    protected Stores newStores() {
        return SqliteStores.open(dir.resolve("dashboard-" + (opened++) + ".db"));
    }

    @Test
    void openWhenRequestLogWrittenOneRowPerRequestThenEveryEntryListedAsBefore() throws Exception {
        Path file = dir.resolve("v4.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/sqlite").target("4").load().migrate();

        RequestLogBeforeV5.assertKeptByMigration(url, () -> SqliteStores.open(file));
    }
}
