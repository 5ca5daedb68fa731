package dev.keygate.bench.tools;

import dev.keygate.core.dashboard.RequestLogEntry;
import dev.keygate.keyformat.Environment;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The layout before V5, written and read as JdbiDashboardStore did, through the store's own pool. */
final class V4RequestLogLayout implements RequestLogLayout {

    /** V3's request log table, under another name. */
    static final String SQLITE_TABLE = "CREATE TABLE request_log_v4 (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
            + "account_id TEXT NOT NULL, environment TEXT NOT NULL, at INTEGER NOT NULL, key_id TEXT NOT NULL, "
            + "method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL, ip TEXT NOT NULL, "
            + "request_id TEXT NOT NULL) STRICT";
    static final String POSTGRES_TABLE = "CREATE TABLE request_log_v4 (seq BIGINT GENERATED ALWAYS AS "
            + "IDENTITY PRIMARY KEY, account_id TEXT NOT NULL, environment TEXT NOT NULL, at BIGINT NOT NULL, "
            + "key_id TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL, ip TEXT NOT NULL, "
            + "request_id TEXT NOT NULL)";
    /** V3's two indexes on it. */
    private static final List<String> INDEXES = List.of(
            "CREATE INDEX request_log_v4_by_scope ON request_log_v4 (account_id, environment, seq DESC)",
            "CREATE INDEX request_log_v4_by_age ON request_log_v4 (at)");

    private final Jdbi jdbi;
    private final LongSupplier bytes;

    V4RequestLogLayout(DataSource dataSource, String table, LongSupplier bytes) {
        this.jdbi = Jdbi.create(dataSource);
        this.bytes = bytes;
        jdbi.useHandle(h -> {
            h.execute(table);
            INDEXES.forEach(h::execute);
        });
    }

    @Override
    public void insert(List<RequestLogEntry> entries) {
        jdbi.useTransaction(h -> {
            PreparedBatch batch = h.prepareBatch("INSERT INTO request_log_v4 (account_id, environment, at, key_id, "
                    + "method, path, status, ip, request_id) VALUES (:account, :env, :at, :key, :method, :path, "
                    + ":status, :ip, :request)");
            for (RequestLogEntry entry : entries) {
                batch.bind("account", entry.accountId())
                        .bind("env", entry.environment().label())
                        .bind("at", entry.at().toEpochMilli())
                        .bind("key", entry.keyId())
                        .bind("method", entry.method())
                        .bind("path", entry.path())
                        .bind("status", entry.status())
                        .bind("ip", entry.ip())
                        .bind("request", entry.requestId())
                        .add();
            }
            batch.execute();
        });
    }

    @Override
    public List<RequestLogEntry> list(String accountId, OptionalInt statusClass) {
        return jdbi.withHandle(h -> h.createQuery("SELECT account_id, environment, at, key_id, method, path, "
                        + "status, ip, request_id FROM request_log_v4 WHERE account_id = :account AND environment = :env "
                        + "AND status >= :low AND status < :high ORDER BY seq DESC LIMIT :limit")
                .bind("account", accountId)
                .bind("env", Environment.TEST.label())
                .bind("low", statusClass.isPresent() ? statusClass.getAsInt() * 100 : 0)
                .bind("high", statusClass.isPresent() ? statusClass.getAsInt() * 100 + 100 : 1000)
                .bind("limit", RequestLogWrite.LIST_LIMIT)
                .map((rs, ctx) -> new RequestLogEntry(rs.getString("account_id"),
                        Environment.fromLabel(rs.getString("environment")), Instant.ofEpochMilli(rs.getLong("at")),
                        rs.getString("key_id"), rs.getString("method"), rs.getString("path"), rs.getInt("status"),
                        rs.getString("ip"), rs.getString("request_id")))
                .list());
    }

    @Override
    public long bytes() {
        return bytes.getAsLong();
    }
}
