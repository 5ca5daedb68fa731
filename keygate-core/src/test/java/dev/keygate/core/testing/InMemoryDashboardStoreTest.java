package dev.keygate.core.testing;

import dev.keygate.core.Stores;
import dev.keygate.core.payment.PaymentStore;
import java.lang.reflect.Proxy;

/** Proves the test fake against the same contract as the real stores. */
class InMemoryDashboardStoreTest extends DashboardStoreContract {

    @Override
    protected Stores newStores() {
        return new Stores(new InMemoryKeyStore(), unusedPayments(), new InMemoryDashboardStore());
    }

    /** The dashboard contract never touches payments: any call is a mistake in the suite. */
    private static PaymentStore unusedPayments() {
        return (PaymentStore) Proxy.newProxyInstance(PaymentStore.class.getClassLoader(),
                new Class<?>[] {PaymentStore.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException("the dashboard contract uses no payments: "
                            + method.getName());
                });
    }
}
