package dev.keygate.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.core.InvalidInputException;
import dev.keygate.core.Scope;
import dev.keygate.keyformat.Environment;
import dev.keygate.payments.Balance;
import dev.keygate.payments.Customer;
import dev.keygate.payments.IdempotentResponse;
import dev.keygate.payments.Page;
import dev.keygate.payments.Payment;
import dev.keygate.payments.PaymentStatus;
import dev.keygate.payments.PaymentStore;
import dev.keygate.payments.Refund;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * A {@link PaymentStore} on any SQL database through JDBI, in plain SQL that SQLite and
 * PostgreSQL both run. Every query is bounded by account and environment.
 */
final class JdbiPaymentStore implements PaymentStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
    private static final String PAYMENT_COLUMNS = "id, account_id, environment, amount, currency, status, "
            + "failure_code, description, customer_id, metadata, amount_refunded, checkout_token, created_at";
    private static final String CUSTOMER_COLUMNS = "id, account_id, environment, email, name, created_at";

    private final Jdbi jdbi;
    private final Translator translator;

    JdbiPaymentStore(Jdbi jdbi, Translator translator) {
        this.jdbi = jdbi;
        this.translator = translator;
    }

    @Override
    public Optional<IdempotentResponse> findIdempotentResponse(Scope scope, String key, Instant notBefore) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT fingerprint, status, body, created_at "
                        + "FROM idempotent_responses WHERE account_id = :account AND environment = :env "
                        + "AND idem_key = :key AND created_at >= :notBefore")
                .bind("account", scope.accountId())
                .bind("env", scope.label())
                .bind("key", key)
                .bind("notBefore", notBefore.toEpochMilli())
                .map((rs, ctx) -> new IdempotentResponse(scope, key, rs.getString("fingerprint"), rs.getInt("status"),
                        rs.getString("body"), Instant.ofEpochMilli(rs.getLong("created_at"))))
                .findOne()));
    }

    @Override
    public void insertPayment(Payment payment, Optional<IdempotentResponse> response) {
        translator.run(() -> jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO payments (" + PAYMENT_COLUMNS + ") VALUES (:id, :account, :env, :amount, "
                            + ":currency, :status, :failure, :description, :customer, :metadata, :refunded, :token, "
                            + ":created)")
                    .bind("id", payment.id())
                    .bind("account", payment.scope().accountId())
                    .bind("env", payment.scope().label())
                    .bind("amount", payment.amount())
                    .bind("currency", payment.currency())
                    .bind("status", payment.status().label())
                    .bind("failure", payment.failureCode().orElse(null))
                    .bind("description", payment.description().orElse(null))
                    .bind("customer", payment.customerId().orElse(null))
                    .bind("metadata", toJson(payment.metadata()))
                    .bind("refunded", payment.amountRefunded())
                    .bind("token", payment.checkoutToken())
                    .bind("created", payment.createdAt().toEpochMilli())
                    .execute();
            response.ifPresent(r -> insertResponse(h, r));
        }), "a response is already kept under this Idempotency-Key");
    }

    @Override
    public Optional<Payment> findPayment(Scope scope, String paymentId) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + PAYMENT_COLUMNS
                        + " FROM payments WHERE id = :id AND account_id = :account AND environment = :env")
                .bind("id", paymentId)
                .bind("account", scope.accountId())
                .bind("env", scope.label())
                .map(PAYMENT)
                .findOne()));
    }

    @Override
    public Optional<Payment> findPaymentByCheckoutToken(String token) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + PAYMENT_COLUMNS
                        + " FROM payments WHERE checkout_token = :token")
                .bind("token", token)
                .map(PAYMENT)
                .findOne()));
    }

    @Override
    public Page<Payment> listPayments(Scope scope, Optional<String> startingAfter, int limit) {
        return page("payments", PAYMENT_COLUMNS, PAYMENT, scope, startingAfter, limit);
    }

    @Override
    public Optional<Payment> insertRefund(Refund refund, Optional<IdempotentResponse> response) {
        return translator.call(() -> jdbi.inTransaction(h -> {
            int updated = h.createUpdate("UPDATE payments SET amount_refunded = amount_refunded + :amount "
                            + "WHERE id = :id AND account_id = :account AND environment = :env "
                            + "AND status = 'succeeded' AND amount_refunded + :amount <= amount")
                    .bind("amount", refund.amount())
                    .bind("id", refund.paymentId())
                    .bind("account", refund.scope().accountId())
                    .bind("env", refund.scope().label())
                    .execute();
            if (updated == 0) {
                return Optional.<Payment>empty();
            }
            h.createUpdate("INSERT INTO refunds (id, payment_id, account_id, environment, amount, currency, "
                            + "created_at) VALUES (:id, :payment, :account, :env, :amount, :currency, :created)")
                    .bind("id", refund.id())
                    .bind("payment", refund.paymentId())
                    .bind("account", refund.scope().accountId())
                    .bind("env", refund.scope().label())
                    .bind("amount", refund.amount())
                    .bind("currency", refund.currency())
                    .bind("created", refund.createdAt().toEpochMilli())
                    .execute();
            response.ifPresent(r -> insertResponse(h, r));
            return h.createQuery("SELECT " + PAYMENT_COLUMNS + " FROM payments WHERE id = :id")
                    .bind("id", refund.paymentId())
                    .map(PAYMENT)
                    .findOne();
        }), "a response is already kept under this Idempotency-Key");
    }

    @Override
    public boolean completePayment(String paymentId, PaymentStatus status, Optional<String> failureCode) {
        return translator.call(() -> jdbi.withHandle(h -> h.createUpdate("UPDATE payments SET status = :status, "
                                + "failure_code = :failure WHERE id = :id AND status = 'pending'")
                        .bind("status", status.label())
                        .bind("failure", failureCode.orElse(null))
                        .bind("id", paymentId)
                        .execute())
                == 1);
    }

    @Override
    public Balance balance(Scope scope) {
        return translator.call(() -> jdbi.withHandle(h -> {
            Map<String, Long> available = new TreeMap<>();
            Map<String, Long> pending = new TreeMap<>();
            h.createQuery("SELECT currency, "
                            + "SUM(CASE WHEN status = 'succeeded' THEN amount - amount_refunded ELSE 0 END) AS available, "
                            + "SUM(CASE WHEN status = 'pending' THEN amount ELSE 0 END) AS pending "
                            + "FROM payments WHERE account_id = :account AND environment = :env GROUP BY currency")
                    .bind("account", scope.accountId())
                    .bind("env", scope.label())
                    .map((rs, ctx) -> {
                        long availableAmount = rs.getLong("available");
                        long pendingAmount = rs.getLong("pending");
                        if (availableAmount != 0 || pendingAmount != 0) {
                            available.put(rs.getString("currency"), availableAmount);
                            pending.put(rs.getString("currency"), pendingAmount);
                        }
                        return null;
                    })
                    .list();
            return Balance.of(available, pending);
        }));
    }

    @Override
    public void insertCustomer(Customer customer, Optional<IdempotentResponse> response) {
        translator.run(() -> jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO customers (" + CUSTOMER_COLUMNS + ") VALUES (:id, :account, :env, :email, "
                            + ":name, :created)")
                    .bind("id", customer.id())
                    .bind("account", customer.scope().accountId())
                    .bind("env", customer.scope().label())
                    .bind("email", customer.email())
                    .bind("name", customer.name().orElse(null))
                    .bind("created", customer.createdAt().toEpochMilli())
                    .execute();
            response.ifPresent(r -> insertResponse(h, r));
        }), "a response is already kept under this Idempotency-Key");
    }

    @Override
    public Optional<Customer> findCustomer(Scope scope, String customerId) {
        return translator.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + CUSTOMER_COLUMNS
                        + " FROM customers WHERE id = :id AND account_id = :account AND environment = :env")
                .bind("id", customerId)
                .bind("account", scope.accountId())
                .bind("env", scope.label())
                .map(CUSTOMER)
                .findOne()));
    }

    @Override
    public Page<Customer> listCustomers(Scope scope, Optional<String> startingAfter, int limit) {
        return page("customers", CUSTOMER_COLUMNS, CUSTOMER, scope, startingAfter, limit);
    }

    @Override
    public int purgeIdempotentResponses(Instant before) {
        return translator.call(() -> jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM idempotent_responses WHERE created_at < :before")
                .bind("before", before.toEpochMilli())
                .execute()));
    }

    /** Newest first, keyed by (created_at, id); the cursor must be an object of the same scope. */
    private <T> Page<T> page(String table, String columns, RowMapper<T> mapper, Scope scope,
            Optional<String> startingAfter, int limit) {
        return translator.call(() -> jdbi.withHandle(h -> {
            String cursor = "";
            Long cursorCreated = null;
            if (startingAfter.isPresent()) {
                cursorCreated = h.createQuery("SELECT created_at FROM " + table
                                + " WHERE id = :id AND account_id = :account AND environment = :env")
                        .bind("id", startingAfter.get())
                        .bind("account", scope.accountId())
                        .bind("env", scope.label())
                        .mapTo(Long.class)
                        .findOne()
                        .orElseThrow(() -> new InvalidInputException("starting_after",
                                "starting_after must be the id of an object in this list"));
                cursor = " AND (created_at < :cursorCreated OR (created_at = :cursorCreated AND id < :cursorId))";
            }
            List<T> rows = new ArrayList<>(h.createQuery("SELECT " + columns + " FROM " + table
                            + " WHERE account_id = :account AND environment = :env" + cursor
                            + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                    .bind("account", scope.accountId())
                    .bind("env", scope.label())
                    .bind("cursorCreated", cursorCreated)
                    .bind("cursorId", startingAfter.orElse(null))
                    .bind("limit", limit + 1)
                    .map(mapper)
                    .list());
            boolean hasMore = rows.size() > limit;
            return new Page<>(hasMore ? rows.subList(0, limit) : rows, hasMore);
        }));
    }

    /** Replaces an expired response under the same key, then keeps this one; a live one is a conflict. */
    private static void insertResponse(Handle h, IdempotentResponse response) {
        h.createUpdate("DELETE FROM idempotent_responses WHERE account_id = :account AND environment = :env "
                        + "AND idem_key = :key AND created_at < :expired")
                .bind("account", response.scope().accountId())
                .bind("env", response.scope().label())
                .bind("key", response.key())
                .bind("expired", response.createdAt().minus(IdempotentResponse.TTL).toEpochMilli())
                .execute();
        h.createUpdate("INSERT INTO idempotent_responses (account_id, environment, idem_key, fingerprint, status, "
                        + "body, created_at) VALUES (:account, :env, :key, :fingerprint, :status, :body, :created)")
                .bind("account", response.scope().accountId())
                .bind("env", response.scope().label())
                .bind("key", response.key())
                .bind("fingerprint", response.fingerprint())
                .bind("status", response.status())
                .bind("body", response.body())
                .bind("created", response.createdAt().toEpochMilli())
                .execute();
    }

    private static final RowMapper<Payment> PAYMENT = (rs, ctx) -> new Payment(
            rs.getString("id"),
            scope(rs),
            rs.getLong("amount"),
            rs.getString("currency"),
            PaymentStatus.fromLabel(rs.getString("status")),
            Optional.ofNullable(rs.getString("failure_code")),
            Optional.ofNullable(rs.getString("description")),
            Optional.ofNullable(rs.getString("customer_id")),
            fromJson(rs.getString("metadata")),
            rs.getLong("amount_refunded"),
            rs.getString("checkout_token"),
            Instant.ofEpochMilli(rs.getLong("created_at")));

    private static final RowMapper<Customer> CUSTOMER = (rs, ctx) -> new Customer(
            rs.getString("id"),
            scope(rs),
            rs.getString("email"),
            Optional.ofNullable(rs.getString("name")),
            Instant.ofEpochMilli(rs.getLong("created_at")));

    private static Scope scope(ResultSet rs) throws SQLException {
        return new Scope(rs.getString("account_id"), Environment.fromLabel(rs.getString("environment")));
    }

    private static String toJson(Map<String, String> metadata) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(metadata));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }

    private static Map<String, String> fromJson(String json) throws SQLException {
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable metadata column", e);
        }
    }
}
