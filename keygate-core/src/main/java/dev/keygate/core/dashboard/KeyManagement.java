package dev.keygate.core.dashboard;

import dev.keygate.core.InvalidInputException;
import dev.keygate.core.NotFoundException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.accounts.Session;
import dev.keygate.core.keys.IssuedKey;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.keys.Keys;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.util.List;
import java.util.Optional;

/**
 * Key management scoped to the signed-in account (SPEC section 8): another account's key is simply
 * not found; every creation and deletion goes into the audit log.
 */
public final class KeyManagement {

    private final KeyStore keyStore;
    private final Keys keys;
    private final Accounts accounts;
    private final EmailVerifications verifications;
    private final AuditLog audit;

    public KeyManagement(KeyStore keyStore, Keys keys, Accounts accounts, EmailVerifications verifications,
            AuditLog audit) {
        this.keyStore = keyStore;
        this.keys = keys;
        this.accounts = accounts;
        this.verifications = verifications;
        this.audit = audit;
    }

    /** The account's keys in the session's environment, newest first. */
    public List<KeyRecord> list(Session session) {
        return keys.list(session.accountId()).stream()
                .filter(key -> key.environment() == session.environment())
                .toList();
    }

    /**
     * Creates a key in the session's environment. Live keys need a verified email.
     *
     * @throws InvalidInputException for a live key before the email is verified, or a bad name
     */
    public IssuedKey create(Session session, KeyType type, Optional<String> name, String ip) {
        Account account = accounts.get(session.accountId());
        if (session.environment() == Environment.LIVE && !verifications.verified(account.id())) {
            throw new InvalidInputException("environment", "verify your email address before creating live keys");
        }
        IssuedKey issued = keys.create(account.id(), type, session.environment(), name);
        audit.record(account.id(), account.email(), "key.created", Optional.of(issued.record().id()), ip);
        return issued;
    }

    /**
     * A key of the signed-in account.
     *
     * @throws NotFoundException if the account has no such key
     */
    public KeyRecord get(Session session, String keyId) {
        return keyStore.findKey(keyId)
                .filter(key -> key.accountId().equals(session.accountId()))
                .orElseThrow(() -> new NotFoundException("No such key"));
    }

    /**
     * Deletes a key of the signed-in account at once.
     *
     * @throws NotFoundException if the account has no such key
     */
    public void delete(Session session, String keyId, String ip) {
        KeyRecord key = get(session, keyId);
        if (key.revokedAt().isEmpty() && keys.delete(key.id())) {
            audit.record(session.accountId(), accounts.get(session.accountId()).email(), "key.deleted",
                    Optional.of(key.id()), ip);
        }
    }
}
