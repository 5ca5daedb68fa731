package dev.keygate.core.dashboard;

import dev.keygate.core.InvalidInputException;
import dev.keygate.core.NotFoundException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.accounts.PasswordHasher;
import dev.keygate.core.accounts.Session;
import dev.keygate.core.keys.IssuedKey;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.keys.Keys;
import dev.keygate.core.mail.Mail;
import dev.keygate.core.mail.MailException;
import dev.keygate.core.mail.MailSender;
import dev.keygate.keyformat.Base62;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * The dashboard's rules (SPEC section 8), apart from HTML: sign-up, log-in with lockout, sessions
 * that expire, the test/live switch, and key management scoped to the signed-in account, with
 * every key operation and login in the audit log.
 *
 * <pre>{@code
 * Dashboard.LoginResult result = dashboard.logIn(email, password, ip);
 * if (result instanceof Dashboard.LoggedIn in) { setCookie(in.token()); }
 * }</pre>
 */
public final class Dashboard {

    /** A session unused this long is over. */
    public static final Duration SESSION_IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** A session is over this long after log-in, however active. */
    public static final Duration SESSION_MAX_AGE = Duration.ofHours(12);
    /** Failed logins within {@link #LOCKOUT_WINDOW} that lock an account. */
    public static final int LOCKOUT_FAILURES = 10;
    public static final Duration LOCKOUT_WINDOW = Duration.ofMinutes(15);
    /** How long a locked account stays locked after its last failed login. */
    public static final Duration LOCKOUT_DURATION = Duration.ofMinutes(15);
    /** How long an email verification link works. */
    public static final Duration VERIFICATION_TTL = Duration.ofHours(24);

    /** A hash that matches no password, checked for unknown emails so that they take as long as known ones. */
    private final String decoyHash;

    private final KeyStore keyStore;
    private final DashboardStore store;
    private final Accounts accounts;
    private final Keys keys;
    private final PasswordHasher hasher;
    private final MailSender mail;
    private final Clock clock;
    private final RandomGenerator random;

    public Dashboard(KeyStore keyStore, DashboardStore store, Accounts accounts, Keys keys, PasswordHasher hasher,
            MailSender mail, Clock clock, RandomGenerator random) {
        this.keyStore = keyStore;
        this.store = store;
        this.accounts = accounts;
        this.keys = keys;
        this.hasher = hasher;
        this.mail = mail;
        this.clock = clock;
        this.random = random;
        this.decoyHash = hasher.decoyHash(random);
    }

    /** A new session: the token for the browser's cookie (shown nowhere else) and its record. */
    public record LoggedIn(String token, Session session) implements LoginResult {
        @Override
        public String toString() {
            return "LoggedIn[" + session + "]";
        }
    }

    /** Wrong email or password: the same answer for both. */
    public record Refused() implements LoginResult {}

    /** Too many failed logins: refused without looking at the password until {@code until}. */
    public record Locked(Instant until) implements LoginResult {}

    /** What a log-in attempt gives. */
    public sealed interface LoginResult permits LoggedIn, Refused, Locked {}

    /**
     * A new account with its first keys: a publishable and a secret test key, the secret shown once.
     *
     * @param verificationSent false if the verification mail could not be sent (it can be sent again)
     */
    public record SignedUp(LoggedIn login, IssuedKey secretKey, IssuedKey publicKey, boolean verificationSent) {}

    /**
     * Creates an account, its first test keys and a session, and mails a verification link.
     *
     * @param verifyUrl the link's base; the token is appended
     */
    public SignedUp signUp(String name, String email, String password, String ip, String verifyUrl) {
        Account account = accounts.create(name, email, password);
        IssuedKey secret = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        IssuedKey publishable = keys.create(account.id(), KeyType.PUBLIC, Environment.TEST, Optional.empty());
        audit(account.id(), account.email(), "account.created", Optional.empty(), ip);
        audit(account.id(), account.email(), "key.created", Optional.of(secret.record().id()), ip);
        audit(account.id(), account.email(), "key.created", Optional.of(publishable.record().id()), ip);
        LoggedIn login = newSession(account, ip);
        boolean sent;
        try {
            sendVerification(account, verifyUrl);
            sent = true;
        } catch (MailException e) {
            // The account and its first keys stand; the owner can send the link again.
            sent = false;
        }
        return new SignedUp(login, secret, publishable, sent);
    }

    /** Checks a log-in; 10 failures within 15 minutes lock the email for 15 minutes. */
    public LoginResult logIn(String email, String password, String ip) {
        String normalized;
        try {
            normalized = Accounts.normalizeEmail(email);
        } catch (InvalidInputException badEmail) {
            return new Refused();
        }
        Instant now = now();
        Optional<Instant> lockedUntil = lockedUntil(normalized, now);
        if (lockedUntil.isPresent()) {
            return new Locked(lockedUntil.get());
        }
        // The attempt counts as a failure before the password is checked, so that attempts made in
        // parallel cannot all slip under the limit: the k-th attempt sees at least k failures.
        store.recordLoginFailure(normalized, now);
        // The same window as lockedUntil: failures exactly LOCKOUT_WINDOW old no longer count.
        List<Instant> recent = store.loginFailuresSince(normalized, now.minus(LOCKOUT_WINDOW).plusMillis(1));
        if (recent.size() > LOCKOUT_FAILURES) {
            return new Locked(now.plus(LOCKOUT_DURATION));
        }
        Optional<Account> account = keyStore.findAccountByEmail(normalized);
        String hash = account.flatMap(a -> keyStore.findPasswordHash(a.id())).orElse(decoyHash);
        boolean matches = hasher.matches(password == null ? "" : password, hash);
        if (account.isEmpty() || !matches) {
            account.ifPresent(a -> audit(a.id(), normalized, "login.failed", Optional.empty(), ip));
            return lockedUntil(normalized, now).<LoginResult>map(Locked::new).orElse(new Refused());
        }
        store.clearLoginFailures(normalized);
        audit(account.get().id(), normalized, "login.succeeded", Optional.empty(), ip);
        return newSession(account.get(), ip);
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

    private LoggedIn newSession(Account account, String ip) {
        String token = Base62.random(random, 43);
        Instant now = now();
        Session session = new Session(digest(token), account.id(), Base62.random(random, 32), Environment.TEST, now, now);
        store.insertSession(session);
        return new LoggedIn(token, session);
    }

    /** The live session of a cookie's token, with its activity noted; empty if unknown or expired. */
    public Optional<Session> session(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        String idDigest = digest(token);
        Optional<Session> found = store.findSession(idDigest);
        Instant now = now();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Session session = found.get();
        if (!now.isBefore(session.lastSeenAt().plus(SESSION_IDLE_TIMEOUT))
                || !now.isBefore(session.createdAt().plus(SESSION_MAX_AGE))) {
            store.deleteSession(idDigest);
            return Optional.empty();
        }
        // Write activity at most once a minute, not on every page (so idle time counts from up to a
        // minute before the last page).
        if (session.lastSeenAt().plus(Duration.ofMinutes(1)).isBefore(now)) {
            store.touchSession(idDigest, now);
        }
        return Optional.of(session);
    }

    public void logOut(Session session) {
        store.deleteSession(session.idDigest());
    }

    /** Flips the test/live switch of a session. */
    public Session switchEnvironment(Session session, Environment environment) {
        store.switchEnvironment(session.idDigest(), environment, now());
        return new Session(session.idDigest(), session.accountId(), session.csrfToken(), environment,
                session.createdAt(), now());
    }

    public Account account(Session session) {
        return keyStore.findAccount(session.accountId()).orElseThrow(() -> new NotFoundException("No such account"));
    }

    /** The account's keys in the session's environment, newest first. */
    public List<KeyRecord> keys(Session session) {
        return keys.list(session.accountId()).stream()
                .filter(key -> key.environment() == session.environment())
                .toList();
    }

    /**
     * Creates a key in the session's environment. Live keys need a verified email.
     *
     * @throws InvalidInputException for a live key before the email is verified, or a bad name
     */
    public IssuedKey createKey(Session session, KeyType type, Optional<String> name, String ip) {
        Account account = account(session);
        if (session.environment() == Environment.LIVE && store.emailVerifiedAt(account.id()).isEmpty()) {
            throw new InvalidInputException("environment", "verify your email address before creating live keys");
        }
        IssuedKey issued = keys.create(account.id(), type, session.environment(), name);
        audit(account.id(), account.email(), "key.created", Optional.of(issued.record().id()), ip);
        return issued;
    }

    /**
     * A key of the signed-in account; another account's key is simply not found.
     *
     * @throws NotFoundException if the account has no such key
     */
    public KeyRecord key(Session session, String keyId) {
        return keyStore.findKey(keyId)
                .filter(key -> key.accountId().equals(session.accountId()))
                .orElseThrow(() -> new NotFoundException("No such key"));
    }

    /**
     * Deletes a key of the signed-in account at once.
     *
     * @throws NotFoundException if the account has no such key
     */
    public void deleteKey(Session session, String keyId, String ip) {
        KeyRecord key = key(session, keyId);
        if (key.revokedAt().isEmpty() && keys.delete(key.id())) {
            audit(session.accountId(), account(session).email(), "key.deleted", Optional.of(key.id()), ip);
        }
    }

    public List<RequestLogEntry> requests(Session session, OptionalInt statusClass, int limit) {
        return store.listRequests(session.accountId(), session.environment(), statusClass, limit);
    }

    public List<AuditEvent> audit(Session session, int limit) {
        return store.listAudit(session.accountId(), limit);
    }

    public boolean emailVerified(Session session) {
        return store.emailVerifiedAt(session.accountId()).isPresent();
    }

    /** Mails a new verification link to the account's owner. */
    public void sendVerification(Session session, String verifyUrl) {
        sendVerification(account(session), verifyUrl);
    }

    private void sendVerification(Account account, String verifyUrl) {
        String token = Base62.random(random, 43);
        store.insertEmailVerification(digest(token), account.id(), now().plus(VERIFICATION_TTL));
        mail.send(new Mail(account.email(), "Verify your email for Keygate",
                "Hello " + account.name() + ",\n\nConfirm that this address belongs to you, so that you can "
                        + "create live keys:\n\n" + verifyUrl + token + "\n\nThe link works for 24 hours. If you "
                        + "did not sign up for Keygate, ignore this message.\n"));
    }

    /**
     * Deletes what is no longer needed: sessions idle too long, failed logins older than any lock
     * could reach, expired verification tokens.
     */
    public void purgeExpired() {
        Instant now = now();
        store.purgeSessions(now.minus(SESSION_IDLE_TIMEOUT));
        store.purgeLoginFailures(now.minus(LOCKOUT_WINDOW.plus(LOCKOUT_DURATION)));
        store.purgeEmailVerifications(now);
    }

    /** Uses a verification link's token; true if it was valid. */
    public boolean verifyEmail(String token) {
        if (token == null || token.length() > 100) {
            return false;
        }
        Optional<String> accountId = store.verifyEmail(digest(token), now());
        accountId.ifPresent(id -> audit(id, account(id).email(), "email.verified", Optional.empty(), "-"));
        return accountId.isPresent();
    }

    private Account account(String accountId) {
        return keyStore.findAccount(accountId).orElseThrow(() -> new NotFoundException("No such account"));
    }

    private void audit(String accountId, String actor, String action, Optional<String> keyId, String ip) {
        store.insertAudit(new AuditEvent(accountId, actor, action, keyId, ip, now()));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Hex SHA-256 of a token: what the store keeps instead of it. */
    public static String digest(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
