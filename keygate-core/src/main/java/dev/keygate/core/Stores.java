package dev.keygate.core;

import dev.keygate.core.dashboard.DashboardStore;
import dev.keygate.core.payment.PaymentStore;
import java.util.Objects;

/**
 * The stores of one database: keys and accounts, payments, and the dashboard's. Closing it closes the database
 * connections both share.
 */
public record Stores(KeyStore keys, PaymentStore payments, DashboardStore dashboard) implements AutoCloseable {
    public Stores {
        Objects.requireNonNull(keys);
        Objects.requireNonNull(payments);
        Objects.requireNonNull(dashboard);
    }

    @Override
    public void close() {
        keys.close();
    }
}
