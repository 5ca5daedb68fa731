package dev.keygate.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.Ids;
import dev.keygate.core.Stores;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Session;
import dev.keygate.core.dashboard.AuditEvent;
import dev.keygate.core.dashboard.DashboardStore;
import dev.keygate.core.dashboard.RequestLogEntry;
import dev.keygate.keyformat.Base62;
import dev.keygate.keyformat.Environment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link DashboardStore} as its Javadoc states it, one suite for every store (the
 * shape of Bucket4j's {@code AbstractDistributedBucketTest}). A store module extends it once:
 *
 * <pre>{@code
 * class SqliteDashboardStoreTest extends DashboardStoreContract {
 *     @TempDir Path dir;
 *     @Override protected Stores newStores() { return SqliteStores.open(dir.resolve("d.db")); }
 * }
 * }</pre>
 *
 * <p>{@link #newStores()} must return empty stores; they are opened before each test and closed
 * after it. Sessions, audit events, requests and verification tokens belong to accounts inserted
 * first through the key store, and every time has millisecond precision. "Newest first" means
 * last inserted first: entries are inserted here in the order of their times, and entries at the
 * same instant come back in reverse order of insertion.
 */
public abstract class DashboardStoreContract {

    /** A round instant with milliseconds, so that a store keeping epoch millis round-trips it. */
    protected static final Instant T0 = Instant.parse("2026-02-14T08:30:00.321Z");

    private final Random random = new Random(20260214);
    private final Ids ids = new Ids(random);

    /** The stores under test; {@link #dashboard} is theirs. */
    protected Stores stores;
    protected DashboardStore dashboard;

    private String ada;
    private String bob;

    /** New, empty stores on one database. */
    protected abstract Stores newStores();

    @BeforeEach
    void openStores() {
        stores = newStores();
        dashboard = stores.dashboard();
        ada = account("ada@example.com");
        bob = account("bob@example.com");
    }

    @AfterEach
    void closeStores() {
        if (stores != null) {
            stores.close();
        }
    }

    // ---- sessions ----

    @Test
    void findSessionWhenInsertedThenEqualInEveryField() {
        Session session = session(ada, Environment.LIVE, T0, T0.plusMillis(1));

        dashboard.insertSession(session);

        assertThat(dashboard.findSession(session.idDigest())).contains(session);
    }

    @Test
    void findSessionWhenUnknownThenEmpty() {
        dashboard.insertSession(session(ada, Environment.TEST, T0, T0));

        assertThat(dashboard.findSession(digest())).isEmpty();
    }

    @Test
    void switchEnvironmentThenEnvironmentAndLastSeenPersistedAndTheRestKept() {
        Session session = session(ada, Environment.TEST, T0, T0);
        Session other = session(ada, Environment.TEST, T0, T0);
        dashboard.insertSession(session);
        dashboard.insertSession(other);
        Instant later = T0.plus(Duration.ofMinutes(7)).plusMillis(5);

        dashboard.switchEnvironment(session.idDigest(), Environment.LIVE, later);

        assertThat(dashboard.findSession(session.idDigest())).contains(new Session(session.idDigest(),
                session.accountId(), session.csrfToken(), Environment.LIVE, session.createdAt(), later));
        assertThat(dashboard.findSession(other.idDigest())).contains(other);
    }

    @Test
    void touchSessionThenLastSeenMovesAndTheSwitchStaysAsItIs() {
        Session session = session(ada, Environment.TEST, T0, T0);
        dashboard.insertSession(session);
        dashboard.switchEnvironment(session.idDigest(), Environment.LIVE, T0.plusSeconds(1));

        dashboard.touchSession(session.idDigest(), T0.plusSeconds(90));

        assertThat(dashboard.findSession(session.idDigest())).contains(new Session(session.idDigest(),
                session.accountId(), session.csrfToken(), Environment.LIVE, session.createdAt(), T0.plusSeconds(90)));
    }

    @Test
    void purgeLoginFailuresThenOnlyThoseBeforeTheCutoffGo() {
        dashboard.recordLoginFailure("a@example.com", T0);
        dashboard.recordLoginFailure("a@example.com", T0.plusSeconds(60));
        dashboard.recordLoginFailure("b@example.com", T0.plusSeconds(10));

        assertThat(dashboard.purgeLoginFailures(T0.plusSeconds(30))).isEqualTo(2);

        assertThat(dashboard.loginFailuresSince("a@example.com", T0)).containsExactly(T0.plusSeconds(60));
        assertThat(dashboard.loginFailuresSince("b@example.com", T0)).isEmpty();
    }

    @Test
    void purgeEmailVerificationsThenExpiredTokensGoAndLiveOnesStay() {
        dashboard.insertEmailVerification("expired", ada, T0.plusSeconds(10));
        dashboard.insertEmailVerification("live", ada, T0.plusSeconds(100));

        assertThat(dashboard.purgeEmailVerifications(T0.plusSeconds(10))).isEqualTo(1);

        assertThat(dashboard.verifyEmail("live", T0.plusSeconds(20))).contains(ada);
    }

    @Test
    void switchEnvironmentWhenSwitchedBackThenTestAgain() {
        Session session = session(ada, Environment.TEST, T0, T0);
        dashboard.insertSession(session);
        dashboard.switchEnvironment(session.idDigest(), Environment.LIVE, T0.plusSeconds(1));

        dashboard.switchEnvironment(session.idDigest(), Environment.TEST, T0.plusSeconds(2));

        assertThat(dashboard.findSession(session.idDigest()))
                .hasValueSatisfying(found -> assertThat(found.environment()).isEqualTo(Environment.TEST));
    }

    @Test
    void deleteSessionThenGoneAndOthersKept() {
        Session session = session(ada, Environment.TEST, T0, T0);
        Session other = session(bob, Environment.TEST, T0, T0);
        dashboard.insertSession(session);
        dashboard.insertSession(other);

        dashboard.deleteSession(session.idDigest());

        assertThat(dashboard.findSession(session.idDigest())).isEmpty();
        assertThat(dashboard.findSession(other.idDigest())).contains(other);
    }

    @Test
    void deleteOtherSessionsThenOnlyTheKeptOneOfThatAccountIsLeft() {
        Session kept = session(ada, Environment.TEST, T0, T0);
        Session second = session(ada, Environment.LIVE, T0, T0);
        Session third = session(ada, Environment.TEST, T0, T0);
        Session bobs = session(bob, Environment.TEST, T0, T0);
        for (Session session : List.of(kept, second, third, bobs)) {
            dashboard.insertSession(session);
        }

        assertThat(dashboard.deleteOtherSessions(ada, kept.idDigest())).isEqualTo(2);

        assertThat(dashboard.findSession(kept.idDigest())).contains(kept);
        assertThat(dashboard.findSession(second.idDigest())).isEmpty();
        assertThat(dashboard.findSession(third.idDigest())).isEmpty();
        assertThat(dashboard.findSession(bobs.idDigest())).contains(bobs);
    }

    @Test
    void deleteSessionWhenUnknownThenNothingChanges() {
        Session session = session(ada, Environment.TEST, T0, T0);
        dashboard.insertSession(session);

        dashboard.deleteSession(digest());

        assertThat(dashboard.findSession(session.idDigest())).contains(session);
    }

    @Test
    void purgeSessionsThenOnlyThoseLastSeenBeforeDeletedAndCounted() {
        Instant cutoff = T0.plus(Duration.ofHours(1));
        Session old = session(ada, Environment.TEST, T0, cutoff.minusMillis(1));
        Session older = session(bob, Environment.LIVE, T0, T0);
        Session atCutoff = session(ada, Environment.TEST, T0, cutoff);
        Session recent = session(bob, Environment.TEST, T0, cutoff.plusSeconds(1));
        List.of(old, older, atCutoff, recent).forEach(dashboard::insertSession);

        int purged = dashboard.purgeSessions(cutoff);

        assertThat(purged).isEqualTo(2);
        assertThat(dashboard.findSession(old.idDigest())).isEmpty();
        assertThat(dashboard.findSession(older.idDigest())).isEmpty();
        assertThat(dashboard.findSession(atCutoff.idDigest())).contains(atCutoff);
        assertThat(dashboard.findSession(recent.idDigest())).contains(recent);
    }

    @Test
    void purgeSessionsWhenTouchedSinceThenKept() {
        Session session = session(ada, Environment.TEST, T0, T0);
        dashboard.insertSession(session);
        dashboard.touchSession(session.idDigest(), T0.plus(Duration.ofHours(2)));

        int purged = dashboard.purgeSessions(T0.plus(Duration.ofHours(1)));

        assertThat(purged).isZero();
        assertThat(dashboard.findSession(session.idDigest())).isPresent();
    }

    // ---- failed logins ----

    @Test
    void loginFailuresSinceThenNewestFirst() {
        dashboard.recordLoginFailure("ada@example.com", T0);
        dashboard.recordLoginFailure("ada@example.com", T0.plusSeconds(30));
        dashboard.recordLoginFailure("ada@example.com", T0.plusSeconds(90));

        assertThat(dashboard.loginFailuresSince("ada@example.com", T0))
                .containsExactly(T0.plusSeconds(90), T0.plusSeconds(30), T0);
    }

    @Test
    void loginFailuresSinceThenOnlyFromSinceOnIncludingIt() {
        dashboard.recordLoginFailure("ada@example.com", T0.minusMillis(1));
        dashboard.recordLoginFailure("ada@example.com", T0);
        dashboard.recordLoginFailure("ada@example.com", T0.plusMillis(1));

        assertThat(dashboard.loginFailuresSince("ada@example.com", T0)).containsExactly(T0.plusMillis(1), T0);
    }

    @Test
    void loginFailuresSinceWhenSeveralAtOneInstantThenEachCounted() {
        dashboard.recordLoginFailure("ada@example.com", T0);
        dashboard.recordLoginFailure("ada@example.com", T0);
        dashboard.recordLoginFailure("ada@example.com", T0);

        assertThat(dashboard.loginFailuresSince("ada@example.com", T0)).containsExactly(T0, T0, T0);
    }

    @Test
    void loginFailuresSinceThenOnlyThoseOfThatEmail() {
        dashboard.recordLoginFailure("ada@example.com", T0);
        dashboard.recordLoginFailure("bob@example.com", T0.plusSeconds(1));
        // Emails without an account are tracked the same way, so that they cannot be told apart.
        dashboard.recordLoginFailure("nobody@example.com", T0.plusSeconds(2));

        assertThat(dashboard.loginFailuresSince("ada@example.com", T0)).containsExactly(T0);
        assertThat(dashboard.loginFailuresSince("bob@example.com", T0)).containsExactly(T0.plusSeconds(1));
        assertThat(dashboard.loginFailuresSince("nobody@example.com", T0)).containsExactly(T0.plusSeconds(2));
        assertThat(dashboard.loginFailuresSince("carol@example.com", T0)).isEmpty();
    }

    @Test
    void clearLoginFailuresThenThatEmailHasNoneAndOthersKept() {
        dashboard.recordLoginFailure("ada@example.com", T0);
        dashboard.recordLoginFailure("ada@example.com", T0.plusSeconds(1));
        dashboard.recordLoginFailure("bob@example.com", T0.plusSeconds(2));

        dashboard.clearLoginFailures("ada@example.com");

        assertThat(dashboard.loginFailuresSince("ada@example.com", T0.minus(Duration.ofDays(1)))).isEmpty();
        assertThat(dashboard.loginFailuresSince("bob@example.com", T0)).containsExactly(T0.plusSeconds(2));
    }

    @Test
    void recordLoginFailureWhenClearedBeforeThenCountsFromZero() {
        dashboard.recordLoginFailure("ada@example.com", T0);
        dashboard.clearLoginFailures("ada@example.com");

        dashboard.recordLoginFailure("ada@example.com", T0.plusSeconds(5));

        assertThat(dashboard.loginFailuresSince("ada@example.com", T0)).containsExactly(T0.plusSeconds(5));
    }

    // ---- audit log ----

    @Test
    void listAuditWhenInsertedThenEqualInEveryFieldNewestFirst() {
        AuditEvent created = new AuditEvent(ada, "ada@example.com", "key.created", Optional.of("key_AAAAAAAAAAAAAAAA"),
                "203.0.113.7", T0);
        AuditEvent login = new AuditEvent(ada, "ada@example.com", "login.succeeded", Optional.empty(), "2001:db8::1",
                T0.plusSeconds(10));
        AuditEvent cli = new AuditEvent(ada, "cli", "key.deleted", Optional.of("key_AAAAAAAAAAAAAAAA"), "-",
                T0.plusSeconds(20));

        dashboard.insertAudit(created);
        dashboard.insertAudit(login);
        dashboard.insertAudit(cli);

        assertThat(dashboard.listAudit(ada, 10)).containsExactly(cli, login, created);
    }

    @Test
    void listAuditWhenSameInstantThenLastInsertedFirst() {
        AuditEvent first = audit(ada, "account.created", T0);
        AuditEvent second = audit(ada, "key.created", T0);
        AuditEvent third = audit(ada, "email.verified", T0);

        dashboard.insertAudit(first);
        dashboard.insertAudit(second);
        dashboard.insertAudit(third);

        assertThat(dashboard.listAudit(ada, 10)).containsExactly(third, second, first);
    }

    @Test
    void listAuditThenOnlyThatAccountsEvents() {
        AuditEvent adas = audit(ada, "key.created", T0);
        AuditEvent bobs = audit(bob, "key.created", T0.plusSeconds(1));
        dashboard.insertAudit(adas);
        dashboard.insertAudit(bobs);

        assertThat(dashboard.listAudit(ada, 10)).containsExactly(adas);
        assertThat(dashboard.listAudit(bob, 10)).containsExactly(bobs);
        assertThat(dashboard.listAudit(ids.account(), 10)).isEmpty();
    }

    @Test
    void listAuditWhenMoreThanLimitThenNewestUpToLimit() {
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            AuditEvent event = audit(ada, "login.failed", T0.plusSeconds(i));
            events.add(event);
            dashboard.insertAudit(event);
        }

        assertThat(dashboard.listAudit(ada, 3)).containsExactly(events.get(6), events.get(5), events.get(4));
    }

    // ---- request log ----

    @Test
    void listRequestsWhenBatchInsertedThenEqualInEveryFieldNewestFirst() {
        RequestLogEntry first = request(ada, Environment.TEST, T0, 200);
        RequestLogEntry second = new RequestLogEntry(ada, Environment.TEST, T0.plusMillis(250), "key_BBBBBBBBBBBBBBBB",
                "POST", "/v1/payments/pay_123/refunds", 402, "2001:db8::42", "req_0123456789abcdef");
        RequestLogEntry third = request(ada, Environment.TEST, T0.plusSeconds(1), 429);

        dashboard.insertRequests(List.of(first, second, third));

        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.empty(), 10))
                .containsExactly(third, second, first);
    }

    @Test
    void insertRequestsWhenEmptyBatchThenNothingStored() {
        dashboard.insertRequests(List.of());

        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.empty(), 10)).isEmpty();
    }

    @Test
    void listRequestsWhenSeveralBatchesThenNewestFirstAcrossThem() {
        RequestLogEntry first = request(ada, Environment.TEST, T0, 200);
        RequestLogEntry second = request(ada, Environment.TEST, T0.plusSeconds(1), 201);
        RequestLogEntry third = request(ada, Environment.TEST, T0.plusSeconds(2), 204);

        dashboard.insertRequests(List.of(first));
        dashboard.insertRequests(List.of(second, third));

        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.empty(), 10))
                .containsExactly(third, second, first);
    }

    @Test
    void listRequestsThenOnlyThatAccountAndEnvironment() {
        RequestLogEntry adaTest = request(ada, Environment.TEST, T0, 200);
        RequestLogEntry adaLive = request(ada, Environment.LIVE, T0.plusSeconds(1), 200);
        RequestLogEntry bobTest = request(bob, Environment.TEST, T0.plusSeconds(2), 200);
        dashboard.insertRequests(List.of(adaTest, adaLive, bobTest));

        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.empty(), 10)).containsExactly(adaTest);
        assertThat(dashboard.listRequests(ada, Environment.LIVE, OptionalInt.empty(), 10)).containsExactly(adaLive);
        assertThat(dashboard.listRequests(bob, Environment.TEST, OptionalInt.empty(), 10)).containsExactly(bobTest);
        assertThat(dashboard.listRequests(bob, Environment.LIVE, OptionalInt.empty(), 10)).isEmpty();
    }

    @Test
    void listRequestsWhenStatusClassGivenThenOnlyThatHundred() {
        RequestLogEntry ok = request(ada, Environment.TEST, T0, 200);
        RequestLogEntry noContent = request(ada, Environment.TEST, T0.plusSeconds(1), 299);
        RequestLogEntry redirect = request(ada, Environment.TEST, T0.plusSeconds(2), 302);
        RequestLogEntry badRequest = request(ada, Environment.TEST, T0.plusSeconds(3), 400);
        RequestLogEntry tooMany = request(ada, Environment.TEST, T0.plusSeconds(4), 429);
        RequestLogEntry unavailable = request(ada, Environment.TEST, T0.plusSeconds(5), 503);
        dashboard.insertRequests(List.of(ok, noContent, redirect, badRequest, tooMany, unavailable));

        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.of(2), 10)).containsExactly(noContent, ok);
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.of(3), 10)).containsExactly(redirect);
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.of(4), 10))
                .containsExactly(tooMany, badRequest);
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.of(5), 10)).containsExactly(unavailable);
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.of(1), 10)).isEmpty();
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.empty(), 10)).hasSize(6);
    }

    @Test
    void listRequestsWhenMoreThanLimitThenNewestUpToLimit() {
        List<RequestLogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            entries.add(request(ada, Environment.TEST, T0.plusSeconds(i), i % 2 == 0 ? 200 : 404));
        }
        dashboard.insertRequests(entries);

        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.empty(), 3))
                .containsExactly(entries.get(7), entries.get(6), entries.get(5));
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.of(4), 2))
                .containsExactly(entries.get(7), entries.get(5));
    }

    @Test
    void listRequestsWhenStatusClassGivenThenNewestMatchesAcrossWrites() {
        RequestLogEntry ok = request(ada, Environment.TEST, T0, 200);
        RequestLogEntry failed = request(ada, Environment.TEST, T0.plusSeconds(1), 500);
        RequestLogEntry created = request(ada, Environment.TEST, T0.plusSeconds(2), 201);
        RequestLogEntry accepted = request(ada, Environment.TEST, T0.plusSeconds(3), 202);
        RequestLogEntry missing = request(ada, Environment.TEST, T0.plusSeconds(4), 404);
        RequestLogEntry bobsError = request(bob, Environment.TEST, T0.plusSeconds(5), 503);
        dashboard.insertRequests(List.of(ok, failed));
        dashboard.insertRequests(List.of(created, bobsError, accepted));
        dashboard.insertRequests(List.of(missing));

        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.of(2), 3))
                .containsExactly(accepted, created, ok);
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.of(5), 10)).containsExactly(failed);
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.of(4), 10)).containsExactly(missing);
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.empty(), 4))
                .containsExactly(missing, accepted, created, failed);
    }

    @Test
    void listRequestsWhenHundredsInOneWriteThenNewestFirstUpToLimit() {
        List<RequestLogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            entries.add(request(i % 3 == 0 ? bob : ada, Environment.TEST, T0.plusMillis(i), i % 50 == 7 ? 500 : 200));
        }
        dashboard.insertRequests(entries);
        List<RequestLogEntry> adas = entries.stream().filter(entry -> entry.accountId().equals(ada)).toList().reversed();

        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.empty(), 250))
                .containsExactlyElementsOf(adas.subList(0, 250));
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.of(5), 250))
                .containsExactlyElementsOf(adas.stream().filter(entry -> entry.status() == 500).toList());
        assertThat(dashboard.purgeRequests(T0.plusMillis(400))).isEqualTo(400);
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.empty(), 250))
                .containsExactlyElementsOf(adas.subList(0, 34));
    }

    @Test
    void purgeRequestsWhenOneWriteStraddlesTheCutoffThenItsNewerEntriesStay() {
        Instant cutoff = T0.plus(Duration.ofDays(7));
        RequestLogEntry oldError = request(ada, Environment.TEST, cutoff.minusMillis(400), 500);
        RequestLogEntry oldOk = request(ada, Environment.TEST, cutoff.minusMillis(1), 200);
        RequestLogEntry newMissing = request(ada, Environment.TEST, cutoff.plusMillis(300), 404);
        dashboard.insertRequests(List.of(oldError, oldOk, newMissing));

        assertThat(dashboard.purgeRequests(cutoff)).isEqualTo(2);
        assertThat(dashboard.purgeRequests(cutoff)).isZero();

        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.empty(), 10)).containsExactly(newMissing);
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.of(5), 10)).isEmpty();
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.of(2), 10)).isEmpty();
        assertThat(dashboard.purgeRequests(cutoff.plusSeconds(1))).isEqualTo(1);
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.empty(), 10)).isEmpty();
    }

    @Test
    void purgeRequestRowsWhenManyWritesThenDeletedInBatchesUntilOnlyNewerEntriesStay() {
        Instant cutoff = T0.plus(Duration.ofDays(30));
        for (int i = 0; i < 5; i++) {
            dashboard.insertRequests(List.of(request(i % 2 == 0 ? ada : bob, Environment.TEST, T0.plusSeconds(i), 200)));
        }
        RequestLogEntry straddlingOld = request(ada, Environment.TEST, cutoff.minusMillis(1), 500);
        RequestLogEntry straddlingNew = request(ada, Environment.TEST, cutoff.plusMillis(1), 200);
        dashboard.insertRequests(List.of(straddlingOld, straddlingNew));
        RequestLogEntry newer = request(ada, Environment.TEST, cutoff.plusSeconds(5), 404);
        dashboard.insertRequests(List.of(newer));

        assertThat(dashboard.purgeRequestRows(cutoff, 2)).isEqualTo(2);
        int batches = 1;
        while (dashboard.purgeRequestRows(cutoff, 2) == 2) {
            batches++;
        }

        assertThat(batches).isBetween(2, 3);
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.empty(), 10))
                .containsExactly(newer, straddlingNew);
        assertThat(dashboard.listRequests(bob, Environment.TEST, OptionalInt.empty(), 10)).isEmpty();
        assertThat(dashboard.purgeRequestRows(cutoff, 2)).isZero();
    }

    @Test
    void purgeRequestsThenOnlyThoseBeforeDeletedAndCounted() {
        Instant cutoff = T0.plus(Duration.ofDays(30));
        RequestLogEntry old = request(ada, Environment.TEST, T0, 200);
        RequestLogEntry justBefore = request(bob, Environment.LIVE, cutoff.minusMillis(1), 500);
        RequestLogEntry atCutoff = request(ada, Environment.TEST, cutoff, 201);
        RequestLogEntry recent = request(ada, Environment.TEST, cutoff.plusSeconds(1), 404);
        dashboard.insertRequests(List.of(old, justBefore, atCutoff, recent));

        int purged = dashboard.purgeRequests(cutoff);

        assertThat(purged).isEqualTo(2);
        assertThat(dashboard.listRequests(ada, Environment.TEST, OptionalInt.empty(), 10))
                .containsExactly(recent, atCutoff);
        assertThat(dashboard.listRequests(bob, Environment.LIVE, OptionalInt.empty(), 10)).isEmpty();
    }

    // ---- email verification ----

    @Test
    void emailVerifiedAtWhenNeverVerifiedThenEmpty() {
        dashboard.insertEmailVerification(digest(), ada, T0.plus(Duration.ofHours(24)));

        assertThat(dashboard.emailVerifiedAt(ada)).isEmpty();
    }

    @Test
    void verifyEmailWhenTokenValidThenAccountAndVerifiedAtNow() {
        String token = digest();
        dashboard.insertEmailVerification(token, ada, T0.plus(Duration.ofHours(24)));
        Instant now = T0.plus(Duration.ofHours(3)).plusMillis(7);

        assertThat(dashboard.verifyEmail(token, now)).contains(ada);

        assertThat(dashboard.emailVerifiedAt(ada)).contains(now);
        assertThat(dashboard.emailVerifiedAt(bob)).isEmpty();
    }

    @Test
    void verifyEmailWhenTokenUsedAlreadyThenEmpty() {
        String token = digest();
        dashboard.insertEmailVerification(token, ada, T0.plus(Duration.ofHours(24)));
        dashboard.verifyEmail(token, T0.plusSeconds(1));

        assertThat(dashboard.verifyEmail(token, T0.plusSeconds(2))).isEmpty();
        assertThat(dashboard.emailVerifiedAt(ada)).contains(T0.plusSeconds(1));
    }

    @Test
    void verifyEmailWhenTokenExpiredThenEmptyAndNotVerified() {
        String token = digest();
        Instant expiresAt = T0.plus(Duration.ofHours(24));
        dashboard.insertEmailVerification(token, ada, expiresAt);

        assertThat(dashboard.verifyEmail(token, expiresAt)).isEmpty();
        assertThat(dashboard.verifyEmail(token, expiresAt.plusSeconds(1))).isEmpty();

        assertThat(dashboard.emailVerifiedAt(ada)).isEmpty();
    }

    @Test
    void verifyEmailWhenOneMillisecondBeforeExpiryThenVerified() {
        String token = digest();
        Instant expiresAt = T0.plus(Duration.ofHours(24));
        dashboard.insertEmailVerification(token, ada, expiresAt);

        assertThat(dashboard.verifyEmail(token, expiresAt.minusMillis(1))).contains(ada);
        assertThat(dashboard.emailVerifiedAt(ada)).contains(expiresAt.minusMillis(1));
    }

    @Test
    void verifyEmailWhenVerifiedAlreadyThenVerifiedAtNotMoved() {
        String first = digest();
        String second = digest();
        dashboard.insertEmailVerification(first, ada, T0.plus(Duration.ofHours(24)));
        dashboard.insertEmailVerification(second, ada, T0.plus(Duration.ofHours(25)));
        dashboard.verifyEmail(first, T0.plusSeconds(10));

        dashboard.verifyEmail(second, T0.plus(Duration.ofHours(2)));

        assertThat(dashboard.emailVerifiedAt(ada)).contains(T0.plusSeconds(10));
    }

    @Test
    void verifyEmailWhenUnknownTokenThenEmpty() {
        dashboard.insertEmailVerification(digest(), ada, T0.plus(Duration.ofHours(24)));

        assertThat(dashboard.verifyEmail(digest(), T0.plusSeconds(1))).isEmpty();
        assertThat(dashboard.emailVerifiedAt(ada)).isEmpty();
    }

    @Test
    void verifyEmailThenOnlyTheTokensAccountVerified() {
        String adas = digest();
        String bobs = digest();
        dashboard.insertEmailVerification(adas, ada, T0.plus(Duration.ofHours(24)));
        dashboard.insertEmailVerification(bobs, bob, T0.plus(Duration.ofHours(24)));

        assertThat(dashboard.verifyEmail(bobs, T0.plusSeconds(1))).contains(bob);

        assertThat(dashboard.emailVerifiedAt(bob)).contains(T0.plusSeconds(1));
        assertThat(dashboard.emailVerifiedAt(ada)).isEmpty();
        assertThat(dashboard.verifyEmail(adas, T0.plusSeconds(2))).contains(ada);
    }

    // ---- helpers ----

    private String account(String email) {
        Account account = new Account(ids.account(), email.substring(0, email.indexOf('@')), email,
                OptionalInt.empty(), T0);
        stores.keys().insertAccount(account, Optional.empty());
        return account.id();
    }

    /** A random 64-hex-digit digest, the shape of the session and verification token digests. */
    private String digest() {
        StringBuilder hex = new StringBuilder(64);
        for (int i = 0; i < 64; i++) {
            hex.append(Character.forDigit(random.nextInt(16), 16));
        }
        return hex.toString();
    }

    private Session session(String accountId, Environment environment, Instant createdAt, Instant lastSeenAt) {
        return new Session(digest(), accountId, Base62.random(random, 32), environment, createdAt, lastSeenAt);
    }

    private static AuditEvent audit(String accountId, String action, Instant at) {
        return new AuditEvent(accountId, "someone@example.com", action, Optional.empty(), "198.51.100.1", at);
    }

    private RequestLogEntry request(String accountId, Environment environment, Instant at, int status) {
        return new RequestLogEntry(accountId, environment, at, ids.key(), "GET", "/v1/balance", status,
                "198.51.100.1", "req_" + Base62.random(random, 16));
    }
}
