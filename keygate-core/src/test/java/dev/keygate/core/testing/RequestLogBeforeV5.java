package dev.keygate.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.Stores;
import dev.keygate.core.dashboard.RequestLogEntry;
import dev.keygate.keyformat.Environment;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * A request log as the SQL stores kept it before migration V5, a row per request, and what the
 * store must list and purge from it once migrated. For the SQLite and PostgreSQL store tests:
 *
 * <pre>{@code
 * Flyway.configure().dataSource(url, null, null).locations("classpath:db/sqlite").target("4").load().migrate();
 * RequestLogBeforeV5.assertKeptByMigration(url, () -> SqliteStores.open(file));
 * }</pre>
 */
public final class RequestLogBeforeV5 {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00.100Z");
    private static final RequestLogEntry FIRST = entry("acct_ada", Environment.TEST, T0, "/api/v1/ping", 200);
    private static final RequestLogEntry FAILED =
            entry("acct_ada", Environment.TEST, T0.plusMillis(300), "/api/v1/balance", 500);
    private static final RequestLogEntry BOBS = entry("acct_bob", Environment.LIVE, T0.plusMillis(400), "/api/v1/ping", 200);
    private static final RequestLogEntry LATER =
            entry("acct_ada", Environment.TEST, T0.plusMillis(1_500), "/api/v1/payments/pay_1", 404);
    private static final RequestLogEntry QUOTED =
            entry("acct_ada", Environment.TEST, T0.plusMillis(1_600), "/api/v1/x\"y\\z", 201);

    private RequestLogBeforeV5() {}

    /**
     * Writes rows into the {@code request_log} table of the database at {@code jdbcUrl}, migrated
     * to V4, then opens it with {@code open} (which migrates it) and checks that every entry is
     * listed, filtered and purged as before.
     */
    public static void assertKeptByMigration(String jdbcUrl, Supplier<Stores> open) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO request_log (account_id, "
                        + "environment, at, key_id, method, path, status, ip, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, "
                        + "?, ?)")) {
            for (RequestLogEntry entry : List.of(FIRST, FAILED, BOBS, LATER, QUOTED)) {
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

        try (Stores stores = open.get()) {
            assertThat(stores.dashboard().listRequests("acct_ada", Environment.TEST, OptionalInt.empty(), 10))
                    .containsExactly(QUOTED, LATER, FAILED, FIRST);
            assertThat(stores.dashboard().listRequests("acct_ada", Environment.TEST, OptionalInt.of(5), 10))
                    .containsExactly(FAILED);
            assertThat(stores.dashboard().listRequests("acct_bob", Environment.LIVE, OptionalInt.empty(), 10))
                    .containsExactly(BOBS);
            assertThat(stores.dashboard().purgeRequests(T0.plusSeconds(1))).isEqualTo(3);
        }
    }

    private static RequestLogEntry entry(String account, Environment environment, Instant at, String path, int status) {
        return new RequestLogEntry(account, environment, at, "key_0123456789abcdef", "GET", path, status,
                "2001:db8::7", "req_" + at.toEpochMilli());
    }
}
