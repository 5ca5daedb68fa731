package dev.keygate.store.jdbc;

import dev.keygate.core.dashboard.AuditEvent;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.mail.Mail;
import dev.keygate.core.rotation.GracePeriod;
import dev.keygate.core.rotation.OutboxMail;
import dev.keygate.core.rotation.RotationRequest;
import dev.keygate.core.rotation.RotationStore;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** A {@link RotationStore} on any SQL database through JDBI, in plain SQL that SQLite and PostgreSQL both run. */
final class JdbiRotationStore implements RotationStore {

    private static final String COLUMNS =
            "id, account_id, key_id, grace, code_digest, created_at, expires_at, attempts, state";

    private final Jdbi jdbi;
    private final Translator translator;

    JdbiRotationStore(Jdbi jdbi, Translator translator) {
        this.jdbi = jdbi;
        this.translator = translator;
    }

    @Override
    public int countRequestsSince(String accountId, Instant since) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM rotation_requests WHERE account_id = :account AND created_at >= :since")
                .bind("account", accountId)
                .bind("since", since.toEpochMilli())
                .mapTo(Integer.class)
                .one()));
    }

    @Override
    public boolean insertRequest(RotationRequest request, Mail mail, int maxRequests, Instant windowStart) {
        return translator.call(() -> jdbi.inTransaction(h -> {
            // Takes the account's row lock (PostgreSQL; SQLite writers are serialized anyway), so
            // that the count below and the insert are one step per account.
            h.createUpdate("UPDATE accounts SET id = id WHERE id = :account")
                    .bind("account", request.accountId())
                    .execute();
            int recent = h.createQuery("SELECT COUNT(*) FROM rotation_requests WHERE account_id = :account "
                            + "AND created_at >= :since")
                    .bind("account", request.accountId())
                    .bind("since", windowStart.toEpochMilli())
                    .mapTo(Integer.class)
                    .one();
            if (recent >= maxRequests) {
                return false;
            }
            h.createUpdate("INSERT INTO rotation_requests (" + COLUMNS + ") VALUES (:id, :account, :key, :grace, "
                            + ":digest, :created, :expires, :attempts, :state)")
                    .bind("id", request.id())
                    .bind("account", request.accountId())
                    .bind("key", request.keyId())
                    .bind("grace", request.grace().label())
                    .bind("digest", request.codeDigest())
                    .bind("created", request.createdAt().toEpochMilli())
                    .bind("expires", request.expiresAt().toEpochMilli())
                    .bind("attempts", request.attempts())
                    .bind("state", request.state().name().toLowerCase(Locale.ROOT))
                    .execute();
            h.createUpdate("INSERT INTO mail_outbox (recipient, subject, body, created_at, rotation_id) "
                            + "VALUES (:to, :subject, :body, :created, :rotation)")
                    .bind("to", mail.to())
                    .bind("subject", mail.subject())
                    .bind("body", mail.text())
                    .bind("created", request.createdAt().toEpochMilli())
                    .bind("rotation", request.id())
                    .execute();
            return true;
        }));
    }

    @Override
    public Optional<RotationRequest> findRequest(String requestId) {
        return translator.call(() -> jdbi.withHandle(h -> find(h, requestId)));
    }

    private static Optional<RotationRequest> find(Handle h, String requestId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM rotation_requests WHERE id = :id")
                .bind("id", requestId)
                .map((rs, ctx) -> new RotationRequest(rs.getString("id"), rs.getString("account_id"),
                        rs.getString("key_id"), GracePeriod.fromLabel(rs.getString("grace")),
                        rs.getString("code_digest"), Instant.ofEpochMilli(rs.getLong("created_at")),
                        Instant.ofEpochMilli(rs.getLong("expires_at")), rs.getInt("attempts"),
                        RotationRequest.State.valueOf(rs.getString("state").toUpperCase(Locale.ROOT))))
                .findOne();
    }

    @Override
    public Optional<RotationRequest> recordWrongCode(String requestId, int maxAttempts) {
        return translator.call(() -> jdbi.inTransaction(h -> {
            h.createUpdate("UPDATE rotation_requests SET attempts = attempts + 1, "
                            + "state = CASE WHEN attempts + 1 >= :max THEN 'void' ELSE state END "
                            + "WHERE id = :id AND state = 'pending'")
                    .bind("max", maxAttempts)
                    .bind("id", requestId)
                    .execute();
            return find(h, requestId);
        }));
    }

    @Override
    public boolean confirm(String requestId, KeyRecord newKey, KeyDigest newDigest, String oldKeyId,
            Instant oldKeyExpiresAt, AuditEvent audit, Instant now) {
        return translator.call(() -> jdbi.inTransaction(h -> {
            int claimed = h.createUpdate("UPDATE rotation_requests SET state = 'used', new_key_id = :newKey "
                            + "WHERE id = :id AND state = 'pending' AND expires_at > :now")
                    .bind("newKey", newKey.id())
                    .bind("id", requestId)
                    .bind("now", now.toEpochMilli())
                    .execute();
            if (claimed == 0) {
                return false;
            }
            int expiring = h.createUpdate("UPDATE api_keys SET expires_at = CASE WHEN expires_at IS NOT NULL "
                            + "AND expires_at < :expires THEN expires_at ELSE :expires END "
                            + "WHERE id = :id AND revoked_at IS NULL")
                    .bind("expires", oldKeyExpiresAt.toEpochMilli())
                    .bind("id", oldKeyId)
                    .execute();
            if (expiring == 0) {
                // The old key was deleted since the code was asked for: no new key for it.
                h.rollback();
                return false;
            }
            JdbiKeyStore.insertKey(h, newKey, newDigest);
            JdbiKeyStore.appendKeyChange(h, oldKeyId);
            JdbiDashboardStore.insertAudit(h, audit);
            return true;
        }));
    }

    @Override
    public List<OutboxMail> pendingMails(int limit, int maxAttempts) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT seq, recipient, subject, body, attempts "
                        + "FROM mail_outbox WHERE sent_at IS NULL AND attempts < :max ORDER BY attempts, seq "
                        + "LIMIT :limit")
                .bind("max", maxAttempts)
                .bind("limit", limit)
                .map((rs, ctx) -> new OutboxMail(rs.getLong("seq"), new Mail(rs.getString("recipient"),
                        rs.getString("subject"), rs.getString("body")), rs.getInt("attempts")))
                .list()));
    }

    @Override
    public void markMailSent(long mailId, Instant at) {
        translator.run(() -> jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE mail_outbox SET sent_at = :at, body = '' WHERE seq = :id")
                .bind("at", at.toEpochMilli())
                .bind("id", mailId)
                .execute()));
    }

    @Override
    public void markMailFailed(long mailId, String error) {
        translator.run(() -> jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE mail_outbox SET attempts = attempts + 1, last_error = :error WHERE seq = :id")
                .bind("error", error.length() > 500 ? error.substring(0, 500) : error)
                .bind("id", mailId)
                .execute()));
    }

    @Override
    public Optional<Boolean> mailSent(String requestId) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT sent_at FROM mail_outbox WHERE rotation_id = :id")
                .bind("id", requestId)
                .map((rs, ctx) -> {
                    rs.getLong("sent_at");
                    return !rs.wasNull();
                })
                .findOne()));
    }

    @Override
    public String recordSecretFingerprint(String fingerprint) {
        return translator.call(() -> jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO server_secret (id, fingerprint) VALUES (1, :fingerprint) "
                            + "ON CONFLICT (id) DO NOTHING")
                    .bind("fingerprint", fingerprint)
                    .execute();
            return h.createQuery("SELECT fingerprint FROM server_secret WHERE id = 1").mapTo(String.class).one();
        }));
    }
}
