package dev.keygate.core.keys;

import dev.keygate.core.StoreUnavailableException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.feed.Change;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where accounts and keys live. One implementation per database (SQLite embedded, PostgreSQL for
 * several nodes); all pass the same contract test suite.
 *
 * <p>Every method may block and must be called off the event loop. Every method throws
 * {@link StoreUnavailableException} when the database cannot answer, never a driver exception.
 */
public interface KeyStore extends AutoCloseable {

    /**
     * Stores a new account with its Argon2id password hash (empty for an account made without one).
     *
     * @throws ConflictException if another account has the same email
     */
    void insertAccount(Account account, Optional<String> passwordHash);

    Optional<Account> findAccount(String accountId);

    Optional<Account> findAccountByEmail(String email);

    /** The account's Argon2id password hash, if it has a password. */
    Optional<String> findPasswordHash(String accountId);

    /**
     * Replaces the account's Argon2id password hash.
     *
     * @return false if there is no such account
     */
    boolean updatePasswordHash(String accountId, String passwordHash);

    /**
     * Sets the account's own rate limit and appends an account-wide {@link Change}.
     *
     * @return false if there is no such account
     */
    boolean updateRateLimit(String accountId, int perMinute);

    /** Stores a new key found by {@code digest}. Stores keep instants to the millisecond. */
    void insertKey(KeyRecord key, KeyDigest digest);

    /** The key with this digest and its account's limit, deleted keys included (the caller judges). */
    Optional<Credential> findCredential(KeyDigest digest);

    Optional<KeyRecord> findKey(String keyId);

    /** The account's keys, deleted ones included, newest first. */
    List<KeyRecord> listKeys(String accountId);

    /**
     * Marks the key deleted at {@code at} and appends a {@link Change}, in one transaction.
     *
     * @return false if there is no such key or it was already deleted
     */
    boolean revokeKey(String keyId, Instant at);

    /** Notes that a browser sent this secret key (SPEC section 3); keeps the first time. */
    void markExposed(String keyId, Instant at);

    /** Moves {@code last_used_at} forward for each key in one batch; never backwards. */
    void recordLastUsed(Map<String, Instant> lastUsed);

    /** The changes after {@code sequence}, oldest first, at most {@code limit}. */
    List<Change> changesSince(long sequence, int limit);

    /** The sequence of the newest change, 0 if none: where a node that just started begins reading. */
    long latestChange();

    /**
     * The database's own clock, when the database is shared by several nodes (empty for the
     * embedded one): what every node judges expiry by.
     */
    default java.util.Optional<Instant> sharedTime() {
        return java.util.Optional.empty();
    }

    /** Answers only if the database does; for {@code /readyz}. */
    void ping();

    @Override
    void close();
}
