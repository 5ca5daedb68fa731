package dev.keygate.core.rotation;

import dev.keygate.core.dashboard.AuditEvent;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.mail.Mail;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Rotation requests and the mail outbox (SPEC section 6). Every method may block and throws
 * {@link dev.keygate.core.StoreUnavailableException} when the database cannot answer.
 */
public interface RotationStore {

    /** Requests the account made since {@code since}: at most 5 an hour. */
    int countRequestsSince(String accountId, Instant since);

    /**
     * Stores a request and puts its mail in the outbox, in one transaction, unless the account
     * made {@code maxRequests} requests since {@code windowStart}: the count and the insert are
     * atomic per account, so parallel requests cannot pass the cap.
     *
     * @return false if the cap was reached (nothing stored)
     */
    boolean insertRequest(RotationRequest request, Mail mail, int maxRequests, Instant windowStart);

    Optional<RotationRequest> findRequest(String requestId);

    /**
     * Counts a wrong code; the request becomes {@link RotationRequest.State#VOID} when this makes
     * {@code maxAttempts}.
     *
     * @return the request after the count
     */
    Optional<RotationRequest> recordWrongCode(String requestId, int maxAttempts);

    /**
     * Confirms a rotation in one transaction: the request becomes used (only if it is still
     * pending and not expired at {@code now}), the new key is stored, the old key's
     * {@code expires_at} becomes {@code oldKeyExpiresAt} unless it already expires sooner, a change
     * is appended to the feed for the old key, and the audit event is written. A crash leaves all
     * of it or none. Nothing is written if the old key was deleted meanwhile.
     *
     * @return false if the request was not pending any more (a concurrent confirmation won) or the
     *     old key is deleted
     */
    boolean confirm(String requestId, KeyRecord newKey, KeyDigest newDigest, String oldKeyId, Instant oldKeyExpiresAt,
            AuditEvent audit, Instant now);

    /** Mails not sent yet and not given up (fewer than {@code maxAttempts} failures), least tried and oldest first. */
    List<OutboxMail> pendingMails(int limit, int maxAttempts);

    /** Marks a mail sent and forgets its body (which may hold a one-time code). */
    void markMailSent(long mailId, Instant at);

    /** Counts a failed delivery; the mail stays in the outbox to be tried again. */
    void markMailFailed(long mailId, String error);

    /** Whether the rotation's mail left the outbox: empty if unknown, else sent or not. */
    Optional<Boolean> mailSent(String requestId);

    /**
     * The fingerprint of the server secret that codes and outbox mails are keyed by: records
     * {@code fingerprint} if none is recorded yet, and answers the recorded one. Nodes that share
     * the database must share the secret; one whose fingerprint differs must not serve.
     */
    String recordSecretFingerprint(String fingerprint);
}
