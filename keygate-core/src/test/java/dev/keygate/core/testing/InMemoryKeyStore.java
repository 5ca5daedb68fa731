package dev.keygate.core.testing;

import dev.keygate.core.ConflictException;
import dev.keygate.core.StoreUnavailableException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.feed.Change;
import dev.keygate.core.keys.Credential;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.keys.KeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * A {@link KeyStore} held in memory, for tests of the code that uses a store. It follows the
 * interface's Javadoc and passes the same {@link KeyStoreContract} as the real stores. Every method
 * is {@code synchronized}; after {@link #close()} every method throws
 * {@link StoreUnavailableException}, which makes a closed store a ready-made outage.
 *
 * <pre>{@code
 * KeyStore store = new InMemoryKeyStore();
 * Keys keys = new Keys(store, clock, new Random(1));
 * }</pre>
 */
public final class InMemoryKeyStore implements KeyStore {

    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final Map<String, String> passwordHashes = new HashMap<>();
    /** Insertion order is the tie-break of {@link #listKeys} for keys created at the same instant. */
    private final Map<String, KeyRecord> keys = new LinkedHashMap<>();
    private final Map<String, KeyDigest> digestsByKeyId = new HashMap<>();
    private final Map<KeyDigest, String> keyIdsByDigest = new HashMap<>();
    private final List<Change> changes = new ArrayList<>();
    private long nextSequence = 1;
    private boolean closed;

    @Override
    public synchronized void insertAccount(Account account, Optional<String> passwordHash) {
        open();
        Objects.requireNonNull(passwordHash);
        if (accounts.containsKey(account.id())) {
            throw new ConflictException("an account with this id exists");
        }
        if (accounts.values().stream().anyMatch(other -> other.email().equals(account.email()))) {
            throw new ConflictException("an account with this email exists");
        }
        accounts.put(account.id(), account);
        passwordHash.ifPresent(hash -> passwordHashes.put(account.id(), hash));
    }

    @Override
    public synchronized Optional<Account> findAccount(String accountId) {
        open();
        return Optional.ofNullable(accounts.get(accountId));
    }

    @Override
    public synchronized Optional<Account> findAccountByEmail(String email) {
        open();
        return accounts.values().stream()
                .filter(account -> account.email().equals(email))
                .findFirst();
    }

    @Override
    public synchronized Optional<String> findPasswordHash(String accountId) {
        open();
        return Optional.ofNullable(passwordHashes.get(accountId));
    }

    @Override
    public synchronized boolean updatePasswordHash(String accountId, String passwordHash) {
        open();
        if (!accounts.containsKey(accountId)) {
            return false;
        }
        passwordHashes.put(accountId, passwordHash);
        return true;
    }

    @Override
    public synchronized boolean updateRateLimit(String accountId, int perMinute) {
        open();
        Account account = accounts.get(accountId);
        if (account == null) {
            return false;
        }
        accounts.put(
                accountId,
                new Account(
                        account.id(),
                        account.name(),
                        account.email(),
                        OptionalInt.of(perMinute),
                        account.createdAt()));
        append(accountId, Optional.empty());
        return true;
    }

    @Override
    public synchronized void insertKey(KeyRecord key, KeyDigest digest) {
        open();
        Objects.requireNonNull(digest);
        if (!accounts.containsKey(key.accountId())) {
            throw new IllegalArgumentException("no account " + key.accountId());
        }
        if (keys.containsKey(key.id()) || keyIdsByDigest.containsKey(digest)) {
            throw new ConflictException("a key with this id or digest exists");
        }
        keys.put(key.id(), key);
        digestsByKeyId.put(key.id(), digest);
        keyIdsByDigest.put(digest, key.id());
    }

    @Override
    public synchronized Optional<Credential> findCredential(KeyDigest digest) {
        open();
        String keyId = keyIdsByDigest.get(digest);
        if (keyId == null) {
            return Optional.empty();
        }
        KeyRecord key = keys.get(keyId);
        return Optional.of(new Credential(key, accounts.get(key.accountId()).rateLimit()));
    }

    @Override
    public synchronized Optional<KeyRecord> findKey(String keyId) {
        open();
        return Optional.ofNullable(keys.get(keyId));
    }

    @Override
    public synchronized List<KeyRecord> listKeys(String accountId) {
        open();
        List<KeyRecord> newestFirst = new ArrayList<>();
        for (KeyRecord key : keys.values()) {
            if (key.accountId().equals(accountId)) {
                newestFirst.add(0, key);
            }
        }
        // Stable: among keys created at the same instant, the last inserted stays first.
        newestFirst.sort(Comparator.comparing(KeyRecord::createdAt).reversed());
        return List.copyOf(newestFirst);
    }

    @Override
    public synchronized boolean revokeKey(String keyId, Instant at) {
        open();
        Objects.requireNonNull(at);
        KeyRecord key = keys.get(keyId);
        if (key == null || key.revokedAt().isPresent()) {
            return false;
        }
        keys.put(keyId, copy(key, key.lastUsedAt(), Optional.of(at), key.exposedAt()));
        append(key.accountId(), Optional.of(digestsByKeyId.get(keyId)));
        return true;
    }

    @Override
    public synchronized void markExposed(String keyId, Instant at) {
        open();
        Objects.requireNonNull(at);
        KeyRecord key = keys.get(keyId);
        if (key != null && key.exposedAt().isEmpty()) {
            keys.put(keyId, copy(key, key.lastUsedAt(), key.revokedAt(), Optional.of(at)));
        }
    }

    @Override
    public synchronized void recordLastUsed(Map<String, Instant> lastUsed) {
        open();
        lastUsed.forEach((keyId, at) -> {
            KeyRecord key = keys.get(keyId);
            if (key != null && key.lastUsedAt().map(previous -> previous.isBefore(at)).orElse(true)) {
                keys.put(keyId, copy(key, Optional.of(at), key.revokedAt(), key.exposedAt()));
            }
        });
    }

    @Override
    public synchronized List<Change> changesSince(long sequence, int limit) {
        open();
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return changes.stream()
                .filter(change -> change.sequence() > sequence)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized long latestChange() {
        open();
        return changes.isEmpty() ? 0 : changes.getLast().sequence();
    }

    @Override
    public synchronized void ping() {
        open();
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    /**
     * Whether {@code text} occurs in anything this store holds: account fields, password hashes, key
     * records and the digests' hex. Lets a test prove that a secret key's value is never stored.
     */
    public synchronized boolean holdsText(String text) {
        Stream<String> accountTexts = accounts.values().stream()
                .flatMap(account -> Stream.of(account.id(), account.name(), account.email()));
        Stream<String> keyTexts = keys.values().stream()
                .flatMap(key -> Stream.concat(
                        Stream.of(key.id(), key.accountId(), key.name(), key.last4()), key.publicValue().stream()));
        Stream<String> digestTexts = keyIdsByDigest.keySet().stream().map(KeyDigest::toHex);
        return Stream.of(accountTexts, passwordHashes.values().stream(), keyTexts, digestTexts)
                .flatMap(texts -> texts)
                .anyMatch(stored -> stored.contains(text));
    }

    private void append(String accountId, Optional<KeyDigest> digest) {
        changes.add(new Change(nextSequence++, accountId, digest));
    }

    private void open() {
        if (closed) {
            throw new StoreUnavailableException("the in-memory store is closed", null);
        }
    }

    private static KeyRecord copy(
            KeyRecord key, Optional<Instant> lastUsedAt, Optional<Instant> revokedAt, Optional<Instant> exposedAt) {
        return new KeyRecord(
                key.id(),
                key.accountId(),
                key.type(),
                key.environment(),
                key.name(),
                key.last4(),
                key.publicValue(),
                key.createdAt(),
                key.expiresAt(),
                lastUsedAt,
                revokedAt,
                exposedAt);
    }
}
