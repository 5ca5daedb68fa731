package dev.keygate.core.testing;

import dev.keygate.core.accounts.Session;
import dev.keygate.core.dashboard.AuditEvent;
import dev.keygate.core.dashboard.DashboardStore;
import dev.keygate.core.dashboard.RequestLogEntry;
import dev.keygate.keyformat.Environment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@link DashboardStore} held in memory, for tests of the code that uses one. It follows the
 * interface's Javadoc and passes the same {@link DashboardStoreContract} as the real stores. Every
 * method is {@code synchronized}. Lists keep insertion order, so "newest first" is the reverse of
 * insertion, as with the databases' sequence columns.
 *
 * <pre>{@code
 * Sessions sessions = new Sessions(new InMemoryDashboardStore(), clock, random);
 * }</pre>
 */
public final class InMemoryDashboardStore implements DashboardStore {

    private final Map<String, Session> sessions = new HashMap<>();
    private final Map<String, List<Instant>> loginFailures = new HashMap<>();
    private final List<AuditEvent> audit = new ArrayList<>();
    private final List<RequestLogEntry> requests = new ArrayList<>();
    private final Map<String, Verification> verifications = new HashMap<>();
    private final Map<String, Instant> verifiedAt = new HashMap<>();

    private record Verification(String accountId, Instant expiresAt) {}

    @Override
    public synchronized void insertSession(Session session) {
        Objects.requireNonNull(session);
        if (sessions.putIfAbsent(session.idDigest(), session) != null) {
            throw new IllegalStateException("a session with this digest exists");
        }
    }

    @Override
    public synchronized Optional<Session> findSession(String idDigest) {
        return Optional.ofNullable(sessions.get(idDigest));
    }

    @Override
    public synchronized void touchSession(String idDigest, Instant lastSeenAt) {
        Objects.requireNonNull(lastSeenAt);
        sessions.computeIfPresent(idDigest, (id, session) -> new Session(session.idDigest(), session.accountId(),
                session.csrfToken(), session.environment(), session.createdAt(), lastSeenAt));
    }

    @Override
    public synchronized void switchEnvironment(String idDigest, Environment environment, Instant at) {
        Objects.requireNonNull(environment);
        Objects.requireNonNull(at);
        sessions.computeIfPresent(idDigest, (id, session) -> new Session(session.idDigest(), session.accountId(),
                session.csrfToken(), environment, session.createdAt(), at));
    }

    @Override
    public synchronized int purgeLoginFailures(Instant before) {
        int removed = 0;
        for (List<Instant> failures : loginFailures.values()) {
            int size = failures.size();
            failures.removeIf(at -> at.isBefore(before));
            removed += size - failures.size();
        }
        loginFailures.values().removeIf(List::isEmpty);
        return removed;
    }

    @Override
    public synchronized int purgeEmailVerifications(Instant now) {
        int size = verifications.size();
        verifications.values().removeIf(verification -> !verification.expiresAt().isAfter(now));
        return size - verifications.size();
    }

    @Override
    public synchronized void deleteSession(String idDigest) {
        sessions.remove(idDigest);
    }

    @Override
    public synchronized int deleteOtherSessions(String accountId, String keptIdDigest) {
        int before = sessions.size();
        sessions.values().removeIf(session -> session.accountId().equals(accountId)
                && !session.idDigest().equals(keptIdDigest));
        return before - sessions.size();
    }

    @Override
    public synchronized int purgeSessions(Instant lastSeenBefore) {
        int before = sessions.size();
        sessions.values().removeIf(session -> session.lastSeenAt().isBefore(lastSeenBefore));
        return before - sessions.size();
    }

    @Override
    public synchronized void recordLoginFailure(String email, Instant at) {
        Objects.requireNonNull(at);
        loginFailures.computeIfAbsent(email, e -> new ArrayList<>()).add(at);
    }

    @Override
    public synchronized List<Instant> loginFailuresSince(String email, Instant since) {
        return loginFailures.getOrDefault(email, List.of()).stream()
                .filter(at -> !at.isBefore(since))
                .sorted((a, b) -> b.compareTo(a))
                .toList();
    }

    @Override
    public synchronized void clearLoginFailures(String email) {
        loginFailures.remove(email);
    }

    @Override
    public synchronized void insertAudit(AuditEvent event) {
        audit.add(Objects.requireNonNull(event));
    }

    @Override
    public synchronized List<AuditEvent> listAudit(String accountId, int limit) {
        return newestFirst(audit).stream()
                .filter(event -> event.accountId().equals(accountId))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized void insertRequests(List<RequestLogEntry> entries) {
        entries.forEach(Objects::requireNonNull);
        requests.addAll(entries);
    }

    @Override
    public synchronized List<RequestLogEntry> listRequests(String accountId, Environment environment,
            OptionalInt statusClass, int limit) {
        return newestFirst(requests).stream()
                .filter(entry -> entry.accountId().equals(accountId) && entry.environment() == environment)
                .filter(entry -> statusClass.isEmpty() || entry.status() / 100 == statusClass.getAsInt())
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized int purgeRequests(Instant before) {
        int count = requests.size();
        requests.removeIf(entry -> entry.at().isBefore(before));
        return count - requests.size();
    }

    /** Each entry is a row of its own here. */
    @Override
    public synchronized int purgeRequestRows(Instant before, int maxRows) {
        int deleted = 0;
        for (var entries = requests.iterator(); entries.hasNext() && deleted < maxRows; ) {
            if (entries.next().at().isBefore(before)) {
                entries.remove();
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public synchronized void insertEmailVerification(String tokenDigest, String accountId, Instant expiresAt) {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(expiresAt);
        if (verifications.putIfAbsent(tokenDigest, new Verification(accountId, expiresAt)) != null) {
            throw new IllegalStateException("a verification with this digest exists");
        }
    }

    @Override
    public synchronized Optional<String> verifyEmail(String tokenDigest, Instant now) {
        Verification verification = verifications.remove(tokenDigest);
        if (verification == null || !now.isBefore(verification.expiresAt())) {
            return Optional.empty();
        }
        verifiedAt.putIfAbsent(verification.accountId(), now);
        return Optional.of(verification.accountId());
    }

    @Override
    public synchronized Optional<Instant> emailVerifiedAt(String accountId) {
        return Optional.ofNullable(verifiedAt.get(accountId));
    }

    private static <T> List<T> newestFirst(List<T> log) {
        return log.reversed();
    }
}
