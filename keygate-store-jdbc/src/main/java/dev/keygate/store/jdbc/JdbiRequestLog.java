package dev.keygate.store.jdbc;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.core.Scope;
import dev.keygate.core.dashboard.DashboardStore;
import dev.keygate.core.dashboard.RequestLogEntry;
import dev.keygate.keyformat.Environment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.result.ResultIterator;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The request log of {@link DashboardStore} through JDBI: entries of one account and environment
 * stored together, as JSON arrays, a row per batch (the V5 migration's layout).
 */
final class JdbiRequestLog {

    /**
     * Request log entries of one account and environment stored together at most: enough to write
     * few rows, few enough that listing a rare status reads little besides what it shows.
     */
    static final int ENTRIES_PER_ROW = 100;
    /** {@code status_classes} to match rows of any status. */
    private static final int ALL_CLASSES = -1;

    private final Jdbi jdbi;
    private final Translator translator;

    JdbiRequestLog(Jdbi jdbi, Translator translator) {
        this.jdbi = jdbi;
        this.translator = translator;
    }

    /**
     * Writes the entries of each account and environment in {@code entries} as rows of up to
     * {@link #ENTRIES_PER_ROW}, in order (see the V5 migration: a row per request cost about 15 µs
     * of the database's time, most of it in the scope index).
     */
    void insert(List<RequestLogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Map<Scope, List<RequestLogEntry>> byScope = entries.stream().collect(Collectors.groupingBy(
                entry -> new Scope(entry.accountId(), entry.environment()), LinkedHashMap::new, Collectors.toList()));
        translator.run(() -> jdbi.useTransaction(h -> {
            PreparedBatch batch = h.prepareBatch("INSERT INTO request_log_batches (account_id, environment, "
                    + "oldest_at, newest_at, status_classes, entry_count, entries) VALUES (:account, :env, :oldest, "
                    + ":newest, :classes, :count, :entries)");
            byScope.forEach((scope, scoped) -> {
                for (int from = 0; from < scoped.size(); from += ENTRIES_PER_ROW) {
                    bindRow(batch, scope, scoped.subList(from, Math.min(scoped.size(), from + ENTRIES_PER_ROW))).add();
                }
            });
            batch.execute();
        }));
    }

    /** The account's entries in {@code environment}, newest first (see {@link DashboardStore#listRequests}). */
    List<RequestLogEntry> list(String accountId, Environment environment, OptionalInt statusClass, int limit) {
        IntPredicate wanted = statusClass.isPresent()
                ? status -> status / 100 == statusClass.getAsInt()
                : status -> true;
        // Every row the query returns holds at least one wanted entry, so `limit` rows are enough.
        return translator.call(() -> jdbi.withHandle(h -> {
            List<RequestLogEntry> newestFirst = new ArrayList<>();
            try (ResultIterator<String> rows = h.createQuery("SELECT entries FROM request_log_batches "
                            + "WHERE account_id = :account AND environment = :env AND (status_classes & :classes) <> 0 "
                            + "ORDER BY seq DESC LIMIT :limit")
                    .bind("account", accountId)
                    .bind("env", environment.label())
                    .bind("classes", statusClass.isPresent() ? classBit(statusClass.getAsInt()) : ALL_CLASSES)
                    .bind("limit", limit)
                    .mapTo(String.class)
                    .iterator()) {
                while (newestFirst.size() < limit && rows.hasNext()) {
                    List<LoggedRequest> scoped = LoggedRequest.decode(rows.next());
                    for (int i = scoped.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
                        if (wanted.test(scoped.get(i).status())) {
                            newestFirst.add(scoped.get(i).toEntry(accountId, environment));
                        }
                    }
                }
            }
            return newestFirst;
        }));
    }

    /**
     * Deletes the rows whose entries are all older than {@code before}, and takes the older
     * entries out of the few rows that straddle it.
     */
    int purge(Instant before) {
        long cutoff = before.toEpochMilli();
        return translator.call(() -> jdbi.inTransaction(h -> {
            long purged = h.createQuery("SELECT COALESCE(SUM(entry_count), 0) FROM request_log_batches "
                            + "WHERE oldest_at < :before AND newest_at < :before")
                    .bind("before", cutoff)
                    .mapTo(Long.class)
                    .one();
            h.createUpdate("DELETE FROM request_log_batches WHERE oldest_at < :before AND newest_at < :before")
                    .bind("before", cutoff)
                    .execute();
            purged += trimStraddling(h, cutoff);
            return Math.toIntExact(purged);
        }));
    }

    /**
     * Deletes at most {@code maxRows} rows whose entries are all older than {@code before}, in one
     * transaction; once fewer are left, also trims the rows that straddle it. Returns the rows deleted.
     */
    int purgeRows(Instant before, int maxRows) {
        long cutoff = before.toEpochMilli();
        return translator.call(() -> jdbi.inTransaction(h -> {
            int deleted = h.createUpdate("DELETE FROM request_log_batches WHERE seq IN (SELECT seq FROM "
                            + "request_log_batches WHERE oldest_at < :before AND newest_at < :before LIMIT :max)")
                    .bind("before", cutoff)
                    .bind("max", maxRows)
                    .execute();
            if (deleted < maxRows) {
                trimStraddling(h, cutoff);
            }
            return deleted;
        }));
    }

    /** Takes the entries older than {@code cutoff} out of the rows that straddle it; returns how many. */
    private static long trimStraddling(Handle h, long cutoff) {
        long purged = 0;
        List<Straddling> straddling = h.createQuery("SELECT seq, account_id, environment, entries "
                        + "FROM request_log_batches WHERE oldest_at < :before")
                .bind("before", cutoff)
                .map((rs, ctx) -> new Straddling(rs.getLong("seq"), new Scope(rs.getString("account_id"),
                        Environment.fromLabel(rs.getString("environment"))), rs.getString("entries")))
                .list();
        for (Straddling row : straddling) {
            List<LoggedRequest> logged = LoggedRequest.decode(row.entries());
            List<RequestLogEntry> kept = logged.stream()
                    .filter(entry -> entry.at() >= cutoff)
                    .map(entry -> entry.toEntry(row.scope().accountId(), row.scope().environment()))
                    .toList();
            purged += logged.size() - kept.size();
            bindRow(h.createUpdate("UPDATE request_log_batches SET oldest_at = :oldest, newest_at = :newest, "
                    + "status_classes = :classes, entry_count = :count, entries = :entries WHERE seq = :seq")
                    .bind("seq", row.seq()), row.scope(), kept).execute();
        }
        return purged;
    }

    private record Straddling(long seq, Scope scope, String entries) {}

    /** Binds the columns of a row holding {@code entries}, all of {@code scope} and at least one. */
    private static <T extends SqlStatement<T>> T bindRow(T statement, Scope scope, List<RequestLogEntry> entries) {
        int classes = 0;
        long oldest = Long.MAX_VALUE;
        long newest = Long.MIN_VALUE;
        for (RequestLogEntry entry : entries) {
            classes |= classBit(entry.status() / 100);
            oldest = Math.min(oldest, entry.at().toEpochMilli());
            newest = Math.max(newest, entry.at().toEpochMilli());
        }
        return statement.bind("account", scope.accountId())
                .bind("env", scope.environment().label())
                .bind("oldest", oldest)
                .bind("newest", newest)
                .bind("classes", classes)
                .bind("count", entries.size())
                .bind("entries", LoggedRequest.encode(entries));
    }

    /** The bit of {@code status_classes} for the statuses {@code hundred}00 to {@code hundred}99. */
    private static int classBit(int hundred) {
        return 1 << Math.clamp(hundred, 0, 30);
    }

    /** One entry in a row's {@code entries}: a JSON array, its account and environment being the row's. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"at", "keyId", "method", "path", "status", "ip", "requestId"})
    record LoggedRequest(long at, String keyId, String method, String path, int status, String ip,
            String requestId) {

        private static final ObjectMapper JSON = new ObjectMapper();
        private static final TypeReference<List<LoggedRequest>> LIST = new TypeReference<>() {};

        static String encode(List<RequestLogEntry> entries) {
            try {
                return JSON.writeValueAsString(entries.stream()
                        .map(entry -> new LoggedRequest(entry.at().toEpochMilli(), entry.keyId(), entry.method(),
                                entry.path(), entry.status(), entry.ip(), entry.requestId()))
                        .toList());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("numbers and strings always serialize", e);
            }
        }

        static List<LoggedRequest> decode(String json) {
            try {
                return JSON.readValue(json, LIST);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable request log row", e);
            }
        }

        RequestLogEntry toEntry(String accountId, Environment environment) {
            return new RequestLogEntry(accountId, environment, Instant.ofEpochMilli(at), keyId, method, path, status,
                    ip, requestId);
        }
    }
}
