package dev.keygate.core;

import dev.keygate.core.dashboard.DashboardStore;
import dev.keygate.core.payment.PaymentStore;
import dev.keygate.core.rotation.RotationStore;
import java.util.Objects;

/**
 * The stores of one database: keys and accounts, payments, the dashboard's, and rotations. Closing it closes the database
 * connections both share.
 */
public record Stores(KeyStore keys, PaymentStore payments, DashboardStore dashboard, RotationStore rotations)
        implements AutoCloseable {
    public Stores {
        Objects.requireNonNull(keys);
        Objects.requireNonNull(payments);
        Objects.requireNonNull(dashboard);
        Objects.requireNonNull(rotations);
    }

    @Override
    public void close() {
        keys.close();
    }
}
