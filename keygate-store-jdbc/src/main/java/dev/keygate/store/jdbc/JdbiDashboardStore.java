package dev.keygate.store.jdbc;

import dev.keygate.core.accounts.Session;
import dev.keygate.core.dashboard.AuditEvent;
import dev.keygate.core.dashboard.DashboardStore;
import dev.keygate.core.dashboard.RequestLogEntry;
import dev.keygate.keyformat.Environment;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A {@link DashboardStore} on any SQL database through JDBI, in plain SQL that SQLite and PostgreSQL both run.
 * The request log is {@link JdbiRequestLog}'s.
 */
final class JdbiDashboardStore implements DashboardStore {

    private final Jdbi jdbi;
    private final Translator translator;
    private final JdbiRequestLog requests;

    JdbiDashboardStore(Jdbi jdbi, Translator translator) {
        this.jdbi = jdbi;
        this.translator = translator;
        this.requests = new JdbiRequestLog(jdbi, translator);
    }

    @Override
    public void insertSession(Session session) {
        translator.run(() -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO sessions (id_digest, account_id, "
                        + "csrf_token, environment, created_at, last_seen_at) VALUES (:id, :account, :csrf, :env, "
                        + ":created, :seen)")
                .bind("id", session.idDigest())
                .bind("account", session.accountId())
                .bind("csrf", session.csrfToken())
                .bind("env", session.environment().label())
                .bind("created", session.createdAt().toEpochMilli())
                .bind("seen", session.lastSeenAt().toEpochMilli())
                .execute()));
    }

    @Override
    public Optional<Session> findSession(String idDigest) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT id_digest, account_id, csrf_token, "
                        + "environment, created_at, last_seen_at FROM sessions WHERE id_digest = :id")
                .bind("id", idDigest)
                .map((rs, ctx) -> new Session(rs.getString("id_digest"), rs.getString("account_id"),
                        rs.getString("csrf_token"), Environment.fromLabel(rs.getString("environment")),
                        Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("last_seen_at"))))
                .findOne()));
    }

    @Override
    public void touchSession(String idDigest, Instant lastSeenAt) {
        translator.run(() -> jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE sessions SET last_seen_at = :seen WHERE id_digest = :id")
                .bind("seen", lastSeenAt.toEpochMilli())
                .bind("id", idDigest)
                .execute()));
    }

    @Override
    public void switchEnvironment(String idDigest, Environment environment, Instant at) {
        translator.run(() -> jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE sessions SET environment = :env, last_seen_at = :seen WHERE id_digest = :id")
                .bind("env", environment.label())
                .bind("seen", at.toEpochMilli())
                .bind("id", idDigest)
                .execute()));
    }

    @Override
    public void deleteSession(String idDigest) {
        translator.run(() -> jdbi.useHandle(h -> h.createUpdate("DELETE FROM sessions WHERE id_digest = :id")
                .bind("id", idDigest)
                .execute()));
    }

    @Override
    public int deleteOtherSessions(String accountId, String keptIdDigest) {
        return translator.call(() -> jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM sessions WHERE account_id = :account AND id_digest <> :kept")
                .bind("account", accountId)
                .bind("kept", keptIdDigest)
                .execute()));
    }

    @Override
    public int purgeSessions(Instant lastSeenBefore) {
        return translator.call(() -> jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM sessions WHERE last_seen_at < :before")
                .bind("before", lastSeenBefore.toEpochMilli())
                .execute()));
    }

    @Override
    public void recordLoginFailure(String email, Instant at) {
        translator.run(() -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO login_failures (email, at) VALUES (:email, :at)")
                .bind("email", email)
                .bind("at", at.toEpochMilli())
                .execute()));
    }

    @Override
    public List<Instant> loginFailuresSince(String email, Instant since) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT at FROM login_failures WHERE email = :email AND at >= :since ORDER BY at DESC")
                .bind("email", email)
                .bind("since", since.toEpochMilli())
                .map((rs, ctx) -> Instant.ofEpochMilli(rs.getLong("at")))
                .list()));
    }

    @Override
    public void clearLoginFailures(String email) {
        translator.run(() -> jdbi.useHandle(h -> h.createUpdate("DELETE FROM login_failures WHERE email = :email")
                .bind("email", email)
                .execute()));
    }

    @Override
    public int purgeLoginFailures(Instant before) {
        return translator.call(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM login_failures WHERE at < :before")
                .bind("before", before.toEpochMilli())
                .execute()));
    }

    @Override
    public void insertAudit(AuditEvent event) {
        translator.run(() -> jdbi.useHandle(h -> insertAudit(h, event)));
    }

    /** Writes an audit event within {@code h}'s transaction. */
    static void insertAudit(Handle h, AuditEvent event) {
        h.createUpdate("INSERT INTO audit_events (account_id, actor, action, key_id, ip, at) "
                        + "VALUES (:account, :actor, :action, :key, :ip, :at)")
                .bind("account", event.accountId())
                .bind("actor", event.actor())
                .bind("action", event.action())
                .bind("key", event.keyId().orElse(null))
                .bind("ip", event.ip())
                .bind("at", event.at().toEpochMilli())
                .execute();
    }

    @Override
    public List<AuditEvent> listAudit(String accountId, int limit) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT account_id, actor, action, key_id, ip, at "
                        + "FROM audit_events WHERE account_id = :account ORDER BY seq DESC LIMIT :limit")
                .bind("account", accountId)
                .bind("limit", limit)
                .map((rs, ctx) -> new AuditEvent(rs.getString("account_id"), rs.getString("actor"),
                        rs.getString("action"), Optional.ofNullable(rs.getString("key_id")), rs.getString("ip"),
                        Instant.ofEpochMilli(rs.getLong("at"))))
                .list()));
    }

    @Override
    public void insertRequests(List<RequestLogEntry> entries) {
        requests.insert(entries);
    }

    @Override
    public List<RequestLogEntry> listRequests(String accountId, Environment environment, OptionalInt statusClass,
            int limit) {
        return requests.list(accountId, environment, statusClass, limit);
    }

    @Override
    public int purgeRequests(Instant before) {
        return requests.purge(before);
    }

    @Override
    public int purgeRequestRows(Instant before, int maxRows) {
        return requests.purgeRows(before, maxRows);
    }

    @Override
    public void insertEmailVerification(String tokenDigest, String accountId, Instant expiresAt) {
        translator.run(() -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO email_verifications (token_digest, "
                        + "account_id, expires_at) VALUES (:token, :account, :expires)")
                .bind("token", tokenDigest)
                .bind("account", accountId)
                .bind("expires", expiresAt.toEpochMilli())
                .execute()));
    }

    @Override
    public Optional<String> verifyEmail(String tokenDigest, Instant now) {
        return translator.call(() -> jdbi.inTransaction(h -> {
            Optional<String> account = h.createQuery("SELECT account_id FROM email_verifications "
                            + "WHERE token_digest = :token AND expires_at > :now")
                    .bind("token", tokenDigest)
                    .bind("now", now.toEpochMilli())
                    .mapTo(String.class)
                    .findOne();
            // Only the transaction whose delete removed the row uses it: a concurrent use finds it gone.
            int deleted = h.createUpdate("DELETE FROM email_verifications WHERE token_digest = :token "
                            + "AND expires_at > :now")
                    .bind("token", tokenDigest)
                    .bind("now", now.toEpochMilli())
                    .execute();
            if (account.isEmpty() || deleted == 0) {
                return Optional.<String>empty();
            }
            h.createUpdate("UPDATE accounts SET email_verified_at = :now WHERE id = :id AND email_verified_at IS NULL")
                    .bind("now", now.toEpochMilli())
                    .bind("id", account.get())
                    .execute();
            return account;
        }));
    }

    @Override
    public Optional<Instant> emailVerifiedAt(String accountId) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT email_verified_at FROM accounts WHERE id = :id AND email_verified_at IS NOT NULL")
                .bind("id", accountId)
                .mapTo(Long.class)
                .findOne()
                .map(Instant::ofEpochMilli)));
    }

    @Override
    public int purgeEmailVerifications(Instant now) {
        return translator.call(() -> jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM email_verifications WHERE expires_at <= :now")
                .bind("now", now.toEpochMilli())
                .execute()));
    }
}
