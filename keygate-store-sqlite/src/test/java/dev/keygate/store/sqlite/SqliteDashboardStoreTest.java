package dev.keygate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.Stores;
import dev.keygate.core.dashboard.RequestLogEntry;
import dev.keygate.core.testing.DashboardStoreContract;
import dev.keygate.keyformat.Environment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite dashboard store passes the dashboard store contract, and keeps the request log of older versions. */
class SqliteDashboardStoreTest extends DashboardStoreContract {

    @TempDir
    Path dir;

    private int opened;

    @Override
    protected Stores newStores() {
        return SqliteStores.open(dir.resolve("dashboard-" + (opened++) + ".db"));
    }

    @Test
    void openWhenRequestLogWrittenOneRowPerRequestThenEveryEntryListedAsBefore() throws Exception {
        Path file = dir.resolve("v4.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/sqlite").target("4").load().migrate();
        Instant t0 = Instant.parse("2026-11-30T10:00:00.100Z");
        RequestLogEntry first = entry("acct_ada", Environment.TEST, t0, "/api/v1/ping", 200);
        RequestLogEntry failed = entry("acct_ada", Environment.TEST, t0.plusMillis(300), "/api/v1/balance", 500);
        RequestLogEntry bobs = entry("acct_bob", Environment.LIVE, t0.plusMillis(400), "/api/v1/ping", 200);
        RequestLogEntry later = entry("acct_ada", Environment.TEST, t0.plusMillis(1_500), "/api/v1/payments/pay_1", 404);
        RequestLogEntry quoted = entry("acct_ada", Environment.TEST, t0.plusMillis(1_600), "/api/v1/x\"y\\z", 201);
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO request_log (account_id, "
                        + "environment, at, key_id, method, path, status, ip, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, "
                        + "?, ?)")) {
            for (RequestLogEntry entry : List.of(first, failed, bobs, later, quoted)) {
                insert.setString(1, entry.accountId());
                insert.setString(2, entry.environment().label());
                insert.setLong(3, entry.at().toEpochMilli());
                insert.setString(4, entry.keyId());
                insert.setString(5, entry.method());
                insert.setString(6, entry.path());
                insert.setInt(7, entry.status());
                insert.setString(8, entry.ip());
                insert.setString(9, entry.requestId());
                insert.executeUpdate();
            }
        }

        try (Stores stores = SqliteStores.open(file)) {
            assertThat(stores.dashboard().listRequests("acct_ada", Environment.TEST, OptionalInt.empty(), 10))
                    .containsExactly(quoted, later, failed, first);
            assertThat(stores.dashboard().listRequests("acct_ada", Environment.TEST, OptionalInt.of(5), 10))
                    .containsExactly(failed);
            assertThat(stores.dashboard().listRequests("acct_bob", Environment.LIVE, OptionalInt.empty(), 10))
                    .containsExactly(bobs);
            assertThat(stores.dashboard().purgeRequests(t0.plusSeconds(1))).isEqualTo(3);
        }
    }

    private static RequestLogEntry entry(String account, Environment environment, Instant at, String path, int status) {
        return new RequestLogEntry(account, environment, at, "key_0123456789abcdef", "GET", path, status,
                "2001:db8::7", "req_" + at.toEpochMilli());
    }
}
