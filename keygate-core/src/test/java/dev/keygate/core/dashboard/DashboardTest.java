package dev.keygate.core.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.core.Ids;
import dev.keygate.core.InvalidInputException;
import dev.keygate.core.NotFoundException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.accounts.PasswordHasher;
import dev.keygate.core.accounts.Session;
import dev.keygate.core.auth.KeyVerifier;
import dev.keygate.core.auth.Verification;
import dev.keygate.core.Sha256;
import dev.keygate.core.dashboard.LoginResult.Locked;
import dev.keygate.core.dashboard.LoginResult.LoggedIn;
import dev.keygate.core.dashboard.LoginResult.Refused;
import dev.keygate.core.keys.IssuedKey;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.keys.Keys;
import dev.keygate.core.mail.Mail;
import dev.keygate.core.mail.MailSender;
import dev.keygate.core.testing.InMemoryDashboardStore;
import dev.keygate.core.testing.InMemoryKeyStore;
import dev.keygate.core.testing.MutableClock;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's rules (SPEC section 8) on an in-memory world, with time travel instead of sleeping. */
class DashboardTest {

    private static final Instant T0 = Instant.parse("2026-02-14T08:30:00.321Z");
    private static final String PASSWORD = "correct horse battery";
    private static final String WRONG_PASSWORD = "incorrect horse battery";
    private static final String IP = "203.0.113.9";
    private static final String VERIFY_URL = "https://keygate.example/dashboard/verify?token=";
    private static final String LOGIN_URL = "https://keygate.example/dashboard/login";

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryKeyStore keyStore = new InMemoryKeyStore();
    private final InMemoryDashboardStore store = new InMemoryDashboardStore();
    private final PlainHasher hasher = new PlainHasher();
    private final RecordingMailSender mail = new RecordingMailSender();
    private final Random random = new Random(20260214);
    private final Keys keys = new Keys(keyStore, clock, random);
    private final Accounts accounts = new Accounts(keyStore, hasher, clock, new Ids(random));
    private final AuditLog auditLog = new AuditLog(store, clock);
    private final Sessions sessions = new Sessions(store, clock, random);
    private final EmailVerifications verifications =
            new EmailVerifications(store, accounts, mail, auditLog, clock, random);
    private final SignUps signUps = new SignUps(accounts, keyStore, keys, sessions, verifications, mail,
            auditLog);
    private final Logins logins = new Logins(keyStore, store, hasher, sessions, auditLog, clock, random);
    private final KeyManagement keyManagement = new KeyManagement(keyStore, keys, accounts, verifications, auditLog);
    private final RequestHistory requestHistory = new RequestHistory(store);

    /** Ada, signed up at {@link #T0} through the mailed link: verified, signed in, her first keys issued. */
    private SignedUp ada;

    /** A sign-up completed by its mailed link. */
    private record SignedUp(LoggedIn login, IssuedKey secretKey, IssuedKey publicKey) {}

    @BeforeEach
    void signUpAda() {
        ada = signUp("Ada's Shop", "ada@example.com");
    }

    // ---- sign-up ----

    @Test
    void signUpThenAccountWithNormalizedEmailUnverifiedWithoutKeysAndLinkMailed() {
        signUps.signUp("Grace", "  Grace@Example.COM ", PASSWORD, IP, VERIFY_URL, LOGIN_URL);

        Account account = keyStore.findAccountByEmail("grace@example.com").orElseThrow();
        assertThat(account.name()).isEqualTo("Grace");
        assertThat(account.email()).isEqualTo("grace@example.com");
        assertThat(verifications.verified(account.id())).isFalse();
        assertThat(keys.list(account.id())).isEmpty();
        assertThat(mail.sent.getLast().to()).isEqualTo("grace@example.com");
        assertThat(mail.sent.getLast().subject()).isEqualTo("Finish signing up for Keygate");
        assertThat(verificationToken(mail.sent.getLast())).isNotEmpty();
    }

    @Test
    void signUpWhenEmailHasAnAccountThenNoteMailedSameWorkDoneAndAccountUnchanged() {
        int hashesBefore = hasher.hashes.get();
        Account before = keyStore.findAccountByEmail("ada@example.com").orElseThrow();
        String hashBefore = keyStore.findPasswordHash(before.id()).orElseThrow();

        signUps.signUp("Mallory", " ADA@example.com", "another long password", IP, VERIFY_URL, LOGIN_URL);

        assertThat(hasher.hashes.get()).isEqualTo(hashesBefore + 1);
        assertThat(keyStore.findAccountByEmail("ada@example.com")).contains(before);
        assertThat(keyStore.findPasswordHash(before.id())).contains(hashBefore);
        assertThat(mail.sent.getLast().to()).isEqualTo("ada@example.com");
        assertThat(mail.sent.getLast().subject()).isEqualTo("Someone tried to sign up for Keygate with your email");
        assertThat(mail.sent.getLast().text()).contains(LOGIN_URL).doesNotContain(VERIFY_URL).doesNotContain("Mallory");
        assertThat(logins.logIn("ada@example.com", PASSWORD, IP)).isInstanceOf(LoggedIn.class);
    }

    @Test
    void signUpWhenNameOrPasswordBadThenInvalidInputForAnyEmail() {
        for (String email : List.of("ada@example.com", "new@example.com")) {
            assertThatThrownBy(() -> signUps.signUp("Ada", email, "short", IP, VERIFY_URL, LOGIN_URL))
                    .isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void completeThenSecretAndPublishableTestKeysThatWork() {
        String accountId = ada.login().session().accountId();

        assertThat(ada.secretKey().record().type()).isEqualTo(KeyType.SECRET);
        assertThat(ada.publicKey().record().type()).isEqualTo(KeyType.PUBLIC);
        assertThat(List.of(ada.secretKey(), ada.publicKey())).allSatisfy(issued -> {
            assertThat(issued.record().accountId()).isEqualTo(accountId);
            assertThat(issued.record().environment()).isEqualTo(Environment.TEST);
            assertThat(works(issued)).isTrue();
        });
        assertThat(keys.list(accountId)).extracting(KeyRecord::id)
                .containsExactlyInAnyOrder(ada.secretKey().record().id(), ada.publicKey().record().id());
    }

    @Test
    void completeThenLoggedInWithSessionInTestEnvironmentAndVerified() {
        LoggedIn login = ada.login();

        assertThat(login.session().environment()).isEqualTo(Environment.TEST);
        assertThat(login.session().createdAt()).isEqualTo(T0);
        assertThat(login.session().idDigest()).isEqualTo(Sha256.hex(login.token())).isNotEqualTo(login.token());
        assertThat(sessions.find(login.token())).contains(login.session());
        assertThat(verifications.verified(login.session())).isTrue();
    }

    @Test
    void completeThenAccountVerificationKeysAndLoginAuditedNewestFirst() {
        String accountId = ada.login().session().accountId();

        assertThat(auditLog.list(ada.login().session(), 10)).containsExactly(
                new AuditEvent(accountId, "ada@example.com", "login.succeeded", Optional.empty(), IP, T0),
                new AuditEvent(accountId, "ada@example.com", "key.created", Optional.of(ada.publicKey().record().id()),
                        IP, T0),
                new AuditEvent(accountId, "ada@example.com", "key.created", Optional.of(ada.secretKey().record().id()),
                        IP, T0),
                new AuditEvent(accountId, "ada@example.com", "email.verified", Optional.empty(), "-", T0),
                new AuditEvent(accountId, "ada@example.com", "account.created", Optional.empty(), IP, T0));
    }

    @Test
    void completeWhenLinkUsedAlreadyThenEmpty() {
        signUps.signUp("Grace", "grace@example.com", PASSWORD, IP, VERIFY_URL, LOGIN_URL);
        String token = verificationToken(mail.sent.getLast());

        assertThat(signUps.complete(token, IP)).isPresent();
        assertThat(signUps.complete(token, IP)).isEmpty();
    }

    @Test
    void completeWhenAccountHasKeysThenSignedInWithoutNewKeys() {
        verifications.send(ada.login().session(), VERIFY_URL);

        Optional<SignUps.Welcome> again = signUps.complete(verificationToken(mail.sent.getLast()), IP);

        assertThat(again).hasValueSatisfying(welcome -> assertThat(welcome.firstKeys()).isEmpty());
        assertThat(keys.list(ada.login().session().accountId())).hasSize(2);
    }

    @Test
    void verifyEmailWhenMailedTokenThenVerifiedOnceAndAudited() {
        Session grace = unverified("grace@example.com");
        String token = verificationToken(mail.sent.getLast());
        clock.advance(Duration.ofHours(1));

        assertThat(verifications.verify(token)).isPresent();

        assertThat(verifications.verified(grace)).isTrue();
        assertThat(auditLog.list(grace, 1)).singleElement().satisfies(event -> {
            assertThat(event.action()).isEqualTo("email.verified");
            assertThat(event.actor()).isEqualTo("grace@example.com");
            assertThat(event.at()).isEqualTo(T0.plus(Duration.ofHours(1)));
        });
        assertThat(verifications.verify(token)).isEmpty();
    }

    @Test
    void verifyEmailWhenOneMillisecondBeforeLinkExpiresThenVerified() {
        unverified("grace@example.com");
        String token = verificationToken(mail.sent.getLast());
        clock.advance(EmailVerifications.VERIFICATION_TTL.minusMillis(1));

        assertThat(verifications.verify(token)).isPresent();
    }

    @Test
    void verifyEmailWhenLinkExpiredThenRefusedAndNotVerified() {
        Session grace = unverified("grace@example.com");
        String token = verificationToken(mail.sent.getLast());
        clock.advance(EmailVerifications.VERIFICATION_TTL);

        assertThat(verifications.verify(token)).isEmpty();
        assertThat(verifications.verified(grace)).isFalse();
    }

    @Test
    void verifyEmailWhenTokenUnknownEmptyOrOverlongThenEmpty() {
        Session grace = unverified("grace@example.com");
        assertThat(verifications.verify("not-a-token")).isEmpty();
        assertThat(verifications.verify("")).isEmpty();
        assertThat(verifications.verify(null)).isEmpty();
        assertThat(verifications.verify(verificationToken(mail.sent.getLast()) + "x".repeat(100))).isEmpty();
        assertThat(verifications.verified(grace)).isFalse();
    }

    @Test
    void sendVerificationThenNewLinkWorks() {
        Session grace = unverified("grace@example.com");
        int sent = mail.sent.size();
        verifications.send(grace, VERIFY_URL);

        assertThat(mail.sent).hasSize(sent + 1);
        assertThat(verifications.verify(verificationToken(mail.sent.getLast()))).isPresent();
        assertThat(verifications.verified(grace)).isTrue();
    }

    // ---- log-in ----

    @Test
    void logInWhenPasswordRightThenLoggedInWithLiveSessionAndAudited() {
        clock.advance(Duration.ofMinutes(5));

        LoginResult result = logins.logIn("ada@example.com", PASSWORD, "198.51.100.4");

        assertThat(result).isInstanceOfSatisfying(LoggedIn.class, login -> {
            assertThat(login.session().accountId()).isEqualTo(ada.login().session().accountId());
            assertThat(login.token()).isNotEqualTo(ada.login().token());
            assertThat(sessions.find(login.token())).contains(login.session());
        });
        assertThat(auditLog.list(ada.login().session(), 1)).singleElement().satisfies(event -> {
            assertThat(event.action()).isEqualTo("login.succeeded");
            assertThat(event.ip()).isEqualTo("198.51.100.4");
        });
    }

    @Test
    void logInWhenEmailDiffersInCaseAndSpacesThenLoggedIn() {
        assertThat(logins.logIn(" ADA@example.com ", PASSWORD, IP)).isInstanceOf(LoggedIn.class);
    }

    @Test
    void logInWhenPasswordWrongThenRefusedAndAudited() {
        LoginResult result = logins.logIn("ada@example.com", WRONG_PASSWORD, IP);

        assertThat(result).isEqualTo(new Refused());
        assertThat(auditLog.list(ada.login().session(), 1)).singleElement()
                .satisfies(event -> assertThat(event.action()).isEqualTo("login.failed"));
    }

    @Test
    void logInWhenEmailUnknownThenSameRefusedAfterTheSamePasswordCheck() {
        int checksBefore = hasher.checks.get();
        LoginResult wrongPassword = logins.logIn("ada@example.com", WRONG_PASSWORD, IP);
        int checksForKnown = hasher.checks.get() - checksBefore;

        LoginResult unknownEmail = logins.logIn("nobody@example.com", PASSWORD, IP);
        int checksForUnknown = hasher.checks.get() - checksBefore - checksForKnown;

        assertThat(unknownEmail).isEqualTo(wrongPassword).isEqualTo(new Refused());
        // An unknown email costs a password check too, so that timing does not tell them apart.
        assertThat(checksForUnknown).isEqualTo(checksForKnown).isEqualTo(1);
    }

    @Test
    void logInWhenEmailMalformedOrPasswordMissingThenRefused() {
        assertThat(logins.logIn("not an email", PASSWORD, IP)).isEqualTo(new Refused());
        assertThat(logins.logIn(null, PASSWORD, IP)).isEqualTo(new Refused());
        assertThat(logins.logIn("ada@example.com", null, IP)).isEqualTo(new Refused());
    }

    @Test
    void logOutThenSessionGone() {
        sessions.logOut(ada.login().session());

        assertThat(sessions.find(ada.login().token())).isEmpty();
    }

    // ---- lockout ----

    @Test
    void logInWhenManyWrongPasswordsArriveAtOnceThenAtMostTheLimitAreChecked() throws Exception {
        int checksBefore = hasher.checks.get();
        try (var executor = java.util.concurrent.Executors.newFixedThreadPool(16)) {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<LoginResult>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 30; i++) {
                results.add(executor.submit(() -> {
                    start.await();
                    return logins.logIn("ada@example.com", WRONG_PASSWORD, IP);
                }));
            }
            start.countDown();
            for (var result : results) {
                assertThat(result.get()).isInstanceOfAny(Refused.class, Locked.class);
            }
        }
        assertThat(hasher.checks.get() - checksBefore).isLessThanOrEqualTo(Logins.LOCKOUT_FAILURES);
    }

    @Test
    void logInWhenTenFailuresWithin15MinutesThenLockedEvenWithRightPassword() {
        List<LoginResult> results = failEveryMinute("ada@example.com", Logins.LOCKOUT_FAILURES);
        Instant lastFailure = T0.plus(Duration.ofMinutes(Logins.LOCKOUT_FAILURES - 1));
        Instant until = lastFailure.plus(Logins.LOCKOUT_DURATION);

        assertThat(results.subList(0, Logins.LOCKOUT_FAILURES - 1)).containsOnly(new Refused());
        assertThat(results.getLast()).isEqualTo(new Locked(until));

        clock.advance(Duration.ofMinutes(1));
        assertThat(logins.logIn("ada@example.com", PASSWORD, IP)).isEqualTo(new Locked(until));
        // Newest first: only the failures since sign-up's own log-in.
        assertThat(auditLog.list(ada.login().session(), Logins.LOCKOUT_FAILURES + 1)).extracting(AuditEvent::action)
                .containsExactly(Stream.concat(Stream.generate(() -> "login.failed").limit(Logins.LOCKOUT_FAILURES),
                        Stream.of("login.succeeded")).toArray(String[]::new));
    }

    @Test
    void logInWhenLockedThenFurtherAttemptsDoNotExtendTheLock() {
        failEveryMinute("ada@example.com", Logins.LOCKOUT_FAILURES);
        Instant until = T0.plus(Duration.ofMinutes(Logins.LOCKOUT_FAILURES - 1)).plus(Logins.LOCKOUT_DURATION);

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(2));
            assertThat(logins.logIn("ada@example.com", WRONG_PASSWORD, IP)).isEqualTo(new Locked(until));
        }
        clock.set(until);
        assertThat(logins.logIn("ada@example.com", PASSWORD, IP)).isInstanceOf(LoggedIn.class);
    }

    @Test
    void logInWhenLockEndsThenUnlockedExactlyAtUntil() {
        failEveryMinute("ada@example.com", Logins.LOCKOUT_FAILURES);
        Instant until = T0.plus(Duration.ofMinutes(Logins.LOCKOUT_FAILURES - 1)).plus(Logins.LOCKOUT_DURATION);

        clock.set(until.minusMillis(1));
        assertThat(logins.logIn("ada@example.com", PASSWORD, IP)).isEqualTo(new Locked(until));

        clock.set(until);
        assertThat(logins.logIn("ada@example.com", PASSWORD, IP)).isInstanceOf(LoggedIn.class);
    }

    @Test
    void logInWhenLockEndsThenOneMoreFailureDoesNotLockAgain() {
        failEveryMinute("ada@example.com", Logins.LOCKOUT_FAILURES);
        clock.set(T0.plus(Duration.ofMinutes(Logins.LOCKOUT_FAILURES - 1)).plus(Logins.LOCKOUT_DURATION));

        assertThat(logins.logIn("ada@example.com", WRONG_PASSWORD, IP)).isEqualTo(new Refused());
    }

    @Test
    void logInWhenTenFailuresSpreadOverMoreThan15MinutesThenNotLocked() {
        List<LoginResult> results = new ArrayList<>();
        for (int i = 0; i < Logins.LOCKOUT_FAILURES; i++) {
            results.add(logins.logIn("ada@example.com", WRONG_PASSWORD, IP));
            clock.advance(Duration.ofMinutes(2));
        }

        assertThat(results).containsOnly(new Refused());
        assertThat(logins.logIn("ada@example.com", PASSWORD, IP)).isInstanceOf(LoggedIn.class);
    }

    @Test
    void logInWhenOldestFailureJustOutsideWindowThenNotLockedUntilOneMore() {
        assertThat(logins.logIn("ada@example.com", WRONG_PASSWORD, IP)).isEqualTo(new Refused());
        clock.advance(Logins.LOCKOUT_WINDOW.plusMillis(1));
        for (int i = 0; i < Logins.LOCKOUT_FAILURES - 1; i++) {
            assertThat(logins.logIn("ada@example.com", WRONG_PASSWORD, IP)).isEqualTo(new Refused());
        }

        assertThat(logins.logIn("ada@example.com", WRONG_PASSWORD, IP))
                .isEqualTo(new Locked(clock.instant().plus(Logins.LOCKOUT_DURATION)));
    }

    @Test
    void logInWhenSucceededThenEarlierFailuresForgotten() {
        failEveryMinute("ada@example.com", Logins.LOCKOUT_FAILURES - 1);
        assertThat(logins.logIn("ada@example.com", PASSWORD, IP)).isInstanceOf(LoggedIn.class);

        List<LoginResult> results = failEveryMinute("ada@example.com", Logins.LOCKOUT_FAILURES - 1);

        assertThat(results).containsOnly(new Refused());
    }

    @Test
    void logInWhenUnknownEmailFailsTenTimesThenLockedTheSameWay() {
        List<LoginResult> known = failEveryMinute("ada@example.com", Logins.LOCKOUT_FAILURES);
        clock.set(T0);

        List<LoginResult> unknown = failEveryMinute("nobody@example.com", Logins.LOCKOUT_FAILURES);

        assertThat(unknown).isEqualTo(known);
        assertThat(logins.logIn("nobody@example.com", PASSWORD, IP)).isEqualTo(known.getLast());
    }

    @Test
    void logInWhenFailuresUnderSpellingsOfOneEmailThenTheyCountTogether() {
        List<String> spellings = List.of("ada@example.com", "ADA@example.com", " Ada@Example.com ");
        LoginResult last = null;
        for (int i = 0; i < Logins.LOCKOUT_FAILURES; i++) {
            last = logins.logIn(spellings.get(i % spellings.size()), WRONG_PASSWORD, IP);
        }

        assertThat(last).isInstanceOf(Locked.class);
        assertThat(logins.logIn("ada@example.com", PASSWORD, IP)).isInstanceOf(Locked.class);
    }

    @Test
    void logInWhenOneEmailLockedThenOthersStillLogIn() {
        signUp("Bob", "bob@example.com");
        failEveryMinute("ada@example.com", Logins.LOCKOUT_FAILURES);

        assertThat(logins.logIn("bob@example.com", PASSWORD, IP)).isInstanceOf(LoggedIn.class);
    }

    // ---- sessions ----

    @Test
    void sessionWhenIdleOneMillisecondShortOfTimeoutThenValid() {
        clock.advance(Sessions.SESSION_IDLE_TIMEOUT.minusMillis(1));

        assertThat(sessions.find(ada.login().token())).isPresent();
    }

    @Test
    void sessionWhenIdleForTimeoutThenExpiredAndDeleted() {
        clock.advance(Sessions.SESSION_IDLE_TIMEOUT);

        assertThat(sessions.find(ada.login().token())).isEmpty();
        assertThat(store.findSession(ada.login().session().idDigest())).isEmpty();
        clock.set(T0);
        assertThat(sessions.find(ada.login().token())).isEmpty();
    }

    @Test
    void sessionWhenUsedThenIdleTimeoutCountsFromLastUse() {
        clock.advance(Duration.ofMinutes(20));
        assertThat(sessions.find(ada.login().token())).isPresent();

        clock.advance(Sessions.SESSION_IDLE_TIMEOUT.minusMillis(1));
        assertThat(sessions.find(ada.login().token())).isPresent();
    }

    @Test
    void sessionWhenActiveThroughoutThenEndsAtMaxAge() {
        Duration step = Duration.ofMinutes(20);
        Instant end = T0.plus(Sessions.SESSION_MAX_AGE);
        while (clock.instant().plus(step).isBefore(end)) {
            clock.advance(step);
            assertThat(sessions.find(ada.login().token())).as("at %s", clock.instant()).isPresent();
        }

        clock.set(end.minusMillis(1));
        assertThat(sessions.find(ada.login().token())).isPresent();
        clock.set(end);
        assertThat(sessions.find(ada.login().token())).isEmpty();
    }

    @Test
    void sessionWhenTokenUnknownOrEmptyThenEmpty() {
        assertThat(sessions.find("unknownToken0123456789")).isEmpty();
        assertThat(sessions.find("")).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
    }

    @Test
    void sessionWhenTokenOverlongThenEmptyEvenIfItsDigestIsStored() {
        String overlong = "a".repeat(101);
        store.insertSession(new Session(Sha256.hex(overlong), ada.login().session().accountId(), "csrf",
                Environment.TEST, T0, T0));

        assertThat(sessions.find(overlong)).isEmpty();
    }

    @Test
    void switchEnvironmentThenPersistedForTheNextRequest() {
        Session switched = sessions.switchEnvironment(ada.login().session(), Environment.LIVE);

        assertThat(switched.environment()).isEqualTo(Environment.LIVE);
        assertThat(sessions.find(ada.login().token()))
                .hasValueSatisfying(session -> assertThat(session.environment()).isEqualTo(Environment.LIVE));

        clock.advance(Duration.ofMinutes(5));
        sessions.switchEnvironment(switched, Environment.TEST);
        clock.advance(Duration.ofMinutes(5));
        assertThat(sessions.find(ada.login().token()))
                .hasValueSatisfying(session -> assertThat(session.environment()).isEqualTo(Environment.TEST));
    }

    // ---- keys ----

    @Test
    void createKeyWhenLiveBeforeEmailVerifiedThenInvalidInputOnEnvironment() {
        Session live = sessions.switchEnvironment(unverified("grace@example.com"), Environment.LIVE);

        assertThatThrownBy(() -> keyManagement.create(live, KeyType.SECRET, Optional.empty(), IP))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.param()).isEqualTo("environment"));
        assertThat(keys.list(live.accountId())).isEmpty();
    }

    @Test
    void createKeyWhenLiveAfterEmailVerifiedThenLiveKeyThatWorksAndAudited() {
        Session live = sessions.switchEnvironment(ada.login().session(), Environment.LIVE);

        IssuedKey issued = keyManagement.create(live, KeyType.SECRET, Optional.of("Backend"), IP);

        assertThat(issued.record().environment()).isEqualTo(Environment.LIVE);
        assertThat(issued.record().name()).isEqualTo("Backend");
        assertThat(works(issued)).isTrue();
        assertThat(auditLog.list(live, 1)).containsExactly(new AuditEvent(live.accountId(), "ada@example.com",
                "key.created", Optional.of(issued.record().id()), IP, T0));
    }

    @Test
    void createKeyWhenTestBeforeEmailVerifiedThenCreated() {
        IssuedKey issued = keyManagement.create(unverified("grace@example.com"), KeyType.PUBLIC, Optional.empty(),
                IP);

        assertThat(issued.record().environment()).isEqualTo(Environment.TEST);
        assertThat(works(issued)).isTrue();
    }

    @Test
    void keysThenOnlyThoseOfTheSessionsEnvironment() {
        Session live = sessions.switchEnvironment(ada.login().session(), Environment.LIVE);
        IssuedKey liveKey = keyManagement.create(live, KeyType.SECRET, Optional.empty(), IP);

        assertThat(keyManagement.list(live)).extracting(KeyRecord::id).containsExactly(liveKey.record().id());
        assertThat(keyManagement.list(ada.login().session())).extracting(KeyRecord::id)
                .containsExactlyInAnyOrder(ada.secretKey().record().id(), ada.publicKey().record().id());
    }

    @Test
    void keyWhenOwnKeyThenFound() {
        assertThat(keyManagement.get(ada.login().session(), ada.secretKey().record().id()))
                .isEqualTo(ada.secretKey().record());
    }

    @Test
    void keyWhenAnotherAccountsKeyThenNotFound() {
        SignedUp bob = signUp("Bob", "bob@example.com");

        assertThatThrownBy(() -> keyManagement.get(ada.login().session(), bob.secretKey().record().id()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteKeyWhenAnotherAccountsKeyThenNotFoundAndTheKeyStillWorks() {
        SignedUp bob = signUp("Bob", "bob@example.com");
        String bobsKey = bob.secretKey().record().id();

        assertThatThrownBy(() -> keyManagement.delete(ada.login().session(), bobsKey, IP))
                .isInstanceOf(NotFoundException.class);

        assertThat(keyStore.findKey(bobsKey)).hasValueSatisfying(key -> assertThat(key.revokedAt()).isEmpty());
        assertThat(works(bob.secretKey())).isTrue();
        assertThat(auditLog.list(ada.login().session(), 20)).extracting(AuditEvent::action)
                .doesNotContain("key.deleted");
        assertThat(auditLog.list(bob.login().session(), 20)).extracting(AuditEvent::action)
                .doesNotContain("key.deleted");
    }

    @Test
    void deleteKeyWhenUnknownKeyThenNotFound() {
        assertThatThrownBy(() -> keyManagement.delete(ada.login().session(), "key_AAAAAAAAAAAAAAAA", IP))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteKeyThenRevokedAndAuditedOnce() {
        String keyId = ada.secretKey().record().id();
        clock.advance(Duration.ofMinutes(3));

        keyManagement.delete(ada.login().session(), keyId, "198.51.100.7");

        assertThat(works(ada.secretKey())).isFalse();
        assertThat(keyStore.findKey(keyId)).hasValueSatisfying(
                key -> assertThat(key.revokedAt()).contains(T0.plus(Duration.ofMinutes(3))));
        assertThat(auditLog.list(ada.login().session(), 1)).containsExactly(new AuditEvent(
                ada.login().session().accountId(), "ada@example.com", "key.deleted", Optional.of(keyId),
                "198.51.100.7", T0.plus(Duration.ofMinutes(3))));
    }

    @Test
    void deleteKeyWhenDeletedAlreadyThenNoSecondAuditEvent() {
        String keyId = ada.secretKey().record().id();
        keyManagement.delete(ada.login().session(), keyId, IP);
        clock.advance(Duration.ofMinutes(1));

        keyManagement.delete(ada.login().session(), keyId, IP);

        assertThat(auditLog.list(ada.login().session(), 20)).filteredOn(event -> event.action().equals("key.deleted"))
                .singleElement()
                .satisfies(event -> assertThat(event.at()).isEqualTo(T0));
        assertThat(keyStore.findKey(keyId)).hasValueSatisfying(key -> assertThat(key.revokedAt()).contains(T0));
    }

    // ---- request log ----

    @Test
    void requestsThenOnlyTheSessionsAccountAndEnvironment() {
        String accountId = ada.login().session().accountId();
        RequestLogEntry test = new RequestLogEntry(accountId, Environment.TEST, T0, ada.secretKey().record().id(),
                "GET", "/v1/balance", 200, IP, "req_1");
        RequestLogEntry live = new RequestLogEntry(accountId, Environment.LIVE, T0, "key_BBBBBBBBBBBBBBBB", "GET",
                "/v1/balance", 200, IP, "req_2");
        RequestLogEntry others = new RequestLogEntry("acct_BBBBBBBBBBBBBBBB", Environment.TEST, T0,
                "key_CCCCCCCCCCCCCCCC", "GET", "/v1/balance", 200, IP, "req_3");
        store.insertRequests(List.of(test, live, others));

        assertThat(requestHistory.list(ada.login().session(), OptionalInt.empty(), 10)).containsExactly(test);
        Session switched = sessions.switchEnvironment(ada.login().session(), Environment.LIVE);
        assertThat(requestHistory.list(switched, OptionalInt.empty(), 10)).containsExactly(live);
    }

    // ---- helpers ----

    /** {@code count} wrong passwords for {@code email}, one a minute from now on; the clock ends at the last. */
    private List<LoginResult> failEveryMinute(String email, int count) {
        List<LoginResult> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                clock.advance(Duration.ofMinutes(1));
            }
            results.add(logins.logIn(email, WRONG_PASSWORD, IP));
        }
        return results;
    }

    /** Whether the API would accept this key now. */
    private boolean works(IssuedKey issued) {
        return new KeyVerifier(keyStore, clock).verify(issued.key().reveal()) instanceof Verification.Valid;
    }

    /** Signs up and follows the mailed link, as the owner does. */
    private SignedUp signUp(String name, String email) {
        signUps.signUp(name, email, PASSWORD, IP, VERIFY_URL, LOGIN_URL);
        SignUps.Welcome welcome = signUps.complete(verificationToken(mail.sent.getLast()), IP).orElseThrow();
        return new SignedUp(welcome.login(), welcome.firstKeys().get(0), welcome.firstKeys().get(1));
    }

    /** Signs up without following the link, then logs in with the password. */
    private Session unverified(String email) {
        signUps.signUp("Grace", email, PASSWORD, IP, VERIFY_URL, LOGIN_URL);
        return ((LoggedIn) logins.logIn(email, PASSWORD, IP)).session();
    }

    private static String verificationToken(Mail sent) {
        Matcher link = Pattern.compile(Pattern.quote(VERIFY_URL) + "([0-9A-Za-z]+)").matcher(sent.text());
        assertThat(link.find()).as("a verification link in %s", sent).isTrue();
        return link.group(1);
    }

    /** Collects what would be mailed. */
    private static final class RecordingMailSender implements MailSender {
        final List<Mail> sent = new ArrayList<>();

        @Override
        public synchronized void send(Mail mail) {
            sent.add(mail);
        }
    }

    /** Cheap and transparent instead of Argon2id; counts the checks. */
    private static final class PlainHasher implements PasswordHasher {
        final AtomicInteger checks = new AtomicInteger();
        final AtomicInteger hashes = new AtomicInteger();

        @Override
        public String hash(String password) {
            hashes.incrementAndGet();
            return "plain:" + password;
        }

        @Override
        public boolean matches(String password, String hash) {
            checks.incrementAndGet();
            return hash.equals("plain:" + password);
        }
    }
}
