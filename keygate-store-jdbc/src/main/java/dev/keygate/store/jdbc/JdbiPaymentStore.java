package dev.keygate.store.jdbc;

import static dev.keygate.store.jdbc.PaymentRows.CUSTOMER;
import static dev.keygate.store.jdbc.PaymentRows.CUSTOMER_COLUMNS;
import static dev.keygate.store.jdbc.PaymentRows.PAYMENT;
import static dev.keygate.store.jdbc.PaymentRows.PAYMENT_COLUMNS;

import dev.keygate.core.Scope;
import dev.keygate.keyformat.KeyType;
import dev.keygate.payments.Balance;
import dev.keygate.payments.Customer;
import dev.keygate.payments.IdempotentResponse;
import dev.keygate.payments.Page;
import dev.keygate.payments.Payment;
import dev.keygate.payments.PaymentStatus;
import dev.keygate.payments.PaymentStore;
import dev.keygate.payments.Refund;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * A {@link PaymentStore} on any SQL database through JDBI, in plain SQL that SQLite and
 * PostgreSQL both run. Every query is bounded by account and environment.
 */
final class JdbiPaymentStore implements PaymentStore {

    private final Jdbi jdbi;
    private final Translator translator;

    JdbiPaymentStore(Jdbi jdbi, Translator translator) {
        this.jdbi = jdbi;
        this.translator = translator;
    }

    @Override
    public Optional<IdempotentResponse> findIdempotentResponse(Scope scope, KeyType keyType, String key,
            Instant notBefore) {
        return translator.call(() -> jdbi.withHandle(h ->
                IdempotentResponses.find(h, scope, keyType, key, notBefore)));
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
                    .bind("metadata", PaymentRows.toJson(payment.metadata()))
                    .bind("refunded", payment.amountRefunded())
                    .bind("token", payment.checkoutToken())
                    .bind("created", payment.createdAt().toEpochMilli())
                    .execute();
            response.ifPresent(r -> IdempotentResponses.insert(h, r));
        }), IdempotentResponses.CONFLICT);
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
        return translator.call(() -> jdbi.withHandle(h ->
                KeysetPages.page(h, "payments", PAYMENT_COLUMNS, PAYMENT, scope, startingAfter, limit)));
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
            response.ifPresent(r -> IdempotentResponses.insert(h, r));
            return h.createQuery("SELECT " + PAYMENT_COLUMNS + " FROM payments WHERE id = :id")
                    .bind("id", refund.paymentId())
                    .map(PAYMENT)
                    .findOne();
        }), IdempotentResponses.CONFLICT);
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
            response.ifPresent(r -> IdempotentResponses.insert(h, r));
        }), IdempotentResponses.CONFLICT);
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
        return translator.call(() -> jdbi.withHandle(h ->
                KeysetPages.page(h, "customers", CUSTOMER_COLUMNS, CUSTOMER, scope, startingAfter, limit)));
    }

    @Override
    public int purgeIdempotentResponses(Instant before) {
        return translator.call(() -> jdbi.withHandle(h -> IdempotentResponses.purge(h, before)));
    }
}
