package dev.keygate.store.sqlite;

import dev.keygate.payments.PaymentStores;
import dev.keygate.payments.testing.IdempotencyBeforeV6;
import dev.keygate.payments.testing.PaymentStoreContract;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite payment store passes the payment store contract, and replays responses kept by older versions. */
class SqlitePaymentStoreTest extends PaymentStoreContract {

    @TempDir
    Path dir;

    private int opened;

    @Override
    protected PaymentStores newStores() {
        return SqliteStores.open(dir.resolve("payments-" + (opened++) + ".db"));
    }

    @Test
    void openWhenResponseKeptBeforeKeyTypeScopeThenReplayedForBothKeyTypes() throws Exception {
        Path file = dir.resolve("v5.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/sqlite").target("5").load().migrate();

        IdempotencyBeforeV6.assertKeptByMigration(url, () -> SqliteStores.open(file));
    }
}
