package dev.keygate.core.accounts;

import dev.keygate.core.Ids;
import dev.keygate.core.InvalidInputException;
import dev.keygate.core.NotFoundException;
import dev.keygate.core.keys.KeyStore;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** Creates accounts and sets their limits, checking every value first. */
public final class Accounts {

    /** Shortest password accepted. */
    public static final int MIN_PASSWORD_LENGTH = 10;
    /** Longest password accepted: Argon2id of anything longer only costs time. */
    public static final int MAX_PASSWORD_LENGTH = 256;
    /** Highest per-account rate limit accepted, per 60 s. */
    public static final int MAX_RATE_LIMIT = 1_000_000;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");

    private final KeyStore store;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final Ids ids;

    public Accounts(KeyStore store, PasswordHasher hasher, Clock clock, Ids ids) {
        this.store = store;
        this.hasher = hasher;
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * Creates an account; the email is kept lower-case.
     *
     * @throws InvalidInputException for a bad name, email or password
     * @throws ConflictException if the email is taken
     */
    public Account create(String name, String email, String password) {
        String trimmedName = name == null ? "" : name.strip();
        if (trimmedName.isEmpty() || trimmedName.length() > 100) {
            throw new InvalidInputException("name", "name must be 1 to 100 characters");
        }
        String normalizedEmail = normalizeEmail(email);
        checkPassword(password);
        Account account = new Account(ids.account(), trimmedName, normalizedEmail, OptionalInt.empty(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        store.insertAccount(account, Optional.of(hasher.hash(password)));
        return account;
    }

    /**
     * The account with this id.
     *
     * @throws NotFoundException if there is none
     */
    public Account get(String accountId) {
        return store.findAccount(accountId).orElseThrow(() -> new NotFoundException("No such account"));
    }

    /**
     * Sets the account's own limit per 60 s, in both environments (SPEC section 10).
     *
     * @throws InvalidInputException for a limit out of range or an unknown account
     */
    public void setRateLimit(String accountId, int perMinute) {
        if (perMinute < 1 || perMinute > MAX_RATE_LIMIT) {
            throw new InvalidInputException("per-minute", "the limit must be 1 to " + MAX_RATE_LIMIT);
        }
        if (!store.updateRateLimit(accountId, perMinute)) {
            throw new InvalidInputException("account", "no account " + accountId);
        }
    }

    /**
     * Checks a new password against the sign-up rule: {@value #MIN_PASSWORD_LENGTH} to
     * {@value #MAX_PASSWORD_LENGTH} characters.
     *
     * @throws InvalidInputException if it breaks the rule
     */
    public static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            throw new InvalidInputException(
                    "password",
                    "password must be " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH + " characters");
        }
    }

    /** The email as it is stored: trimmed, lower-case. */
    public static String normalizeEmail(String email) {
        String normalized = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (normalized.length() > 254 || !EMAIL.matcher(normalized).matches()) {
            throw new InvalidInputException("email", "email must be an address such as owner@example.com");
        }
        return normalized;
    }
}
