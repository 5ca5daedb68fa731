package dev.keygate.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.core.Ids;
import dev.keygate.core.InvalidInputException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.testing.InMemoryKeyStore;
import dev.keygate.core.testing.MutableClock;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeysTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.456Z");

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final Keys keys = new Keys(store, clock, new Random(9));
    private Account account;

    @BeforeEach
    void createAccount() {
        account = new Account("acct_AAAAAAAAAAAAAAAA", "Ada", "ada@example.com", OptionalInt.empty(), T0);
        store.insertAccount(account, Optional.empty());
    }

    // ---- create ----

    @Test
    void createWhenSecretKeyThenOnlyItsDigestIsStored() {
        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.of("Backend"));
        String secret = issued.key().reveal();

        assertThat(store.findCredential(KeyDigest.of(issued.key())))
                .contains(new Credential(issued.record(), OptionalInt.empty()));
        assertThat(issued.record().publicValue()).isEmpty();
        assertThat(store.holdsText(secret)).isFalse();
        // Not even the random part: only the last 4 characters are kept, for the masked form.
        assertThat(store.holdsText(secret.substring(8, 40))).isFalse();
        assertThat(store.holdsText(KeyDigest.of(issued.key()).toHex())).isTrue();
    }

    @Test
    void createWhenSecretKeyThenRecordDescribesIt() {
        clock.advance(Duration.ofMinutes(3));

        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.LIVE, Optional.of("Backend"));

        ApiKey key = issued.key();
        assertThat(key.type()).isEqualTo(KeyType.SECRET);
        assertThat(key.environment()).isEqualTo(Environment.LIVE);
        assertThat(key.reveal()).startsWith("sk_live_").hasSize(ApiKey.LENGTH);
        assertThat(ApiKey.parse(key.reveal())).isEqualTo(key);
        KeyRecord record = issued.record();
        assertThat(Ids.isWellFormed(record.id(), "key_")).isTrue();
        assertThat(record.accountId()).isEqualTo(account.id());
        assertThat(record.type()).isEqualTo(KeyType.SECRET);
        assertThat(record.environment()).isEqualTo(Environment.LIVE);
        assertThat(record.name()).isEqualTo("Backend");
        assertThat(record.last4()).isEqualTo(key.last4());
        assertThat(record.masked()).isEqualTo(key.masked());
        assertThat(record.createdAt()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
        assertThat(record.expiresAt()).isEmpty();
        assertThat(record.lastUsedAt()).isEmpty();
        assertThat(record.revokedAt()).isEmpty();
        assertThat(record.exposedAt()).isEmpty();
        assertThat(record.status(clock.instant())).isEqualTo(KeyStatus.ACTIVE);
        assertThat(store.findKey(record.id())).contains(record);
    }

    @Test
    void createWhenPublicKeyThenItsValueIsKeptToShowAgain() {
        IssuedKey issued = keys.create(account.id(), KeyType.PUBLIC, Environment.TEST, Optional.empty());

        assertThat(issued.key().reveal()).startsWith("pk_test_");
        assertThat(issued.record().publicValue()).contains(issued.key().reveal());
        assertThat(store.findCredential(KeyDigest.of(issued.key())).orElseThrow().key()).isEqualTo(issued.record());
        assertThat(store.holdsText(issued.key().reveal())).isTrue();
    }

    @Test
    void issuedKeyToStringNeverShowsTheSecret() {
        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());

        assertThat(issued.toString())
                .doesNotContain(issued.key().reveal())
                .doesNotContain(issued.key().reveal().substring(8, 40))
                .contains(issued.key().masked());
    }

    @Test
    void createWhenNameOmittedThenDefaultNameForItsType() {
        IssuedKey secret = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        IssuedKey publishable = keys.create(account.id(), KeyType.PUBLIC, Environment.LIVE, Optional.empty());

        assertThat(secret.record().name()).isEqualTo("Secret key");
        assertThat(publishable.record().name()).isEqualTo("Publishable key");
    }

    @Test
    void createWhenNameHasSurroundingSpacesThenStripped() {
        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.of("  Checkout  "));

        assertThat(issued.record().name()).isEqualTo("Checkout");
    }

    @Test
    void createWhenNameHas100CharactersThenAccepted() {
        IssuedKey issued =
                keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.of("n".repeat(Keys.MAX_NAME_LENGTH)));

        assertThat(issued.record().name()).hasSize(Keys.MAX_NAME_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t"})
    void createWhenNameBlankThenDefaultName(String name) {
        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.of(name));
        assertThat(issued.record().name()).isEqualTo("Secret key");
    }

    @Test
    void createWhenNameTooLongThenInvalidInputForName() {
        Optional<String> name = Optional.of("n".repeat(Keys.MAX_NAME_LENGTH + 1));

        assertInvalid(() -> keys.create(account.id(), KeyType.PUBLIC, Environment.TEST, name), "name");
        assertThat(store.listKeys(account.id())).isEmpty();
    }

    @Test
    void createWhenAccountUnknownThenInvalidInputForAccount() {
        String unknown = "acct_BBBBBBBBBBBBBBBB";

        assertInvalid(() -> keys.create(unknown, KeyType.SECRET, Environment.TEST, Optional.empty()), "account");
        assertThat(store.listKeys(unknown)).isEmpty();
    }

    @Test
    void createWhenCalledTwiceThenDistinctIdsAndKeys() {
        IssuedKey first = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        IssuedKey second = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());

        assertThat(first.record().id()).isNotEqualTo(second.record().id());
        assertThat(first.key()).isNotEqualTo(second.key());
    }

    // ---- list ----

    @Test
    void listReturnsTheAccountsKeysNewestFirst() {
        IssuedKey oldest = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        clock.advance(Duration.ofSeconds(1));
        IssuedKey middle = keys.create(account.id(), KeyType.PUBLIC, Environment.TEST, Optional.empty());
        clock.advance(Duration.ofSeconds(1));
        IssuedKey newest = keys.create(account.id(), KeyType.SECRET, Environment.LIVE, Optional.empty());

        assertThat(keys.list(account.id())).containsExactly(newest.record(), middle.record(), oldest.record());
    }

    // ---- delete ----

    @Test
    void deleteWhenKeyActiveThenTrueThenFalse() {
        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        clock.advance(Duration.ofSeconds(30));

        assertThat(keys.delete(issued.record().id())).isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(keys.delete(issued.record().id())).isFalse();

        KeyRecord stored = store.findKey(issued.record().id()).orElseThrow();
        assertThat(stored.revokedAt()).contains(T0.plusSeconds(30));
        assertThat(stored.status(clock.instant())).isEqualTo(KeyStatus.REVOKED);
        assertThat(keys.list(account.id())).containsExactly(stored);
    }

    @Test
    void deleteWhenKeyDeletedThenChangeWithItsDigestAppended() {
        IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        long before = store.latestChange();

        keys.delete(issued.record().id());

        assertThat(store.changesSince(before, 10))
                .singleElement()
                .satisfies(change -> {
                    assertThat(change.accountId()).isEqualTo(account.id());
                    assertThat(change.digest()).contains(KeyDigest.of(issued.key()));
                });
    }

    @Test
    void deleteWhenKeyUnknownThenFalse() {
        assertThat(keys.delete("key_CCCCCCCCCCCCCCCC")).isFalse();
        assertThat(store.latestChange()).isZero();
    }

    private static void assertInvalid(Runnable action, String param) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.param()).isEqualTo(param));
    }
}
