package dev.keygate.core.keys;

import dev.keygate.core.Ids;
import dev.keygate.core.InvalidInputException;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Creates, lists and deletes API keys (SPEC sections 1 and 7). Keys never manage keys: only the
 * dashboard and the admin CLI call this.
 *
 * <pre>{@code
 * IssuedKey issued = keys.create("acct_…", KeyType.SECRET, Environment.TEST, "Backend");
 * show(issued.key().reveal()); // once; only its digest is stored
 * }</pre>
 */
public final class Keys {

    /** Longest key name accepted. */
    public static final int MAX_NAME_LENGTH = 100;

    private final KeyStore store;
    private final Clock clock;
    private final RandomGenerator random;
    private final Ids ids;

    /** {@code random} must be a {@code SecureRandom}: it draws the keys. */
    public Keys(KeyStore store, Clock clock, RandomGenerator random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.ids = new Ids(random);
    }

    /**
     * Creates a key and stores its digest (and, for a publishable key, the key itself).
     *
     * @param name empty or blank for the default, "Secret key", "Publishable key" or "Restricted key"
     * @throws InvalidInputException for an unknown account or a bad name
     */
    public IssuedKey create(String accountId, KeyType type, Environment environment, Optional<String> name) {
        String keyName = name.map(String::strip)
                .filter(given -> !given.isEmpty())
                .orElse(switch (type) {
                    case SECRET -> "Secret key";
                    case PUBLIC -> "Publishable key";
                    case RESTRICTED -> "Restricted key";
                });
        if (keyName.length() > MAX_NAME_LENGTH) {
            throw new InvalidInputException("name", "name must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (store.findAccount(accountId).isEmpty()) {
            throw new InvalidInputException("account", "no account " + accountId);
        }
        ApiKey key = ApiKey.generate(type, environment, random);
        KeyRecord record = new KeyRecord(
                ids.key(),
                accountId,
                type,
                environment,
                keyName,
                key.last4(),
                type == KeyType.PUBLIC ? Optional.of(key.reveal()) : Optional.empty(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        store.insertKey(record, KeyDigest.of(key));
        return new IssuedKey(record, key);
    }

    /** The account's keys, deleted ones included, newest first. */
    public List<KeyRecord> list(String accountId) {
        return store.listKeys(accountId);
    }

    /**
     * Deletes a key at once (SPEC section 7): every node refuses it within a second.
     *
     * @return false if there was no such key, or it was already deleted
     */
    public boolean delete(String keyId) {
        return store.revokeKey(keyId, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }
}
