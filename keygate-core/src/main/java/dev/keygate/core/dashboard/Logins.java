package dev.keygate.core.dashboard;

import dev.keygate.core.InvalidInputException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.accounts.PasswordHasher;
import dev.keygate.core.keys.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Dashboard log-in with lockout (SPEC section 8): {@link #LOCKOUT_FAILURES} failures within
 * {@link #LOCKOUT_WINDOW} lock the email for {@link #LOCKOUT_DURATION}.
 *
 * <pre>{@code
 * if (logins.logIn(email, password, ip) instanceof LoginResult.LoggedIn in) { setCookie(in.token()); }
 * }</pre>
 */
public final class Logins {

    /** Failed logins within {@link #LOCKOUT_WINDOW} that lock an account. */
    public static final int LOCKOUT_FAILURES = 10;
    public static final Duration LOCKOUT_WINDOW = Duration.ofMinutes(15);
    /** How long a locked account stays locked after its last failed login. */
    public static final Duration LOCKOUT_DURATION = Duration.ofMinutes(15);

    /** A hash that matches no password, checked for unknown emails so that they take as long as known ones. */
    private final String decoyHash;

    private final KeyStore keyStore;
    private final DashboardStore store;
    private final PasswordHasher hasher;
    private final Sessions sessions;
    private final AuditLog audit;
    private final Clock clock;

    public Logins(KeyStore keyStore, DashboardStore store, PasswordHasher hasher, Sessions sessions, AuditLog audit,
            Clock clock, RandomGenerator random) {
        this.keyStore = keyStore;
        this.store = store;
        this.hasher = hasher;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
        this.decoyHash = hasher.decoyHash(random);
    }

    /** Checks a log-in; 10 failures within 15 minutes lock the email for 15 minutes. */
    public LoginResult logIn(String email, String password, String ip) {
        String normalized;
        try {
            normalized = Accounts.normalizeEmail(email);
        } catch (InvalidInputException badEmail) {
            return new LoginResult.Refused();
        }
        Optional<Account> account = keyStore.findAccountByEmail(normalized);
        Optional<LoginResult> refused = check(normalized, account, password, ip);
        if (refused.isPresent()) {
            return refused.get();
        }
        audit.record(account.get().id(), normalized, "login.succeeded", Optional.empty(), ip);
        return sessions.open(account.get());
    }

    /**
     * Checks the signed-in owner's password again, before a change to the account's security: a
     * wrong one counts toward the lockout exactly as a failed log-in does.
     *
     * @return empty if it matches; otherwise {@link LoginResult.Refused} or {@link LoginResult.Locked}
     */
    Optional<LoginResult> recheck(Account account, String password, String ip) {
        return check(account.email(), Optional.of(account), password, ip);
    }

    /** The password check shared by log-in and re-check: empty if it matches, else why it was refused. */
    private Optional<LoginResult> check(String normalized, Optional<Account> account, String password, String ip) {
        Instant now = now();
        Optional<Instant> lockedUntil = lockedUntil(normalized, now);
        if (lockedUntil.isPresent()) {
            return Optional.of(new LoginResult.Locked(lockedUntil.get()));
        }
        // The attempt counts as a failure before the password is checked, so that attempts made in
        // parallel cannot all slip under the limit: the k-th attempt sees at least k failures.
        store.recordLoginFailure(normalized, now);
        // The same window as lockedUntil: failures exactly LOCKOUT_WINDOW old no longer count.
        List<Instant> recent = store.loginFailuresSince(normalized, now.minus(LOCKOUT_WINDOW).plusMillis(1));
        if (recent.size() > LOCKOUT_FAILURES) {
            return Optional.of(new LoginResult.Locked(now.plus(LOCKOUT_DURATION)));
        }
        String hash = account.flatMap(a -> keyStore.findPasswordHash(a.id())).orElse(decoyHash);
        boolean matches = hasher.matches(password == null ? "" : password, hash);
        if (account.isEmpty() || !matches) {
            account.ifPresent(a -> audit.record(a.id(), normalized, "login.failed", Optional.empty(), ip));
            return Optional.of(lockedUntil(normalized, now).<LoginResult>map(LoginResult.Locked::new)
                    .orElse(new LoginResult.Refused()));
        }
        store.clearLoginFailures(normalized);
        return Optional.empty();
    }

    private Optional<Instant> lockedUntil(String email, Instant now) {
        List<Instant> failures = store.loginFailuresSince(email, now.minus(LOCKOUT_WINDOW.plus(LOCKOUT_DURATION)));
        if (failures.isEmpty()) {
            return Optional.empty();
        }
        Instant latest = failures.get(0);
        long recent = failures.stream().filter(at -> !at.isBefore(latest.minus(LOCKOUT_WINDOW))).count();
        Instant until = latest.plus(LOCKOUT_DURATION);
        return recent >= LOCKOUT_FAILURES && now.isBefore(until) ? Optional.of(until) : Optional.empty();
    }

    /** Forgets failed logins older than any lock could reach. */
    public void purgeExpired() {
        store.purgeLoginFailures(now().minus(LOCKOUT_WINDOW.plus(LOCKOUT_DURATION)));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
