package dev.keygate.store.jdbc;

import dev.keygate.core.dashboard.DashboardStore;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.rotation.RotationStore;
import dev.keygate.payments.PaymentStore;
import dev.keygate.payments.PaymentStores;
import java.util.Objects;

/**
 * Every store of one SQL database. Closing it closes the connections they share (held by
 * {@code keys}).
 */
public record Database(KeyStore keys, PaymentStore payments, DashboardStore dashboard, RotationStore rotations)
        implements PaymentStores {

    public Database {
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
