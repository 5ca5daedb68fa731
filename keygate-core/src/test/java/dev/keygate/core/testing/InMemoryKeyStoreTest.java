package dev.keygate.core.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.core.StoreUnavailableException;
import dev.keygate.core.keys.KeyStore;
import org.junit.jupiter.api.Test;

/** Proves the test fake against the same contract as the real stores. */
class InMemoryKeyStoreTest extends KeyStoreContract {

    @Override
    protected KeyStore newStore() {
        return new InMemoryKeyStore();
    }

    @Test
    void pingWhenClosedThenStoreUnavailable() {
        store.close();

        assertThatThrownBy(store::ping).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> store.latestChange()).isInstanceOf(StoreUnavailableException.class);
    }
}
