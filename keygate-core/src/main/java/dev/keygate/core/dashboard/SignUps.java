package dev.keygate.core.dashboard;

import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.keys.IssuedKey;
import dev.keygate.core.keys.Keys;
import dev.keygate.core.mail.MailException;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.util.Optional;

/** Sign-up (SPEC section 8): an account, its first test keys, a session and a verification mail. */
public final class SignUps {

    private final Accounts accounts;
    private final Keys keys;
    private final Sessions sessions;
    private final EmailVerifications verifications;
    private final AuditLog audit;

    public SignUps(Accounts accounts, Keys keys, Sessions sessions, EmailVerifications verifications, AuditLog audit) {
        this.accounts = accounts;
        this.keys = keys;
        this.sessions = sessions;
        this.verifications = verifications;
        this.audit = audit;
    }

    /**
     * A new account with its first keys: a publishable and a secret test key, the secret shown once.
     *
     * @param verificationSent false if the verification mail could not be sent (it can be sent again)
     */
    public record SignedUp(LoginResult.LoggedIn login, IssuedKey secretKey, IssuedKey publicKey,
            boolean verificationSent) {}

    /**
     * Creates an account, its first test keys and a session, and mails a verification link.
     *
     * @param verifyUrl the link's base; the token is appended
     * @throws dev.keygate.core.InvalidInputException for a bad name, email or password
     * @throws dev.keygate.core.ConflictException if the email is taken
     */
    public SignedUp signUp(String name, String email, String password, String ip, String verifyUrl) {
        Account account = accounts.create(name, email, password);
        IssuedKey secret = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
        IssuedKey publishable = keys.create(account.id(), KeyType.PUBLIC, Environment.TEST, Optional.empty());
        audit.record(account.id(), account.email(), "account.created", Optional.empty(), ip);
        audit.record(account.id(), account.email(), "key.created", Optional.of(secret.record().id()), ip);
        audit.record(account.id(), account.email(), "key.created", Optional.of(publishable.record().id()), ip);
        LoginResult.LoggedIn login = sessions.open(account);
        boolean sent;
        try {
            verifications.send(account, verifyUrl);
            sent = true;
        } catch (MailException e) {
            // The account and its first keys stand; the owner can send the link again.
            sent = false;
        }
        return new SignedUp(login, secret, publishable, sent);
    }
}
