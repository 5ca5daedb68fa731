package dev.keygate.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.core.Ids;
import dev.keygate.core.StoreUnavailableException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.feed.Change;
import dev.keygate.core.keys.Credential;
import dev.keygate.core.keys.IssuedKey;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.keys.Keys;
import dev.keygate.core.testing.InMemoryKeyStore;
import dev.keygate.core.feed.ChangeFeed;
import dev.keygate.core.testing.MutableClock;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Base62;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.keyformat.Malformation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyVerifierTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.000Z");
    /** Longer than any test runs: the cache's time to live is a safety net, not what is tested here. */
    private static final Duration TTL = Duration.ofHours(1);
    /** The least time an entry is kept: its time to live cut short by the whole spread. */
    private static final Duration SHORTEST_TTL =
            Duration.ofMillis((long) (TTL.toMillis() * (1 - KeyVerifier.TTL_SPREAD)));

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryKeyStore backing = new InMemoryKeyStore();
    private final CountingKeyStore store = new CountingKeyStore(backing);
    private final KeyVerifier verifier = new KeyVerifier(store, clock, TTL, TTL, 10_000);
    private final Random random = new Random(11);
    private final Ids ids = new Ids(random);
    private final Keys keys = new Keys(backing, clock, random);
    private Account account;

    @BeforeEach
    void createAccount() {
        account = newAccount("ada@example.com");
    }

    // ---- format ----

    static Stream<Arguments> malformedTokens() {
        String good = ApiKey.generate(KeyType.SECRET, Environment.TEST, new Random(3)).reveal();
        char last = good.charAt(good.length() - 1);
        char otherDigit = Base62.ALPHABET.charAt((Base62.ALPHABET.indexOf(last) + 1) % 62);
        return Stream.of(
                Arguments.of(null, Malformation.PREFIX),
                Arguments.of("", Malformation.PREFIX),
                Arguments.of("sk_test", Malformation.PREFIX),
                Arguments.of("Bearer " + good, Malformation.PREFIX),
                Arguments.of("xk_test_" + good.substring(8), Malformation.PREFIX),
                Arguments.of("sk_prod_" + good.substring(8), Malformation.PREFIX),
                Arguments.of(good.substring(0, good.length() - 1), Malformation.LENGTH),
                Arguments.of(good + "0", Malformation.LENGTH),
                Arguments.of(good.substring(0, 20) + "-" + good.substring(21), Malformation.ALPHABET),
                Arguments.of(good.substring(0, good.length() - 1) + otherDigit, Malformation.CHECKSUM));
    }

    @ParameterizedTest
    @MethodSource("malformedTokens")
    void verifyWhenKeyMalformedThenMalformedWithoutAnyStoreCall(String token, Malformation expected) {
        Verification verification = verifier.verify(token);
        Optional<Verification> cached = verifier.verifyCached(token);

        assertThat(verification).isEqualTo(new Verification.Malformed(expected));
        assertThat(cached).contains(new Verification.Malformed(expected));
        assertThat(store.calls()).isZero();
    }

    // ---- known keys ----

    @Test
    void verifyWhenKeyActiveThenValidWithItsFields() {
        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.of("Backend"));
        clock.advance(Duration.ofSeconds(5));

        Verification verification = verifier.verify(issued.key().reveal());

        VerifiedKey expected = new VerifiedKey(
                issued.record().id(),
                account.id(),
                KeyType.SECRET,
                Environment.TEST,
                Optional.empty(),
                OptionalInt.empty());
        assertThat(verification).isEqualTo(new Verification.Valid(expected));
        assertThat(expected.limitBucket()).isEqualTo(account.id() + ":test");
        assertThat(store.findCredentialCalls()).isEqualTo(1);
    }

    @Test
    void verifyWhenPublicLiveKeyOfLimitedAccountThenValidWithTypeEnvironmentAndLimit() {
        backing.updateRateLimit(account.id(), 300);
        IssuedKey issued = keys.create(account.id(), KeyType.PUBLIC, Environment.LIVE, Optional.empty());

        Verification verification = verifier.verify(issued.key().reveal());

        assertThat(verification).isEqualTo(new Verification.Valid(new VerifiedKey(
                issued.record().id(),
                account.id(),
                KeyType.PUBLIC,
                Environment.LIVE,
                Optional.empty(),
                OptionalInt.of(300))));
    }

    @Test
    void verifyWhenKeyKnownThenStoreAskedOnlyOnceAndVerifyCachedAnswers() {
        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        String token = issued.key().reveal();

        Verification first = verifier.verify(token);
        Verification second = verifier.verify(token);
        clock.advance(Duration.ofSeconds(3));
        Optional<Verification> cached = verifier.verifyCached(token);

        assertThat(second).isEqualTo(first);
        assertThat(cached).contains(first);
        assertThat(store.findCredentialCalls()).isEqualTo(1);
    }

    // ---- unknown and deleted keys ----

    @Test
    void verifyWhenKeyUnknownThenUnknownWithMaskedKey() {
        ApiKey unknown = ApiKey.generate(KeyType.SECRET, Environment.LIVE, random);

        Verification verification = verifier.verify(unknown.reveal());

        assertThat(verification).isEqualTo(new Verification.Unknown(unknown.masked()));
        assertThat(((Verification.Unknown) verification).masked())
                .isEqualTo("sk_live_..." + unknown.last4())
                .doesNotContain(unknown.reveal().substring(8, 40));
    }

    @Test
    void verifyWhenKeyUnknownThenNotLookedUpAgain() {
        String token = ApiKey.generate(KeyType.SECRET, Environment.TEST, random).reveal();
        verifier.verify(token);

        Verification again = verifier.verify(token);
        Optional<Verification> cached = verifier.verifyCached(token);

        assertThat(again).isInstanceOf(Verification.Unknown.class);
        assertThat(cached).contains(again);
        assertThat(store.findCredentialCalls()).isEqualTo(1);
    }

    @Test
    void verifyWhenKeyRevokedThenUnknown() {
        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        keys.delete(issued.record().id());

        Verification verification = verifier.verify(issued.key().reveal());

        assertThat(verification).isEqualTo(new Verification.Unknown(issued.key().masked()));
        assertThat(verifier.verifyCached(issued.key().reveal())).contains(verification);
    }

    // ---- expiry ----

    @Test
    void verifyWhenKeyExpiresThenValidOneSecondBeforeAndExpiredAtAndAfterEvenWhenCached() {
        Instant expiresAt = T0.plus(Duration.ofHours(24));
        ApiKey key = insertExpiringKey(expiresAt);
        String token = key.reveal();

        clock.set(expiresAt.minusSeconds(1));
        Verification before = verifier.verify(token);
        clock.set(expiresAt);
        Verification at = verifier.verify(token);
        Optional<Verification> cachedAt = verifier.verifyCached(token);
        clock.set(expiresAt.plus(SHORTEST_TTL).minusSeconds(2));
        Verification after = verifier.verify(token);

        assertThat(before).isInstanceOfSatisfying(
                Verification.Valid.class, valid -> assertThat(valid.key().expiresAt()).contains(expiresAt));
        Verification.Expired expired = new Verification.Expired(key.masked(), expiresAt);
        assertThat(at).isEqualTo(expired);
        assertThat(cachedAt).contains(expired);
        assertThat(after).isEqualTo(expired);
        assertThat(store.findCredentialCalls()).isEqualTo(1);
    }

    @Test
    void verifyWhenCacheTimeToLivePassesOnTheClockThenStoreAskedAgain() {
        ApiKey key = insertExpiringKey(T0.plus(Duration.ofDays(30)));
        clock.set(T0);
        verifier.verify(key.reveal());
        clock.set(T0.plus(SHORTEST_TTL).minusSeconds(1));
        verifier.verify(key.reveal());
        assertThat(store.findCredentialCalls()).isEqualTo(1);

        clock.set(T0.plus(TTL).plusSeconds(1));
        assertThat(verifier.verifyCached(key.reveal())).isEmpty();
        verifier.verify(key.reveal());
        assertThat(store.findCredentialCalls()).isEqualTo(2);
    }

    @Test
    void verifyWhenKeysLookedUpTogetherThenTheirEntriesRunOutAtDifferentTimes() {
        List<String> tokens = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> insertExpiringKey(T0.plus(Duration.ofDays(30))).reveal())
                .toList();
        clock.set(T0);
        tokens.forEach(verifier::verify);

        clock.set(T0.plus(SHORTEST_TTL).minusMillis(1));
        long goneBeforeShortest = tokens.stream().filter(token -> verifier.verifyCached(token).isEmpty()).count();
        clock.set(T0.plus(TTL.plus(SHORTEST_TTL).dividedBy(2)));
        long goneHalfWay = tokens.stream().filter(token -> verifier.verifyCached(token).isEmpty()).count();
        clock.set(T0.plus(TTL));
        long goneAtTtl = tokens.stream().filter(token -> verifier.verifyCached(token).isEmpty()).count();

        assertThat(goneBeforeShortest).isZero();
        // Each entry runs out at a uniformly random point of the last fifth: all 200 on one side
        // of its middle has a chance of 2^-199.
        assertThat(goneHalfWay).isBetween(1L, 199L);
        assertThat(goneAtTtl).isEqualTo(200);
    }

    @Test
    void verifyWhenExpiredKeyFirstSeenAfterExpiryThenExpired() {
        Instant expiresAt = T0.plusSeconds(60);
        ApiKey key = insertExpiringKey(expiresAt);
        clock.set(expiresAt.plusSeconds(1));

        assertThat(verifier.verify(key.reveal())).isEqualTo(new Verification.Expired(key.masked(), expiresAt));
    }

    // ---- change feed ----

    @Test
    void applyWhenChangeCarriesDigestThenRevocationSeenOnNextVerify() {
        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        String token = issued.key().reveal();
        long before = backing.latestChange();
        assertThat(verifier.verify(token)).isInstanceOf(Verification.Valid.class);

        keys.delete(issued.record().id());
        // The cache trusts what it holds until the change feed says otherwise.
        assertThat(verifier.verify(token)).isInstanceOf(Verification.Valid.class);
        List<Change> changes = backing.changesSince(before, 100);
        assertThat(changes).singleElement().satisfies(change -> assertThat(change.digest()).isPresent());
        changes.forEach(verifier::apply);

        assertThat(verifier.verifyCached(token)).isEmpty();
        assertThat(verifier.verify(token)).isEqualTo(new Verification.Unknown(issued.key().masked()));
        assertThat(store.findCredentialCalls()).isEqualTo(2);
    }

    @Test
    void applyWhenChangeCarriesDigestThenOnlyThatKeyDropped() {
        IssuedKey deleted = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        IssuedKey kept = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        verifier.verify(deleted.key().reveal());
        verifier.verify(kept.key().reveal());
        long before = backing.latestChange();

        keys.delete(deleted.record().id());
        backing.changesSince(before, 100).forEach(verifier::apply);

        assertThat(verifier.verifyCached(deleted.key().reveal())).isEmpty();
        assertThat(verifier.verifyCached(kept.key().reveal())).hasValueSatisfying(
                verification -> assertThat(verification).isInstanceOf(Verification.Valid.class));
        assertThat(store.findCredentialCalls()).isEqualTo(2);
    }

    @Test
    void applyWhenAccountWideChangeThenAllKeysOfThatAccountDroppedOnly() {
        Account other = newAccount("bob@example.com");
        IssuedKey first = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        IssuedKey second = keys.create(account.id(), KeyType.PUBLIC, Environment.LIVE, Optional.empty());
        IssuedKey othersKey = keys.create(other.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        for (IssuedKey issued : List.of(first, second, othersKey)) {
            verifier.verify(issued.key().reveal());
        }
        long before = backing.latestChange();

        backing.updateRateLimit(account.id(), 50);
        List<Change> changes = backing.changesSince(before, 100);
        assertThat(changes).singleElement().satisfies(change -> assertThat(change.digest()).isEmpty());
        changes.forEach(verifier::apply);

        assertThat(verifier.verifyCached(first.key().reveal())).isEmpty();
        assertThat(verifier.verifyCached(second.key().reveal())).isEmpty();
        assertThat(verifier.verifyCached(othersKey.key().reveal())).isPresent();
        assertThat(verifier.verify(first.key().reveal())).isInstanceOfSatisfying(
                Verification.Valid.class, valid -> assertThat(valid.key().rateLimit()).hasValue(50));
        assertThat(verifier.verify(second.key().reveal())).isInstanceOfSatisfying(
                Verification.Valid.class, valid -> assertThat(valid.key().rateLimit()).hasValue(50));
        assertThat(verifier.verify(othersKey.key().reveal())).isInstanceOfSatisfying(
                Verification.Valid.class, valid -> assertThat(valid.key().rateLimit()).isEmpty());
        assertThat(store.findCredentialCalls()).isEqualTo(3 + 2);
    }

    @Test
    void invalidateAllWhenCalledThenEveryKeyAskedAgain() {
        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        String unknown = ApiKey.generate(KeyType.SECRET, Environment.TEST, random).reveal();
        verifier.verify(issued.key().reveal());
        verifier.verify(unknown);

        verifier.invalidateAll();

        assertThat(verifier.verifyCached(issued.key().reveal())).isEmpty();
        assertThat(verifier.verifyCached(unknown)).isEmpty();
    }

    // ---- cold cache and outages ----

    @Test
    void verifyCachedWhenCacheColdThenEmptyWithoutStoreCall() {
        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        String unknown = ApiKey.generate(KeyType.PUBLIC, Environment.TEST, random).reveal();

        assertThat(verifier.verifyCached(issued.key().reveal())).isEmpty();
        assertThat(verifier.verifyCached(unknown)).isEmpty();
        assertThat(store.calls()).isZero();
    }

    @Test
    void verifyWhenStoreUnavailableThenExceptionPropagatesAndNothingCached() {
        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        String token = issued.key().reveal();
        store.failing(true);

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(StoreUnavailableException.class);
        assertThat(verifier.verifyCached(token)).isEmpty();

        store.failing(false);
        assertThat(verifier.verify(token)).isInstanceOf(Verification.Valid.class);
        assertThat(store.findCredentialCalls()).isEqualTo(2);
    }

    @Test
    void verifyWhenStoreUnavailableForUnknownKeyThenNotCachedAsUnknown() {
        String token = ApiKey.generate(KeyType.SECRET, Environment.TEST, random).reveal();
        store.failing(true);

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(StoreUnavailableException.class);
        assertThat(verifier.verifyCached(token)).isEmpty();

        store.failing(false);
        assertThat(verifier.verify(token)).isInstanceOf(Verification.Unknown.class);
        assertThat(store.findCredentialCalls()).isEqualTo(3);
    }

    // ---- a node cut off from the change feed (SPEC section 7) ----

    @Test
    void verifyWhenChangeFeedUnreadForFiveSecondsThenCacheNotTrustedAndOutageIsUnavailable() {
        AtomicLong nanos = new AtomicLong();
        ChangeFeed feed = new ChangeFeed(store, nanos::get);
        KeyVerifier node = new KeyVerifier(store, clock, feed::current, TTL, TTL, 10_000);
        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        String token = issued.key().reveal();
        assertThat(node.verify(token)).isInstanceOf(Verification.Valid.class);

        store.failing(true);
        assertThatThrownBy(() -> feed.read(node::apply)).isInstanceOf(StoreUnavailableException.class);
        keys.delete(issued.record().id()); // on another node: this one cannot learn it

        nanos.set(ChangeFeed.MAX_STALENESS.toNanos() - 1);
        assertThat(node.verifyCached(token)).as("within 5 s the cache still answers").hasValueSatisfying(
                verification -> assertThat(verification).isInstanceOf(Verification.Valid.class));
        nanos.set(ChangeFeed.MAX_STALENESS.toNanos());
        assertThat(node.verifyCached(token)).as("after 5 s nothing cached is trusted").isEmpty();
        assertThatThrownBy(() -> node.verify(token)).isInstanceOf(StoreUnavailableException.class);

        store.failing(false);
        feed.read(node::apply);
        assertThat(feed.current()).isTrue();
        assertThat(node.verify(token)).isInstanceOf(Verification.Unknown.class);
    }

    @Test
    void verifyWhenChangeFeedStaleButStoreAnswersThenStoreDecidesAndDeletionSeen() {
        AtomicLong nanos = new AtomicLong();
        ChangeFeed feed = new ChangeFeed(store, nanos::get);
        KeyVerifier node = new KeyVerifier(store, clock, feed::current, TTL, TTL, 10_000);
        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        String token = issued.key().reveal();
        assertThat(node.verify(token)).isInstanceOf(Verification.Valid.class);
        keys.delete(issued.record().id());

        nanos.set(ChangeFeed.MAX_STALENESS.toNanos());

        assertThat(node.verify(token)).isInstanceOf(Verification.Unknown.class);
    }

    // ---- helpers ----

    private Account newAccount(String email) {
        Account created = new Account(ids.account(), "Merchant", email, OptionalInt.empty(), T0);
        backing.insertAccount(created, Optional.empty());
        return created;
    }

    /** Stores a secret key of {@link #account} with an {@code expires_at}, as a rotation leaves the old key. */
    private ApiKey insertExpiringKey(Instant expiresAt) {
        ApiKey key = ApiKey.generate(KeyType.SECRET, Environment.TEST, random);
        backing.insertKey(
                new KeyRecord(
                        ids.key(),
                        account.id(),
                        KeyType.SECRET,
                        Environment.TEST,
                        "Rotated",
                        key.last4(),
                        Optional.empty(),
                        T0,
                        Optional.of(expiresAt),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()),
                KeyDigest.of(key));
        return key;
    }

    /** Counts the calls that reach the store, and can make its reads fail like a database outage. */
    private static final class CountingKeyStore implements KeyStore {
        private final KeyStore delegate;
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger findCredentialCalls = new AtomicInteger();
        private volatile boolean failing;

        CountingKeyStore(KeyStore delegate) {
            this.delegate = delegate;
        }

        int calls() {
            return calls.get();
        }

        int findCredentialCalls() {
            return findCredentialCalls.get();
        }

        void failing(boolean failing) {
            this.failing = failing;
        }

        @Override
        public Optional<Credential> findCredential(KeyDigest digest) {
            calls.incrementAndGet();
            findCredentialCalls.incrementAndGet();
            if (failing) {
                throw new StoreUnavailableException("database down", null);
            }
            return delegate.findCredential(digest);
        }

        @Override
        public void insertAccount(Account account, Optional<String> passwordHash) {
            calls.incrementAndGet();
            delegate.insertAccount(account, passwordHash);
        }

        @Override
        public Optional<Account> findAccount(String accountId) {
            calls.incrementAndGet();
            return delegate.findAccount(accountId);
        }

        @Override
        public Optional<Account> findAccountByEmail(String email) {
            calls.incrementAndGet();
            return delegate.findAccountByEmail(email);
        }

        @Override
        public Optional<String> findPasswordHash(String accountId) {
            calls.incrementAndGet();
            return delegate.findPasswordHash(accountId);
        }

        @Override
        public boolean updatePasswordHash(String accountId, String passwordHash) {
            calls.incrementAndGet();
            return delegate.updatePasswordHash(accountId, passwordHash);
        }

        @Override
        public boolean updateRateLimit(String accountId, int perMinute) {
            calls.incrementAndGet();
            return delegate.updateRateLimit(accountId, perMinute);
        }

        @Override
        public void insertKey(KeyRecord key, KeyDigest digest) {
            calls.incrementAndGet();
            delegate.insertKey(key, digest);
        }

        @Override
        public Optional<KeyRecord> findKey(String keyId) {
            calls.incrementAndGet();
            return delegate.findKey(keyId);
        }

        @Override
        public List<KeyRecord> listKeys(String accountId) {
            calls.incrementAndGet();
            return delegate.listKeys(accountId);
        }

        @Override
        public boolean revokeKey(String keyId, Instant at) {
            calls.incrementAndGet();
            return delegate.revokeKey(keyId, at);
        }

        @Override
        public void markExposed(String keyId, Instant at) {
            calls.incrementAndGet();
            delegate.markExposed(keyId, at);
        }

        @Override
        public void recordLastUsed(Map<String, Instant> lastUsed) {
            calls.incrementAndGet();
            delegate.recordLastUsed(lastUsed);
        }

        @Override
        public List<Change> changesSince(long sequence, int limit) {
            calls.incrementAndGet();
            if (failing) {
                throw new StoreUnavailableException("database down", null);
            }
            return delegate.changesSince(sequence, limit);
        }

        @Override
        public long latestChange() {
            calls.incrementAndGet();
            return delegate.latestChange();
        }

        @Override
        public void ping() {
            calls.incrementAndGet();
            delegate.ping();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
