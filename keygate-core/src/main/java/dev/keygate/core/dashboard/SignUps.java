package dev.keygate.core.dashboard;

import dev.keygate.core.ConflictException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.keys.IssuedKey;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.keys.Keys;
import dev.keygate.core.mail.Mail;
import dev.keygate.core.mail.MailException;
import dev.keygate.core.mail.MailSender;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.util.List;
import java.util.Optional;

/**
 * Sign-up (SPEC section 8), which never tells whether an email already has an account: the answer
 * is the same either way and only the mail says which. A new email gets an unverified account and a
 * link ({@link EmailVerifications}) that verifies it, signs the owner in and issues the first test
 * keys; an email with an account gets a mail saying someone tried, and the account is left alone.
 *
 * <pre>{@code
 * signUps.signUp(name, email, password, ip, verifyUrl, loginUrl);   // then: "check your mail"
 * Optional<SignUps.Welcome> welcome = signUps.complete(token, ip);  // from the mailed link
 * }</pre>
 */
public final class SignUps {

    private final Accounts accounts;
    private final KeyStore keyStore;
    private final Keys keys;
    private final Sessions sessions;
    private final EmailVerifications verifications;
    private final MailSender mail;
    private final AuditLog audit;

    public SignUps(Accounts accounts, KeyStore keyStore, Keys keys, Sessions sessions,
            EmailVerifications verifications, MailSender mail, AuditLog audit) {
        this.accounts = accounts;
        this.keyStore = keyStore;
        this.keys = keys;
        this.sessions = sessions;
        this.verifications = verifications;
        this.mail = mail;
        this.audit = audit;
    }

    /**
     * The owner signed in by a sign-up link, with the first test keys (secret first) if the account
     * had none: empty when it had keys already, as after a verification link sent again.
     */
    public record Welcome(LoginResult.LoggedIn login, List<IssuedKey> firstKeys) {}

    /**
     * Mails the owner of {@code email}: a new account's link, or, if the email has an account, a
     * note that someone tried to sign up with it. Both cost the same work (the password is hashed
     * either way) and nothing tells them apart but the mail. A mail that could not be sent is not
     * told either: the owner of a new account can log in and send the link again.
     *
     * @param verifyUrl the base of a new account's link; the token is appended
     * @param loginUrl the log-in page, linked from the note to an existing account's owner
     * @throws dev.keygate.core.InvalidInputException for a bad name, email or password
     */
    public void signUp(String name, String email, String password, String ip, String verifyUrl, String loginUrl) {
        try {
            Account account;
            try {
                // Hashes the password before it finds the email taken: a taken email costs as much.
                account = accounts.create(name, email, password);
            } catch (ConflictException taken) {
                keyStore.findAccountByEmail(Accounts.normalizeEmail(email)).ifPresent(existing -> mail.send(
                        new Mail(existing.email(), "Someone tried to sign up for Keygate with your email",
                                "Hello " + existing.name() + ",\n\nSomeone just tried to create a Keygate account "
                                        + "with this address. You have an account already, so nothing was "
                                        + "created and nothing changed. To use it, log in:\n\n" + loginUrl
                                        + "\n\nIf it was not you, you can ignore this message.\n")));
                return;
            }
            audit.record(account.id(), account.email(), "account.created", Optional.empty(), ip);
            verifications.sendSignUp(account, verifyUrl);
        } catch (MailException e) {
            // Not shown: the page must not differ from the one for the other kind of email.
        }
    }

    /**
     * Uses a mailed link's token: verifies the email, signs the owner in, and issues a publishable
     * and a secret test key if the account has no key yet (the secret shown once, so issued now
     * rather than at sign-up). Empty if the token was used already, expired or unknown.
     */
    public Optional<Welcome> complete(String token, String ip) {
        Optional<Account> verified = verifications.verify(token);
        if (verified.isEmpty()) {
            return Optional.empty();
        }
        Account account = verified.get();
        List<IssuedKey> firstKeys = List.of();
        if (keyStore.listKeys(account.id()).isEmpty()) {
            IssuedKey secret = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.empty());
            IssuedKey publishable = keys.create(account.id(), KeyType.PUBLIC, Environment.TEST, Optional.empty());
            audit.record(account.id(), account.email(), "key.created", Optional.of(secret.record().id()), ip);
            audit.record(account.id(), account.email(), "key.created", Optional.of(publishable.record().id()), ip);
            firstKeys = List.of(secret, publishable);
        }
        audit.record(account.id(), account.email(), "login.succeeded", Optional.empty(), ip);
        return Optional.of(new Welcome(sessions.open(account), firstKeys));
    }
}
