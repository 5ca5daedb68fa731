package dev.keygate.store.sqlite;

import dev.keygate.payments.PaymentStores;
import dev.keygate.payments.testing.PaymentStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite payment store passes the payment store contract. */
class SqlitePaymentStoreTest extends PaymentStoreContract {

    @TempDir
    Path dir;

    private int opened;

    @Override
    protected PaymentStores newStores() {
        return SqliteStores.open(dir.resolve("payments-" + (opened++) + ".db"));
    }
}
