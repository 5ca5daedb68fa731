package dev.keygate.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.core.ConflictException;
import dev.keygate.core.Ids;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.feed.Change;
import dev.keygate.core.keys.Credential;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link KeyStore} as its Javadoc states it, one suite for every store (the shape of
 * Bucket4j's {@code AbstractDistributedBucketTest}). A store module extends it once:
 *
 * <pre>{@code
 * class SqliteKeyStoreTest extends KeyStoreContract {
 *     @TempDir Path dir;
 *     @Override protected KeyStore newStore() { return SqliteKeyStore.open(dir.resolve("k.db")); }
 * }
 * }</pre>
 *
 * <p>{@link #newStore()} must return an empty store; it is called before each test and the store is
 * closed after it. The suite assumes nothing beyond the interface: every time it uses has
 * millisecond precision, and every key belongs to an account inserted first.
 */
public abstract class KeyStoreContract {

    /** A round instant with milliseconds, so that a store keeping epoch millis round-trips it. */
    protected static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123Z");

    private final Random random = new Random(20250301);
    private final Ids ids = new Ids(random);

    /** The store under test. */
    protected KeyStore store;

    /** A new, empty store. */
    protected abstract KeyStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---- accounts ----

    @Test
    void findAccountWhenInsertedThenSameAccount() {
        Account account = account("ada@example.com");

        store.insertAccount(account, Optional.of("$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA"));

        assertThat(store.findAccount(account.id())).contains(account);
    }

    @Test
    void findAccountWhenUnknownThenEmpty() {
        store.insertAccount(account("ada@example.com"), Optional.empty());

        assertThat(store.findAccount(ids.account())).isEmpty();
    }

    @Test
    void findAccountWhenInsertedWithRateLimitThenRateLimitKept() {
        Account account = new Account(ids.account(), "Limited", "limited@example.com", OptionalInt.of(300), T0);

        store.insertAccount(account, Optional.empty());

        assertThat(store.findAccount(account.id())).contains(account);
    }

    @Test
    void findAccountByEmailWhenInsertedThenSameAccount() {
        Account ada = account("ada@example.com");
        Account bob = account("bob@example.com");
        store.insertAccount(ada, Optional.empty());
        store.insertAccount(bob, Optional.empty());

        assertThat(store.findAccountByEmail("ada@example.com")).contains(ada);
        assertThat(store.findAccountByEmail("bob@example.com")).contains(bob);
    }

    @Test
    void findAccountByEmailWhenUnknownThenEmpty() {
        store.insertAccount(account("ada@example.com"), Optional.empty());

        assertThat(store.findAccountByEmail("nobody@example.com")).isEmpty();
    }

    @Test
    void insertAccountWhenEmailTakenThenConflictAndFirstAccountKept() {
        Account first = account("ada@example.com");
        Account second = account("ada@example.com");
        store.insertAccount(first, Optional.of("first-hash"));

        assertThatThrownBy(() -> store.insertAccount(second, Optional.of("second-hash")))
                .isInstanceOf(ConflictException.class);

        assertThat(store.findAccount(second.id())).isEmpty();
        assertThat(store.findAccountByEmail("ada@example.com")).contains(first);
        assertThat(store.findPasswordHash(first.id())).contains("first-hash");
    }

    @Test
    void findPasswordHashWhenInsertedWithHashThenSameHash() {
        Account account = account("ada@example.com");
        String hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$0123456789abcdefABCDEF+/";

        store.insertAccount(account, Optional.of(hash));

        assertThat(store.findPasswordHash(account.id())).contains(hash);
    }

    @Test
    void findPasswordHashWhenInsertedWithoutHashThenEmpty() {
        Account account = account("ada@example.com");

        store.insertAccount(account, Optional.empty());

        assertThat(store.findPasswordHash(account.id())).isEmpty();
        assertThat(store.findAccount(account.id())).contains(account);
    }

    @Test
    void findPasswordHashWhenAccountUnknownThenEmpty() {
        assertThat(store.findPasswordHash(ids.account())).isEmpty();
    }

    @Test
    void updatePasswordHashThenNewHashFoundAndOtherAccountsKeepTheirs() {
        Account ada = account("ada@example.com");
        Account bob = account("bob@example.com");
        store.insertAccount(ada, Optional.of("old-hash"));
        store.insertAccount(bob, Optional.of("bob-hash"));

        assertThat(store.updatePasswordHash(ada.id(), "new-hash")).isTrue();

        assertThat(store.findPasswordHash(ada.id())).contains("new-hash");
        assertThat(store.findPasswordHash(bob.id())).contains("bob-hash");
    }

    @Test
    void updatePasswordHashWhenAccountUnknownThenFalse() {
        assertThat(store.updatePasswordHash(ids.account(), "new-hash")).isFalse();
    }

    // ---- rate limits ----

    @Test
    void updateRateLimitWhenAccountExistsThenTrueAndAccountShowsIt() {
        Account account = insertAccount("ada@example.com");

        assertThat(store.updateRateLimit(account.id(), 500)).isTrue();

        assertThat(store.findAccount(account.id()).orElseThrow().rateLimit()).hasValue(500);
        assertThat(store.updateRateLimit(account.id(), 7)).isTrue();
        assertThat(store.findAccount(account.id()).orElseThrow().rateLimit()).hasValue(7);
    }

    @Test
    void updateRateLimitWhenAccountExistsThenOtherFieldsUnchanged() {
        Account account = insertAccount("ada@example.com");

        store.updateRateLimit(account.id(), 500);

        assertThat(store.findAccount(account.id())).contains(new Account(
                account.id(), account.name(), account.email(), OptionalInt.of(500), account.createdAt()));
    }

    @Test
    void updateRateLimitWhenAccountUnknownThenFalseAndNoChange() {
        insertAccount("ada@example.com");
        long before = store.latestChange();

        assertThat(store.updateRateLimit(ids.account(), 500)).isFalse();

        assertThat(store.latestChange()).isEqualTo(before);
        assertThat(store.changesSince(before, 10)).isEmpty();
    }

    @Test
    void findCredentialWhenRateLimitUpdatedThenCredentialShowsIt() {
        Account account = insertAccount("ada@example.com");
        StoredKey key = insertKey(secretKey(account.id(), T0));
        assertThat(store.findCredential(key.digest()).orElseThrow().rateLimit()).isEmpty();

        store.updateRateLimit(account.id(), 42);

        assertThat(store.findCredential(key.digest())).contains(new Credential(key.record(), OptionalInt.of(42)));
    }

    @Test
    void updateRateLimitAppendsAccountWideChange() {
        Account account = insertAccount("ada@example.com");
        insertKey(secretKey(account.id(), T0));
        long before = store.latestChange();

        store.updateRateLimit(account.id(), 500);

        List<Change> changes = store.changesSince(before, 10);
        assertThat(changes).hasSize(1);
        Change change = changes.getFirst();
        assertThat(change.accountId()).isEqualTo(account.id());
        assertThat(change.digest()).isEmpty();
        assertThat(change.sequence()).isGreaterThan(before);
        assertThat(store.latestChange()).isEqualTo(change.sequence());
    }

    // ---- keys ----

    @Test
    void findCredentialWhenSecretKeyInsertedThenRecordRoundTripsExactly() {
        Account account = insertAccount("ada@example.com");
        StoredKey key = secretKey(account.id(), T0);

        store.insertKey(key.record(), key.digest());

        Credential credential = store.findCredential(key.digest()).orElseThrow();
        assertThat(credential.key()).isEqualTo(key.record());
        assertThat(credential.key().publicValue()).isEmpty();
        assertThat(credential.key().expiresAt()).isEmpty();
        assertThat(credential.key().lastUsedAt()).isEmpty();
        assertThat(credential.key().revokedAt()).isEmpty();
        assertThat(credential.key().exposedAt()).isEmpty();
        assertThat(credential.rateLimit()).isEmpty();
    }

    @Test
    void findCredentialWhenEveryOptionalFieldPresentThenRecordRoundTripsExactly() {
        Account account = insertAccount("ada@example.com");
        ApiKey apiKey = ApiKey.generate(KeyType.PUBLIC, Environment.LIVE, random);
        KeyRecord record = new KeyRecord(
                ids.key(),
                account.id(),
                KeyType.PUBLIC,
                Environment.LIVE,
                "Checkout page — été ✓",
                apiKey.last4(),
                Optional.of(apiKey.reveal()),
                T0,
                Optional.of(T0.plusMillis(7 * 24 * 3_600_000L + 1)),
                Optional.of(T0.plusMillis(2_001)),
                Optional.of(T0.plusMillis(3_999)),
                Optional.of(T0.plusMillis(1_002)));
        KeyDigest digest = KeyDigest.of(apiKey);

        store.insertKey(record, digest);

        assertThat(store.findCredential(digest)).contains(new Credential(record, OptionalInt.empty()));
        assertThat(store.findKey(record.id())).contains(record);
    }

    @Test
    void findCredentialWhenLiveSecretKeyWithExpiryThenRecordRoundTripsExactly() {
        Account account = insertAccount("ada@example.com");
        ApiKey apiKey = ApiKey.generate(KeyType.SECRET, Environment.LIVE, random);
        KeyRecord record = new KeyRecord(
                ids.key(),
                account.id(),
                KeyType.SECRET,
                Environment.LIVE,
                "Backend",
                apiKey.last4(),
                Optional.empty(),
                T0.plusMillis(1),
                Optional.of(T0.plus(Duration.ofHours(1)).plusMillis(999)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        KeyDigest digest = KeyDigest.of(apiKey);

        store.insertKey(record, digest);

        assertThat(store.findCredential(digest).orElseThrow().key()).isEqualTo(record);
    }

    @Test
    void findCredentialWhenDigestUnknownThenEmpty() {
        Account account = insertAccount("ada@example.com");
        insertKey(secretKey(account.id(), T0));

        KeyDigest unknown = KeyDigest.of(ApiKey.generate(KeyType.SECRET, Environment.TEST, random));

        assertThat(store.findCredential(unknown)).isEmpty();
    }

    @Test
    void findCredentialWhenDigestReadBackFromBytesThenFound() {
        Account account = insertAccount("ada@example.com");
        StoredKey key = insertKey(secretKey(account.id(), T0));

        KeyDigest copy = KeyDigest.fromBytes(key.digest().toBytes());

        assertThat(store.findCredential(copy).orElseThrow().key()).isEqualTo(key.record());
    }

    @Test
    void findCredentialFindsEachKeyByItsOwnDigest() {
        Account ada = insertAccount("ada@example.com");
        Account bob = insertAccount("bob@example.com");
        List<StoredKey> keys = List.of(
                insertKey(secretKey(ada.id(), T0)),
                insertKey(publicKey(ada.id(), T0.plusMillis(1))),
                insertKey(secretKey(bob.id(), T0.plusMillis(2))),
                insertKey(publicKey(bob.id(), T0.plusMillis(3))));

        for (StoredKey key : keys) {
            assertThat(store.findCredential(key.digest()).orElseThrow().key()).isEqualTo(key.record());
        }
    }

    @Test
    void findKeyWhenInsertedThenSameRecord() {
        Account account = insertAccount("ada@example.com");
        StoredKey key = insertKey(publicKey(account.id(), T0));

        assertThat(store.findKey(key.record().id())).contains(key.record());
    }

    @Test
    void findKeyWhenUnknownThenEmpty() {
        Account account = insertAccount("ada@example.com");
        insertKey(secretKey(account.id(), T0));

        assertThat(store.findKey(ids.key())).isEmpty();
    }

    @Test
    void listKeysReturnsOnlyThatAccountsKeysNewestFirst() {
        Account ada = insertAccount("ada@example.com");
        Account bob = insertAccount("bob@example.com");
        // Inserted out of creation order, interleaved with another account's keys.
        StoredKey middle = insertKey(publicKey(ada.id(), T0.plusSeconds(60)));
        StoredKey bobs = insertKey(secretKey(bob.id(), T0.plusSeconds(30)));
        StoredKey oldest = insertKey(secretKey(ada.id(), T0));
        StoredKey newest = insertKey(secretKey(ada.id(), T0.plusSeconds(60).plusMillis(1)));

        assertThat(store.listKeys(ada.id()))
                .containsExactly(newest.record(), middle.record(), oldest.record());
        assertThat(store.listKeys(bob.id())).containsExactly(bobs.record());
    }

    @Test
    void listKeysWhenAccountHasNoKeysThenEmpty() {
        Account ada = insertAccount("ada@example.com");
        Account bob = insertAccount("bob@example.com");
        insertKey(secretKey(bob.id(), T0));

        assertThat(store.listKeys(ada.id())).isEmpty();
        assertThat(store.listKeys(ids.account())).isEmpty();
    }

    @Test
    void listKeysIncludesRevokedKeys() {
        Account account = insertAccount("ada@example.com");
        StoredKey deleted = insertKey(secretKey(account.id(), T0));
        StoredKey kept = insertKey(secretKey(account.id(), T0.plusSeconds(1)));
        Instant at = T0.plusSeconds(2).plusMillis(345);

        store.revokeKey(deleted.record().id(), at);

        assertThat(store.listKeys(account.id()))
                .containsExactly(kept.record(), revoked(deleted.record(), at));
    }

    // ---- revocation ----

    @Test
    void revokeKeyWhenActiveThenTrueAndCredentialShowsRevokedAt() {
        Account account = insertAccount("ada@example.com");
        StoredKey key = insertKey(secretKey(account.id(), T0));
        Instant at = T0.plusSeconds(90).plusMillis(17);

        assertThat(store.revokeKey(key.record().id(), at)).isTrue();

        KeyRecord expected = revoked(key.record(), at);
        assertThat(store.findCredential(key.digest())).contains(new Credential(expected, OptionalInt.empty()));
        assertThat(store.findKey(key.record().id())).contains(expected);
    }

    @Test
    void revokeKeyWhenAlreadyRevokedThenFalseAndFirstTimeKept() {
        Account account = insertAccount("ada@example.com");
        StoredKey key = insertKey(secretKey(account.id(), T0));
        Instant first = T0.plusSeconds(10);
        store.revokeKey(key.record().id(), first);
        long before = store.latestChange();

        assertThat(store.revokeKey(key.record().id(), T0.plusSeconds(20))).isFalse();

        assertThat(store.findKey(key.record().id()).orElseThrow().revokedAt()).contains(first);
        assertThat(store.changesSince(before, 10)).isEmpty();
    }

    @Test
    void revokeKeyWhenUnknownThenFalseAndNoChange() {
        Account account = insertAccount("ada@example.com");
        StoredKey key = insertKey(secretKey(account.id(), T0));
        long before = store.latestChange();

        assertThat(store.revokeKey(ids.key(), T0.plusSeconds(1))).isFalse();

        assertThat(store.changesSince(before, 10)).isEmpty();
        assertThat(store.findKey(key.record().id())).contains(key.record());
    }

    @Test
    void revokeKeyAppendsChangeCarryingThatKeysDigest() {
        Account account = insertAccount("ada@example.com");
        StoredKey deleted = insertKey(secretKey(account.id(), T0));
        insertKey(secretKey(account.id(), T0.plusMillis(1)));
        long before = store.latestChange();

        store.revokeKey(deleted.record().id(), T0.plusSeconds(5));

        List<Change> changes = store.changesSince(before, 10);
        assertThat(changes).hasSize(1);
        assertThat(changes.getFirst().accountId()).isEqualTo(account.id());
        assertThat(changes.getFirst().digest()).contains(deleted.digest());
        assertThat(store.latestChange()).isEqualTo(changes.getFirst().sequence());
    }

    @Test
    void revokeKeyLeavesOtherKeysUntouched() {
        Account account = insertAccount("ada@example.com");
        StoredKey deleted = insertKey(secretKey(account.id(), T0));
        StoredKey other = insertKey(publicKey(account.id(), T0.plusMillis(1)));

        store.revokeKey(deleted.record().id(), T0.plusSeconds(5));

        assertThat(store.findCredential(other.digest()).orElseThrow().key()).isEqualTo(other.record());
    }

    // ---- exposure and usage ----

    @Test
    void markExposedKeepsTheFirstTime() {
        Account account = insertAccount("ada@example.com");
        StoredKey key = insertKey(secretKey(account.id(), T0));
        Instant first = T0.plusSeconds(3).plusMillis(21);

        store.markExposed(key.record().id(), first);
        store.markExposed(key.record().id(), first.plusSeconds(60));
        store.markExposed(key.record().id(), first.minusSeconds(1));

        assertThat(store.findKey(key.record().id())).contains(exposed(key.record(), first));
        assertThat(store.findCredential(key.digest()).orElseThrow().key().exposedAt()).contains(first);
    }

    @Test
    void markExposedLeavesOtherKeysUntouched() {
        Account account = insertAccount("ada@example.com");
        StoredKey exposed = insertKey(secretKey(account.id(), T0));
        StoredKey other = insertKey(secretKey(account.id(), T0.plusMillis(1)));

        store.markExposed(exposed.record().id(), T0.plusSeconds(1));

        assertThat(store.findKey(other.record().id())).contains(other.record());
    }

    @Test
    void recordLastUsedMovesForwardForEveryKeyOfTheBatch() {
        Account account = insertAccount("ada@example.com");
        StoredKey a = insertKey(secretKey(account.id(), T0));
        StoredKey b = insertKey(publicKey(account.id(), T0.plusMillis(1)));
        StoredKey c = insertKey(secretKey(account.id(), T0.plusMillis(2)));
        StoredKey untouched = insertKey(secretKey(account.id(), T0.plusMillis(3)));
        Instant first = T0.plusSeconds(10).plusMillis(1);

        store.recordLastUsed(Map.of(a.record().id(), first, b.record().id(), first.plusMillis(5)));
        store.recordLastUsed(Map.of(
                a.record().id(), first.plusSeconds(30),
                b.record().id(), first.plusSeconds(31),
                c.record().id(), first.plusSeconds(32)));

        assertThat(store.findKey(a.record().id())).contains(lastUsed(a.record(), first.plusSeconds(30)));
        assertThat(store.findKey(b.record().id())).contains(lastUsed(b.record(), first.plusSeconds(31)));
        assertThat(store.findCredential(c.digest()).orElseThrow().key())
                .isEqualTo(lastUsed(c.record(), first.plusSeconds(32)));
        assertThat(store.findKey(untouched.record().id())).contains(untouched.record());
    }

    @Test
    void recordLastUsedNeverMovesBackwards() {
        Account account = insertAccount("ada@example.com");
        StoredKey a = insertKey(secretKey(account.id(), T0));
        StoredKey b = insertKey(secretKey(account.id(), T0.plusMillis(1)));
        StoredKey c = insertKey(secretKey(account.id(), T0.plusMillis(2)));
        Instant later = T0.plusSeconds(100).plusMillis(7);
        store.recordLastUsed(Map.of(a.record().id(), later, b.record().id(), later, c.record().id(), later));

        store.recordLastUsed(Map.of(
                a.record().id(), later.minusMillis(1),
                b.record().id(), later.minusSeconds(50),
                c.record().id(), later.plusMillis(1)));

        assertThat(store.findKey(a.record().id()).orElseThrow().lastUsedAt()).contains(later);
        assertThat(store.findKey(b.record().id()).orElseThrow().lastUsedAt()).contains(later);
        assertThat(store.findKey(c.record().id()).orElseThrow().lastUsedAt()).contains(later.plusMillis(1));
    }

    @Test
    void recordLastUsedWhenBatchEmptyThenNothingChanges() {
        Account account = insertAccount("ada@example.com");
        StoredKey key = insertKey(secretKey(account.id(), T0));

        store.recordLastUsed(Map.of());

        assertThat(store.findKey(key.record().id())).contains(key.record());
    }

    // ---- change feed ----

    @Test
    void latestChangeWhenStoreEmptyThenZero() {
        assertThat(store.latestChange()).isZero();
        assertThat(store.changesSince(0, 10)).isEmpty();
    }

    @Test
    void changesSinceReturnsChangesOldestFirstWithIncreasingSequences() {
        Account ada = insertAccount("ada@example.com");
        Account bob = insertAccount("bob@example.com");
        StoredKey adaKey = insertKey(secretKey(ada.id(), T0));
        StoredKey bobKey = insertKey(secretKey(bob.id(), T0.plusMillis(1)));
        long before = store.latestChange();

        store.updateRateLimit(ada.id(), 10);
        store.revokeKey(bobKey.record().id(), T0.plusSeconds(1));
        store.updateRateLimit(bob.id(), 20);
        store.revokeKey(adaKey.record().id(), T0.plusSeconds(2));

        List<Change> changes = store.changesSince(before, 100);
        assertThat(changes).extracting(Change::accountId).containsExactly(ada.id(), bob.id(), bob.id(), ada.id());
        assertThat(changes)
                .extracting(Change::digest)
                .containsExactly(
                        Optional.empty(), Optional.of(bobKey.digest()), Optional.empty(), Optional.of(adaKey.digest()));
        assertThat(changes).extracting(Change::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(changes.getFirst().sequence()).isGreaterThan(before);
        assertThat(store.latestChange()).isEqualTo(changes.getLast().sequence());
    }

    @Test
    void changesSinceZeroReturnsEveryChange() {
        Account account = insertAccount("ada@example.com");
        StoredKey key = insertKey(secretKey(account.id(), T0));

        store.updateRateLimit(account.id(), 10);
        store.revokeKey(key.record().id(), T0.plusSeconds(1));

        assertThat(store.changesSince(0, 100)).hasSize(2);
        assertThat(store.latestChange()).isPositive();
    }

    @Test
    void changesSinceReturnsAtMostLimit() {
        Account account = insertAccount("ada@example.com");
        long before = store.latestChange();
        for (int i = 1; i <= 5; i++) {
            store.updateRateLimit(account.id(), i);
        }

        assertThat(store.changesSince(before, 1)).hasSize(1);
        assertThat(store.changesSince(before, 3)).hasSize(3);
        assertThat(store.changesSince(before, 5)).hasSize(5);
        assertThat(store.changesSince(before, 1000)).hasSize(5);
        assertThat(store.changesSince(before, 3))
                .containsExactlyElementsOf(store.changesSince(before, 5).subList(0, 3));
    }

    @Test
    void changesSinceWhenPagedByLastSequenceThenEveryChangeSeenOnceInOrder() {
        Account account = insertAccount("ada@example.com");
        List<StoredKey> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            keys.add(insertKey(secretKey(account.id(), T0.plusMillis(i))));
        }
        long before = store.latestChange();
        for (int i = 0; i < 4; i++) {
            store.revokeKey(keys.get(i).record().id(), T0.plusSeconds(i + 1));
            store.updateRateLimit(account.id(), 100 + i);
        }
        List<Change> all = store.changesSince(before, 100);

        List<Change> paged = new ArrayList<>();
        long cursor = before;
        // Bounded, so that a store which does not move past the cursor fails instead of looping.
        for (int pages = 0; pages <= all.size(); pages++) {
            List<Change> page = store.changesSince(cursor, 3);
            if (page.isEmpty()) {
                break;
            }
            assertThat(page).hasSizeLessThanOrEqualTo(3);
            assertThat(page.getFirst().sequence()).isGreaterThan(cursor);
            paged.addAll(page);
            cursor = page.getLast().sequence();
        }

        assertThat(all).hasSize(8);
        assertThat(paged).containsExactlyElementsOf(all);
        assertThat(cursor).isEqualTo(store.latestChange());
    }

    @Test
    void changesSinceLatestChangeThenEmpty() {
        Account account = insertAccount("ada@example.com");
        store.updateRateLimit(account.id(), 10);
        store.updateRateLimit(account.id(), 11);

        assertThat(store.changesSince(store.latestChange(), 10)).isEmpty();
    }

    @Test
    void changesSinceAChangeReturnsOnlyTheOnesAfterIt() {
        Account account = insertAccount("ada@example.com");
        StoredKey key = insertKey(secretKey(account.id(), T0));
        store.updateRateLimit(account.id(), 10);
        long middle = store.latestChange();
        store.revokeKey(key.record().id(), T0.plusSeconds(1));

        List<Change> after = store.changesSince(middle, 10);

        assertThat(after).hasSize(1);
        assertThat(after.getFirst().digest()).contains(key.digest());
        assertThat(after.getFirst().sequence()).isGreaterThan(middle);
    }

    // ---- health ----

    @Test
    void pingWhenStoreOpenThenDoesNotThrow() {
        assertThatCode(store::ping).doesNotThrowAnyException();
        insertAccount("ada@example.com");
        assertThatCode(store::ping).doesNotThrowAnyException();
    }

    // ---- helpers ----

    /** A key record, the digest it is found by and the key itself. */
    protected record StoredKey(KeyRecord record, KeyDigest digest, ApiKey key) {}

    /** An account with a new id, created at {@link #T0}, with no rate limit of its own. */
    protected Account account(String email) {
        return new Account(ids.account(), "Merchant " + email, email, OptionalInt.empty(), T0);
    }

    /** Inserts a new account with a password hash. */
    protected Account insertAccount(String email) {
        Account account = account(email);
        store.insertAccount(account, Optional.of("hash-of-" + email));
        return account;
    }

    /** A new test secret key of {@code accountId}, not yet stored, with every optional field empty. */
    protected StoredKey secretKey(String accountId, Instant createdAt) {
        return newKey(accountId, KeyType.SECRET, Environment.TEST, createdAt);
    }

    /** A new test publishable key of {@code accountId}, not yet stored; its value is kept. */
    protected StoredKey publicKey(String accountId, Instant createdAt) {
        return newKey(accountId, KeyType.PUBLIC, Environment.TEST, createdAt);
    }

    protected StoredKey insertKey(StoredKey key) {
        store.insertKey(key.record(), key.digest());
        return key;
    }

    private StoredKey newKey(String accountId, KeyType type, Environment environment, Instant createdAt) {
        ApiKey apiKey = ApiKey.generate(type, environment, random);
        KeyRecord record = new KeyRecord(
                ids.key(),
                accountId,
                type,
                environment,
                type == KeyType.SECRET ? "Secret key" : "Publishable key",
                apiKey.last4(),
                type == KeyType.PUBLIC ? Optional.of(apiKey.reveal()) : Optional.empty(),
                createdAt,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        return new StoredKey(record, KeyDigest.of(apiKey), apiKey);
    }

    /** {@code key} as it reads after {@link KeyStore#revokeKey} at {@code at}. */
    protected static KeyRecord revoked(KeyRecord key, Instant at) {
        return copy(key, key.lastUsedAt(), Optional.of(at), key.exposedAt());
    }

    /** {@code key} as it reads after {@link KeyStore#markExposed} at {@code at}. */
    protected static KeyRecord exposed(KeyRecord key, Instant at) {
        return copy(key, key.lastUsedAt(), key.revokedAt(), Optional.of(at));
    }

    /** {@code key} as it reads after {@link KeyStore#recordLastUsed} moved it to {@code at}. */
    protected static KeyRecord lastUsed(KeyRecord key, Instant at) {
        return copy(key, Optional.of(at), key.revokedAt(), key.exposedAt());
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
