package dev.keygate.server.dashboard;

import dev.keygate.core.ServerSecret;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.accounts.PasswordHasher;
import dev.keygate.core.dashboard.AuditLog;
import dev.keygate.core.dashboard.DashboardStore;
import dev.keygate.core.dashboard.EmailVerifications;
import dev.keygate.core.dashboard.KeyManagement;
import dev.keygate.core.dashboard.LoginThrottle;
import dev.keygate.core.dashboard.Logins;
import dev.keygate.core.dashboard.PasswordChanges;
import dev.keygate.core.dashboard.RequestHistory;
import dev.keygate.core.dashboard.Sessions;
import dev.keygate.core.dashboard.SignUps;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.keys.Keys;
import dev.keygate.core.mail.MailSender;
import dev.keygate.core.rotation.RotationStore;
import dev.keygate.core.rotation.Rotations;
import java.time.Clock;
import java.util.random.RandomGenerator;

/** The core services behind the dashboard's pages, wired once. */
public record DashboardServices(Accounts accounts, SignUps signUps, Logins logins, PasswordChanges passwords,
        LoginThrottle throttle, Sessions sessions, EmailVerifications verifications, KeyManagement keys, Rotations rotations, RequestHistory requests,
        AuditLog audit) {

    /**
     * {@code random} must be a {@code SecureRandom}: it draws tokens, codes, ids and keys;
     * {@code secret} is the server's own (see {@link ServerSecret}).
     */
    public static DashboardServices wire(KeyStore keyStore, DashboardStore store, RotationStore rotationStore,
            Accounts accounts, Keys keys, PasswordHasher hasher, MailSender mail, Clock clock, RandomGenerator random,
            ServerSecret secret) {
        AuditLog audit = new AuditLog(store, clock);
        Sessions sessions = new Sessions(store, clock, random);
        EmailVerifications verifications = new EmailVerifications(store, accounts, mail, audit, clock, random);
        KeyManagement keyManagement = new KeyManagement(keyStore, keys, accounts, verifications, audit);
        Logins logins = new Logins(keyStore, store, hasher, sessions, audit, clock, random);
        return new DashboardServices(accounts, new SignUps(accounts, keyStore, keys, sessions, verifications, mail,
                audit), logins, new PasswordChanges(accounts, keyStore, hasher, logins, sessions, audit),
                new LoginThrottle(clock), sessions,
                verifications, keyManagement, new Rotations(keyManagement, accounts, rotationStore, clock, random,
                        secret),
                new RequestHistory(store), audit);
    }

    /**
     * Deletes what is no longer needed: sessions idle too long, failed logins older than any lock
     * could reach, expired verification tokens.
     */
    public void purgeExpired() {
        sessions.purgeExpired();
        logins.purgeExpired();
        verifications.purgeExpired();
    }
}
