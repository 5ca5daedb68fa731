package dev.keygate.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.core.Ids;
import dev.keygate.core.Stores;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.dashboard.AuditEvent;
import dev.keygate.core.feed.Change;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.mail.Mail;
import dev.keygate.core.rotation.GracePeriod;
import dev.keygate.core.rotation.OutboxMail;
import dev.keygate.core.rotation.RotationRequest;
import dev.keygate.core.rotation.RotationStore;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Base62;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link RotationStore} as its Javadoc states it (SPEC section 6), one suite for
 * every store, extended once per store module:
 *
 * <pre>{@code
 * class SqliteRotationStoreTest extends RotationStoreContract {
 *     @TempDir Path dir;
 *     @Override protected Stores newStores() { return SqliteStores.open(dir.resolve("r.db")); }
 *     @Override protected Optional<String> storedMailBody(long mailId) { ... plain SQL ... }
 * }
 * }</pre>
 *
 * <p>{@link #newStores()} must return empty stores; they are opened before each test and closed
 * after it. Requests belong to accounts and keys inserted first through the key store; every time
 * has millisecond precision.
 */
public abstract class RotationStoreContract {

    /** A round instant with milliseconds, so that a store keeping epoch millis round-trips it. */
    protected static final Instant T0 = Instant.parse("2026-11-23T09:15:00.123Z");
    private static final Duration CODE_TTL = Duration.ofMinutes(10);

    private final Random random = new Random(20261123);
    private final Ids ids = new Ids(random);
    private final Map<String, KeyDigest> digests = new HashMap<>();

    /** The stores under test; {@link #rotations} is theirs. */
    protected Stores stores;
    protected RotationStore rotations;

    private String ada;
    private String bob;

    /** New, empty stores on one database. */
    protected abstract Stores newStores();

    /**
     * The body the outbox table holds for {@code mailId}, read past the store's interface (which
     * never returns a sent mail): empty if there is no such row.
     */
    protected abstract Optional<String> storedMailBody(long mailId);

    @BeforeEach
    void openStores() {
        stores = newStores();
        rotations = stores.rotations();
        ada = account("ada@example.com");
        bob = account("bob@example.com");
    }

    @AfterEach
    void closeStores() {
        if (stores != null) {
            stores.close();
        }
    }

    // ---- requests ----

    @Test
    void insertRequestThenFoundEqualInEveryField() {
        KeyRecord key = key(ada, Optional.empty());
        for (GracePeriod grace : GracePeriod.values()) {
            RotationRequest request = new RotationRequest(requestId(), ada, key.id(), grace, codeDigest(),
                    T0.plusMillis(grace.ordinal()), T0.plus(CODE_TTL).plusMillis(7), 0,
                    RotationRequest.State.PENDING);

            insert(request, mail("ada@example.com"));

            assertThat(rotations.findRequest(request.id())).contains(request);
        }
    }

    @Test
    void insertRequestThenItsMailWaitsInTheOutboxUnsent() {
        RotationRequest request = request(ada, key(ada, Optional.empty()), T0);
        Mail mail = new Mail("ada@example.com", "Your Keygate code: rotate Backend", "Your code:\n\n    042137\n");

        insert(request, mail);

        List<OutboxMail> pending = rotations.pendingMails(10, Integer.MAX_VALUE);
        assertThat(pending).singleElement().satisfies(waiting -> {
            assertThat(waiting.mail()).isEqualTo(mail);
            assertThat(waiting.attempts()).isZero();
        });
        assertThat(rotations.mailSent(request.id())).contains(false);
    }

    @Test
    void insertRequestWhenIdTakenThenRefusedAndNeitherRequestNorMailReplaced() {
        KeyRecord key = key(ada, Optional.empty());
        RotationRequest first = request(ada, key, T0);
        insert(first, mail("ada@example.com"));
        RotationRequest clash = new RotationRequest(first.id(), ada, key.id(), GracePeriod.NOW, codeDigest(),
                T0.plusSeconds(1), T0.plusSeconds(1).plus(CODE_TTL), 0, RotationRequest.State.PENDING);

        assertThatThrownBy(() -> insert(clash, new Mail("mallory@example.com", "Code", "999999")))
                .isInstanceOf(RuntimeException.class);

        assertThat(rotations.findRequest(first.id())).contains(first);
        assertThat(rotations.pendingMails(10, Integer.MAX_VALUE)).extracting(waiting -> waiting.mail().to())
                .containsExactly("ada@example.com");
    }

    @Test
    void findRequestWhenUnknownThenEmpty() {
        insert(request(ada, key(ada, Optional.empty()), T0), mail("ada@example.com"));

        assertThat(rotations.findRequest("rot_0000000000000000")).isEmpty();
    }

    @Test
    void countRequestsSinceThenOnlyTheAccountsFromSinceOnInclusive() {
        KeyRecord adasKey = key(ada, Optional.empty());
        for (int i = 0; i < 3; i++) {
            insert(request(ada, adasKey, T0.plusSeconds(i)), mail("ada@example.com"));
        }
        insert(request(bob, key(bob, Optional.empty()), T0.plusSeconds(1)), mail("bob@example.com"));

        assertThat(rotations.countRequestsSince(ada, T0.minusSeconds(1))).isEqualTo(3);
        assertThat(rotations.countRequestsSince(ada, T0.plusSeconds(1))).isEqualTo(2);
        assertThat(rotations.countRequestsSince(ada, T0.plusSeconds(2).plusMillis(1))).isZero();
        assertThat(rotations.countRequestsSince(bob, T0)).isEqualTo(1);
        assertThat(rotations.countRequestsSince(account("carol@example.com"), T0)).isZero();
    }

    // ---- wrong codes ----

    @Test
    void recordWrongCodeThenCountedAndVoidAtTheMaximumAndNotCountedAfter() {
        RotationRequest request = request(ada, key(ada, Optional.empty()), T0);
        insert(request, mail("ada@example.com"));

        for (int attempt = 1; attempt < 5; attempt++) {
            assertThat(rotations.recordWrongCode(request.id(), 5)).hasValueSatisfying(after -> {
                assertThat(after.state()).isEqualTo(RotationRequest.State.PENDING);
            });
            assertThat(rotations.findRequest(request.id()).orElseThrow().attempts()).isEqualTo(attempt);
        }
        RotationRequest fifth = rotations.recordWrongCode(request.id(), 5).orElseThrow();
        RotationRequest sixth = rotations.recordWrongCode(request.id(), 5).orElseThrow();

        assertThat(fifth.attempts()).isEqualTo(5);
        assertThat(fifth.state()).isEqualTo(RotationRequest.State.VOID);
        assertThat(sixth).isEqualTo(fifth);
        assertThat(rotations.findRequest(request.id())).contains(fifth);
    }

    @Test
    void recordWrongCodeWhenUnknownThenEmpty() {
        assertThat(rotations.recordWrongCode("rot_0000000000000000", 5)).isEmpty();
    }

    @Test
    void recordWrongCodeWhenUsedThenNeitherCountedNorVoid() {
        KeyRecord old = key(ada, Optional.empty());
        RotationRequest request = request(ada, old, T0);
        insert(request, mail("ada@example.com"));
        assertThat(confirm(request, old, T0.plusSeconds(1).plus(Duration.ofHours(1)), T0.plusSeconds(1))).isTrue();

        RotationRequest after = rotations.recordWrongCode(request.id(), 1).orElseThrow();

        assertThat(after.state()).isEqualTo(RotationRequest.State.USED);
        assertThat(after.attempts()).isZero();
    }

    // ---- confirming ----

    @Test
    void confirmThenNewKeyStoredOldKeyExpiresChangeAppendedAuditWrittenRequestUsed() {
        KeyRecord old = key(ada, Optional.empty());
        RotationRequest request = request(ada, old, T0);
        insert(request, mail("ada@example.com"));
        long feed = stores.keys().latestChange();
        Instant now = T0.plus(Duration.ofMinutes(3)).plusMillis(9);
        Instant graceEnd = now.plus(Duration.ofHours(24));
        ApiKey fresh = ApiKey.generate(old.type(), old.environment(), random);
        KeyRecord newKey = newRecord(old, fresh, now);
        AuditEvent audit = audit(old, now);

        boolean confirmed = rotations.confirm(request.id(), newKey, KeyDigest.of(fresh), old.id(), graceEnd, audit, now);

        assertThat(confirmed).isTrue();
        assertThat(stores.keys().findKey(newKey.id())).contains(newKey);
        assertThat(stores.keys().findCredential(KeyDigest.of(fresh))).hasValueSatisfying(credential ->
                assertThat(credential.key()).isEqualTo(newKey));
        assertThat(stores.keys().findKey(old.id())).hasValueSatisfying(after -> {
            assertThat(after.expiresAt()).contains(graceEnd);
            assertThat(after.revokedAt()).isEmpty();
            assertThat(after).isEqualTo(withExpiry(old, graceEnd));
        });
        List<Change> changes = stores.keys().changesSince(feed, 100);
        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.accountId()).isEqualTo(ada);
            assertThat(change.digest()).contains(digests.get(old.id()));
        });
        assertThat(stores.dashboard().listAudit(ada, 10)).containsExactly(audit);
        assertThat(rotations.findRequest(request.id())).hasValueSatisfying(after -> {
            assertThat(after.state()).isEqualTo(RotationRequest.State.USED);
            assertThat(after.attempts()).isZero();
        });
    }

    @Test
    void confirmWhenOldKeyExpiresSoonerThenItsExpiryIsKept() {
        Instant earlier = T0.plus(Duration.ofMinutes(30));
        KeyRecord old = key(ada, Optional.of(earlier));
        RotationRequest request = request(ada, old, T0);
        insert(request, mail("ada@example.com"));

        assertThat(confirm(request, old, T0.plus(Duration.ofHours(24)), T0.plusSeconds(5))).isTrue();

        assertThat(stores.keys().findKey(old.id()).orElseThrow().expiresAt()).contains(earlier);
    }

    @Test
    void confirmWhenOldKeyExpiresLaterThenItsExpiryMovesToTheGraceEnd() {
        KeyRecord old = key(ada, Optional.of(T0.plus(Duration.ofDays(3))));
        RotationRequest request = request(ada, old, T0);
        insert(request, mail("ada@example.com"));
        Instant graceEnd = T0.plus(Duration.ofHours(1)).plusMillis(1);

        assertThat(confirm(request, old, graceEnd, T0.plusMillis(1))).isTrue();

        assertThat(stores.keys().findKey(old.id()).orElseThrow().expiresAt()).contains(graceEnd);
    }

    @Test
    void confirmWhenGraceIsNowThenOldKeyExpiresAtNow() {
        KeyRecord old = key(ada, Optional.empty());
        RotationRequest request = request(ada, old, T0);
        insert(request, mail("ada@example.com"));
        Instant now = T0.plusSeconds(42);

        assertThat(confirm(request, old, now, now)).isTrue();

        assertThat(stores.keys().findKey(old.id()).orElseThrow().expiresAt()).contains(now);
    }

    @Test
    void confirmTwiceThenSecondFalseAndNothingMoreWritten() {
        KeyRecord old = key(ada, Optional.empty());
        RotationRequest request = request(ada, old, T0);
        insert(request, mail("ada@example.com"));
        Instant graceEnd = T0.plus(Duration.ofDays(7));
        assertThat(confirm(request, old, graceEnd, T0.plusSeconds(1))).isTrue();
        Snapshot before = snapshot(ada, old);

        ApiKey second = ApiKey.generate(old.type(), old.environment(), random);
        KeyRecord secondRecord = newRecord(old, second, T0.plusSeconds(2));
        boolean again = rotations.confirm(request.id(), secondRecord, KeyDigest.of(second), old.id(),
                T0.plusSeconds(2), audit(old, T0.plusSeconds(2)), T0.plusSeconds(2));

        assertThat(again).isFalse();
        assertThat(snapshot(ada, old)).isEqualTo(before);
        assertThat(stores.keys().findKey(secondRecord.id())).isEmpty();
        assertThat(stores.keys().findCredential(KeyDigest.of(second))).isEmpty();
        assertThat(stores.keys().findKey(old.id()).orElseThrow().expiresAt()).contains(graceEnd);
    }

    @Test
    void confirmWhenRequestExpiredThenFalseAndNothingWritten() {
        KeyRecord old = key(ada, Optional.empty());
        RotationRequest request = request(ada, old, T0);
        insert(request, mail("ada@example.com"));
        Snapshot before = snapshot(ada, old);

        boolean confirmed = confirm(request, old, request.expiresAt().plus(Duration.ofHours(1)), request.expiresAt());

        assertThat(confirmed).isFalse();
        assertThat(snapshot(ada, old)).isEqualTo(before);
        assertThat(rotations.findRequest(request.id()).orElseThrow().state()).isEqualTo(RotationRequest.State.PENDING);
        assertThat(stores.keys().findKey(old.id()).orElseThrow().expiresAt()).isEmpty();
    }

    @Test
    void confirmOneMillisecondBeforeTheRequestExpiresThenTrue() {
        KeyRecord old = key(ada, Optional.empty());
        RotationRequest request = request(ada, old, T0);
        insert(request, mail("ada@example.com"));
        Instant now = request.expiresAt().minusMillis(1);

        assertThat(confirm(request, old, now.plus(Duration.ofHours(1)), now)).isTrue();
    }

    @Test
    void confirmWhenVoidThenFalseAndNothingWritten() {
        KeyRecord old = key(ada, Optional.empty());
        RotationRequest request = request(ada, old, T0);
        insert(request, mail("ada@example.com"));
        rotations.recordWrongCode(request.id(), 1);
        Snapshot before = snapshot(ada, old);

        assertThat(confirm(request, old, T0.plus(Duration.ofHours(1)), T0.plusSeconds(1))).isFalse();

        assertThat(snapshot(ada, old)).isEqualTo(before);
        assertThat(rotations.findRequest(request.id()).orElseThrow().state()).isEqualTo(RotationRequest.State.VOID);
    }

    @Test
    void confirmWhenUnknownRequestThenFalseAndNothingWritten() {
        KeyRecord old = key(ada, Optional.empty());
        Snapshot before = snapshot(ada, old);
        ApiKey fresh = ApiKey.generate(old.type(), old.environment(), random);

        boolean confirmed = rotations.confirm("rot_0000000000000000", newRecord(old, fresh, T0), KeyDigest.of(fresh),
                old.id(), T0, audit(old, T0), T0);

        assertThat(confirmed).isFalse();
        assertThat(snapshot(ada, old)).isEqualTo(before);
    }

    @Test
    void confirmWhenNewKeyCannotBeStoredThenRolledBackAndRequestStillPending() {
        KeyRecord old = key(ada, Optional.empty());
        KeyRecord other = key(ada, Optional.empty());
        RotationRequest request = request(ada, old, T0);
        insert(request, mail("ada@example.com"));
        Snapshot before = snapshot(ada, old);
        ApiKey fresh = ApiKey.generate(old.type(), old.environment(), random);
        KeyRecord newKey = newRecord(old, fresh, T0.plusSeconds(1));

        // The new key's digest is another key's: its insert fails after the request was claimed.
        assertThatThrownBy(() -> rotations.confirm(request.id(), newKey, digests.get(other.id()), old.id(),
                T0.plus(Duration.ofHours(1)), audit(old, T0.plusSeconds(1)), T0.plusSeconds(1)))
                .isInstanceOf(RuntimeException.class);

        assertThat(snapshot(ada, old)).isEqualTo(before);
        assertThat(stores.keys().findKey(newKey.id())).isEmpty();
        assertThat(rotations.findRequest(request.id())).contains(request);
        // Still pending, so the owner can try again and it works.
        assertThat(confirm(request, old, T0.plus(Duration.ofHours(1)), T0.plusSeconds(2))).isTrue();
    }

    // ---- the outbox ----

    @Test
    void pendingMailsThenOldestFirstUpToTheLimit() {
        KeyRecord key = key(ada, Optional.empty());
        for (String to : List.of("first@example.com", "second@example.com", "third@example.com")) {
            insert(request(ada, key, T0), mail(to));
        }

        List<OutboxMail> two = rotations.pendingMails(2, Integer.MAX_VALUE);
        List<OutboxMail> all = rotations.pendingMails(10, Integer.MAX_VALUE);

        assertThat(two).extracting(waiting -> waiting.mail().to()).containsExactly("first@example.com",
                "second@example.com");
        assertThat(all).extracting(waiting -> waiting.mail().to()).containsExactly("first@example.com",
                "second@example.com", "third@example.com");
        assertThat(all).extracting(OutboxMail::id).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void markMailSentThenNoLongerPendingAndItsBodyForgotten() {
        KeyRecord key = key(ada, Optional.empty());
        RotationRequest sent = request(ada, key, T0);
        RotationRequest waiting = request(ada, key, T0);
        insert(sent, new Mail("ada@example.com", "Your code", "Your code: 314159"));
        insert(waiting, new Mail("ada@example.com", "Your code", "Your code: 271828"));
        long mailId = rotations.pendingMails(1, Integer.MAX_VALUE).get(0).id();

        rotations.markMailSent(mailId, T0.plusSeconds(1));

        assertThat(rotations.pendingMails(10, Integer.MAX_VALUE)).singleElement().satisfies(left ->
                assertThat(left.mail().text()).contains("271828"));
        assertThat(storedMailBody(mailId)).hasValueSatisfying(body -> assertThat(body).doesNotContain("314159"));
        assertThat(rotations.mailSent(sent.id())).contains(true);
        assertThat(rotations.mailSent(waiting.id())).contains(false);
    }

    @Test
    void markMailFailedThenAttemptsCountedAndTheMailStaysPending() {
        RotationRequest request = request(ada, key(ada, Optional.empty()), T0);
        Mail mail = mail("ada@example.com");
        insert(request, mail);
        long mailId = rotations.pendingMails(1, Integer.MAX_VALUE).get(0).id();

        rotations.markMailFailed(mailId, "MailConnectException: 127.0.0.1:2525");
        rotations.markMailFailed(mailId, "x".repeat(5_000));

        assertThat(rotations.pendingMails(10, Integer.MAX_VALUE)).containsExactly(new OutboxMail(mailId, mail, 2));
        assertThat(rotations.mailSent(request.id())).contains(false);
    }

    @Test
    void mailSentWhenUnknownRequestThenEmpty() {
        insert(request(ada, key(ada, Optional.empty()), T0), mail("ada@example.com"));

        assertThat(rotations.mailSent("rot_0000000000000000")).isEmpty();
    }

    // ---- the server secret ----

    @Test
    void recordSecretFingerprintThenTheFirstIsKeptAndAnsweredToEveryLaterOne() {
        assertThat(rotations.recordSecretFingerprint("first")).isEqualTo("first");

        assertThat(rotations.recordSecretFingerprint("first")).isEqualTo("first");
        assertThat(rotations.recordSecretFingerprint("second")).isEqualTo("first");
    }

    // ---- helpers ----

    /** What a confirmation may write: keys, the change feed, the audit log. */
    private record Snapshot(List<KeyRecord> keys, long latestChange, List<AuditEvent> audit) {}

    private Snapshot snapshot(String accountId, KeyRecord old) {
        return new Snapshot(stores.keys().listKeys(accountId), stores.keys().latestChange(),
                stores.dashboard().listAudit(accountId, 100));
    }

    private boolean confirm(RotationRequest request, KeyRecord old, Instant oldKeyExpiresAt, Instant now) {
        ApiKey fresh = ApiKey.generate(old.type(), old.environment(), random);
        return rotations.confirm(request.id(), newRecord(old, fresh, now), KeyDigest.of(fresh), old.id(),
                oldKeyExpiresAt, audit(old, now), now);
    }

    private String account(String email) {
        Account account = new Account(ids.account(), email.substring(0, email.indexOf('@')), email,
                OptionalInt.empty(), T0);
        stores.keys().insertAccount(account, Optional.empty());
        return account.id();
    }

    private KeyRecord key(String accountId, Optional<Instant> expiresAt) {
        ApiKey value = ApiKey.generate(KeyType.SECRET, Environment.TEST, random);
        KeyRecord record = new KeyRecord(ids.key(), accountId, KeyType.SECRET, Environment.TEST, "Backend",
                value.last4(), Optional.empty(), T0.minus(Duration.ofDays(30)), expiresAt, Optional.empty(),
                Optional.empty(), Optional.empty());
        stores.keys().insertKey(record, KeyDigest.of(value));
        digests.put(record.id(), KeyDigest.of(value));
        return record;
    }

    private KeyRecord newRecord(KeyRecord old, ApiKey fresh, Instant now) {
        return new KeyRecord(ids.key(), old.accountId(), old.type(), old.environment(), old.name(), fresh.last4(),
                Optional.empty(), now, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static KeyRecord withExpiry(KeyRecord key, Instant expiresAt) {
        return new KeyRecord(key.id(), key.accountId(), key.type(), key.environment(), key.name(), key.last4(),
                key.publicValue(), key.createdAt(), Optional.of(expiresAt), key.lastUsedAt(), key.revokedAt(),
                key.exposedAt());
    }

    private RotationRequest request(String accountId, KeyRecord key, Instant createdAt) {
        return new RotationRequest(requestId(), accountId, key.id(), GracePeriod.ONE_DAY, codeDigest(), createdAt,
                createdAt.plus(CODE_TTL), 0, RotationRequest.State.PENDING);
    }

    private String requestId() {
        return "rot_" + Base62.random(random, 16);
    }

    /** A random 64-hex-digit digest, the shape of a code's digest. */
    private String codeDigest() {
        StringBuilder hex = new StringBuilder(64);
        for (int i = 0; i < 64; i++) {
            hex.append(Character.forDigit(random.nextInt(16), 16));
        }
        return hex.toString();
    }

    private static Mail mail(String to) {
        return new Mail(to, "Your Keygate code: rotate Backend", "Enter this code in the dashboard:\n\n    123456\n");
    }

    private static AuditEvent audit(KeyRecord old, Instant at) {
        return new AuditEvent(old.accountId(), "ada@example.com", "key.rotated", Optional.of(old.id()),
                "198.51.100.7", at);
    }

    /** Inserts without the hourly cap in the way. */
    private void insert(RotationRequest request, Mail mail) {
        assertThat(rotations.insertRequest(request, mail, Integer.MAX_VALUE, Instant.EPOCH)).isTrue();
    }

    @Test
    void insertRequestWhenCapReachedThenNothingStored() {
        KeyRecord key = key(ada, Optional.empty());
        for (int i = 0; i < 5; i++) {
            assertThat(rotations.insertRequest(request(ada, key, T0.plusSeconds(i)), mail("ada@example.com"), 5,
                    T0.minusSeconds(3600))).isTrue();
        }
        RotationRequest sixth = request(ada, key, T0.plusSeconds(10));
        assertThat(rotations.insertRequest(sixth, mail("ada@example.com"), 5, T0.minusSeconds(3600))).isFalse();
        assertThat(rotations.findRequest(sixth.id())).isEmpty();
        assertThat(rotations.pendingMails(10, Integer.MAX_VALUE)).hasSize(5);
    }
}
