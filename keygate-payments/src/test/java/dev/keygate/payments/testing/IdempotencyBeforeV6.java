package dev.keygate.payments.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.Scope;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.payments.IdempotentResponse;
import dev.keygate.payments.PaymentStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * An idempotent response as the SQL stores kept it before migration V6, scoped to the account and
 * environment only, and what the store must answer from it once migrated: the same response to a
 * retry with either key type, so that a retry after the upgrade still gets its stored answer. For
 * the SQLite and PostgreSQL store tests:
 *
 * <pre>{@code
 * Flyway.configure().dataSource(url, null, null).locations("classpath:db/sqlite").target("5").load().migrate();
 * IdempotencyBeforeV6.assertKeptByMigration(url, () -> SqliteStores.open(file));
 * }</pre>
 */
public final class IdempotencyBeforeV6 {

    private static final Instant T0 = Instant.parse("2026-12-06T23:00:00.250Z");
    private static final Scope ADA_TEST = new Scope("acct_ada", Environment.TEST);
    private static final Scope ADA_LIVE = new Scope("acct_ada", Environment.LIVE);
    private static final String KEY = "order-7777";
    private static final String BODY = "{\"id\":\"pay_test_0123456789abcdef\",\"status\":\"pending\"}";

    private IdempotencyBeforeV6() {}

    /**
     * Writes a response into the {@code idempotent_responses} table of the database at
     * {@code jdbcUrl}, migrated to V5, then opens it with {@code open} (which migrates it) and
     * checks that both key types of its scope find it, and no other scope does.
     */
    public static void assertKeptByMigration(String jdbcUrl, Supplier<PaymentStores> open) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO idempotent_responses "
                        + "(account_id, environment, idem_key, fingerprint, status, body, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, ADA_TEST.accountId());
            insert.setString(2, ADA_TEST.label());
            insert.setString(3, KEY);
            insert.setString(4, "fp-7777");
            insert.setInt(5, 201);
            insert.setString(6, BODY);
            insert.setLong(7, T0.toEpochMilli());
            insert.executeUpdate();
        }

        try (PaymentStores stores = open.get()) {
            Instant notBefore = T0.minus(IdempotentResponse.TTL);
            // Restricted keys came after V6: its rows were copied for the two types there were.
            for (KeyType type : new KeyType[] {KeyType.PUBLIC, KeyType.SECRET}) {
                assertThat(stores.payments().findIdempotentResponse(ADA_TEST, type, KEY, notBefore))
                        .as("a retry with a %s key", type.label())
                        .hasValueSatisfying(kept -> {
                            assertThat(kept.keyType()).isEqualTo(type);
                            assertThat(kept.fingerprint()).isEqualTo("fp-7777");
                            assertThat(kept.status()).isEqualTo(201);
                            assertThat(kept.body()).isEqualTo(BODY);
                            assertThat(kept.createdAt()).isEqualTo(T0);
                        });
                assertThat(stores.payments().findIdempotentResponse(ADA_LIVE, type, KEY, notBefore)).isEmpty();
            }
            assertThat(stores.payments().purgeIdempotentResponses(T0.plusMillis(1))).isEqualTo(2);
        }
    }
}
