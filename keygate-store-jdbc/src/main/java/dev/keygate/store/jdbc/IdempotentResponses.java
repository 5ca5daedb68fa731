package dev.keygate.store.jdbc;

import dev.keygate.core.Scope;
import dev.keygate.keyformat.KeyType;
import dev.keygate.payments.IdempotentResponse;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The {@code idempotent_responses} table: a response is written in the transaction of the object
 * it describes, and its primary key (account, environment, key type, key) lets one of two
 * concurrent requests with one key win.
 */
final class IdempotentResponses {

    /** The conflict's message when a live response is already kept under a key. */
    static final String CONFLICT = "a response is already kept under this Idempotency-Key";

    private IdempotentResponses() {}

    /** The response kept under {@code key} in {@code scope} for {@code keyType}, made at or after {@code notBefore}. */
    static Optional<IdempotentResponse> find(Handle h, Scope scope, KeyType keyType, String key, Instant notBefore) {
        return h.createQuery("SELECT fingerprint, status, body, created_at "
                        + "FROM idempotent_responses WHERE account_id = :account AND environment = :env "
                        + "AND key_type = :type AND idem_key = :key AND created_at >= :notBefore")
                .bind("account", scope.accountId())
                .bind("env", scope.label())
                .bind("type", keyType.label())
                .bind("key", key)
                .bind("notBefore", notBefore.toEpochMilli())
                .map((rs, ctx) -> new IdempotentResponse(scope, keyType, key, rs.getString("fingerprint"),
                        rs.getInt("status"), rs.getString("body"), Instant.ofEpochMilli(rs.getLong("created_at"))))
                .findOne();
    }

    /** Replaces an expired response under the same key, then keeps this one; a live one is a conflict. */
    static void insert(Handle h, IdempotentResponse response) {
        h.createUpdate("DELETE FROM idempotent_responses WHERE account_id = :account AND environment = :env "
                        + "AND key_type = :type AND idem_key = :key AND created_at < :expired")
                .bind("account", response.scope().accountId())
                .bind("env", response.scope().label())
                .bind("type", response.keyType().label())
                .bind("key", response.key())
                .bind("expired", response.createdAt().minus(IdempotentResponse.TTL).toEpochMilli())
                .execute();
        h.createUpdate("INSERT INTO idempotent_responses (account_id, environment, key_type, idem_key, "
                        + "fingerprint, status, body, created_at) VALUES (:account, :env, :type, :key, :fingerprint, "
                        + ":status, :body, :created)")
                .bind("account", response.scope().accountId())
                .bind("env", response.scope().label())
                .bind("type", response.keyType().label())
                .bind("key", response.key())
                .bind("fingerprint", response.fingerprint())
                .bind("status", response.status())
                .bind("body", response.body())
                .bind("created", response.createdAt().toEpochMilli())
                .execute();
    }

    /** Deletes the responses made before {@code before}; answers how many. */
    static int purge(Handle h, Instant before) {
        return h.createUpdate("DELETE FROM idempotent_responses WHERE created_at < :before")
                .bind("before", before.toEpochMilli())
                .execute();
    }
}
