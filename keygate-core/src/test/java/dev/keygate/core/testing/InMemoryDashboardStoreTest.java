package dev.keygate.core.testing;

import dev.keygate.core.Stores;
import dev.keygate.core.rotation.RotationStore;
import java.lang.reflect.Proxy;

/** Proves the test fake against the same contract as the real stores. */
class InMemoryDashboardStoreTest extends DashboardStoreContract {

    @Override
    protected Stores newStores() {
        return Stores.of(new InMemoryKeyStore(), new InMemoryDashboardStore(),
                unused(RotationStore.class));
    }

    /** The dashboard contract never touches payments or rotations: any call is a mistake in the suite. */
    private static <T> T unused(Class<T> store) {
        return store.cast(Proxy.newProxyInstance(store.getClassLoader(), new Class<?>[] {store},
                (proxy, method, args) -> {
                    throw new UnsupportedOperationException("the dashboard contract does not use "
                            + store.getSimpleName() + "." + method.getName());
                }));
    }
}
