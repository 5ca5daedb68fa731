package dev.keygate.core.dashboard;

import dev.keygate.core.InvalidInputException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.accounts.PasswordHasher;
import dev.keygate.core.accounts.Session;
import dev.keygate.core.keys.KeyStore;
import java.util.Optional;

/**
 * Changes a signed-in owner's password (SPEC section 8). The current password is checked as a
 * log-in checks it ({@link Logins}: a wrong one counts toward the lockout); the new one follows the
 * sign-up rule ({@link Accounts#checkPassword}). On success every other session of the account
 * ends, the one that asked stays, and {@code password.changed} is audited.
 *
 * <pre>{@code
 * if (changes.change(session, current, next, confirmation, ip) instanceof PasswordChange.Changed) { ... }
 * }</pre>
 */
public final class PasswordChanges {

    private final Accounts accounts;
    private final KeyStore keyStore;
    private final PasswordHasher hasher;
    private final Logins logins;
    private final Sessions sessions;
    private final AuditLog audit;

    public PasswordChanges(Accounts accounts, KeyStore keyStore, PasswordHasher hasher, Logins logins,
            Sessions sessions, AuditLog audit) {
        this.accounts = accounts;
        this.keyStore = keyStore;
        this.hasher = hasher;
        this.logins = logins;
        this.sessions = sessions;
        this.audit = audit;
    }

    /** Sets {@code next} as the password of the session's account if {@code current} is its password now. */
    public PasswordChange change(Session session, String current, String next, String confirmation, String ip) {
        try {
            Accounts.checkPassword(next);
        } catch (InvalidInputException broken) {
            return new PasswordChange.Invalid("password", broken.getMessage());
        }
        if (!next.equals(confirmation)) {
            return new PasswordChange.Invalid("confirmation", "the confirmation differs from the new password");
        }
        Account account = accounts.get(session.accountId());
        Optional<LoginResult> refused = logins.recheck(account, current, ip);
        if (refused.isPresent()) {
            return refused.get() instanceof LoginResult.Locked locked
                    ? new PasswordChange.Locked(locked.until()) : new PasswordChange.WrongPassword();
        }
        keyStore.updatePasswordHash(account.id(), hasher.hash(next));
        sessions.endOthers(session);
        audit.record(account.id(), account.email(), "password.changed", Optional.empty(), ip);
        return new PasswordChange.Changed();
    }
}
