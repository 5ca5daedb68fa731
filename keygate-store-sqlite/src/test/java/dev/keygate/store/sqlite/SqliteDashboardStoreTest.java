package dev.keygate.store.sqlite;

import dev.keygate.core.Stores;
import dev.keygate.core.testing.DashboardStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite dashboard store passes the dashboard store contract. */
class SqliteDashboardStoreTest extends DashboardStoreContract {

    @TempDir
    Path dir;

    private int opened;

    @Override
    protected Stores newStores() {
        return SqliteStores.open(dir.resolve("dashboard-" + (opened++) + ".db"));
    }
}
