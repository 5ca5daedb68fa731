package dev.keygate.server.runtime;

import dev.keygate.core.SharedClock;
import dev.keygate.core.auth.UsageTracker;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.mail.Mail;
import dev.keygate.core.mail.MailException;
import dev.keygate.core.mail.MailSender;
import dev.keygate.core.rotation.OutboxMail;
import dev.keygate.payments.IdempotentResponse;
import dev.keygate.server.http.Blocking;
import dev.keygate.server.http.RequestLog;
import dev.keygate.store.jdbc.Database;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every periodic job of a node, each on the blocking helper, none overlapping itself: the change
 * feed, the mail outbox, the request log, last uses, purges, and the shared clock.
 */
final class BackgroundJobs {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundJobs.class);

    /** How often the change feed is read: a deletion reaches every node's cache within this (SPEC section 7). */
    static final Duration CHANGE_POLL_INTERVAL = Duration.ofMillis(200);
    /** How often the mail outbox is emptied. */
    static final Duration OUTBOX_INTERVAL = Duration.ofSeconds(1);
    /** Failed deliveries after which a mail is given up (a rejected recipient must not block the outbox). */
    static final int MAX_MAIL_ATTEMPTS = 10;
    /** How often the request log is written. */
    static final Duration REQUEST_LOG_FLUSH_INTERVAL = Duration.ofSeconds(1);
    /** How often the request log's old entries are deleted (KEYGATE_REQUEST_LOG_DAYS). */
    static final Duration REQUEST_LOG_PURGE_INTERVAL = Duration.ofDays(1);
    /** How often old sessions, failed logins and verification tokens are deleted. */
    static final Duration HOUSEKEEPING_INTERVAL = Duration.ofMinutes(10);
    /** How often idempotent responses older than 24 hours are deleted. */
    static final Duration IDEMPOTENCY_PURGE_INTERVAL = Duration.ofHours(1);
    /** How often {@code last_used_at} is written. */
    static final Duration USAGE_FLUSH_INTERVAL = Duration.ofSeconds(5);
    /** How often a node measures the shared database's clock again. */
    static final Duration CLOCK_SYNC_INTERVAL = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final Blocking blocking;
    private final Clock clock;

    BackgroundJobs(Vertx vertx, Blocking blocking, Clock clock) {
        this.vertx = vertx;
        this.blocking = blocking;
        this.clock = clock;
    }

    /**
     * Starts every job.
     *
     * @param readChanges reads the change feed into the key cache; blocking
     * @param readable opens a mail of the outbox, whose text is sealed under the server secret
     * @param purgeDashboard deletes expired sessions, failed logins and verification tokens; blocking
     * @param requestLogDays how many days the request log keeps a request
     */
    void start(Database stores, Runnable readChanges, MailSender mail, UnaryOperator<Mail> readable,
            RequestLog requestLog, Runnable purgeDashboard, UsageTracker usage, int requestLogDays) {
        every(CHANGE_POLL_INTERVAL, "read the change feed", readChanges::run);
        every(OUTBOX_INTERVAL, "read the mail outbox", () -> deliverMail(stores, mail, readable));
        every(REQUEST_LOG_FLUSH_INTERVAL, "write the request log", () -> requestLog.flush(stores.dashboard()));
        every(HOUSEKEEPING_INTERVAL, "purge old sessions", purgeDashboard::run);
        // The first purge comes soon after start, so that a node restarted more often than daily purges too.
        RequestLogPurge purge = new RequestLogPurge(stores.dashboard(), blocking, clock, requestLogDays);
        AtomicBoolean purging = new AtomicBoolean();
        vertx.setPeriodic(HOUSEKEEPING_INTERVAL.toMillis(), REQUEST_LOG_PURGE_INTERVAL.toMillis(), ignored -> {
            if (purging.compareAndSet(false, true)) {
                purge.run()
                        .onFailure(failure -> LOG.warn("could not purge the request log: {}", failure.toString()))
                        .onComplete(done -> purging.set(false));
            }
        });
        every(IDEMPOTENCY_PURGE_INTERVAL, "purge idempotent responses", () ->
                stores.payments().purgeIdempotentResponses(clock.instant().minus(IdempotentResponse.TTL)));
        every(USAGE_FLUSH_INTERVAL, "record last uses", () -> flushUsage(usage, stores.keys()));
        if (clock instanceof SharedClock shared) {
            every(CLOCK_SYNC_INTERVAL, "read the database's clock", () -> synchronize(shared, stores.keys()));
        }
    }

    /** Runs {@code job} every {@code period} on the blocking helper; a run still going skips the next. */
    private void every(Duration period, String what, Job job) {
        AtomicBoolean running = new AtomicBoolean();
        vertx.setPeriodic(period.toMillis(), ignored -> {
            if (!running.compareAndSet(false, true)) {
                return;
            }
            blocking.run((Callable<Void>) () -> {
                        job.run();
                        return null;
                    })
                    .onFailure(failure -> LOG.warn("could not {}: {}", what, failure.toString()))
                    .onComplete(done -> running.set(false));
        });
    }

    /** A job's work; blocking. */
    @FunctionalInterface
    private interface Job {
        void run() throws Exception;
    }

    /**
     * Sends what waits in the mail outbox (rotation codes, written in the transaction that asked
     * for them), at least once: a mail server outage delays a code, it never loses one.
     */
    private void deliverMail(Database stores, MailSender mail, UnaryOperator<Mail> readable) {
        for (OutboxMail pending : stores.rotations().pendingMails(20, MAX_MAIL_ATTEMPTS)) {
            Mail opened;
            try {
                opened = readable.apply(pending.mail());
            } catch (IllegalArgumentException e) {
                stores.rotations().markMailFailed(pending.id(), "sealed under another server secret");
                LOG.warn("could not open mail {} of the outbox: it was sealed under another server secret "
                        + "(every node must have the same {} file)", pending.id(), ServerSecrets.FILE);
                continue;
            }
            try {
                mail.send(opened);
                stores.rotations().markMailSent(pending.id(), clock.instant());
            } catch (MailException e) {
                stores.rotations().markMailFailed(pending.id(), e.getMessage());
                LOG.warn("could not send mail {} to its recipient ({} tries): {}", pending.id(),
                        pending.attempts() + 1, e.getMessage());
            }
        }
    }

    /** Writes the last uses noted since the previous run; what cannot be written is kept for the next. */
    static void flushUsage(UsageTracker usage, KeyStore store) {
        Map<String, Instant> batch = usage.drain();
        if (batch.isEmpty()) {
            return;
        }
        try {
            store.recordLastUsed(batch);
        } catch (RuntimeException e) {
            batch.forEach(usage::touch);
            LOG.warn("could not record last use of {} keys: {}", batch.size(), e.toString());
        }
    }

    /** Measures the shared database's clock against this node's; blocking. */
    static void synchronize(SharedClock shared, KeyStore store) {
        Instant sent = shared.instant().minusMillis(shared.offsetMillis());
        Optional<Instant> databaseTime = store.sharedTime();
        Instant received = shared.instant().minusMillis(shared.offsetMillis());
        databaseTime.ifPresent(time -> shared.synchronize(time, sent, received));
    }
}
