package dev.keygate.core;

import dev.keygate.core.dashboard.DashboardStore;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.rotation.RotationStore;
import java.util.Objects;

/**
 * The core's stores of one database: keys and accounts, the dashboard's, and rotations. Closing
 * it closes the database connections they share.
 */
public interface Stores extends AutoCloseable {

    KeyStore keys();

    DashboardStore dashboard();

    RotationStore rotations();

    @Override
    void close();

    /** Stores made of the given parts; closing them closes {@code keys}. */
    static Stores of(KeyStore keys, DashboardStore dashboard, RotationStore rotations) {
        Objects.requireNonNull(keys);
        Objects.requireNonNull(dashboard);
        Objects.requireNonNull(rotations);
        record Parts(KeyStore keys, DashboardStore dashboard, RotationStore rotations) implements Stores {
            @Override
            public void close() {
                keys.close();
            }
        }
        return new Parts(keys, dashboard, rotations);
    }
}
