package dev.keygate.core.dashboard;

import dev.keygate.core.Sha256;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Session;
import dev.keygate.keyformat.Base62;
import dev.keygate.keyformat.Environment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Dashboard sessions (SPEC section 8): opened at log-in, over after {@link #SESSION_IDLE_TIMEOUT}
 * unused or {@link #SESSION_MAX_AGE} in all. The browser holds a random token; the store keeps
 * only its digest.
 */
public final class Sessions {

    /** A session unused this long is over. */
    public static final Duration SESSION_IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** A session is over this long after log-in, however active. */
    public static final Duration SESSION_MAX_AGE = Duration.ofHours(12);

    private final DashboardStore store;
    private final Clock clock;
    private final RandomGenerator random;

    /** {@code random} must be a {@code SecureRandom}: it draws session and form tokens. */
    public Sessions(DashboardStore store, Clock clock, RandomGenerator random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    /** Opens a session for {@code account}, in the test environment. */
    public LoginResult.LoggedIn open(Account account) {
        String token = Base62.random(random, 43);
        Instant now = now();
        Session session = new Session(Sha256.hex(token), account.id(), Base62.random(random, 32), Environment.TEST,
                now, now);
        store.insertSession(session);
        return new LoginResult.LoggedIn(token, session);
    }

    /** The live session of a cookie's token, with its activity noted; empty if unknown or expired. */
    public Optional<Session> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        String idDigest = Sha256.hex(token);
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

    /** Ends every session of the account but {@code kept}, as after a password change. */
    public void endOthers(Session kept) {
        store.deleteOtherSessions(kept.accountId(), kept.idDigest());
    }

    /** Flips the test/live switch of a session. */
    public Session switchEnvironment(Session session, Environment environment) {
        store.switchEnvironment(session.idDigest(), environment, now());
        return new Session(session.idDigest(), session.accountId(), session.csrfToken(), environment,
                session.createdAt(), now());
    }

    /** Deletes sessions idle too long. */
    public void purgeExpired() {
        store.purgeSessions(now().minus(SESSION_IDLE_TIMEOUT));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
