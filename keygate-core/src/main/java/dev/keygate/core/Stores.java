package dev.keygate.core;

import dev.keygate.core.payment.PaymentStore;
import java.util.Objects;

/**
 * The stores of one database: keys and accounts, and payments. Closing it closes the database
 * connections both share.
 */
public record Stores(KeyStore keys, PaymentStore payments) implements AutoCloseable {
    public Stores {
        Objects.requireNonNull(keys);
        Objects.requireNonNull(payments);
    }

    @Override
    public void close() {
        keys.close();
    }
}
