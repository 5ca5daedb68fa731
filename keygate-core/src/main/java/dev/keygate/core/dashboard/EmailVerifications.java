package dev.keygate.core.dashboard;

import dev.keygate.core.Sha256;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.accounts.Session;
import dev.keygate.core.mail.Mail;
import dev.keygate.core.mail.MailSender;
import dev.keygate.keyformat.Base62;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Email verification (SPEC section 8): a mailed link, valid {@link #VERIFICATION_TTL}, that an
 * account must follow before it may create live keys. The store keeps only the link token's digest.
 */
public final class EmailVerifications {

    /** How long an email verification link works. */
    public static final Duration VERIFICATION_TTL = Duration.ofHours(24);

    private final DashboardStore store;
    private final Accounts accounts;
    private final MailSender mail;
    private final AuditLog audit;
    private final Clock clock;
    private final RandomGenerator random;

    /** {@code random} must be a {@code SecureRandom}: it draws the link tokens. */
    public EmailVerifications(DashboardStore store, Accounts accounts, MailSender mail, AuditLog audit, Clock clock,
            RandomGenerator random) {
        this.store = store;
        this.accounts = accounts;
        this.mail = mail;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
    }

    public boolean verified(Session session) {
        return verified(session.accountId());
    }

    public boolean verified(String accountId) {
        return store.emailVerifiedAt(accountId).isPresent();
    }

    /** Mails a new verification link to the account's owner. */
    public void send(Session session, String verifyUrl) {
        send(accounts.get(session.accountId()), verifyUrl);
    }

    /**
     * Mails a new verification link to {@code account}'s owner.
     *
     * @param verifyUrl the link's base; the token is appended
     * @throws dev.keygate.core.mail.MailException if the mail could not be sent
     */
    public void send(Account account, String verifyUrl) {
        mail.send(new Mail(account.email(), "Verify your email for Keygate",
                "Hello " + account.name() + ",\n\nConfirm that this address belongs to you, so that you can "
                        + "create live keys:\n\n" + link(account, verifyUrl) + "\n\nThe link works for 24 hours. "
                        + "If you did not sign up for Keygate, ignore this message.\n"));
    }

    /**
     * Mails a new account's owner the link that finishes sign-up: it verifies the address, signs
     * the owner in and shows the first keys ({@link SignUps#complete}).
     *
     * @throws dev.keygate.core.mail.MailException if the mail could not be sent
     */
    public void sendSignUp(Account account, String verifyUrl) {
        mail.send(new Mail(account.email(), "Finish signing up for Keygate",
                "Hello " + account.name() + ",\n\nConfirm that this address belongs to you to finish creating "
                        + "your Keygate account and see your first API keys:\n\n" + link(account, verifyUrl)
                        + "\n\nThe link works once, for 24 hours. If you did not sign up for Keygate, ignore "
                        + "this message: no account is usable without it.\n"));
    }

    /** Uses a verification link's token: the account whose email it verified, or empty if it was not valid. */
    public Optional<Account> verify(String token) {
        if (token == null || token.length() > 100) {
            return Optional.empty();
        }
        Optional<Account> account = store.verifyEmail(Sha256.hex(token), now()).map(accounts::get);
        account.ifPresent(a -> audit.record(a.id(), a.email(), "email.verified", Optional.empty(), "-"));
        return account;
    }

    private String link(Account account, String verifyUrl) {
        String token = Base62.random(random, 43);
        store.insertEmailVerification(Sha256.hex(token), account.id(), now().plus(VERIFICATION_TTL));
        return verifyUrl + token;
    }

    /** Deletes expired verification tokens. */
    public void purgeExpired() {
        store.purgeEmailVerifications(now());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
