package dev.keygate.payments;

import dev.keygate.core.Stores;

/** The stores of one database that also keeps the reference API's payments. */
public interface PaymentStores extends Stores {

    PaymentStore payments();
}
