package dev.keygate.server.testing;

import dev.keygate.core.StoreUnavailableException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.feed.Change;
import dev.keygate.core.keys.Credential;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.keys.KeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A {@link KeyStore} that passes every call to a real one, except while it is {@link #down(boolean)
 * down}: then every call throws {@link StoreUnavailableException}, as a store whose database went
 * away does; or fails only the next few credential lookups. Counts credential lookups, so tests can
 * tell whether the store was asked.
 */
public final class FlakyKeyStore implements KeyStore {

    private final KeyStore delegate;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger credentialLookups = new AtomicInteger();
    private final AtomicInteger failingLookups = new AtomicInteger();

    public FlakyKeyStore(KeyStore delegate) {
        this.delegate = delegate;
    }

    public void down(boolean isDown) {
        down.set(isDown);
    }

    /** The next {@code count} credential lookups fail as every call does while down; 0 ends that. */
    public void failNextCredentialLookups(int count) {
        failingLookups.set(count);
    }

    /** Credential lookups asked of this store, failed ones included. */
    public int credentialLookups() {
        return credentialLookups.get();
    }

    private <T> T call(Supplier<T> call) {
        if (down.get()) {
            throw unavailable();
        }
        return call.get();
    }

    private static StoreUnavailableException unavailable() {
        return new StoreUnavailableException("the database did not answer (test outage)", null);
    }

    private void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    @Override
    public void insertAccount(Account account, Optional<String> passwordHash) {
        run(() -> delegate.insertAccount(account, passwordHash));
    }

    @Override
    public Optional<Account> findAccount(String accountId) {
        return call(() -> delegate.findAccount(accountId));
    }

    @Override
    public Optional<Account> findAccountByEmail(String email) {
        return call(() -> delegate.findAccountByEmail(email));
    }

    @Override
    public Optional<String> findPasswordHash(String accountId) {
        return call(() -> delegate.findPasswordHash(accountId));
    }

    @Override
    public boolean updatePasswordHash(String accountId, String passwordHash) {
        return call(() -> delegate.updatePasswordHash(accountId, passwordHash));
    }

    @Override
    public boolean updateRateLimit(String accountId, int perMinute) {
        return call(() -> delegate.updateRateLimit(accountId, perMinute));
    }

    @Override
    public void insertKey(KeyRecord key, KeyDigest digest) {
        run(() -> delegate.insertKey(key, digest));
    }

    @Override
    public Optional<Credential> findCredential(KeyDigest digest) {
        credentialLookups.incrementAndGet();
        if (failingLookups.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw unavailable();
        }
        return call(() -> delegate.findCredential(digest));
    }

    @Override
    public Optional<KeyRecord> findKey(String keyId) {
        return call(() -> delegate.findKey(keyId));
    }

    @Override
    public List<KeyRecord> listKeys(String accountId) {
        return call(() -> delegate.listKeys(accountId));
    }

    @Override
    public boolean revokeKey(String keyId, Instant at) {
        return call(() -> delegate.revokeKey(keyId, at));
    }

    @Override
    public void markExposed(String keyId, Instant at) {
        run(() -> delegate.markExposed(keyId, at));
    }

    @Override
    public void recordLastUsed(Map<String, Instant> lastUsed) {
        run(() -> delegate.recordLastUsed(lastUsed));
    }

    @Override
    public List<Change> changesSince(long sequence, int limit) {
        return call(() -> delegate.changesSince(sequence, limit));
    }

    @Override
    public long latestChange() {
        return call(delegate::latestChange);
    }

    @Override
    public void ping() {
        run(delegate::ping);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
