package dev.keygate.core.dashboard;

import dev.keygate.core.accounts.Session;
import java.util.List;
import java.util.OptionalInt;

/** The request log as the signed-in account sees it: its own requests in the session's environment. */
public final class RequestHistory {

    private final DashboardStore store;

    public RequestHistory(DashboardStore store) {
        this.store = store;
    }

    /**
     * The account's latest requests, newest first.
     *
     * @param statusClass 2 for 2xx, 4 for 4xx…; empty for all
     */
    public List<RequestLogEntry> list(Session session, OptionalInt statusClass, int limit) {
        return store.listRequests(session.accountId(), session.environment(), statusClass, limit);
    }
}
