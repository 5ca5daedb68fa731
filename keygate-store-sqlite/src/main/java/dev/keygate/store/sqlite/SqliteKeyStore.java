package dev.keygate.store.sqlite;

import dev.keygate.core.keys.KeyStore;
import java.nio.file.Path;

/** The key store of the embedded database alone, for tools that need only keys and accounts. */
public final class SqliteKeyStore {

    private SqliteKeyStore() {}

    /**
     * Opens the database at {@code file} (see {@link SqliteStores#open}); closing the store closes it.
     *
     * @throws StoreUnavailableException if the file cannot be opened or migrated
     */
    public static KeyStore open(Path file) {
        return SqliteStores.open(file).keys();
    }
}
