package dev.keygate.core.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.core.ConflictException;
import dev.keygate.core.Ids;
import dev.keygate.core.InvalidInputException;
import dev.keygate.core.feed.Change;
import dev.keygate.core.testing.InMemoryKeyStore;
import dev.keygate.core.testing.MutableClock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AccountsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123Z");
    private static final String PASSWORD = "correct horse battery";

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final PasswordHasher hasher = new ReversingHasher();
    private final Accounts accounts = new Accounts(store, hasher, clock, new Ids(new Random(5)));

    // ---- create ----

    @Test
    void createWhenValidThenAccountStoredWithPasswordHash() {
        Account account = accounts.create("Ada's Shop", "ada@example.com", PASSWORD);

        assertThat(Ids.isWellFormed(account.id(), "acct_")).isTrue();
        assertThat(account.name()).isEqualTo("Ada's Shop");
        assertThat(account.email()).isEqualTo("ada@example.com");
        assertThat(account.rateLimit()).isEqualTo(OptionalInt.empty());
        assertThat(account.createdAt()).isEqualTo(T0);
        assertThat(store.findAccount(account.id())).contains(account);
        assertThat(store.findPasswordHash(account.id())).contains(hasher.hash(PASSWORD));
        assertThat(store.holdsText(PASSWORD)).isFalse();
    }

    @Test
    void createWhenEmailHasCapitalsAndSpacesThenStoredTrimmedLowerCase() {
        Account account = accounts.create("Ada", "  Ada.Lovelace@Example.COM\t", PASSWORD);

        assertThat(account.email()).isEqualTo("ada.lovelace@example.com");
        assertThat(store.findAccountByEmail("ada.lovelace@example.com")).contains(account);
    }

    @Test
    void createWhenNameHasSurroundingSpacesThenStripped() {
        Account account = accounts.create("   Ada   ", "ada@example.com", PASSWORD);

        assertThat(account.name()).isEqualTo("Ada");
    }

    @Test
    void createWhenEmailTakenThenConflict() {
        Account first = accounts.create("Ada", "ada@example.com", PASSWORD);

        assertThatThrownBy(() -> accounts.create("Other", " ADA@example.com ", "another password"))
                .isInstanceOf(ConflictException.class);

        assertThat(store.findAccountByEmail("ada@example.com")).contains(first);
    }

    @Test
    void createWhenCalledTwiceThenDistinctIds() {
        Account ada = accounts.create("Ada", "ada@example.com", PASSWORD);
        Account bob = accounts.create("Bob", "bob@example.com", PASSWORD);

        assertThat(ada.id()).isNotEqualTo(bob.id());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t\n"})
    void createWhenNameBlankThenInvalidInputForName(String name) {
        assertInvalid(() -> accounts.create(name, "ada@example.com", PASSWORD), "name");
        assertThat(noAccountStored()).isTrue();
    }

    @Test
    void createWhenNameTooLongThenInvalidInputForName() {
        assertInvalid(() -> accounts.create("n".repeat(101), "ada@example.com", PASSWORD), "name");
        assertThat(noAccountStored()).isTrue();
    }

    @Test
    void createWhenNameHas100CharactersThenAccepted() {
        Account account = accounts.create("n".repeat(100), "ada@example.com", PASSWORD);

        assertThat(account.name()).hasSize(100);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "ada",
        "ada@",
        "@example.com",
        "ada@example",
        "ada@@example.com",
        "ada@home@example.com",
        "ada lovelace@example.com",
        "ada@exa mple.com",
        "ada@example..com",
        "ada@.example.com",
        "ada@example.com."
    })
    void createWhenEmailInvalidThenInvalidInputForEmail(String email) {
        assertInvalid(() -> accounts.create("Ada", email, PASSWORD), "email");
        assertThat(noAccountStored()).isTrue();
    }

    @Test
    void createWhenEmailLocalPartLongerThan64ThenInvalidInputForEmail() {
        assertInvalid(() -> accounts.create("Ada", "a".repeat(65) + "@example.com", PASSWORD), "email");
        assertThat(noAccountStored()).isTrue();
        assertThat(accounts.create("Ada", "a".repeat(64) + "@example.com", PASSWORD).email())
                .startsWith("a".repeat(64));
    }

    @Test
    void createWhenEmailLongerThan254ThenInvalidInputForEmail() {
        String email = "a".repeat(64) + "@" + String.join(".", "d".repeat(61), "d".repeat(60), "d".repeat(63), "com");
        assertThat(email).hasSize(255);

        assertInvalid(() -> accounts.create("Ada", email, PASSWORD), "email");
        assertThat(noAccountStored()).isTrue();
    }

    @Test
    void createWhenEmailHas254CharactersThenAccepted() {
        String email = "a".repeat(64) + "@" + String.join(".", "d".repeat(60), "d".repeat(60), "d".repeat(63), "com");
        assertThat(email).hasSize(254);

        assertThat(accounts.create("Ada", email, PASSWORD).email()).isEqualTo(email);
    }

    @Test
    void createWhenPasswordMissingThenInvalidInputForPassword() {
        assertInvalid(() -> accounts.create("Ada", "ada@example.com", null), "password");
        assertThat(noAccountStored()).isTrue();
    }

    @Test
    void createWhenPasswordTooShortThenInvalidInputForPasswordNotEchoingIt() {
        String shortPassword = "s3cr3tpw9";
        assertThat(shortPassword).hasSize(Accounts.MIN_PASSWORD_LENGTH - 1);

        assertThatThrownBy(() -> accounts.create("Ada", "ada@example.com", shortPassword))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.param()).isEqualTo("password"))
                .message()
                .doesNotContain(shortPassword);
        assertThat(noAccountStored()).isTrue();
    }

    @Test
    void createWhenPasswordTooLongThenInvalidInputForPassword() {
        assertInvalid(
                () -> accounts.create("Ada", "ada@example.com", "p".repeat(Accounts.MAX_PASSWORD_LENGTH + 1)),
                "password");
        assertThat(noAccountStored()).isTrue();
    }

    @Test
    void createWhenPasswordAtEitherBoundThenAccepted() {
        String shortest = "p".repeat(Accounts.MIN_PASSWORD_LENGTH);
        String longest = "q".repeat(Accounts.MAX_PASSWORD_LENGTH);

        Account a = accounts.create("Ada", "ada@example.com", shortest);
        Account b = accounts.create("Bob", "bob@example.com", longest);

        assertThat(store.findPasswordHash(a.id())).contains(hasher.hash(shortest));
        assertThat(store.findPasswordHash(b.id())).contains(hasher.hash(longest));
    }

    // ---- rate limit ----

    @Test
    void setRateLimitWhenValidThenStoredAndChangeAppended() {
        Account account = accounts.create("Ada", "ada@example.com", PASSWORD);
        long before = store.latestChange();

        accounts.setRateLimit(account.id(), 500);

        assertThat(store.findAccount(account.id()).orElseThrow().rateLimit()).hasValue(500);
        assertThat(store.changesSince(before, 10))
                .singleElement()
                .isEqualTo(new Change(store.latestChange(), account.id(), Optional.empty()));
    }

    @Test
    void setRateLimitWhenAtEitherBoundThenAccepted() {
        Account account = accounts.create("Ada", "ada@example.com", PASSWORD);

        accounts.setRateLimit(account.id(), 1);
        assertThat(store.findAccount(account.id()).orElseThrow().rateLimit()).hasValue(1);
        accounts.setRateLimit(account.id(), Accounts.MAX_RATE_LIMIT);
        assertThat(store.findAccount(account.id()).orElseThrow().rateLimit()).hasValue(Accounts.MAX_RATE_LIMIT);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Accounts.MAX_RATE_LIMIT + 1, Integer.MIN_VALUE})
    void setRateLimitWhenOutOfRangeThenInvalidInputForPerMinute(int perMinute) {
        Account account = accounts.create("Ada", "ada@example.com", PASSWORD);

        assertInvalid(() -> accounts.setRateLimit(account.id(), perMinute), "per-minute");
        assertThat(store.findAccount(account.id()).orElseThrow().rateLimit()).isEmpty();
    }

    @Test
    void setRateLimitWhenAccountUnknownThenInvalidInputForAccount() {
        assertInvalid(() -> accounts.setRateLimit("acct_0000000000000000", 100), "account");
        assertThat(store.latestChange()).isZero();
    }

    // ---- normalizeEmail ----

    @Test
    void normalizeEmailTrimsAndLowerCases() {
        assertThat(Accounts.normalizeEmail(" Owner@EXAMPLE.com ")).isEqualTo("owner@example.com");
        assertThat(Accounts.normalizeEmail("owner+tag@sub.example.co.uk")).isEqualTo("owner+tag@sub.example.co.uk");
    }

    @Test
    void normalizeEmailWhenInvalidThenInvalidInputForEmail() {
        assertInvalid(() -> Accounts.normalizeEmail(null), "email");
        assertInvalid(() -> Accounts.normalizeEmail("not an email"), "email");
    }

    private static void assertInvalid(Runnable action, String param) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.param()).isEqualTo(param));
    }

    /** Whether no account at all was stored: every account id starts with {@code acct_}. */
    private boolean noAccountStored() {
        return !store.holdsText("acct_");
    }

    /** Stands in for Argon2id: deterministic, and never equal to the password. */
    private static final class ReversingHasher implements PasswordHasher {
        @Override
        public String hash(String password) {
            return "reversed:" + new StringBuilder(password).reverse();
        }

        @Override
        public boolean matches(String password, String hash) {
            return hash(password).equals(hash);
        }
    }
}
