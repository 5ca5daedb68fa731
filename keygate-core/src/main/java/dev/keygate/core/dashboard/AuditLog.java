package dev.keygate.core.dashboard;

import dev.keygate.core.accounts.Session;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** The audit log (SPEC section 8): who did what to which key, from where, and when. */
public final class AuditLog {

    private final DashboardStore store;
    private final Clock clock;

    public AuditLog(DashboardStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Notes an action on the account, now. */
    public void record(String accountId, String actor, String action, Optional<String> keyId, String ip) {
        store.insertAudit(new AuditEvent(accountId, actor, action, keyId, ip,
                clock.instant().truncatedTo(ChronoUnit.MILLIS)));
    }

    /** The signed-in account's events, newest first. */
    public List<AuditEvent> list(Session session, int limit) {
        return store.listAudit(session.accountId(), limit);
    }
}
