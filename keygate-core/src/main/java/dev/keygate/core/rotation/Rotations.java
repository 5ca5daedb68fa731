package dev.keygate.core.rotation;

import dev.keygate.core.Ids;
import dev.keygate.core.NotFoundException;
import dev.keygate.core.ServerSecret;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.accounts.Session;
import dev.keygate.core.dashboard.AuditEvent;
import dev.keygate.core.dashboard.KeyManagement;
import dev.keygate.core.keys.IssuedKey;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.keys.KeyStatus;
import dev.keygate.core.mail.Mail;
import dev.keygate.keyformat.ApiKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Key rotation confirmed by an emailed one-time code (SPEC section 6, Glomo's flow): the owner
 * asks to rotate a key with a grace period, receives a 6-digit code, and enters it; then, in one
 * transaction, a new key of the same type, environment and name exists and the old one expires at
 * the end of the grace period.
 *
 * <pre>{@code
 * String requestId = rotations.request(session, keyId, GracePeriod.ONE_DAY, ip);
 * Rotations.Outcome outcome = rotations.confirm(session, requestId, "123456", ip);
 * }</pre>
 */
public final class Rotations {

    /** How long a code works. */
    public static final Duration CODE_TTL = Duration.ofMinutes(10);
    /** Wrong codes that void a request. */
    public static final int MAX_ATTEMPTS = 5;
    /** Codes an account may ask for per {@link #CODE_WINDOW}. */
    public static final int MAX_CODES = 5;
    public static final Duration CODE_WINDOW = Duration.ofHours(1);
    /** The purpose under which mails in the outbox are sealed. */
    private static final String OUTBOX = "outbox";

    private final KeyManagement keys;
    private final Accounts accounts;
    private final RotationStore store;
    private final Clock clock;
    private final RandomGenerator random;
    private final Ids ids;
    private final ServerSecret secret;

    /**
     * @param random a {@code SecureRandom}: it draws codes, ids and keys
     * @param secret keys the codes' digests and seals the mails waiting in the outbox, so that
     *     neither a code nor a digest that gives it away by trying a million codes is ever in the database
     */
    public Rotations(KeyManagement keys, Accounts accounts, RotationStore store, Clock clock, RandomGenerator random,
            ServerSecret secret) {
        this.keys = keys;
        this.accounts = accounts;
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.ids = new Ids(random);
        this.secret = secret;
    }

    /** Asking for a code was refused. */
    public static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final boolean tooMany;

        public RefusedException(String message, boolean tooMany) {
            super(message, null, false, false);
            this.tooMany = tooMany;
        }

        /** Refused for the hourly cap, not for the key's state. */
        public boolean tooMany() {
            return tooMany;
        }
    }

    /** What entering a code gives. */
    public sealed interface Outcome {}

    /** Rotated: the new key, shown once, and when the old one stops working. */
    public record Rotated(IssuedKey newKey, KeyRecord oldKey, Instant oldKeyExpiresAt) implements Outcome {}

    public record WrongCode(int triesLeft) implements Outcome {}

    /** More than {@link #CODE_TTL} old. */
    public record Expired() implements Outcome {}

    /** Confirmed already. */
    public record Used() implements Outcome {}

    /** Voided by {@link #MAX_ATTEMPTS} wrong codes. */
    public record TooManyTries() implements Outcome {}

    /** The key was deleted after the code was asked for. */
    public record KeyGone() implements Outcome {}

    /**
     * Mails a code to the account's owner for rotating {@code keyId}.
     *
     * @return the request id (for the page where the code is entered)
     * @throws NotFoundException if the account has no such key
     * @throws RefusedException  for a deleted or expired key, or after {@link #MAX_CODES} codes this hour
     */
    public String request(Session session, String keyId, GracePeriod grace, String ip) {
        KeyRecord key = keys.get(session, keyId);
        Instant now = now();
        KeyStatus status = key.status(now);
        if (status == KeyStatus.REVOKED || status == KeyStatus.EXPIRED) {
            throw new RefusedException("This key is " + status.label() + "; only a working key can be rotated.",
                    false);
        }
        Account account = accounts.get(session.accountId());
        String requestId = ids.rotation();
        String code = String.format("%06d", random.nextInt(1_000_000));
        boolean stored = store.insertRequest(
                new RotationRequest(requestId, account.id(), key.id(), grace, digest(requestId, code), now,
                        now.plus(CODE_TTL), 0, RotationRequest.State.PENDING),
                new Mail(account.email(), "Your Keygate code: rotate " + key.name(), secret.seal(OUTBOX,
                        "Hello " + account.name() + ",\n\nEnter this code in the dashboard to rotate the key "
                                + key.name() + " (" + key.masked() + "):\n\n    " + code + "\n\nIt works once, "
                                + "for 10 minutes. " + grace.oldKeyAfterConfirming()
                                + " If you did not ask for this, someone has your dashboard "
                                + "password: change it.\n")),
                MAX_CODES, now.minus(CODE_WINDOW));
        if (!stored) {
            throw new RefusedException("Too many codes: at most " + MAX_CODES + " an hour. Try again later.", true);
        }
        return requestId;
    }

    /**
     * Confirms a rotation with the code that was mailed.
     *
     * @throws NotFoundException if the account has no such request
     */
    public Outcome confirm(Session session, String requestId, String code, String ip) {
        RotationRequest request = request(session, requestId);
        Instant now = now();
        switch (request.state()) {
            case USED -> {
                return new Used();
            }
            case VOID -> {
                return new TooManyTries();
            }
            case PENDING -> {
                // goes on below
            }
        }
        if (!now.isBefore(request.expiresAt())) {
            return new Expired();
        }
        // The try counts before the code is compared, so that guesses sent in parallel cannot all be
        // compared while the request is still pending: a sixth try voids it.
        RotationRequest counted = store.recordWrongCode(requestId, MAX_ATTEMPTS + 1).orElseThrow();
        if (counted.state() != RotationRequest.State.PENDING) {
            return counted.state() == RotationRequest.State.VOID ? new TooManyTries() : new Used();
        }
        String given = code == null ? "" : code.strip();
        boolean matches = MessageDigest.isEqual(digest(requestId, given).getBytes(StandardCharsets.US_ASCII),
                request.codeDigest().getBytes(StandardCharsets.US_ASCII));
        if (!matches) {
            if (counted.attempts() >= MAX_ATTEMPTS) {
                store.recordWrongCode(requestId, MAX_ATTEMPTS); // past the limit: the request is void now
                return new TooManyTries();
            }
            return new WrongCode(MAX_ATTEMPTS - counted.attempts());
        }
        KeyRecord old = keys.get(session, request.keyId());
        if (old.revokedAt().isPresent()) {
            return new KeyGone();
        }
        Instant graceEnd = now.plus(request.grace().duration());
        Instant oldExpiresAt = old.expiresAt().filter(earlier -> earlier.isBefore(graceEnd)).orElse(graceEnd);
        ApiKey fresh = ApiKey.generate(old.type(), old.environment(), random);
        KeyRecord newRecord = new KeyRecord(ids.key(), old.accountId(), old.type(),
                old.environment(), old.name(), fresh.last4(),
                old.publicValue().isPresent() ? Optional.of(fresh.reveal()) : Optional.empty(), now,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        AuditEvent audit = new AuditEvent(old.accountId(), accounts.get(session.accountId()).email(), "key.rotated",
                Optional.of(old.id()), ip, now);
        if (!store.confirm(requestId, newRecord, KeyDigest.of(fresh), old.id(), oldExpiresAt, audit, now)) {
            return keys.get(session, request.keyId()).revokedAt().isPresent() ? new KeyGone() : new Used();
        }
        return new Rotated(new dev.keygate.core.keys.IssuedKey(newRecord, fresh), old, oldExpiresAt);
    }

    /**
     * A request of the signed-in account.
     *
     * @throws NotFoundException if the account has no such request
     */
    public RotationRequest request(Session session, String requestId) {
        return store.findRequest(requestId)
                .filter(request -> request.accountId().equals(session.accountId()))
                .orElseThrow(() -> new NotFoundException("No such rotation"));
    }

    /** Whether the code's mail has left the outbox. */
    public boolean mailSent(String requestId) {
        return store.mailSent(requestId).orElse(false);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * The mail as it is sent: the outbox holds its text sealed. Mails put in the outbox before
     * sealing existed are sent as they are.
     *
     * @throws IllegalArgumentException if it was sealed under another server secret
     */
    public Mail readable(Mail stored) {
        if (!ServerSecret.isSealed(stored.text())) {
            return stored;
        }
        return new Mail(stored.to(), stored.subject(), secret.open(OUTBOX, stored.text()));
    }

    /** The code's digest, bound to its request: a code of one rotation never confirms another. */
    private String digest(String requestId, String code) {
        return secret.hmacHex("rotation code", requestId + ":" + code);
    }
}
