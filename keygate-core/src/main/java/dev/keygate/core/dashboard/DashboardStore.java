package dev.keygate.core.dashboard;

import dev.keygate.core.accounts.Session;
import dev.keygate.keyformat.Environment;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the dashboard keeps: sessions, failed logins, the audit log, the request log and email
 * verification tokens. Tokens are stored only as digests. Every method may block and throws
 * {@link dev.keygate.core.StoreUnavailableException} when the database cannot answer.
 */
public interface DashboardStore {

    void insertSession(Session session);

    Optional<Session> findSession(String idDigest);

    /** Records activity on a session; leaves its test/live switch alone. */
    void touchSession(String idDigest, Instant lastSeenAt);

    /** Flips a session's test/live switch, as activity at {@code at}. */
    void switchEnvironment(String idDigest, Environment environment, Instant at);

    void deleteSession(String idDigest);

    /** Deletes the account's sessions but the one of {@code keptIdDigest}; returns how many. */
    int deleteOtherSessions(String accountId, String keptIdDigest);

    /** Deletes sessions idle since before {@code lastSeenBefore}; returns how many. */
    int purgeSessions(Instant lastSeenBefore);

    /** Notes a failed login for {@code email} (known or not, so that both behave the same). */
    void recordLoginFailure(String email, Instant at);

    /** Failed logins for {@code email} since {@code since}, newest first. */
    List<Instant> loginFailuresSince(String email, Instant since);

    void clearLoginFailures(String email);

    /** Forgets failed logins from before {@code before}; returns how many. */
    int purgeLoginFailures(Instant before);

    void insertAudit(AuditEvent event);

    /** The account's audit events, newest first. */
    List<AuditEvent> listAudit(String accountId, int limit);

    void insertRequests(List<RequestLogEntry> entries);

    /**
     * The account's requests in {@code environment}, newest first.
     *
     * @param statusClass 2 for 2xx, 4 for 4xx…; empty for all
     */
    List<RequestLogEntry> listRequests(String accountId, Environment environment, OptionalInt statusClass, int limit);

    /** Deletes request log entries from before {@code before}; returns how many. */
    int purgeRequests(Instant before);

    /**
     * Deletes at most {@code maxRows} stored rows of request log entries all from before
     * {@code before} (a store may keep several requests in one row), in one short transaction, so
     * that a large purge is done in many small steps that never hold the log for long. Once fewer
     * than {@code maxRows} such rows are left, the older entries of rows that straddle
     * {@code before} are taken out as well.
     *
     * @return how many rows were deleted; fewer than {@code maxRows} means none is left
     */
    int purgeRequestRows(Instant before, int maxRows);

    void insertEmailVerification(String tokenDigest, String accountId, Instant expiresAt);

    /**
     * Uses a verification token: marks its account's email verified and deletes the token. Of
     * concurrent uses of one token, only one gets the account.
     *
     * @return the account, if the token exists and has not expired at {@code now}
     */
    Optional<String> verifyEmail(String tokenDigest, Instant now);

    Optional<Instant> emailVerifiedAt(String accountId);

    /** Deletes verification tokens expired at {@code now}; returns how many. */
    int purgeEmailVerifications(Instant now);
}
